import Foundation

/// The audit trail's address.
enum AuditURL: RouteURL, Equatable {
    case journal
    case journalCSV

    var segments: [PathSegment] {
        switch self {
        case .journal: ["gestion", "journal"]
        case .journalCSV: ["gestion", .constant("journal.csv")]
        }
    }
}
