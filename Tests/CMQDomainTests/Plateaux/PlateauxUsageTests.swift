import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: usage statistics")
struct PlateauxUsageTests {
    typealias F = PlateauxFixtures

    static let c = F.id(0xC3)
    static let x = F.presse, y = F.tour

    /// November 2026, Monday to Friday 08:00–12:00 and 13:30–17:30 (8 h a day).
    /// 21 working days; closed on Wednesday 11 (jour férié) and from Monday 16 to Friday 20 (maintenance):
    /// 15 days open, 120 h.
    static func setting() throws -> (hours: OpeningHours, closures: [Closure], bookings: [Booking]) {
        let hours = try OpeningHours([.lundi, .mardi, .mercredi, .jeudi, .vendredi], [DayInterval("08:00", "12:00"), DayInterval("13:30", "17:30")])
        let closures = [
            try Closure(from: F.day("2026-11-11"), to: F.day("2026-11-11"), reason: .autre, motif: "jour férié"),
            try Closure(from: F.day("2026-11-16"), to: F.day("2026-11-20"), reason: .maintenance),
        ]
        var n = 0
        func booking(_ day: String, _ from: String, _ to: String, _ target: BookingTarget, _ organisation: UUID, _ purpose: BookingPurpose,
                     status: BookingStatus = .acceptee) throws -> Booking {
            n += 1
            return F.booking(n, try F.range(day, from, to), target: target, status: status, organisation: organisation, purpose: purpose)
        }
        var bookings: [Booking] = []
        // The lycée, formation, whole platform, Monday 2 to Wednesday 4, all day: 6 × 4 h = 24 h.
        for day in ["2026-11-02", "2026-11-03", "2026-11-04"] {
            bookings.append(try booking(day, "08:00", "12:00", .plateau, F.lycee, .formation))
            bookings.append(try booking(day, "13:30", "17:30", .plateau, F.lycee, .formation))
        }
        // The company, prototype, item X: Thursday 5 all day and Friday 6 morning: 12 h.
        bookings.append(try booking("2026-11-05", "08:00", "12:00", .equipement(x), F.entreprise, .prototypeEntreprise))
        bookings.append(try booking("2026-11-05", "13:30", "17:30", .equipement(x), F.entreprise, .prototypeEntreprise))
        bookings.append(try booking("2026-11-06", "08:00", "12:00", .equipement(x), F.entreprise, .prototypeEntreprise))
        // The lycée, formation continue, item Y, Thursday 5 09:00–11:00 (2 h), while X is in use: no extra occupied time.
        bookings.append(try booking("2026-11-05", "09:00", "11:00", .equipement(y), F.lycee, .formationContinue))
        // The CFA, discovery, item Y: Monday 23 all day, Tuesday 24 morning, Wednesday 25 13:30–16:30: 15 h.
        bookings.append(try booking("2026-11-23", "08:00", "12:00", .equipement(y), F.cfa, .actionDecouverte))
        bookings.append(try booking("2026-11-23", "13:30", "17:30", .equipement(y), F.cfa, .actionDecouverte))
        bookings.append(try booking("2026-11-24", "08:00", "12:00", .equipement(y), F.cfa, .actionDecouverte))
        bookings.append(try booking("2026-11-25", "13:30", "16:30", .equipement(y), F.cfa, .actionDecouverte))
        // Not counted: requested, refused, cancelled, another month.
        bookings.append(try booking("2026-11-26", "08:00", "12:00", .plateau, c, .autre, status: .demandee))
        bookings.append(try booking("2026-11-27", "08:00", "12:00", .plateau, c, .autre, status: .refusee))
        bookings.append(try booking("2026-11-27", "13:30", "17:30", .plateau, c, .autre, status: .annulee))
        bookings.append(try booking("2026-12-01", "08:00", "12:00", .plateau, c, .autre))
        return (hours, closures, bookings)
    }

    @Test("a hand-computed month: 53 h booked, 51 h of 120 open hours occupied, 42,5 %")
    func november() throws {
        let s = try Self.setting()
        let month = try #require(CalendarMonth(iso: "2026-11"))
        let stats = UsageStatistics(bookings: s.bookings, openingHours: s.hours, closures: s.closures, month: month)
        #expect(stats.openMinutes == 120 * 60)
        #expect(stats.occupiedMinutes == 51 * 60)
        #expect(stats.bookedMinutes == 53 * 60)
        #expect(stats.minutesByOrganisation == [F.lycee: 26 * 60, F.entreprise: 12 * 60, F.cfa: 15 * 60])
        #expect(stats.minutesByPurpose == [.formation: 24 * 60, .prototypeEntreprise: 12 * 60, .actionDecouverte: 15 * 60, .formationContinue: 2 * 60])
        #expect(stats.occupancyRate == 0.425)
        #expect(stats.occupancyText == "42,5\u{00A0}%")
        #expect(stats.byOrganisation.map(\.key) == [F.lycee, F.cfa, F.entreprise])
        #expect(stats.byOrganisation.map(\.hoursText) == ["26\u{00A0}h", "15\u{00A0}h", "12\u{00A0}h"])
        #expect(stats.byPurpose.map(\.key) == [.formation, .actionDecouverte, .prototypeEntreprise, .formationContinue])
        #expect(stats.byPurpose.last?.shareText == "3,8\u{00A0}%")
        #expect(month.french == "novembre 2026")
    }

    @Test("the occupancy of one item counts its bookings and those of the whole platform")
    func item() throws {
        let s = try Self.setting()
        let month = try #require(CalendarMonth(iso: "2026-11"))
        let x = UsageStatistics(bookings: s.bookings, openingHours: s.hours, closures: s.closures, month: month, target: .equipement(Self.x))
        #expect(x.occupiedMinutes == 36 * 60)
        #expect(x.occupancyText == "30\u{00A0}%")
        #expect(x.minutesByOrganisation == [F.lycee: 24 * 60, F.entreprise: 12 * 60])
    }

    @Test("a campus adds its platforms month by month; a month never open has no rate")
    func campusTotals() throws {
        let s = try Self.setting()
        let november = try #require(CalendarMonth(iso: "2026-11"))
        let first = UsageStatistics(bookings: s.bookings, openingHours: s.hours, closures: s.closures, month: november)
        let second = UsageStatistics(bookings: [], openingHours: s.hours, closures: [], month: november)
        let december = UsageStatistics(bookings: s.bookings, openingHours: s.hours, closures: s.closures, month: november.next)
        let totals = UsageStatistics.totals([december, first, second])
        #expect(totals.map(\.month.iso) == ["2026-11", "2026-12"])
        #expect(totals[0].openMinutes == (120 + 168) * 60)
        #expect(totals[0].occupiedMinutes == 51 * 60)
        #expect(totals[0].occupancyText == "17,7\u{00A0}%")
        #expect(totals[1].bookedMinutes == 4 * 60)

        let never = UsageStatistics(bookings: [], openingHours: .closed, closures: [], month: november)
        #expect(never.occupancyRate == nil && never.occupancyText == "—")
    }
}
