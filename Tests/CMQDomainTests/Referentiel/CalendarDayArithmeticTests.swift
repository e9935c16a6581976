import CMQDomain
import Testing

@Suite("Calendar arithmetic")
struct CalendarDayArithmeticTests {
    func day(_ iso: String) -> CalendarDay {
        CalendarDay(iso: iso)!
    }

    @Test("days since 1970, adding days across months and years, 29 February")
    func calendarArithmetic() {
        #expect(day("1970-01-01").daysSinceEpoch == 0)
        #expect(day("2000-03-01").daysSinceEpoch == 11017)
        #expect(day("1900-01-01").daysSinceEpoch == -25567)
        #expect(CalendarDay(daysSinceEpoch: 19782) == day("2024-02-29"))
        #expect(day("2024-02-28").nextDay == day("2024-02-29"))
        #expect(day("2023-02-28").nextDay == day("2023-03-01"))
        #expect(day("2024-01-01").previousDay == day("2023-12-31"))
        #expect(day("2013-07-10").adding(days: 365 * 4 + 1) == day("2017-07-10"))
        #expect(day("2016-02-29").adding(years: 1) == day("2017-02-28"))
        #expect(day("2016-02-29").adding(years: 4) == day("2020-02-29"))
        #expect(day("2013-07-10").days(until: day("2013-07-09")) == -1)
        #expect(CalendarDay.isLeapYear(2000) && !CalendarDay.isLeapYear(2100) && CalendarDay.isLeapYear(2024) && !CalendarDay.isLeapYear(2023))
    }
}
