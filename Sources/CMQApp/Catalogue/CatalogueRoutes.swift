import Vapor

/// The training offer: the search page and a formation's page; the API of formations, their exports, a
/// campus's offer and coverage.
struct CatalogueRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = CatalogueURL
        let web = doors.web(routes)
        let catalogue = CatalogueController()
        web.get(U.search, use: catalogue.search)
        web.get(U.formation(nil), use: catalogue.formation)

        let api = doors.api(routes)
        let formations = FormationsAPIController()
        api.get(U.apiFormations, use: formations.list)
        api.get(U.apiExport(extension: "csv"), use: formations.exportHandler(.csv))
        api.get(U.apiExport(extension: "json"), use: formations.exportHandler(.json))
        api.get(U.apiExport(extension: "lheo.xml"), use: formations.exportHandler(.lheo))
        api.post(U.apiFormations, use: formations.create)
        api.get(U.apiFormation(nil), use: formations.get)
        api.patch(U.apiFormation(nil), use: formations.update)
        api.delete(U.apiFormation(nil), use: formations.delete)
        api.get(U.apiCampusOffer(nil), use: formations.offer)
        api.post(U.apiCampusFormations(nil), use: formations.attach)
        api.delete(U.apiCampusFormation(campus: nil, formation: nil), use: formations.detach)
        api.get(U.apiCampusCoverage(nil), use: formations.coverage)
    }
}
