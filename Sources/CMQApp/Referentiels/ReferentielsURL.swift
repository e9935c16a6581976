import Foundation

/// The reference lists of the API. `nil`: the route's keys.
enum ReferentielsURL: RouteURL, Equatable {
    case filieres
    case regions
    case academies
    case diplomes
    case diplome(cfd: String?)
    case niveauxDiplome
    case rome
    case formationsOnisep

    var segments: [PathSegment] {
        let base: [PathSegment] = ["api", "v1", "referentiels"]
        return switch self {
        case .filieres: base + ["filieres"]
        case .regions: base + ["regions"]
        case .academies: base + ["academies"]
        case .diplomes: base + ["diplomes"]
        case .diplome(let cfd): base + ["diplomes", .parameter("cfd", cfd)]
        case .niveauxDiplome: base + ["niveaux-diplome"]
        case .rome: base + ["rome"]
        case .formationsOnisep: base + ["formations-onisep"]
        }
    }
}
