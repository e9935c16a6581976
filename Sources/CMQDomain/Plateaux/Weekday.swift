/// The days of the week, in the French order (the week starts on Monday).
public enum Weekday: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    case lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche

    /// 0 for Monday … 6 for Sunday.
    public var index: Int { Weekday.allCases.firstIndex(of: self)! }

    /// "lundi": the lower-case form French uses inside a sentence.
    public var label: String { rawValue }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.index < rhs.index }
}

extension CalendarDay {
    /// The day of the week (1 January 1970 was a Thursday).
    public var weekday: Weekday {
        Weekday.allCases[((daysSinceEpoch + 3) % 7 + 7) % 7]
    }

    /// The Monday of the week of this day.
    public var mondayOfWeek: CalendarDay { adding(days: -weekday.index) }

    /// "lundi 23 novembre 2026".
    public var frenchWithWeekday: String { "\(weekday.label) \(frenchLong)" }
}
