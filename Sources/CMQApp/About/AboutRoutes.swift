import Vapor

/// The legal and help pages of the public site, and the API documentation.
struct AboutRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = AboutURL
        let web = doors.web(routes)
        let pages = AboutController()
        web.get(U.mentionsLegales, use: pages.mentionsLegales)
        web.get(U.donneesPersonnelles, use: pages.donneesPersonnelles)
        web.get(U.accessibilite, use: pages.accessibilite)
        web.get(U.planDuSite, use: pages.planDuSite)
        web.get(U.contact, use: pages.contact)
        web.get(U.apiDocumentation, use: pages.apiDocumentation)
        routes.get(U.favicon) { req in req.redirect(to: "/favicon.svg", redirectType: .permanent) }
    }
}
