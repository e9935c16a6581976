/// A month of the calendar ("2026-11"), the period of the usage statistics.
public struct CalendarMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard CalendarDay(year: year, month: month, day: 1) != nil else { return nil }
        self.year = year
        self.month = month
    }

    public init(containing day: CalendarDay) {
        year = day.year
        month = day.month
    }

    /// Reads "2026-11".
    public init?(iso text: String) {
        guard let day = CalendarDay(iso: text.trimmed + "-01") else { return nil }
        self.init(containing: day)
    }

    public var firstDay: CalendarDay { CalendarDay(checkedYear: year, month: month, day: 1) }
    public var lastDay: CalendarDay { CalendarDay(checkedYear: year, month: month, day: CalendarDay.daysIn(month: month, year: year)) }

    public var days: [CalendarDay] {
        (0..<CalendarDay.daysIn(month: month, year: year)).map { firstDay.adding(days: $0) }
    }

    public var next: CalendarMonth { CalendarMonth(containing: firstDay.adding(months: 1)) }

    /// "2026-11".
    public var iso: String { String(firstDay.iso.prefix(7)) }

    /// "novembre 2026" (the long form of its first day without "1er ").
    public var french: String { String(firstDay.frenchLong.dropFirst("1er ".count)) }

    public var description: String { iso }

    public static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let month = CalendarMonth(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "« \(text) » n'est pas un mois AAAA-MM."))
        }
        self = month
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
