import Foundation

/// The pathways' addresses: a campus's flows, the example file, the back-office upload, the API. `nil`: the route's keys.
enum ParcoursURL: RouteURL, Equatable {
    case flows(UUID?)
    case example
    case upload
    case apiFlows(UUID?)
    case apiUpload(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .flows(let id): ["campus", .id("campusID", id), "parcours"]
        case .example: ["parcours", .constant("exemple-parcours.csv")]
        case .upload: ["gestion", "parcours"]
        case .apiFlows(let id): ["api", "v1", "campus", .id("campusID", id), "parcours"]
        case .apiUpload(let id): ["api", "v1", "organisations", .id("organisationID", id), "parcours"]
        }
    }
}
