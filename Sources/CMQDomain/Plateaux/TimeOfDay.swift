/// A wall-clock time of the day, "08:30", from 00:00 to 24:00 (24:00 ends an interval that runs to midnight).
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Minutes since midnight, 0...1440.
    public let minutes: Int

    public static let midnight = TimeOfDay(uncheckedMinutes: 0)
    public static let endOfDay = TimeOfDay(uncheckedMinutes: 1440)

    public init?(minutes: Int) {
        guard (0...1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    public init?(hour: Int, minute: Int) {
        guard (0...24).contains(hour), (0...59).contains(minute) else { return nil }
        self.init(minutes: hour * 60 + minute)
    }

    init(uncheckedMinutes minutes: Int) {
        self.minutes = minutes
    }

    /// Reads "HH:MM" (two digits each, "24:00" accepted).
    public init(parsing text: String) throws(PlateauError) {
        let parts = text.trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(CharacterSetLite.isASCIIDigit) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              let time = TimeOfDay(hour: hour, minute: minute) else {
            throw .invalidTime(text)
        }
        self = time
    }

    /// "08:30".
    public var text: String {
        let hour = minutes / 60, minute = minutes % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    public var description: String { text }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try TimeOfDay(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// A half-open interval of one day, [start, end): "08:00–12:00" holds 08:00 and not 12:00.
public struct DayInterval: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let start: TimeOfDay
    public let end: TimeOfDay

    /// An interval that ends after it starts.
    public init(_ start: TimeOfDay, _ end: TimeOfDay) throws(PlateauError) {
        guard start < end else { throw .intervalNotIncreasing(start: start, end: end, day: nil) }
        self.start = start
        self.end = end
    }

    /// `DayInterval("08:00", "12:00")`.
    public init(_ start: String, _ end: String) throws(PlateauError) {
        try self.init(TimeOfDay(parsing: start), TimeOfDay(parsing: end))
    }

    init(minutes: Range<Int>) {
        start = TimeOfDay(uncheckedMinutes: minutes.lowerBound)
        end = TimeOfDay(uncheckedMinutes: minutes.upperBound)
    }

    public var durationMinutes: Int { end.minutes - start.minutes }

    /// The minutes since midnight it covers.
    public var minutes: Range<Int> { start.minutes..<end.minutes }

    public func contains(_ other: DayInterval) -> Bool {
        start <= other.start && other.end <= end
    }

    /// Touching intervals (08:00–12:00 and 12:00–14:00) do not overlap.
    public func overlaps(_ other: DayInterval) -> Bool {
        start < other.end && other.start < end
    }

    /// "08:00–12:00".
    public var text: String { "\(start.text)–\(end.text)" }

    public var description: String { text }

    public static func < (lhs: DayInterval, rhs: DayInterval) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }
}

/// Arithmetic on sorted lists of minute ranges (free time, busy time, open time of a day).
enum MinuteRanges {
    /// The ranges merged where they overlap or touch, sorted.
    static func union(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for range in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// What `ranges` and `others` have in common.
    static func intersection(_ ranges: [Range<Int>], _ others: [Range<Int>]) -> [Range<Int>] {
        union(ranges.flatMap { range in
            others.compactMap { other in
                let lower = max(range.lowerBound, other.lowerBound), upper = min(range.upperBound, other.upperBound)
                return lower < upper ? lower..<upper : nil
            }
        })
    }

    /// `ranges` without `others`.
    static func subtracting(_ others: [Range<Int>], from ranges: [Range<Int>]) -> [Range<Int>] {
        let holes = union(others)
        var result: [Range<Int>] = []
        for range in union(ranges) {
            var lower = range.lowerBound
            for hole in holes where hole.upperBound > lower && hole.lowerBound < range.upperBound {
                if hole.lowerBound > lower { result.append(lower..<hole.lowerBound) }
                lower = max(lower, hole.upperBound)
            }
            if lower < range.upperBound { result.append(lower..<range.upperBound) }
        }
        return result
    }

    static func total(_ ranges: [Range<Int>]) -> Int {
        union(ranges).reduce(0) { $0 + $1.count }
    }
}
