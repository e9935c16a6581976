import Foundation

/// The pages every public site of the State has: legal notice, personal data, accessibility, site map, contact,
/// and the API documentation for people.
enum AboutURL: RouteURL, Equatable, CaseIterable {
    case mentionsLegales
    case donneesPersonnelles
    case accessibilite
    case planDuSite
    case contact
    case apiDocumentation
    case favicon

    var segments: [PathSegment] {
        switch self {
        case .mentionsLegales: ["mentions-legales"]
        case .donneesPersonnelles: ["donnees-personnelles"]
        case .accessibilite: ["accessibilite"]
        case .planDuSite: ["plan-du-site"]
        case .contact: ["contact"]
        case .apiDocumentation: ["api"]
        case .favicon: ["favicon.ico"]
        }
    }
}
