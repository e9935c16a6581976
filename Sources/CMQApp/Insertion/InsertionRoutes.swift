import Vapor

/// Insertion: the definitions and the ranking pages, the figures of a campus, a formation and an establishment
/// in the API (public reads).
struct InsertionRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = InsertionURL
        let web = doors.web(routes)
        let pages = InsertionPagesController()
        web.get(U.definitions, use: pages.definitions)
        web.get(U.classement, use: pages.ranking)

        let api = doors.api(routes)
        let json = InsertionAPIController()
        api.get(U.apiCampus(nil), use: json.campus)
        api.get(U.apiFormation(nil), use: json.formation)
        api.get(U.apiEtablissement(nil), use: json.etablissement)
        api.get(U.apiClassement, use: json.classement)
    }
}
