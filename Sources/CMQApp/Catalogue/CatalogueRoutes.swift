import Vapor

/// The training offer: the search page and a formation's page; the API of formations, their exports, a
/// campus's offer and coverage.
struct CatalogueRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        let web = doors.web(routes)
        let catalogue = CatalogueController()
        web.get("formations", use: catalogue.search)
        web.get("formations", ":formationID", use: catalogue.formation)

        let api = doors.api(routes)
        let formations = FormationsAPIController()
        api.get("formations", use: formations.list)
        api.get("formations.csv", use: formations.exportHandler(.csv))
        api.get("formations.json", use: formations.exportHandler(.json))
        api.get("formations.lheo.xml", use: formations.exportHandler(.lheo))
        api.post("formations", use: formations.create)
        api.get("formations", ":formationID", use: formations.get)
        api.patch("formations", ":formationID", use: formations.update)
        api.delete("formations", ":formationID", use: formations.delete)
        api.get("campus", ":campusID", "offre", use: formations.offer)
        api.post("campus", ":campusID", "formations", use: formations.attach)
        api.delete("campus", ":campusID", "formations", ":formationID", use: formations.detach)
        api.get("campus", ":campusID", "couverture", use: formations.coverage)
    }
}
