import Vapor

/// The back-office forms (campus, organisation, membership), registered under /gestion.
/// HTML forms only (GET and POST), no JavaScript: every write is a POST answered by a 303 redirect,
/// every deletion goes through a confirmation page.
func backOfficeRoutes(_ routes: any RoutesBuilder) throws {
    let gestion = routes.grouped("gestion")
    gestion.get(use: BackOfficeController().home)

    // MARK: Campus
    let campus = BackOfficeCampusController()
    gestion.get("campus", "nouveau", use: campus.newForm)
    gestion.post("campus", "nouveau", use: campus.create)
    gestion.get("campus", ":campusID", "modifier", use: campus.editForm)
    gestion.post("campus", ":campusID", "modifier", use: campus.update)
    gestion.get("campus", ":campusID", "supprimer", use: campus.confirmDelete)
    gestion.post("campus", ":campusID", "supprimer", use: campus.delete)

    // MARK: Network of a campus
    let network = BackOfficeNetworkController()
    gestion.get("campus", ":campusID", "membres", use: network.page)
    gestion.post("campus", ":campusID", "membres", use: network.add)
    gestion.get("campus", ":campusID", "membres", ":membreID", "retirer", use: network.confirmRemoval)
    gestion.post("campus", ":campusID", "membres", ":membreID", "retirer", use: network.remove)

    // MARK: Organisations
    let organisations = BackOfficeOrganisationController()
    let dossiers = DossierPagesController()
    gestion.get("dossiers", use: dossiers.list)
    gestion.post("dossiers", use: dossiers.open)
    gestion.get("dossiers", ":dossierID", use: dossiers.page)
    gestion.post("dossiers", ":dossierID", "sections", use: dossiers.saveSections)
    gestion.post("dossiers", ":dossierID", "depot", use: dossiers.deposit)
    gestion.post("dossiers", ":dossierID", "avis", use: dossiers.giveOpinion)
    gestion.post("dossiers", ":dossierID", "notes", use: dossiers.score)
    gestion.post("dossiers", ":dossierID", "decision", use: dossiers.decide)
    gestion.post("dossiers", ":dossierID", "abandon", use: dossiers.abandon)
    gestion.on(.POST, "dossiers", ":dossierID", "pieces", body: .collect(maxSize: "21mb"), use: dossiers.upload)
    gestion.post("dossiers", ":dossierID", "pieces", ":pieceID", "retirer", use: dossiers.removePiece)
    gestion.post("labels", ":labelID", "retrait", use: dossiers.withdraw)

    gestion.get("organisations", "nouvelle", use: organisations.newForm)
    gestion.post("organisations", "nouvelle", use: organisations.create)
    gestion.get("organisations", ":organisationID", "modifier", use: organisations.editForm)
    gestion.post("organisations", ":organisationID", "modifier", use: organisations.update)
    gestion.get("organisations", ":organisationID", "supprimer", use: organisations.confirmDelete)
    gestion.post("organisations", ":organisationID", "supprimer", use: organisations.delete)

    // MARK: Shared technical platforms and their bookings
    let plateaux = PlateauFormPagesController()
    gestion.get("plateaux", "nouveau", use: plateaux.newForm)
    gestion.post("plateaux", "nouveau", use: plateaux.create)
    gestion.get("plateaux", ":plateauID", "modifier", use: plateaux.editForm)
    gestion.post("plateaux", ":plateauID", "modifier", use: plateaux.update)
    gestion.get("plateaux", ":plateauID", "supprimer", use: plateaux.confirmDelete)
    gestion.post("plateaux", ":plateauID", "supprimer", use: plateaux.delete)
    let reservations = PlateauBookingPagesController()
    gestion.get("reservations", use: reservations.page)
    gestion.post("reservations", ":reservationID", "accepter", use: reservations.accept)
    gestion.post("reservations", ":reservationID", "refuser", use: reservations.refuse)
    gestion.post("reservations", ":reservationID", "annuler", use: reservations.cancel)
}

/// `/gestion`: the entry points of the back-office, and a search to find an organisation to edit.
struct BackOfficeController {
    @Sendable func home(req: Request) async throws -> View {
        let recherche = (req.query[String.self, at: "recherche"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let found = recherche.isEmpty ? nil : try await OrganisationSearch.run(recherche, on: req.db)
        let context = BackOfficeHomeContext(
            page: PageMeta(title: "Gestion du registre", section: "gestion"),
            organisationDeleted: req.query[String.self, at: "organisation-supprimee"] == "1",
            recherche: recherche, searched: found != nil, total: found?.total ?? 0,
            results: found?.items.map { OrganisationChoice($0) } ?? [],
            plateauNewLinks: try await req.actor.asyncMap { try await PlateauPagesQueries.campusesAddingPlateaux(actor: $0, on: req.db) }?
                .map { LinkItem(label: $0.nom, url: PlateauURL.new(campus: try $0.requireID())) } ?? [])
        return try await req.view.render("gestion/index", context)
    }
}

struct BackOfficeHomeContext: Encodable {
    var page: PageMeta
    var organisationDeleted: Bool
    var recherche: String
    var searched: Bool
    var total: Int
    var results: [OrganisationChoice]
    /// "Nouveau plateau technique" on each campus where the account may add one without choosing it first.
    var plateauNewLinks: [LinkItem]
}

/// The addresses of the back-office, built in one place.
enum BackOfficeURL {
    static let home = "/gestion"
    static let campusNew = "/gestion/campus/nouveau"
    static let organisationNew = "/gestion/organisations/nouvelle"

    static func campusEdit(_ id: UUID) -> String { "/gestion/campus/\(id.uuidString.lowercased())/modifier" }
    static func campusDelete(_ id: UUID) -> String { "/gestion/campus/\(id.uuidString.lowercased())/supprimer" }
    static func network(_ campusID: UUID) -> String { "/gestion/campus/\(campusID.uuidString.lowercased())/membres" }
    static func membershipRemoval(_ campusID: UUID, _ membershipID: UUID) -> String {
        network(campusID) + "/\(membershipID.uuidString.lowercased())/retirer"
    }
    static func organisationEdit(_ id: UUID) -> String { "/gestion/organisations/\(id.uuidString.lowercased())/modifier" }
    static func organisationDelete(_ id: UUID) -> String { "/gestion/organisations/\(id.uuidString.lowercased())/supprimer" }
}
