import Vapor

/// Actions and events of the campuses: the public list, archive and page, registration and its cancellation by
/// its own link, the calendar file and the feeds.
struct ActionsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = ActionsURL
        let pages = ActionPagesController()
        let web = doors.web(routes)
        web.get(U.list, use: pages.list)
        web.get(U.archive, use: pages.archive)
        web.get(U.feed, use: pages.feed)
        web.get(U.page(nil), use: pages.page)
        web.get(U.calendarFile(nil), use: pages.calendarFile)
        web.post(U.register(nil), use: pages.register)
        web.get(U.registration(nil), use: pages.registration)
        web.post(U.registration(nil), use: pages.cancel)
    }
}
