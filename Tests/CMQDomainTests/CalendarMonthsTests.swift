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
}
