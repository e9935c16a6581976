import Vapor

/// The search of everything: its page and its API.
struct SearchRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        doors.web(routes).get(SearchURL.everything, use: EverythingSearchController().page)
        doors.api(routes).get(SearchURL.apiEverything, use: EverythingSearchController().api)
    }
}
