import CMQDomain
import Fluent
import Vapor

/// `/gestion/dossiers`: the dossiers the account may read, the form to open one on the campuses where it may, and
/// the labels of those campuses that expire within twelve months.
enum DossierListPage {
    struct ListRow: Encodable {
        var url: String
        var campus: String
        var referentiel: String
        var nature: String
        var statut: String
        var etapes: String
        var region: String
        var ouvert: String
        var depot: String
        var attente: String
    }

    struct ExpiringRow: Encodable {
        var campus: String
        var url: String
        var fin: String
        var excellence: Bool
        var region: String
    }

    struct ListContext: Encodable {
        var page: PageMeta
        var rows: [ListRow]
        var total: Int
        var pager: Pager
        var q: String
        var sorts: [OptionItem]
        var referentielFilter: [OptionItem]
        var csvURL: String
        var statuses: [OptionItem]
        var canOpen: Bool
        var campuses: [OptionItem]
        var referentiels: [OptionItem]
        var expiring: [ExpiringRow]
        var errors: [String]
    }

    static func load(query: [String: String], caller: Caller, errors: [String], on db: any Database) async throws -> ListContext {
        guard let actor = caller.actor else { throw AppError.unauthorized("Vous devez vous connecter.") }
        let (filter, pageRequest) = try readListQuery(query, filter: LabellingAPIController.filter)
        let page = try await LabellingQueries.visibleDossiers(actor: actor, filter: filter, page: PageRequest(page: pageRequest.page, per: 25), on: db)
        let statut = filter.statut
        let parameters: [String: String?] = ["statut": filter.statut?.rawValue, "referentiel": filter.referentiel, "q": filter.q,
                                              "tri": filter.tri == .recent ? nil : filter.tri.rawValue]
        let referentiels = try await Referentiels.catalog(on: db).referentiels
        let catalogue = Dictionary(referentiels.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let campuses = try await Campus.query(on: db).sort(\.$nomCle).all().filter { campus in
            caller.may(.create, .dossier(campusID: campus.id!, regionCode: campus.regionCode, academieCode: campus.academieCode, bodies: []))
        }
        let opened = Set(campuses.compactMap(\.id))
        let expiring = opened.isEmpty ? [] : try await LabellingQueries.labels(.init(expirantAvant: caller.today.adding(months: 12)), on: db, today: caller.today)
            .filter { opened.contains($0.campus) }.sorted { $0.fin < $1.fin }
        return ListContext(
            page: PageMeta(title: "Dossiers de labellisation", section: "gestion"),
            rows: page.items.map { item in
                ListRow(url: LabellingURL.dossier(item.id).path, campus: item.campusNom, referentiel: item.referentiel,
                        nature: DossierKind(rawValue: item.nature)?.label ?? item.nature, statut: item.statutLibelle,
                        etapes: item.etapesEnCours.compactMap { catalogue[item.referentiel]?.etape(code: $0)?.libelle }.joined(separator: " ; "),
                        region: TerritoryCatalog.shared.region(code: item.region)?.nom ?? item.region,
                        ouvert: item.creeLe.map(Self.day) ?? "—",
                        depot: item.depot.flatMap(CalendarDay.init(iso:))?.frenchLong ?? "—",
                        attente: DossierStatus.Kind(rawValue: item.statut).map { [.brouillon, .enInstruction].contains($0) } == true
                            ? BackOfficeHome.since(item.modifieLe, caller: caller).replacingOccurrences(of: " · ", with: "") : "—")
            },
            total: page.total,
            pager: Pager(page: page.page, per: page.per, total: page.total) { number in
                LabellingURL.dossiers.path(query: parameters.merging(["page": String(number)]) { $1 })
            },
            q: filter.q ?? "",
            sorts: DossierSort.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == filter.tri) },
            referentielFilter: referentiels.reversed().map { OptionItem(value: $0.code, label: $0.code, selected: $0.code == filter.referentiel) },
            csvURL: LabellingURL.dossiersCSV.path(query: parameters),
            statuses: DossierStatus.Kind.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == statut) },
            canOpen: !campuses.isEmpty, campuses: campuses.map { OptionItem(value: $0.id!.uuidString.lowercased(), label: $0.nom, selected: false) },
            referentiels: referentiels.reversed().map { OptionItem(value: $0.code, label: "\($0.code) · \($0.titre)", selected: false) },
            expiring: expiring.map { ExpiringRow(campus: $0.campusNom, url: RegistryURL.campus($0.campus).path, fin: CalendarDay(iso: $0.fin)?.frenchLong ?? $0.fin,
                                                 excellence: $0.excellence, region: $0.regionNom) },
            errors: errors)
    }

    /// "12 mars 2026" (Paris).
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)?.frenchLong ?? ""
    }
}
