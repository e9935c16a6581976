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
        let reset = PasswordResetController()
        web.get(U.forgottenPassword, use: reset.requestForm)
        web.post(U.forgottenPassword, use: reset.request)
        web.get(U.resetPassword(nil), use: reset.passwordForm)
        web.post(U.resetPassword(nil), use: reset.setPassword)
        let access = AccessRequestController()
        web.get(U.accessRequest, use: access.form)
        web.post(U.accessRequest, use: access.submit)
        let signedIn = doors.signedIn(routes)
        signedIn.get(U.accessRequests, use: access.queue)
        signedIn.post(U.accessAcceptance(nil), use: access.accept)
        signedIn.post(U.accessRefusal(nil), use: access.refuse)
        signedIn.get(U.account, use: account.account)
        signedIn.post(U.password, use: account.changePassword)
        signedIn.post(U.tokens, use: account.createToken)
        signedIn.post(U.tokenRevocation(nil), use: account.revokeToken)
    }
}
