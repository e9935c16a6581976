import Foundation

/// The same créneau every week for a number of weeks, starting with `first`.
public struct WeeklySeries: Hashable, Sendable {
    public let first: TimeRange
    public let weeks: Int

    /// From 1 to 52 weeks.
    public init(first: TimeRange, weeks: Int) throws(PlateauError) {
        guard (1...PlateauError.maximumSeriesWeeks).contains(weeks) else { throw .seriesLength(weeks) }
        self.first = first
        self.weeks = weeks
    }

    /// The créneaux, a week apart on the wall clock (08:00 stays 08:00 across a change of daylight saving time).
    public var occurrences: [TimeRange] {
        (0..<weeks).map { first.shifted(days: 7 * $0) }
    }
}

/// What to do with a series when some occurrences cannot be booked.
public enum SeriesPolicy: String, CaseIterable, Codable, Sendable, Hashable {
    /// Book nothing unless every occurrence can be booked.
    case allOrNothing = "tout-ou-rien"
    /// Book the occurrences that can be, skip the others (taken, closed, outside the hours…).
    case skipConflicts = "sans-les-conflits"

    public var label: String {
        switch self {
        case .allOrNothing: "Tout ou rien"
        case .skipConflicts: "Réserver les créneaux possibles"
        }
    }
}

/// One occurrence of a series and whether it can be booked.
public struct SeriesOccurrence: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        case ok
        /// Accepted bookings hold the slot.
        case conflict(with: [Booking])
        /// The platform's rules refuse it.
        case refused([BookingRefusal])

        public var isConflict: Bool {
            if case .conflict = self { true } else { false }
        }
    }

    /// The week, from 1.
    public let week: Int
    public let creneau: TimeRange
    public let outcome: Outcome

    public var isOK: Bool { outcome == .ok }
}

/// The check of every occurrence of a series against the platform's rules and the existing bookings,
/// and what the policy makes of it.
///
/// The occurrences cannot collide with each other: a booking lies within one day's opening interval,
/// and the occurrences are a week apart.
public struct SeriesPlan: Hashable, Sendable {
    public let policy: SeriesPolicy
    public let occurrences: [SeriesOccurrence]

    /// `request` gives everything but the créneau, which each occurrence of `series` replaces.
    public init(series: WeeklySeries, request: BookingRequest, plateau: Plateau, existing: [Booking], now: Date, policy: SeriesPolicy) {
        self.policy = policy
        occurrences = series.occurrences.enumerated().map { index, creneau in
            let occurrence = request.on(creneau)
            let refusals = plateau.refusals(for: occurrence, now: now)
            let conflicts = ConflictFinder.conflicts(of: BookingSlot(plateauID: plateau.id, target: request.target, creneau: creneau), among: existing)
            let outcome: SeriesOccurrence.Outcome =
                if !refusals.isEmpty { .refused(refusals) }
                else if !conflicts.isEmpty { .conflict(with: conflicts) }
                else { .ok }
            return SeriesOccurrence(week: index + 1, creneau: creneau, outcome: outcome)
        }
    }

    /// The occurrences that cannot be booked.
    public var failures: [SeriesOccurrence] { occurrences.filter { !$0.isOK } }

    /// The créneaux to book: every occurrence when all can be; under `.skipConflicts` the possible ones;
    /// none under `.allOrNothing` as soon as one fails.
    public var toBook: [TimeRange] {
        switch policy {
        case .allOrNothing: failures.isEmpty ? occurrences.map(\.creneau) : []
        case .skipConflicts: occurrences.filter(\.isOK).map(\.creneau)
        }
    }

    /// The occurrences left out of a booked series (`.skipConflicts`).
    public var skipped: [SeriesOccurrence] { toBook.isEmpty ? [] : failures }

    /// Throws when nothing will be booked, listing every failing occurrence.
    public func check() throws(BookingError) {
        guard !toBook.isEmpty else { throw .seriesRejected(failures: failures, total: occurrences.count) }
    }
}

extension Plateau {
    /// Books a weekly series under `policy`: the bookings made (all with the same status, see
    /// `PlateauRules.initialStatus`) and the occurrences skipped. Throws `.seriesRejected` when nothing is booked.
    public func book(_ series: WeeklySeries, request: BookingRequest, policy: SeriesPolicy, existing: [Booking], now: Date,
                     newID: () -> UUID = UUID.init) throws(BookingError) -> (bookings: [Booking], skipped: [SeriesOccurrence]) {
        let plan = SeriesPlan(series: series, request: request, plateau: self, existing: existing, now: now, policy: policy)
        try plan.check()
        let bookings = plan.toBook.map { Booking(id: newID(), plateauID: id, request: request.on($0), status: rules.initialStatus) }
        return (bookings, plan.skipped)
    }
}
