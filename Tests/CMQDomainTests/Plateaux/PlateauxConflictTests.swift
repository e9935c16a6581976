import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: no double booking")
struct PlateauxConflictTests {
    typealias F = PlateauxFixtures

    func slot(_ target: BookingTarget, _ from: String, _ to: String, plateau: UUID = F.plateauID) throws -> BookingSlot {
        BookingSlot(plateauID: plateau, target: target, creneau: try F.range("2026-11-23", from, to))
    }

    @Test("the whole platform collides with every item; an item with itself; different items don't")
    func targets() {
        let presse = BookingTarget.equipement(F.presse), tour = BookingTarget.equipement(F.tour)
        #expect(BookingTarget.plateau.collides(with: .plateau))
        #expect(BookingTarget.plateau.collides(with: presse) && presse.collides(with: .plateau))
        #expect(presse.collides(with: presse))
        #expect(!presse.collides(with: tour) && !tour.collides(with: presse))
    }

    @Test("slots collide on the same platform, with colliding targets and overlapping créneaux")
    func slots() throws {
        let presse = BookingTarget.equipement(F.presse), tour = BookingTarget.equipement(F.tour)
        let morning = try slot(presse, "08:00", "10:00")
        #expect(morning.collides(with: try slot(presse, "09:00", "11:00")))
        #expect(morning.collides(with: try slot(presse, "08:30", "09:00")))
        #expect(morning.collides(with: try slot(.plateau, "07:00", "12:00")))
        #expect(!morning.collides(with: try slot(presse, "10:00", "12:00")))
        #expect(!morning.collides(with: try slot(.plateau, "10:00", "12:00")))
        #expect(!morning.collides(with: try slot(tour, "08:00", "10:00")))
        #expect(!morning.collides(with: try slot(presse, "08:00", "10:00", plateau: F.id(77))))
    }

    @Test("only accepted bookings hold their slot")
    func statuses() throws {
        let creneau = try F.range("2026-11-23", "08:00", "10:00")
        let existing = [
            F.booking(1, creneau, status: .demandee),
            F.booking(2, creneau, status: .refusee),
            F.booking(3, creneau, status: .annulee),
            F.booking(4, try F.range("2026-11-23", "09:00", "11:00"), target: .equipement(F.tour), status: .acceptee),
            F.booking(5, try F.range("2026-11-23", "10:00", "12:00"), status: .acceptee),
        ]
        let candidate = try slot(.plateau, "08:00", "10:00")
        #expect(ConflictFinder.conflicts(of: candidate, among: existing).map(\.id) == [F.id(4)])
        #expect(ConflictFinder.conflicts(of: try slot(.equipement(F.presse), "08:00", "10:00"), among: existing).isEmpty)
        // A recorded booking does not collide with itself; the item's booking collides with the whole platform's.
        #expect(ConflictFinder.conflicts(of: existing[3], among: [existing[3]]).isEmpty)
        #expect(ConflictFinder.conflicts(of: existing[3], among: existing) == [existing[4]])
    }

    @Test("booking a taken slot is a conflict that names the booking it collides with")
    func conflictOnBooking() throws {
        let plateau = try F.plateau()
        let taken = F.booking(0xB1, try F.range("2026-11-23", "08:00", "10:00"), target: .equipement(F.tour))
        let request = F.request(try F.range("2026-11-23", "09:00", "11:00"), target: .plateau, training: true)
        let error = #expect(throws: BookingError.self) { try plateau.book(request, id: F.id(1), existing: [taken], now: try F.now()) }
        #expect(error == .conflict(with: [taken]))
        #expect(error?.isConflict == true)
        #expect(error?.message
            == "Ce créneau est déjà réservé : il chevauche la réservation 00000000-0000-0000-0000-0000000000b1 du lundi 23 novembre 2026 de 08:00 à 10:00.")
        // Right after it, the slot is free.
        let after = try plateau.book(request.on(F.range("2026-11-23", "10:00", "12:00")), id: F.id(2), existing: [taken], now: try F.now())
        #expect(after.status == .demandee && after.target == .plateau && after.organisationID == F.lycee)
    }

    @Test("the rules are checked before the other bookings")
    func rulesFirst() throws {
        let plateau = try F.plateau()
        let taken = F.booking(1, try F.range("2026-11-23", "19:00", "21:00"))
        let request = F.request(try F.range("2026-11-23", "19:00", "21:00"))
        let error = #expect(throws: BookingError.self) { try plateau.book(request, id: F.id(2), existing: [taken], now: try F.now()) }
        #expect(error?.isConflict == false)
    }
}
