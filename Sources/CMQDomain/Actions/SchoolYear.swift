import Foundation

/// A school year, from 1 September to 31 August: "2024-2025". An action belongs to the school year of its
/// first day.
public struct SchoolYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The calendar year in which it starts (2024 for 2024-2025).
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    public init(containing day: CalendarDay) {
        startYear = day.month >= 9 ? day.year : day.year - 1
    }

    /// Reads "2024-2025" (the second year must follow the first).
    public init?(label: String) {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 4, let first = Int(parts[0]), let second = Int(parts[1]),
              second == first + 1, (1900...2199).contains(first) else { return nil }
        startYear = first
    }

    public var label: String { "\(startYear)-\(startYear + 1)" }
    public var description: String { label }

    public var firstDay: CalendarDay { CalendarDay(year: startYear, month: 9, day: 1)! }
    public var lastDay: CalendarDay { CalendarDay(year: startYear + 1, month: 8, day: 31)! }

    public func contains(_ day: CalendarDay) -> Bool { firstDay <= day && day <= lastDay }

    public static func < (lhs: SchoolYear, rhs: SchoolYear) -> Bool { lhs.startYear < rhs.startYear }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let year = SchoolYear(label: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Année scolaire attendue sous la forme 2024-2025."))
        }
        self = year
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label)
    }
}
