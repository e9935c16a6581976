import CMQDomain
import Fluent
import Vapor

/// The public pages: home, campus list, campus page, organisation page.
struct SiteController {
    @Sendable func home(req: Request) async throws -> View {
        var context = try await HomePage.load(filiere: Self.filiereParameter(req), today: req.today, on: req.db)
        context.nextActions = try await ActionSummary.next(campusID: nil, now: LocalDateTime(date: req.clock.now()), on: req.db)
        return try await req.view.render("home", context)
    }

    /// A région académique: the map of its académies, their figures, and its campuses.
    @Sendable func regionPage(req: Request) async throws -> View {
        let slug = req.parameters.get("region") ?? ""
        guard let region = TerritoryCatalog.shared.region(matching: slug) else {
            throw AppError.notFound("Aucune région académique ne correspond à « \(slug) ».")
        }
        return try await req.view.render("region", RegionPage.load(region: region, filiere: Self.filiereParameter(req), on: req.db))
    }

    /// The optional `filiere` query parameter of the map pages.
    static func filiereParameter(_ req: Request) throws -> Filiere? {
        var reader = QueryReader(req.queryParameters)
        let filiere = reader.filiere()
        try reader.finish()
        return filiere
    }

    static func row(_ campus: Campus, label: LabelStatus? = nil) -> CampusRow {
        let territory = TerritoryCatalog.shared
        return CampusRow(url: RegistryURL.campus(campus.id!).path, nom: campus.nom,
                         filiere: campus.filiere.label,
                         academie: territory.academie(code: campus.academieCode)?.nom ?? campus.academieCode,
                         region: territory.region(code: campus.regionCode)?.nom ?? campus.regionCode,
                         label: label?.label.capitalizingFirstLetter, labelKind: label?.slug)
    }

    @Sendable func campusList(req: Request) async throws -> View {
        let query = req.queryParameters
        let (filter, page) = try readListQuery(query, filter: CampusFilter.read)
        return try await req.view.render("campus-list", CampusListPage.load(filter: filter, page: page, query: query, caller: req.caller, on: req.db))
    }

    @Sendable func campusPage(req: Request) async throws -> View {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        var context = try await CampusPage.load(id: id, caller: req.caller, base: OpenDataAPIController.base(req), on: req.db)
        context.nextActions = try await ActionSummary.next(campusID: id, now: LocalDateTime(date: req.clock.now()), on: req.db)
        context.temoignages = try await TemoignageGallery.cards(on: req.db, today: req.today, campusID: id)
        return try await req.view.render("campus", context)
    }

    @Sendable func organisationPage(req: Request) async throws -> View {
        let id = try req.uuidParameter("organisationID", notFound: "Aucune organisation")
        return try await req.view.render("organisation", OrganisationPage.load(id: id, caller: req.caller, base: OpenDataAPIController.base(req), on: req.db))
    }
}

extension Membership {
    var memberRow: MemberRow {
        let organisation = self.organisation
        return MemberRow(
            url: RegistryURL.organisation(organisation.id!).path, nom: organisation.nom,
            type: organisation.kind.label,
            role: role.label, isSupport: role == .etablissementSupport,
            uai: organisation.uai, siret: organisation.siret, statut: organisation.isPublic ? "public" : "privé",
            commune: organisation.commune,
            depuis: depuis.flatMap(CalendarDay.init(iso:))?.frenchLong, jusquA: jusquA.flatMap(CalendarDay.init(iso:))?.frenchLong)
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
