import Foundation

/// One reason why the rules of a platform refuse a booking request. `Plateau.refusals` gives all of them,
/// so that the person sees everything to change at once.
public enum BookingRefusal: Hashable, Sendable, CustomStringConvertible {
    case startPassed(LocalDateTime)
    case noticeTooShort(minutesBeforeStart: Int, requiredHours: Int)
    case closed(Closure)
    case outsideOpeningHours(TimeRange, hours: String)
    case tooLong(minutes: Int, maximum: Int)
    case notOpenTo(Set<AccessScope>)
    case noParticipants
    case unknownEquipment
    case safetyTrainingNotConfirmed(equipements: [String])

    /// The French explanation.
    public var message: String {
        switch self {
        case .startPassed(let start):
            "Le créneau commence le \(start.french) : cette date est passée."
        case .noticeTooShort(let minutes, let hours):
            "Le créneau commence dans \(minutes < 60 ? PlateauText.count(minutes, "minute") : PlateauText.count(minutes / 60, "heure")) : "
                + "le plateau demande un préavis de \(PlateauText.count(hours, "heure"))."
        case .closed(let closure):
            "Le plateau est fermé \(closure.french) (\(closure.explanation))."
        case .outsideOpeningHours(let range, let hours):
            "Le créneau du \(range.french) est en dehors des heures d'ouverture (\(hours))."
        case .tooLong(let minutes, let maximum):
            "La durée de \(PlateauText.duration(minutes)) dépasse la durée maximale de \(PlateauText.duration(maximum))."
        case .notOpenTo(let scopes):
            switch (scopes.contains(.allCampuses), scopes.contains(.companies)) {
            case (false, false): "Ce plateau est réservé aux membres du campus."
            case (true, false): "Ce plateau est réservé aux membres des campus des métiers et des qualifications."
            case (false, true): "Ce plateau est réservé aux membres du campus et aux entreprises."
            case (true, true): "Ce plateau est réservé aux membres des campus des métiers et des qualifications et aux entreprises."
            }
        case .noParticipants:
            "Le nombre de participants doit être d'au moins 1."
        case .unknownEquipment:
            "L'équipement demandé ne fait pas partie de ce plateau."
        case .safetyTrainingNotConfirmed(let names):
            names.count == 1
                ? "L'équipement « \(names[0]) » demande une formation à la sécurité : confirmez-la."
                : "Les équipements \(LabellingError.list(names.map { "« \($0) »" })) demandent une formation à la sécurité : confirmez-la."
        }
    }

    public var description: String { message }
}

/// Why a booking, its move or a series was refused, with the French explanation.
///
/// `isConflict` separates what the state of the bookings forbids (HTTP 409: the slot is taken, the booking
/// was already refused) from a request the rules refuse (HTTP 422: outside the hours, too long…).
public enum BookingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The platform's rules refuse the request, for every reason listed.
    case refused([BookingRefusal])
    /// Accepted bookings already hold the slot.
    case conflict(with: [Booking])
    case illegalTransition(from: BookingStatus, to: BookingStatus)
    case missingRefusalMotif
    /// A series that cannot be booked as asked: the occurrences that fail, out of `total`.
    case seriesRejected(failures: [SeriesOccurrence], total: Int)

    /// The French explanation, in one text.
    public var message: String {
        switch self {
        case .refused, .seriesRejected:
            reasons.joined(separator: " ")
        case .conflict(let bookings):
            "Ce créneau est déjà réservé : il chevauche \(PlateauText.bookings(bookings, withCreneaux: true))."
        case .illegalTransition(let from, let to):
            if from == to {
                "Cette réservation est déjà \(to.participle)."
            } else if to == .demandee {
                "Une réservation \(from.participle) ne redevient pas demandée."
            } else if from == .acceptee {
                "Cette réservation est déjà acceptée : elle ne peut plus être \(to.participle) ; annulez-la si besoin."
            } else {
                "Cette réservation a été \(from.participle) : elle ne peut plus être \(to.participle)."
            }
        case .missingRefusalMotif:
            "Le motif du refus doit être indiqué."
        }
    }

    /// Every reason, one sentence each, for the API to list.
    public var reasons: [String] {
        switch self {
        case .refused(let refusals):
            refusals.map(\.message)
        case .seriesRejected(let failures, let total):
            ["La série n'est pas réservée : \(failures.count == 1 ? "1 occurrence" : "\(failures.count) occurrences") sur \(total) "
                + (failures.count == 1 ? "n'est pas possible." : "ne sont pas possibles.")]
                + failures.map(\.message)
        case .conflict, .illegalTransition, .missingRefusalMotif:
            [message]
        }
    }

    /// Whether the state of the bookings forbids the request (HTTP 409) rather than the request being refused (422).
    public var isConflict: Bool {
        switch self {
        case .conflict, .illegalTransition: true
        case .seriesRejected(let failures, _): failures.contains { $0.outcome.isConflict }
        case .refused, .missingRefusalMotif: false
        }
    }

    public var description: String { message }
}

extension SeriesOccurrence {
    /// "Semaine 3 (lundi 7 décembre 2026 de 08:00 à 12:00) : le créneau chevauche la réservation …".
    public var message: String {
        let head = "Semaine \(week) (\(creneau.french)) : "
        return switch outcome {
        case .ok: head + "possible."
        case .conflict(let bookings): head + "le créneau chevauche \(PlateauText.bookings(bookings, withCreneaux: false))."
        case .refused(let refusals): head + refusals.map(\.message).joined(separator: " ")
        }
    }
}

/// The French forms of numbers and durations that the platforms' messages and statistics share.
enum PlateauText {
    /// "1 heure", "2 heures", "0 heure" (French takes the plural from two).
    static func count(_ value: Int, _ noun: String) -> String {
        abs(value) < 2 ? "\(value) \(noun)" : "\(value) \(noun)s"
    }

    /// "10 h", "1 h 30", "45 min".
    static func duration(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        if hours == 0 { return "\(rest) min" }
        return rest == 0 ? "\(hours) h" : "\(hours) h \(rest < 10 ? "0" : "")\(rest)"
    }

    /// "la réservation 3f0c… du lundi 23 novembre 2026 de 08:00 à 12:00", "les réservations 3f0c… et 8a21…".
    static func bookings(_ bookings: [Booking], withCreneaux: Bool) -> String {
        (bookings.count == 1 ? "la réservation " : "les réservations ")
            + LabellingError.list(bookings.map { $0.id.uuidString.lowercased() + (withCreneaux ? " du \($0.creneau.french)" : "") })
    }

    static let french = Locale(identifier: "fr_FR")

    /// "42,5 %" (one decimal at most, a no-break space before the sign).
    static func percent(_ rate: Double) -> String {
        rate.formatted(.percent.precision(.fractionLength(0...1)).locale(french))
    }

    /// "12,5 h" (one decimal at most).
    static func hours(minutes: Int) -> String {
        (Double(minutes) / 60).formatted(.number.precision(.fractionLength(0...1)).locale(french)) + "\u{00A0}h"
    }
}
