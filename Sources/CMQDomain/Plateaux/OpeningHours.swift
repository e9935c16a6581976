/// When a platform is open: for each day of the week, zero or more intervals (lundi 08:00–12:00 and
/// 13:30–18:00). A day without intervals is closed.
///
/// A booking must lie entirely inside one interval of its day (`contains`): it cannot cross the lunch
/// break nor midnight. Intervals that touch (08:00–12:00 and 12:00–14:00) are merged into one; intervals
/// that overlap are refused.
public struct OpeningHours: Hashable, Sendable {
    /// Sorted, disjoint, non-touching intervals; only the days with at least one.
    public let intervals: [Weekday: [DayInterval]]

    /// Open on no day.
    public static let closed = OpeningHours(checked: [:])

    init(checked intervals: [Weekday: [DayInterval]]) {
        self.intervals = intervals
    }

    /// Checks that the intervals of each day do not overlap, then merges those that touch.
    public init(_ days: [Weekday: [DayInterval]]) throws(PlateauError) {
        var result: [Weekday: [DayInterval]] = [:]
        for (day, list) in days where !list.isEmpty {
            let sorted = list.sorted()
            for (first, second) in zip(sorted, sorted.dropFirst()) where first.overlaps(second) {
                throw .overlappingIntervals(day: day, first, second)
            }
            result[day] = MinuteRanges.union(sorted.map(\.minutes)).map(DayInterval.init(minutes:))
        }
        intervals = result
    }

    /// The same intervals on each of `days` ("du lundi au vendredi, 08:00–12:00 et 13:30–17:30").
    public init(_ days: [Weekday], _ list: [DayInterval]) throws(PlateauError) {
        try self.init(Dictionary(uniqueKeysWithValues: days.map { ($0, list) }))
    }

    /// Reads the stored form: French day names to lists of ["HH:MM", "HH:MM"] pairs.
    public init(days: [String: [[String]]]) throws(PlateauError) {
        var parsed: [Weekday: [DayInterval]] = [:]
        for (name, pairs) in days {
            guard let day = Weekday(rawValue: name.trimmed.lowercased()) else { throw .unknownDay(name) }
            var list: [DayInterval] = []
            for pair in pairs {
                guard pair.count == 2 else { throw .malformedInterval(day: day) }
                do throws(PlateauError) {
                    list.append(try DayInterval(pair[0], pair[1]))
                } catch .intervalNotIncreasing(let start, let end, _) {
                    throw .intervalNotIncreasing(start: start, end: end, day: day)
                }
            }
            parsed[day] = list
        }
        try self.init(parsed)
    }

    /// The stored form, every day present: `{"lundi": [["08:00", "12:00"], ["13:30", "18:00"]], "dimanche": [], …}`.
    public var days: [String: [[String]]] {
        Dictionary(uniqueKeysWithValues: Weekday.allCases.map { day in
            (day.rawValue, self.intervals(on: day).map { [$0.start.text, $0.end.text] })
        })
    }

    public func intervals(on day: Weekday) -> [DayInterval] {
        intervals[day] ?? []
    }

    /// The minutes of `day` during which the platform opens: none on a day of a closure.
    func minutes(on day: CalendarDay, closures: [Closure]) -> [Range<Int>] {
        closures.contains { $0.contains(day) } ? [] : intervals(on: day.weekday).map(\.minutes)
    }

    public var isNeverOpen: Bool { intervals.isEmpty }

    /// Whether the range lies entirely inside one interval of its day. A range that crosses a break or
    /// midnight is not contained, even when the hours on both sides are open; a range ending at midnight
    /// is contained by an interval ending at 24:00.
    public func contains(_ range: TimeRange) -> Bool {
        guard range.days.count == 1, let span = range.minutes(on: range.start.day) else { return false }
        return intervals(on: range.start.day.weekday).contains { $0.minutes.lowerBound <= span.lowerBound && span.upperBound <= $0.minutes.upperBound }
    }

    /// "lundi : 08:00–12:00, 13:30–18:00", "dimanche : fermé".
    public func describe(_ day: Weekday) -> String {
        let list = intervals(on: day)
        return "\(day.label) : " + (list.isEmpty ? "fermé" : list.map(\.text).joined(separator: ", "))
    }
}

extension OpeningHours: Codable {
    public init(from decoder: any Decoder) throws {
        let days = try decoder.singleValueContainer().decode([String: [[String]]].self)
        do {
            try self.init(days: days)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(days)
    }
}
