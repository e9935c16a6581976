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
    /// The published actions in OpenAgenda's JSON shape (same filters as the feed).
    case openAgenda
    // Back-office
    case manage
    case new
    case edit(UUID?)
    case publish(UUID?)
    case withdraw(UUID?)
    case duplicate(UUID?)
    case participation(UUID?)
    case registrationsCSV(UUID?)
    case counts
    case countsCSV
    // API
    case api
    case apiAction(UUID?)
    case apiPublication(UUID?)
    case apiWithdrawal(UUID?)
    case apiDuplicate(UUID?)
    case apiParticipation(UUID?)
    case apiRegistrations(UUID?)
    /// A registration named by the secret of its cancellation link.
    case apiRegistration(String?)

    var segments: [PathSegment] {
        switch self {
        case .list: ["actions"]
        case .archive: ["actions", "archives"]
        case .page(let id): ["actions", .id("actionID", id)]
        case .calendarFile(let id): ["actions", .id("actionID", id), .constant("agenda.ics")]
        case .register(let id): ["actions", .id("actionID", id), "inscription"]
        case .registration(let token): ["actions", "inscriptions", .parameter("jeton", token)]
        case .feed: ["actions", .constant("calendrier.ics")]
        case .openAgenda: ["actions", .constant("openagenda.json")]
        case .manage: ["gestion", "actions"]
        case .new: ["gestion", "actions", "nouvelle"]
        case .edit(let id): ["gestion", "actions", .id("actionID", id), "modifier"]
        case .publish(let id): ["gestion", "actions", .id("actionID", id), "publier"]
        case .withdraw(let id): ["gestion", "actions", .id("actionID", id), "retirer"]
        case .duplicate(let id): ["gestion", "actions", .id("actionID", id), "dupliquer"]
        case .participation(let id): ["gestion", "actions", .id("actionID", id), "participation"]
        case .registrationsCSV(let id): ["gestion", "actions", .id("actionID", id), .constant("inscriptions.csv")]
        case .counts: ["gestion", "actions", "comptes"]
        case .countsCSV: ["gestion", "actions", .constant("comptes.csv")]
        case .api: ["api", "v1", "actions"]
        case .apiAction(let id): ["api", "v1", "actions", .id("actionID", id)]
        case .apiPublication(let id): ["api", "v1", "actions", .id("actionID", id), "publication"]
        case .apiWithdrawal(let id): ["api", "v1", "actions", .id("actionID", id), "retrait"]
        case .apiDuplicate(let id): ["api", "v1", "actions", .id("actionID", id), "duplicata"]
        case .apiParticipation(let id): ["api", "v1", "actions", .id("actionID", id), "participation"]
        case .apiRegistrations(let id): ["api", "v1", "actions", .id("actionID", id), "inscriptions"]
        case .apiRegistration(let token): ["api", "v1", "inscriptions", .parameter("jeton", token)]
        }
    }
}
