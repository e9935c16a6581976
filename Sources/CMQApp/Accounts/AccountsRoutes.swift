import Vapor

/// Signing in and out, one's account and API tokens.
struct AccountsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = AccountsURL
        let web = doors.web(routes)
        let account = AccountController()
        web.get(U.login, use: account.loginForm)
        web.post(U.login, use: account.login)
        web.post(U.logout, use: account.logout)
        let signedIn = doors.signedIn(routes)
        signedIn.get(U.account, use: account.account)
        signedIn.post(U.password, use: account.changePassword)
        signedIn.post(U.tokens, use: account.createToken)
        signedIn.post(U.tokenRevocation(nil), use: account.revokeToken)
    }
}
