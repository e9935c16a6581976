import Foundation

/// The addresses of signing in and of one's account. `nil`: the route's keys.
enum AccountsURL: RouteURL, Equatable {
    case login
    case logout
    case account
    case password
    case tokens
    case tokenRevocation(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .login: ["connexion"]
        case .logout: ["deconnexion"]
        case .account: ["compte"]
        case .password: ["compte", "mot-de-passe"]
        case .tokens: ["compte", "jetons"]
        case .tokenRevocation(let id): ["compte", "jetons", .id("tokenID", id), "revoquer"]
        }
    }
}
