import CMQDomain
import Fluent
import Vapor

/// One entry of the audit trail as pages show it.
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
    var changements: [Change]

    init(_ entry: AuditEntry) {
        le = AccountController.format(entry.at)
        auteur = entry.actorLabel
        action = AuditAction(rawValue: entry.action)?.label ?? entry.action
        entite = entry.entity
        libelle = entry.entityLabel
        changements = entry.decodedChanges.sorted { $0.key < $1.key }.map {
            Change(champ: $0.key, avant: $0.value.avant ?? "—", apres: $0.value.apres ?? "—")
        }
    }
}

/// The audit trail: searchable by the national administrator; read-only for everyone (there is no route
/// that changes or deletes an entry).
struct AuditController {
    struct SearchContext: Encodable {
        var page: PageMeta
        var q: String
        var entite: String
        var entites: [OptionItem]
        var history: [AuditRow]
        var pager: Pager
    }

    static let entities = [("campus", "Campus"), ("organisation", "Organisation"), ("membre", "Membre d'un réseau"),
                           ("equipe", "Équipe d'un campus"), ("utilisateur", "Compte"), ("formation", "Formation"), ("dossier", "Dossier de labellisation"),
                           ("label", "Label"), ("plateau", "Plateau technique"), ("reservation", "Réservation")]

    @Sendable func search(req: Request) async throws -> View {
        try req.caller.authorize(.read, .auditTrail)
        let parameters = req.queryParameters
        let q = (parameters["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let entite = parameters["entite"] ?? ""
        let pageRequest = try PageRequest.read(from: parameters)
        let query = AuditEntry.query(on: req.db)
        if !entite.isEmpty { query.filter(\.$entity == entite) }
        if !q.isEmpty {
            query.group(.or) { group in
                group.filter(\.$entityLabel, .contains(inverse: false, .anywhere), q)
                group.filter(\.$actorLabel, .contains(inverse: false, .anywhere), q)
                if let id = UUID(uuidString: q) { group.filter(\.$entityID == id) }
            }
        }
        let page = try await query.sort(\.$at, .descending).paginated(PageRequest(page: pageRequest.page, per: 50))
        let pageURL: (Int) -> String = { number in
            AuditURL.journal.path(query: ["q": q, "entite": entite, "page": String(number)])
        }
        return try await req.view.render("gestion/journal", SearchContext(
            page: PageMeta(title: "Journal des modifications", section: "gestion"),
            q: q, entite: entite,
            entites: Self.entities.map { OptionItem(value: $0.0, label: $0.1, selected: $0.0 == entite) },
            history: page.items.map(AuditRow.init),
            pager: Pager(page: page.page, per: page.per, total: page.total, url: pageURL)))
    }

    /// The history of an entity and of what hangs on it (a campus's members and team), most recent first,
    /// for the people allowed to change it; nil for the others.
    static func history(of entityID: UUID, includingMentions: Bool, visibleIf allowed: Bool, on db: any Database) async throws -> [AuditRow]? {
        guard allowed else { return nil }
        let query = AuditEntry.query(on: db).group(.or) { group in
            group.filter(\.$entityID == entityID)
            if includingMentions { group.filter(\.$changes, .contains(inverse: false, .anywhere), entityID.uuidString.lowercased()) }
        }
        return try await query.sort(\.$at, .descending).limit(100).all().map(AuditRow.init)
    }
}
