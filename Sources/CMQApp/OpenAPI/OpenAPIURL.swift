import Foundation

/// The address of the API's description.
enum OpenAPIURL: RouteURL, Equatable {
    case document

    var segments: [PathSegment] {
        switch self {
        case .document: ["api", "v1", "openapi.json"]
        }
    }
}
