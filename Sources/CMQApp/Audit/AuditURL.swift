import Foundation

/// The audit trail's address.
enum AuditURL: RouteURL, Equatable {
    case journal

    var segments: [PathSegment] {
        switch self {
        case .journal: ["gestion", "journal"]
        }
    }
}
