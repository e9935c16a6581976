import Foundation

/// The actions' addresses: public list, archive, page, calendar file, registration and its cancellation;
/// the feeds. `nil`: the route's keys.
enum ActionsURL: RouteURL, Equatable {
    case list
    case archive
    case page(UUID?)
    case calendarFile(UUID?)
    case register(UUID?)
    /// The cancellation link of a registration (its token).
    case registration(String?)
    /// iCalendar feed of the published actions (national; `?region=` or `?campus=` narrow it).
    case feed

    var segments: [PathSegment] {
        switch self {
        case .list: ["actions"]
        case .archive: ["actions", "archives"]
        case .page(let id): ["actions", .id("actionID", id)]
        case .calendarFile(let id): ["actions", .id("actionID", id), .constant("agenda.ics")]
        case .register(let id): ["actions", .id("actionID", id), "inscription"]
        case .registration(let token): ["actions", "inscriptions", .parameter("jeton", token)]
        case .feed: ["actions", .constant("calendrier.ics")]
        }
    }
}
