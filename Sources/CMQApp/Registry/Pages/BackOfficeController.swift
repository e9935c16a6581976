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
                .map { LinkItem(label: $0.nom, url: PlateauxURL.new(campus: try $0.requireID())) } ?? [])
        return try await req.view.render("gestion/index", context)
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
}
