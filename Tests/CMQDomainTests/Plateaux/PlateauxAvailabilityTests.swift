import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: availability")
struct PlateauxAvailabilityTests {
    typealias F = PlateauxFixtures

    func interval(_ from: String, _ to: String) throws -> DayInterval {
        try DayInterval(from, to)
    }

    @Test("free and busy time of a day, for the whole platform and for one item; who booked is never told")
    func day() throws {
        let plateau = try F.plateau()
        let bookings = [
            F.booking(1, try F.range("2026-11-23", "08:00", "10:00"), target: .equipement(F.tour)),
            F.booking(2, try F.range("2026-11-23", "14:00", "15:00"), status: .demandee),
            F.booking(3, try F.range("2026-11-23", "15:00", "16:00"), status: .annulee),
            F.booking(4, try F.range("2026-11-23", "16:00", "17:00"), plateau: F.id(99)),
        ]
        let monday = F.day("2026-11-23")
        let whole = try #require(plateau.availability(days: monday...monday, bookings: bookings).first)
        #expect(whole.open == [try interval("08:00", "12:00"), try interval("13:30", "18:00")])
        #expect(whole.free == [try interval("10:00", "12:00"), try interval("13:30", "18:00")])
        #expect(whole.busy.map(\.interval) == [try interval("08:00", "10:00"), try interval("14:00", "15:00")])
        #expect(whole.busy.map(\.isTentative) == [false, true])
        #expect(whole.busy.map(\.target) == [.equipement(F.tour), .plateau])

        let presse = try #require(plateau.availability(days: monday...monday, bookings: bookings, target: .equipement(F.presse)).first)
        #expect(presse.free == whole.open)
        #expect(presse.busy.map(\.interval) == [try interval("14:00", "15:00")])
    }

    @Test("the week view runs Monday to Sunday, with closed days and closures")
    func week() throws {
        let plateau = try F.plateau()
        let days = Availability.week(of: F.day("2026-12-24"), openingHours: plateau.openingHours, closures: plateau.closures, bookings: [])
        #expect(days.map(\.day.iso) == ["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27"])
        #expect(days.map(\.isClosed) == [false, true, true, true, true, true, true])
        #expect(days[0].free.count == 2)
        #expect(days[1].closures == [try F.christmas()])
        #expect(days[6].closures == [try F.christmas()])
        let ordinary = Availability.week(of: F.day("2026-11-29"), openingHours: plateau.openingHours, closures: [], bookings: [])
        #expect(ordinary.map(\.isClosed) == [false, false, false, false, false, false, true])
        #expect(ordinary[5].open == [try interval("07:00", "19:00")])
    }
}
