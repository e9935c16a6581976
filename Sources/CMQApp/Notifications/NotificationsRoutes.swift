import Vapor

/// One's notifications and how they arrive; the unsubscription links of the e-mails.
struct NotificationsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = NotificationsURL
        let pages = NotificationsController()
        let signedIn = doors.signedIn(routes)
        signedIn.get(U.list, use: pages.list)
        signedIn.post(U.markAllRead, use: pages.markAllRead)
        signedIn.post(U.markRead(nil), use: pages.markRead)
        signedIn.post(U.preferences, use: pages.savePreferences)
        // The link of an e-mail works without signing in: the signed token is the authority. The page asks to
        // confirm (a mail scanner that follows links changes nothing); the POST is the one-click unsubscription of
        // RFC 8058, which mail clients send without cookie nor CSRF token.
        doors.web(routes).get(U.unsubscribe(nil), use: pages.unsubscribeForm)
        routes.post(U.unsubscribe(nil), use: pages.unsubscribe)
    }
}
