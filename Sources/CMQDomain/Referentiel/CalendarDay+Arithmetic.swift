/// Counting days and years on the calendar, without time zones or Foundation's `Calendar`.
extension CalendarDay {
    /// Builds a day from numbers already known to form a date (results of the arithmetic below), even
    /// outside the 1900–2200 range the parsing initialiser accepts.
    init(checkedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether `year` has a 29 February (Gregorian rule).
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days since 1970-01-01 (negative before), proleptic Gregorian calendar.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(checkedYear: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public func adding(days: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + days)
    }

    public var previousDay: CalendarDay { adding(days: -1) }
    public var nextDay: CalendarDay { adding(days: 1) }

    /// The same day `months` months later (the last day of the month when it has fewer days). Like the
    /// other arithmetic, it may leave the range that reading a date accepts (1900–2200): a day computed from
    /// a valid one is always a real day of the calendar.
    public func adding(months: Int) -> CalendarDay {
        let total = (year * 12 + (month - 1)) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        return CalendarDay(checkedYear: newYear, month: newMonth, day: min(day, CalendarDay.daysIn(month: newMonth, year: newYear)))
    }

    /// The same day `years` years later. 29 February becomes 28 February in a year without one
    /// (the rule of `Calendar.date(byAdding:)`).
    public func adding(years: Int) -> CalendarDay {
        let target = year + years
        let lastDay = CalendarDay.daysIn(month: month, year: target)
        return CalendarDay(checkedYear: target, month: month, day: min(day, lastDay))
    }

    /// The number of days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDay) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }
}
