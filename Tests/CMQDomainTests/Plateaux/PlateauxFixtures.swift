import CMQDomain
import Foundation

/// A platform of a lycée of the Amiens campus, its equipment and bookings, for the platform tests.
enum PlateauxFixtures {
    static let campus = UUID(uuidString: "00000000-0000-0000-0000-0000000000c1")!
    static let otherCampus = UUID(uuidString: "00000000-0000-0000-0000-0000000000c2")!
    static let plateauID = UUID(uuidString: "00000000-0000-0000-0000-0000000000f1")!
    static let owner = UUID(uuidString: "00000000-0000-0000-0000-0000000000a0")!
    static let lycee = UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!
    static let cfa = UUID(uuidString: "00000000-0000-0000-0000-0000000000a2")!
    static let entreprise = UUID(uuidString: "00000000-0000-0000-0000-0000000000a3")!
    static let person = UUID(uuidString: "00000000-0000-0000-0000-0000000000e1")!
    static let presse = UUID(uuidString: "00000000-0000-0000-0000-0000000000d1")!
    static let tour = UUID(uuidString: "00000000-0000-0000-0000-0000000000d2")!

    static func id(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-0000-0000-%012lX", n))!
    }

    static func day(_ iso: String) -> CalendarDay {
        CalendarDay(iso: iso)!
    }

    static func at(_ iso: String) throws -> LocalDateTime {
        try LocalDateTime(iso: iso)
    }

    /// `range("2026-11-23", "08:00", "12:00")`.
    static func range(_ day: String, _ from: String, _ to: String) throws -> TimeRange {
        try TimeRange(day: Self.day(day), from: from, to: to)
    }

    /// Monday to Friday 08:00–12:00 and 13:30–18:00, Saturday 07:00–19:00, closed on Sunday.
    static func hours() throws -> OpeningHours {
        let week = try OpeningHours([.lundi, .mardi, .mercredi, .jeudi, .vendredi], [DayInterval("08:00", "12:00"), DayInterval("13:30", "18:00")])
        var days = week.intervals
        days[.samedi] = [try DayInterval("07:00", "19:00")]
        return try OpeningHours(days)
    }

    /// The Christmas holidays 2026.
    static func christmas() throws -> Closure {
        try Closure(from: day("2026-12-22"), to: day("2027-01-02"), reason: .vacances)
    }

    static func plateau(rules: PlateauRules = PlateauRules(), closures: [Closure]? = nil) throws -> Plateau {
        Plateau(
            id: plateauID, campusID: campus, organisationID: owner, nom: "Plateau plasturgie",
            description: "Injection et usinage des moules.", adresse: "Lycée Condorcet, Saint-Quentin",
            equipements: [
                Equipement(id: presse, nom: "Presse à injecter", categorie: "Plasturgie", quantite: 2, requiresSafetyTraining: true),
                Equipement(id: tour, nom: "Tour à commande numérique", categorie: "Usinage"),
            ],
            openingHours: try hours(), closures: try closures ?? [christmas()], rules: rules
        )
    }

    static func booker(_ organisation: UUID = lycee, kind: OrganisationKind = .lyceeProfessionnel, campuses: Set<UUID> = [campus]) -> Booker {
        Booker(organisationID: organisation, kind: kind, campusIDs: campuses, personID: person)
    }

    static func request(_ creneau: TimeRange, target: BookingTarget = .equipement(tour), booker: Booker = booker(),
                        purpose: BookingPurpose = .formation, participants: Int = 12, training: Bool = false) -> BookingRequest {
        BookingRequest(booker: booker, target: target, creneau: creneau, purpose: purpose, participants: participants, safetyTrainingConfirmed: training)
    }

    static func booking(_ n: Int, _ creneau: TimeRange, target: BookingTarget = .plateau, status: BookingStatus = .acceptee,
                        organisation: UUID = lycee, purpose: BookingPurpose = .formation, plateau: UUID = plateauID) -> Booking {
        Booking(id: id(n), plateauID: plateau, target: target, organisationID: organisation, personID: person, creneau: creneau,
                purpose: purpose, participants: 10, status: status)
    }

    /// Sunday 1 November 2026, 10:00 in Paris: well before the bookings of the tests.
    static func now() throws -> Date {
        try at("2026-11-01T10:00").date
    }
}
