import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: weekly series")
struct PlateauxSeriesTests {
    typealias F = PlateauxFixtures

    /// Six Mondays from 30 November 2026, 08:00–12:00: the 7 December is taken, the 28 December falls in the holidays.
    struct Setting {
        let plateau: Plateau
        let series: WeeklySeries
        let request: BookingRequest
        let taken: Booking

        init() throws {
            plateau = try F.plateau(rules: PlateauRules(approvalRequired: false))
            series = try WeeklySeries(first: F.range("2026-11-30", "08:00", "12:00"), weeks: 6)
            request = F.request(series.first, target: .equipement(F.tour))
            taken = F.booking(0xB7, try F.range("2026-12-07", "09:00", "10:00"), target: .plateau)
        }
    }

    @Test("a series is the same créneau every week, 1 to 52 weeks")
    func occurrences() throws {
        let series = try Setting().series
        #expect(series.occurrences.map(\.start.iso) == [
            "2026-11-30T08:00", "2026-12-07T08:00", "2026-12-14T08:00", "2026-12-21T08:00", "2026-12-28T08:00", "2027-01-04T08:00",
        ])
        #expect(series.occurrences.allSatisfy { $0.durationMinutes == 240 })
        for weeks in [0, 53] {
            #expect(throws: PlateauError.seriesLength(weeks)) { try WeeklySeries(first: series.first, weeks: weeks) }
        }
        #expect(PlateauError.seriesLength(53).message == "Une série hebdomadaire compte de 1 à 52 semaines : 53 n'est pas possible.")
    }

    @Test("each occurrence is reported: possible, in conflict with a booking, or refused with its reasons")
    func plan() throws {
        let s = try Setting()
        let plan = SeriesPlan(series: s.series, request: s.request, plateau: s.plateau, existing: [s.taken], now: try F.now(), policy: .allOrNothing)
        #expect(plan.occurrences.map(\.week) == [1, 2, 3, 4, 5, 6])
        #expect(plan.occurrences[1].outcome == .conflict(with: [s.taken]))
        #expect(plan.occurrences[4].outcome == .refused([.closed(try F.christmas())]))
        #expect(plan.failures.map(\.week) == [2, 5])
        #expect([0, 2, 3, 5].allSatisfy { plan.occurrences[$0].isOK })
    }

    @Test("all or nothing: one failure and nothing is booked, every failing occurrence is reported")
    func allOrNothing() throws {
        let s = try Setting()
        let error = #expect(throws: BookingError.self) {
            try s.plateau.book(s.series, request: s.request, policy: .allOrNothing, existing: [s.taken], now: try F.now())
        }
        #expect(error?.isConflict == true)
        #expect(error?.reasons == [
            "La série n'est pas réservée : 2 occurrences sur 6 ne sont pas possibles.",
            "Semaine 2 (lundi 7 décembre 2026 de 08:00 à 12:00) : le créneau chevauche la réservation 00000000-0000-0000-0000-0000000000b7.",
            "Semaine 5 (lundi 28 décembre 2026 de 08:00 à 12:00) : Le plateau est fermé du 22 décembre 2026 au 2 janvier 2027 (vacances).",
        ])
        // Without the taken booking, only a refusal remains: no longer a conflict.
        let refused = #expect(throws: BookingError.self) {
            try s.plateau.book(s.series, request: s.request, policy: .allOrNothing, existing: [], now: try F.now())
        }
        #expect(refused?.isConflict == false)
        #expect(refused?.reasons.first == "La série n'est pas réservée : 1 occurrence sur 6 n'est pas possible.")
    }

    @Test("all or nothing books every occurrence when all are possible")
    func allPossible() throws {
        let s = try Setting()
        let short = try WeeklySeries(first: s.series.first, weeks: 3)
        let plan = SeriesPlan(series: short, request: s.request, plateau: s.plateau, existing: [], now: try F.now(), policy: .allOrNothing)
        #expect(plan.toBook == short.occurrences && plan.skipped.isEmpty)
        var next = 0
        let result = try s.plateau.book(short, request: s.request, policy: .allOrNothing, existing: [], now: try F.now()) {
            next += 1
            return F.id(next)
        }
        #expect(result.bookings.map(\.id) == [F.id(1), F.id(2), F.id(3)])
        #expect(result.bookings.map(\.creneau) == short.occurrences)
        #expect(result.bookings.allSatisfy { $0.status == .acceptee && $0.target == .equipement(F.tour) })
    }

    @Test("skipping the conflicts books the possible occurrences and reports the skipped ones")
    func skipConflicts() throws {
        let s = try Setting()
        let result = try s.plateau.book(s.series, request: s.request, policy: .skipConflicts, existing: [s.taken], now: try F.now())
        #expect(result.bookings.map(\.creneau.start.day) == [F.day("2026-11-30"), F.day("2026-12-14"), F.day("2026-12-21"), F.day("2027-01-04")])
        #expect(result.skipped.map(\.week) == [2, 5])
        #expect(result.skipped[0].outcome.isConflict && !result.skipped[1].outcome.isConflict)
        // The bookings made do not collide with each other nor with the taken one.
        for booking in result.bookings {
            #expect(ConflictFinder.conflicts(of: booking, among: result.bookings + [s.taken]).isEmpty)
        }
    }

    @Test("skipping the conflicts still fails when no occurrence is possible")
    func nothingPossible() throws {
        let s = try Setting()
        let outsider = F.request(s.series.first, booker: F.booker(F.cfa, kind: .cfa, campuses: [F.otherCampus]))
        let error = #expect(throws: BookingError.self) {
            try s.plateau.book(s.series, request: outsider, policy: .skipConflicts, existing: [], now: try F.now())
        }
        #expect(error?.reasons.count == 7)
        #expect(error?.reasons[1] == "Semaine 1 (lundi 30 novembre 2026 de 08:00 à 12:00) : Ce plateau est réservé aux membres du campus.")
    }
}
