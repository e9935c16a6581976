import Vapor

/// The dashboards (issue 21): national, région académique, campus; each table downloads as CSV with its Table
/// Schema. Public pages: the access policy decides what of them each reader sees.
struct DashboardRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = DashboardURL
        let pages = DashboardPagesController()
        let web = doors.web(routes)
        web.get(U.national, use: pages.national)
        web.get(U.nationalFile(nil), use: pages.nationalFile)
        web.get(U.region(nil), use: pages.region)
        web.get(U.regionFile(region: nil, file: nil), use: pages.regionFile)
        web.get(U.campus(nil), use: pages.campus)
        web.get(U.campusFile(campus: nil, file: nil), use: pages.campusFile)

        let api = doors.api(routes)
        let json = DashboardAPIController()
        api.get(U.apiNational, use: json.national)
        api.get(U.apiRegion(nil), use: json.region)
        api.get(U.apiCampus(nil), use: json.campus)
    }
}
