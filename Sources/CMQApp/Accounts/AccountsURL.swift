import Foundation

/// The addresses of signing in and of one's account. `nil`: the route's keys.
enum AccountsURL: RouteURL, Equatable {
    case login
    case logout
    case account
    case password
    case tokens
    case tokenRevocation(UUID?)
    case forgottenPassword
    case resetPassword(String?)
    case accessRequest
    case accessRequests
    case accessAcceptance(UUID?)
    case accessRefusal(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .login: ["connexion"]
        case .logout: ["deconnexion"]
        case .account: ["compte"]
        case .password: ["compte", "mot-de-passe"]
        case .tokens: ["compte", "jetons"]
        case .tokenRevocation(let id): ["compte", "jetons", .id("tokenID", id), "revoquer"]
        case .forgottenPassword: ["connexion", "mot-de-passe-oublie"]
        case .resetPassword(let token): ["connexion", "nouveau-mot-de-passe", .parameter("jeton", token)]
        case .accessRequest: ["connexion", "demande-acces"]
        case .accessRequests: ["gestion", "demandes-acces"]
        case .accessAcceptance(let id): ["gestion", "demandes-acces", .id("demandeID", id), "acceptation"]
        case .accessRefusal(let id): ["gestion", "demandes-acces", .id("demandeID", id), "refus"]
        }
    }
}
