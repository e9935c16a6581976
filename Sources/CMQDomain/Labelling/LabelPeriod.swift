/// The label a decision granted: from the decision date, for a number of years, perhaps with Excellence,
/// perhaps withdrawn.
///
/// The label runs from its first day through the eve of the N-th anniversary of that day: labelled on
/// 10 July 2013 for 4 years, a campus is labelled through 9 July 2017. A label starting on 29 February has
/// its anniversary on 1 March in a year without 29 February, so it always ends on 28 February: 2016-02-29
/// for 1 year ends on 2017-02-28, for 4 years on 2020-02-28 (the eve of 2020-02-29).
public struct LabelPeriod: Sendable, Hashable, Codable {
    public let start: CalendarDay
    public let durationYears: Int
    public let excellence: Bool
    public private(set) var withdrawal: Withdrawal?

    public init(start: CalendarDay, durationYears: Int, excellence: Bool = false, withdrawal: Withdrawal? = nil) {
        self.start = start
        self.durationYears = durationYears
        self.excellence = excellence
        self.withdrawal = withdrawal
    }

    /// The last day the label is valid.
    public var end: CalendarDay {
        LabelPeriod.lastDay(start: start, years: durationYears)
    }

    /// The last day of a period of `years` years starting on `start` (see the type's documentation).
    public static func lastDay(start: CalendarDay, years: Int) -> CalendarDay {
        let target = start.year + years
        if start.month == 2, start.day == 29, !CalendarDay.isLeapYear(target) {
            return CalendarDay(checkedYear: target, month: 2, day: 28)
        }
        return start.adding(years: years).previousDay
    }

    /// Valid from its start through its end, unless withdrawn: a withdrawal takes effect on its date.
    public func isValid(on day: CalendarDay) -> Bool {
        guard start <= day, day <= end else { return false }
        if let withdrawal, withdrawal.date <= day { return false }
        return true
    }

    /// The label withdrawn (retrait) from `date`, for a stated reason, during its validity.
    public func withdrawn(on date: CalendarDay, motif: String) throws(LabellingError) -> LabelPeriod {
        guard withdrawal == nil else { throw .alreadyWithdrawn }
        guard !motif.trimmed.isEmpty else { throw .missingReason(.retrait) }
        guard start <= date, date <= end else { throw .withdrawalOutsidePeriod(start: start, end: end) }
        var copy = self
        copy.withdrawal = Withdrawal(date: date, motif: motif.trimmed)
        return copy
    }
}

/// The withdrawal (retrait) of a label: from its date, the campus is no longer labelled.
public struct Withdrawal: Sendable, Hashable, Codable {
    public let date: CalendarDay
    public let motif: String

    public init(date: CalendarDay, motif: String) {
        self.date = date
        self.motif = motif
    }
}
