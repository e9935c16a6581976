import Vapor

/// Signing in and out, one's account and API tokens.
struct AccountsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        let web = doors.web(routes)
        let account = AccountController()
        web.get("connexion", use: account.loginForm)
        web.post("connexion", use: account.login)
        web.post("deconnexion", use: account.logout)
        let signedIn = doors.signedIn(routes)
        signedIn.get("compte", use: account.account)
        signedIn.post("compte", "mot-de-passe", use: account.changePassword)
        signedIn.post("compte", "jetons", use: account.createToken)
        signedIn.post("compte", "jetons", ":tokenID", "revoquer", use: account.revokeToken)
    }
}
