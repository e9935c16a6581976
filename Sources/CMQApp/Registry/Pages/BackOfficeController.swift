import CMQDomain
import Fluent
import Vapor

/// `/gestion`: the entry points of the back-office, and a search to find an organisation to edit.
struct BackOfficeController {
    @Sendable func home(req: Request) async throws -> View {
        let recherche = (req.query[String.self, at: "recherche"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let found = recherche.isEmpty ? nil : try await OrganisationSearch.run(recherche, on: req.db)
        let context = BackOfficeHomeContext(
            page: PageMeta(title: "Gestion du registre", section: "gestion"),
            mayCreateCampus: req.caller.may(.create, .campus(id: nil, regionCode: req.actor?.regionCode ?? "")),
            mayCreateOrganisation: req.caller.may(.create, .organisation(id: nil, campuses: [])),
            organisationDeleted: req.query[String.self, at: "organisation-supprimee"] == "1",
            recherche: recherche, searched: found != nil, total: found?.total ?? 0,
            results: found?.items.map { OrganisationChoice($0) } ?? [],
            plateauNewLinks: try await req.actor.asyncMap { try await PlateauPagesQueries.campusesAddingPlateaux(actor: $0, today: req.today, on: req.db) }?
                .map { LinkItem(label: $0.nom, url: PlateauxURL.new(campus: try $0.requireID())) } ?? [],
            waiting: try await BackOfficeHome.waiting(caller: req.caller, on: req.db),
            shortcuts: try await Self.shortcuts(req.caller, on: req.db),
            maySeeDossiers: req.actor.map { $0.role != .membre } ?? false)
        return try await req.view.render("gestion/index", context)
    }

    /// The account's own campus or organisation, one click away, and the journal for the national administrator.
    static func shortcuts(_ caller: Caller, on db: any Database) async throws -> [LinkItem] {
        guard let actor = caller.actor else { return [] }
        var links: [LinkItem] = []
        if let campusID = actor.campusID, let campus = try await Campus.find(campusID, on: db) {
            links.append(LinkItem(label: "Mon campus : \(campus.nom)", url: RegistryURL.campus(campusID).path))
            if caller.may(.update, .network(campusID: campusID, regionCode: campus.regionCode)) {
                links.append(LinkItem(label: "Gérer le réseau de mon campus", url: RegistryURL.network(campusID).path))
            }
        }
        if let organisationID = actor.organisationID, let organisation = try await Organisation.find(organisationID, on: db) {
            links.append(LinkItem(label: "Mon organisation : \(organisation.nom)", url: RegistryURL.organisation(organisationID).path))
        }
        if actor.role == .regionAcademique, let region = actor.regionCode.flatMap({ TerritoryCatalog.shared.region(code: $0) }) {
            links.append(LinkItem(label: "Ma région académique : \(region.nom)", url: RegistryURL.region(region.slug).path))
        }
        if actor.role != .instance {
            links.append(LinkItem(label: "Témoignages « Ma réussite pro »", url: TemoignagesURL.manageList.path))
        }
        links.append(LinkItem(label: "Concours « Ma réussite pro »", url: ConcoursURL.manageList.path))
        if caller.may(.read, .auditTrail) {
            links.append(LinkItem(label: "Journal des modifications", url: AuditURL.journal.path))
        }
        links.append(LinkItem(label: "Mon compte et mes jetons d'API", url: AccountsURL.account.path))
        return links
    }
}

struct BackOfficeHomeContext: Encodable {
    var page: PageMeta
    /// The links to forms the account may not use are not shown (the services refuse them anyway).
    var mayCreateCampus: Bool
    var mayCreateOrganisation: Bool
    var organisationDeleted: Bool
    var recherche: String
    var searched: Bool
    var total: Int
    var results: [OrganisationChoice]
    /// "Nouveau plateau technique" on each campus where the account may add one without choosing it first.
    var plateauNewLinks: [LinkItem]
    /// What waits for the account, block by block.
    var waiting: [BackOfficeHome.Waiting]
    var shortcuts: [LinkItem]
    var maySeeDossiers: Bool
}
