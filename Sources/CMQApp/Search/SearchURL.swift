import Foundation

/// The one search of the whole site: formations, campuses, establishments and places together.
enum SearchURL: RouteURL, Equatable {
    case everything
    case apiEverything

    var segments: [PathSegment] {
        switch self {
        case .everything: ["recherche"]
        case .apiEverything: ["api", "v1", "recherche"]
        }
    }
}
