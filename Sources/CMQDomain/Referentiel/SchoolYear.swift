import Foundation

/// A school year, September to August: "2025-2026" runs from 1 September 2025 to 31 August 2026. The unit of a
/// campus's indicators and of its annual activity report.
public struct SchoolYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The calendar year of its September.
    public let startYear: Int
    /// The same, as the pathways name it.
    public var start: Int { startYear }

    /// Years a school year may be written with (parsing); the first campuses were labelled in 2013.
    public static let range = 2000...2100

    public init(startYear: Int) {
        self.startYear = startYear
    }

    public init(start: Int) {
        self.init(startYear: start)
    }

    /// The school year of a day: from September on, the one that starts that year.
    public init(containing day: CalendarDay) {
        startYear = day.month >= 9 ? day.year : day.year - 1
    }

    /// "2025-2026" (also accepts "2025/2026"); the second year must follow the first, within `range`.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces)
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" })
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy { $0 >= "0" && $0 <= "9" } }),
              let first = Int(parts[0]), let second = Int(parts[1]), second == first + 1, Self.range.contains(first) else { return nil }
        self.init(startYear: first)
    }

    /// The same as `init?(_:)`.
    public init?(label: String) {
        self.init(label)
    }

    public var description: String { "\(startYear)-\(startYear + 1)" }
    public var label: String { description }
    /// Its first and last days (a year outside the calendar's 1900–2200 is taken at that bound: never a trap).
    public var firstDay: CalendarDay { CalendarDay(year: min(max(startYear, 1900), 2199), month: 9, day: 1)! }
    public var lastDay: CalendarDay { CalendarDay(year: min(max(startYear + 1, 1901), 2200), month: 8, day: 31)! }
    public var previous: SchoolYear { SchoolYear(startYear: startYear - 1) }
    public var next: SchoolYear { SchoolYear(startYear: startYear + 1) }

    public func contains(_ day: CalendarDay) -> Bool { firstDay <= day && day <= lastDay }

    public static func < (lhs: SchoolYear, rhs: SchoolYear) -> Bool { lhs.startYear < rhs.startYear }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let year = SchoolYear(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "« \(text) » n'est pas une année scolaire (AAAA-AAAA)."))
        }
        self = year
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
