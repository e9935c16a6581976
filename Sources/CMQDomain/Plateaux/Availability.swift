/// Free and busy time of a platform, day by day, for the public availability and the week view.
/// Busy intervals say what is booked and whether the booking is accepted, never who booked it.
public enum Availability {
    /// A booked interval of a day, anonymous.
    public struct Busy: Hashable, Sendable {
        public let interval: DayInterval
        public let target: BookingTarget
        /// A request waiting for the owner's approval: shown, but the time stays free until accepted.
        public let isTentative: Bool
    }

    public struct Day: Hashable, Sendable {
        public let day: CalendarDay
        /// The closures of the day (then nothing is open).
        public let closures: [Closure]
        /// The opening intervals of the day, none on a closed day.
        public let open: [DayInterval]
        /// The open time no accepted booking holds, for the target asked.
        public let free: [DayInterval]
        /// The requested and accepted bookings of the day that collide with the target asked, in time order.
        public let busy: [Busy]

        public var isClosed: Bool { open.isEmpty }
    }

    /// Each day of `days`. For the whole platform (`target: .plateau`) every booking counts; for an item, the
    /// bookings of that item and of the whole platform. `bookings` are those of one platform.
    public static func slots(days: ClosedRange<CalendarDay>, openingHours: OpeningHours, closures: [Closure], bookings: [Booking],
                             target: BookingTarget = .plateau) -> [Day] {
        let relevant = bookings.filter { $0.status.isActive && target.collides(with: $0.target) }
        return (0...days.lowerBound.days(until: days.upperBound)).map { offset in
            let day = days.lowerBound.adding(days: offset)
            let open = openingHours.minutes(on: day, closures: closures)
            let busy = relevant.compactMap { booking in
                booking.creneau.minutes(on: day).map { (booking, $0) }
            }
            let held = busy.filter { $0.0.status.holdsSlot }.map(\.1)
            return Day(
                day: day,
                closures: closures.filter { $0.contains(day) },
                open: open.map(DayInterval.init(minutes:)),
                free: MinuteRanges.subtracting(held, from: open).map(DayInterval.init(minutes:)),
                busy: busy
                    .map { Busy(interval: DayInterval(minutes: $0.1), target: $0.0.target, isTentative: !$0.0.status.holdsSlot) }
                    .sorted { ($0.interval, $0.isTentative ? 1 : 0) < ($1.interval, $1.isTentative ? 1 : 0) }
            )
        }
    }

    /// The week (Monday to Sunday) of `day`.
    public static func week(of day: CalendarDay, openingHours: OpeningHours, closures: [Closure], bookings: [Booking],
                            target: BookingTarget = .plateau) -> [Day] {
        let monday = day.mondayOfWeek
        return slots(days: monday...monday.adding(days: 6), openingHours: openingHours, closures: closures, bookings: bookings, target: target)
    }
}

extension Plateau {
    /// The availability of the platform (or of one item) over `days`, from the bookings of this platform among `bookings`.
    public func availability(days: ClosedRange<CalendarDay>, bookings: [Booking], target: BookingTarget = .plateau) -> [Availability.Day] {
        Availability.slots(days: days, openingHours: openingHours, closures: closures, bookings: bookings.filter { $0.plateauID == id }, target: target)
    }
}
