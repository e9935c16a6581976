import Foundation

/// A half-open range of wall-clock time [start, end): a créneau. 08:00–10:00 and 10:00–12:00 touch
/// without overlapping, so they can be booked one after the other.
public struct TimeRange: Hashable, Sendable, CustomStringConvertible {
    public let start: LocalDateTime
    public let end: LocalDateTime

    /// A range that ends after it starts.
    public init(start: LocalDateTime, end: LocalDateTime) throws(PlateauError) {
        guard start < end else { throw .rangeNotIncreasing(start: start, end: end) }
        self.start = start
        self.end = end
    }

    /// `TimeRange(day: d, from: "08:00", to: "12:00")`; "24:00" ends at midnight.
    public init(day: CalendarDay, from start: String, to end: String) throws(PlateauError) {
        try self.init(start: LocalDateTime(day: day, time: TimeOfDay(parsing: start)),
                      end: LocalDateTime(day: day, time: TimeOfDay(parsing: end)))
    }

    /// Reads "2026-11-23T08:30" and "2026-11-23T10:00".
    public init(iso start: String, _ end: String) throws(PlateauError) {
        try self.init(start: LocalDateTime(iso: start), end: LocalDateTime(iso: end))
    }

    /// Wall-clock minutes (see `LocalDateTime` about daylight saving time).
    public var durationMinutes: Int { start.minutes(until: end) }

    /// Whether the two ranges share a minute; touching ranges don't.
    public func overlaps(_ other: TimeRange) -> Bool {
        start < other.end && other.start < end
    }

    public func contains(_ other: TimeRange) -> Bool {
        start <= other.start && other.end <= end
    }

    /// The same range `days` days later (a week later: 7), on the wall clock.
    public func shifted(days: Int) -> TimeRange {
        try! TimeRange(start: start.adding(days: days), end: end.adding(days: days))
    }

    /// The days the range touches: 20:00–24:00 touches one day, 20:00–02:00 two.
    public var days: [CalendarDay] {
        let last = end.adding(minutes: -1).day
        return (0...start.day.days(until: last)).map { start.day.adding(days: $0) }
    }

    /// The minutes since midnight of `day` that the range covers there (up to 1440), nil when it misses the day.
    func minutes(on day: CalendarDay) -> Range<Int>? {
        let dayStart = day.daysSinceEpoch * 1440
        let lower = max(start.wallClockMinutes, dayStart) - dayStart
        let upper = min(end.wallClockMinutes, dayStart + 1440) - dayStart
        return lower < upper ? lower..<upper : nil
    }

    /// "lundi 23 novembre 2026 de 08:00 à 12:00", "lundi 23 novembre 2026 à 20:00 au mardi 24 novembre 2026 à 08:00":
    /// reads well after "du" ("le créneau du …").
    public var french: String {
        if end.day == start.day {
            return "\(start.day.frenchWithWeekday) de \(start.time.text) à \(end.time.text)"
        }
        if end.day == start.day.nextDay, end.minuteOfDay == 0 {
            return "\(start.day.frenchWithWeekday) de \(start.time.text) à \(TimeOfDay.endOfDay.text)"
        }
        return "\(start.french) au \(end.french)"
    }

    public var description: String { "\(start.iso)/\(end.iso)" }
}

extension TimeRange: Codable {
    private enum CodingKeys: String, CodingKey {
        case debut, fin
    }

    /// `{"debut": "2026-11-23T08:30", "fin": "2026-11-23T10:00"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decode(LocalDateTime.self, forKey: .debut)
        let end = try container.decode(LocalDateTime.self, forKey: .fin)
        do {
            try self.init(start: start, end: end)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .fin, in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .debut)
        try container.encode(end, forKey: .fin)
    }
}
