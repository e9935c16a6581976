import CMQDomain
import Testing

@Suite("Calendar months")
struct CalendarMonthsTests {
    @Test("adding months keeps the day, or takes the month's last day when it has fewer")
    func months() {
        let day = CalendarDay(year: 2026, month: 11, day: 21)!
        #expect(day.adding(months: 12).iso == "2027-11-21")
        #expect(day.adding(months: 2).iso == "2027-01-21")
        #expect(CalendarDay(year: 2027, month: 1, day: 31)!.adding(months: 1).iso == "2027-02-28")
        #expect(CalendarDay(year: 2028, month: 1, day: 31)!.adding(months: 1).iso == "2028-02-29")
        #expect(CalendarDay(year: 2026, month: 3, day: 31)!.adding(months: -1).iso == "2026-02-28")
    }

    @Test("adding months never traps, even past the years a date may be read in (2200)")
    func monthsAtTheEdges() {
        #expect(CalendarDay(year: 2200, month: 8, day: 31)!.adding(months: 5).iso == "2201-01-31")
        #expect(CalendarDay(year: 2200, month: 12, day: 1)!.adding(months: 1).iso == "2201-01-01")
        #expect(CalendarDay(year: 1900, month: 1, day: 15)!.adding(months: -1).iso == "1899-12-15")
        #expect(CalendarDay(year: 1900, month: 3, day: 31)!.adding(months: -25).iso == "1898-02-28")
    }
}
