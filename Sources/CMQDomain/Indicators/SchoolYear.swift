import Foundation

/// A school year, September to August: "2025-2026" runs from 1 September 2025 to 31 August 2026. The unit of a
/// campus's indicators and of its annual activity report.
public struct SchoolYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The calendar year of its September.
    public let startYear: Int

    /// Years cmq accepts: the first campuses were labelled in 2013.
    public static let range = 2000...2100

    public init?(startYear: Int) {
        guard Self.range.contains(startYear) else { return nil }
        self.startYear = startYear
    }

    /// The school year of a day: from September on, the one that starts that year.
    public init(containing day: CalendarDay) {
        startYear = day.month >= 9 ? day.year : day.year - 1
    }

    /// "2025-2026" (also accepts "2025/2026"); the second year must follow the first.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" })
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isASCII) }),
              let first = Int(parts[0]), let second = Int(parts[1]), second == first + 1 else { return nil }
        self.init(startYear: first)
    }

    public var description: String { "\(startYear)-\(startYear + 1)" }
    public var firstDay: CalendarDay { CalendarDay(year: startYear, month: 9, day: 1)! }
    public var lastDay: CalendarDay { CalendarDay(year: startYear + 1, month: 8, day: 31)! }
    public var previous: SchoolYear { SchoolYear(startYear: startYear - 1) ?? self }
    public var next: SchoolYear { SchoolYear(startYear: startYear + 1) ?? self }

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
