import Foundation

/// The use of a platform over a month: the campus's "mutualisation" indicator.
///
/// - Only accepted bookings count, clipped to the month.
/// - Hours booked by organisation and by purpose add up each booking's own duration: two items booked at
///   the same time count twice.
/// - The occupancy rate is the time during which the target is in use (at least one accepted booking
///   colliding with it: for the whole platform, any booking of it or of an item) within the open hours,
///   divided by the open hours of the month (opening hours minus closed days). For the whole platform it
///   answers "how much of its open time was the platform used"; pass `target: .equipement(id)` for one item.
/// - A campus's figures are the totals of its platforms' (`totals`): their booked hours and open hours added.
public struct UsageStatistics: Hashable, Sendable {
    public let month: CalendarMonth
    public let openMinutes: Int
    /// Open minutes during which the target was in use.
    public let occupiedMinutes: Int
    public let minutesByOrganisation: [UUID: Int]
    public let minutesByPurpose: [BookingPurpose: Int]

    /// `bookings` are those of one platform.
    public init(bookings: [Booking], openingHours: OpeningHours, closures: [Closure], month: CalendarMonth, target: BookingTarget = .plateau) {
        let days = month.days
        let accepted = bookings.filter { booking in
            booking.status == .acceptee && target.collides(with: booking.target)
                && booking.creneau.start.day <= month.lastDay && booking.creneau.end > LocalDateTime(day: month.firstDay, time: .midnight)
        }
        var open = 0, occupied = 0
        var byOrganisation: [UUID: Int] = [:], byPurpose: [BookingPurpose: Int] = [:]
        for day in days {
            let openToday = openingHours.minutes(on: day, closures: closures)
            open += MinuteRanges.total(openToday)
            var used: [Range<Int>] = []
            for booking in accepted {
                guard let span = booking.creneau.minutes(on: day) else { continue }
                used.append(span)
                byOrganisation[booking.organisationID, default: 0] += span.count
                byPurpose[booking.purpose, default: 0] += span.count
            }
            occupied += MinuteRanges.total(MinuteRanges.intersection(MinuteRanges.union(used), openToday))
        }
        self.init(month: month, openMinutes: open, occupiedMinutes: occupied, minutesByOrganisation: byOrganisation, minutesByPurpose: byPurpose)
    }

    /// The platform's statistics from the bookings of this platform among `bookings`.
    public init(plateau: Plateau, bookings: [Booking], month: CalendarMonth, target: BookingTarget = .plateau) {
        self.init(bookings: bookings.filter { $0.plateauID == plateau.id }, openingHours: plateau.openingHours,
                  closures: plateau.closures, month: month, target: target)
    }

    public init(month: CalendarMonth, openMinutes: Int, occupiedMinutes: Int, minutesByOrganisation: [UUID: Int], minutesByPurpose: [BookingPurpose: Int]) {
        self.month = month
        self.openMinutes = openMinutes
        self.occupiedMinutes = occupiedMinutes
        self.minutesByOrganisation = minutesByOrganisation
        self.minutesByPurpose = minutesByPurpose
    }

    /// Every booked minute (the sum over organisations).
    public var bookedMinutes: Int { minutesByOrganisation.values.reduce(0, +) }

    /// Occupied time over open time, from 0 to 1; nil in a month when the target never opens.
    public var occupancyRate: Double? {
        openMinutes > 0 ? Double(occupiedMinutes) / Double(openMinutes) : nil
    }

    /// "42,5 %", or "—" when the target never opens in the month.
    public var occupancyText: String {
        occupancyRate.map(PlateauText.percent) ?? "—"
    }

    /// One line of a breakdown: what, how long, which part of the booked time.
    public struct Share<Key: Hashable & Sendable>: Hashable, Sendable {
        public let key: Key
        public let minutes: Int
        /// Part of all the booked minutes, from 0 to 1.
        public let share: Double

        /// "12,5 h".
        public var hoursText: String { PlateauText.hours(minutes: minutes) }
        /// "23,6 %".
        public var shareText: String { PlateauText.percent(share) }
    }

    /// The organisations, most hours first.
    public var byOrganisation: [Share<UUID>] {
        shares(minutesByOrganisation) { $0.uuidString }
    }

    /// The purposes, most hours first.
    public var byPurpose: [Share<BookingPurpose>] {
        shares(minutesByPurpose) { $0.rawValue }
    }

    private func shares<Key>(_ minutes: [Key: Int], order: (Key) -> String) -> [Share<Key>] {
        let total = bookedMinutes
        return minutes
            .sorted { ($1.value, order($0.key)) < ($0.value, order($1.key)) }
            .map { Share(key: $0.key, minutes: $0.value, share: total > 0 ? Double($0.value) / Double(total) : 0) }
    }

    /// "53 h", "12,5 h".
    public static func hoursText(minutes: Int) -> String { PlateauText.hours(minutes: minutes) }

    /// The figures of several platforms added month by month (a campus), in month order.
    public static func totals(_ statistics: [UsageStatistics]) -> [UsageStatistics] {
        Dictionary(grouping: statistics, by: \.month).map { month, list in
            UsageStatistics(
                month: month,
                openMinutes: list.reduce(0) { $0 + $1.openMinutes },
                occupiedMinutes: list.reduce(0) { $0 + $1.occupiedMinutes },
                minutesByOrganisation: list.reduce(into: [:]) { $0.merge($1.minutesByOrganisation, uniquingKeysWith: +) },
                minutesByPurpose: list.reduce(into: [:]) { $0.merge($1.minutesByPurpose, uniquingKeysWith: +) }
            )
        }
        .sorted { $0.month < $1.month }
    }
}
