import CMQDomain
import Fluent
import Vapor

/// One entry of the audit trail as pages show it: in French, names instead of identifiers, a link to the item.
struct AuditRow: Encodable {
    struct Change: Encodable {
        var champ: String
        var avant: String
        var apres: String
    }

    var le: String
    var auteur: String
    var action: String
    var entite: String
    var libelle: String
    var url: String?
    var changements: [Change]

    init(_ entry: AuditEntry, names: [UUID: String]) {
        le = AccountController.format(entry.at)
        auteur = entry.actorLabel
        action = AuditAction(rawValue: entry.action)?.label ?? entry.action
        entite = AuditVocabulary.entity(entry.entity)
        libelle = entry.entityLabel
        let changes = entry.decodedChanges
        url = entry.action == AuditAction.delete.rawValue ? nil : AuditVocabulary.url(entity: entry.entity, id: entry.entityID, changes: changes)
        changements = changes.map { key, change in
            Change(champ: AuditVocabulary.field(key),
                   avant: AuditVocabulary.value(change.avant, field: key, entity: entry.entity, names: names),
                   apres: AuditVocabulary.value(change.apres, field: key, entity: entry.entity, names: names))
        }.sorted { $0.champ < $1.champ }
    }

    /// The rows of `entries`, the names they mention looked up once.
    static func rows(_ entries: [AuditEntry], on db: any Database) async throws -> [AuditRow] {
        let names = try await AuditVocabulary.names(AuditVocabulary.identifiers(in: entries), on: db)
        return entries.map { AuditRow($0, names: names) }
    }
}

/// The audit trail: searchable by the national administrator; read-only for everyone (there is no route
/// that changes or deletes an entry).
struct AuditController {
    /// The filters of the journal, read from the query string (a wrong date is a 422 naming it).
    struct Filter {
        var q = ""
        var entite = ""
        var du: CalendarDay?
        var au: CalendarDay?

        static func read(_ parameters: [String: String]) throws(AppError) -> Filter {
            var reader = QueryReader(parameters)
            var filter = Filter()
            filter.q = String((reader.text("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
            filter.entite = reader.raw("entite") ?? ""
            if !filter.entite.isEmpty, !AuditVocabulary.entities.contains(where: { $0.key == filter.entite }) {
                reader.fail("entite", "Le type d'élément « \(filter.entite.prefix(40)) » n'existe pas.")
            }
            filter.du = reader.day("du")
            filter.au = reader.day("au")
            try reader.finish()
            return filter
        }

        /// Midnight of that day in Paris, where the people who read the journal are.
        static func startInParis(_ day: CalendarDay) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
            return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? .distantPast
        }

        var parameters: [String: String?] {
            ["q": q, "entite": entite, "du": du?.iso, "au": au?.iso]
        }

        func query(on db: any Database) -> QueryBuilder<AuditEntry> {
            let query = AuditEntry.shown(on: db)
            if !entite.isEmpty { query.filter(\.$entity == entite) }
            if let du { query.filter(\.$at >= Self.startInParis(du)) }
            if let au { query.filter(\.$at < Self.startInParis(au.adding(days: 1))) }
            if !q.isEmpty {
                query.group(.or) { group in
                    group.filter(\.$entityLabel, .contains(inverse: false, .anywhere), q)
                    group.filter(\.$actorLabel, .contains(inverse: false, .anywhere), q)
                    if let id = UUID(uuidString: q) { group.filter(\.$entityID == id) }
                }
            }
            return query
        }
    }

    struct SearchContext: Encodable {
        var page: PageMeta
        var q: String
        var entite: String
        var du: String
        var au: String
        var entites: [OptionItem]
        var history: [AuditRow]
        var pager: Pager
        var csvURL: String
    }

    @Sendable func search(req: Request) async throws -> View {
        try req.caller.authorize(.read, .auditTrail)
        let filter = try Filter.read(req.queryParameters)
        let pageRequest = try PageRequest.read(from: req.queryParameters)
        let page = try await filter.query(on: req.db).sort(\.$at, .descending).sort(\.$id).paginated(PageRequest(page: pageRequest.page, per: 50))
        let parameters = filter.parameters
        return try await req.view.render("gestion/journal", SearchContext(
            page: PageMeta(title: "Journal des modifications", section: "gestion"),
            q: filter.q, entite: filter.entite, du: filter.du?.iso ?? "", au: filter.au?.iso ?? "",
            entites: AuditVocabulary.entities.map { OptionItem(value: $0.key, label: $0.label, selected: $0.key == filter.entite) },
            history: try await AuditRow.rows(page.items, on: req.db),
            pager: Pager(page: page.page, per: page.per, total: page.total) { number in
                AuditURL.journal.path(query: parameters.merging(["page": String(number)]) { $1 })
            },
            csvURL: AuditURL.journalCSV.path(query: parameters)))
    }

    /// The journal's entries with the same filters, as CSV (`;`, UTF-8 with BOM, a line per changed field),
    /// streamed 1,000 entries at a time, at most `csvLimit` entries.
    static let csvLimit = 100_000

    @Sendable func csv(req: Request) async throws -> Response {
        try req.caller.authorize(.read, .auditTrail)
        let filter = try Filter.read(req.queryParameters)
        let db = req.db
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"journal.csv\"")
        let body = Response.Body(managedAsyncStream: { writer in
            var text = "\u{FEFF}date;auteur;action;element;libelle;champ;avant;apres\r\n"
            var written = 0
            while written < Self.csvLimit {
                let entries = try await filter.query(on: db).sort(\.$at, .descending).sort(\.$id).range(written..<(written + 1_000)).all()
                for row in try await AuditRow.rows(entries, on: db) {
                    let head = [row.le, row.auteur, row.action, row.entite, row.libelle]
                    let lines = row.changements.isEmpty ? [head + ["", "", ""]] : row.changements.map { head + [$0.champ, $0.avant, $0.apres] }
                    for line in lines { text += line.map(Self.csvField).joined(separator: ";") + "\r\n" }
                }
                try await writer.writeBuffer(ByteBuffer(string: text))
                text = ""
                written += entries.count
                if entries.count < 1_000 { break }
            }
        })
        return Response(status: .ok, headers: headers, body: body)
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == ";" || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The history of an entity and of what hangs on it (a campus's members and team), most recent first,
    /// for the people allowed to change it; nil for the others.
    static func history(of entityID: UUID, includingMentions: Bool, visibleIf allowed: Bool, on db: any Database) async throws -> [AuditRow]? {
        guard allowed else { return nil }
        let query = AuditEntry.shown(on: db).group(.or) { group in
            group.filter(\.$entityID == entityID)
            if includingMentions { group.filter(\.$changes, .contains(inverse: false, .anywhere), entityID.uuidString.lowercased()) }
        }
        return try await AuditRow.rows(try await query.sort(\.$at, .descending).limit(100).all(), on: db)
    }
}
