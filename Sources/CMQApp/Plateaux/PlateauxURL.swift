import CMQDomain
import Foundation

/// The platforms' addresses: public page and booking, back-office forms and bookings, API. `nil`: the route's keys.
enum PlateauxURL: RouteURL, Equatable {
    /// What the owner's side or the booker does with a booking from the back-office.
    enum Decision: String, Sendable {
        case accepter, refuser, annuler
    }

    // Public page and booking
    case page(UUID?)
    case book(UUID?)
    // Back-office
    case new
    case edit(UUID?)
    case delete(UUID?)
    case bookings
    case bookingsCSV
    case decision(UUID?, Decision)
    // API
    case apiPlateaux
    case apiPlateau(UUID?)
    case apiEquipements(UUID?)
    case apiEquipement(plateau: UUID?, equipement: UUID?)
    case apiAvailability(UUID?)
    case apiStatistics(UUID?)
    case apiCampusStatistics(UUID?)
    case apiCalendar(UUID?)
    case apiOrganisationCalendar(UUID?)
    case apiBookings
    case apiBookingSeries
    case apiBooking(UUID?)
    case apiAcceptance(UUID?)
    case apiRefusal(UUID?)
    case apiCancellation(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .page(let id): ["plateaux", .id("plateauID", id)]
        case .book(let id): ["plateaux", .id("plateauID", id), "reserver"]
        case .new: ["gestion", "plateaux", "nouveau"]
        case .edit(let id): ["gestion", "plateaux", .id("plateauID", id), "modifier"]
        case .delete(let id): ["gestion", "plateaux", .id("plateauID", id), "supprimer"]
        case .bookings: ["gestion", "reservations"]
        case .bookingsCSV: ["gestion", .constant("reservations.csv")]
        case .decision(let id, let decision): ["gestion", "reservations", .id("reservationID", id), .constant(decision.rawValue)]
        case .apiPlateaux: ["api", "v1", "plateaux"]
        case .apiPlateau(let id): ["api", "v1", "plateaux", .id("plateauID", id)]
        case .apiEquipements(let id): ["api", "v1", "plateaux", .id("plateauID", id), "equipements"]
        case .apiEquipement(let plateau, let item): ["api", "v1", "plateaux", .id("plateauID", plateau), "equipements", .id("equipementID", item)]
        case .apiAvailability(let id): ["api", "v1", "plateaux", .id("plateauID", id), "disponibilites"]
        case .apiStatistics(let id): ["api", "v1", "plateaux", .id("plateauID", id), "statistiques"]
        case .apiCampusStatistics(let id): ["api", "v1", "campus", .id("campusID", id), "plateaux", "statistiques"]
        case .apiCalendar(let id): ["api", "v1", "plateaux", .id("plateauID", id), "calendrier.ics"]
        case .apiOrganisationCalendar(let id): ["api", "v1", "organisations", .id("organisationID", id), "calendrier.ics"]
        case .apiBookings: ["api", "v1", "reservations"]
        case .apiBookingSeries: ["api", "v1", "reservations", "serie"]
        case .apiBooking(let id): ["api", "v1", "reservations", .id("reservationID", id)]
        case .apiAcceptance(let id): ["api", "v1", "reservations", .id("reservationID", id), "acceptation"]
        case .apiRefusal(let id): ["api", "v1", "reservations", .id("reservationID", id), "refus"]
        case .apiCancellation(let id): ["api", "v1", "reservations", .id("reservationID", id), "annulation"]
        }
    }

    /// The form of a new platform on a campus.
    static func new(campus: UUID) -> String { PlateauxURL.new.path(query: ["campus": campus.uuidString.lowercased()]) }

    /// The page at the week of `day` (this week when nil), for one item or the whole platform.
    static func week(_ id: UUID, day: CalendarDay?, equipement: UUID?) -> String {
        PlateauxURL.page(id).path(query: ["semaine": day?.iso, "equipement": equipement?.uuidString.lowercased()])
    }
}
