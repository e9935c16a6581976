import Foundation

/// The addresses of one's notifications and of the unsubscription links. `nil`: the route's keys.
enum NotificationsURL: RouteURL, Equatable {
    case list
    case markAllRead
    case markRead(UUID?)
    case preferences
    case unsubscribe(String?)

    var segments: [PathSegment] {
        switch self {
        case .list: ["compte", "notifications"]
        case .markAllRead: ["compte", "notifications", "lues"]
        case .markRead(let id): ["compte", "notifications", .id("notificationID", id), "lue"]
        case .preferences: ["compte", "notifications", "preferences"]
        case .unsubscribe(let token): ["desabonnement", .parameter("jeton", token)]
        }
    }
}
