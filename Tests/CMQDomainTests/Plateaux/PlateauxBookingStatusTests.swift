import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: the life of a booking")
struct PlateauxBookingStatusTests {
    typealias F = PlateauxFixtures

    enum Move: CaseIterable {
        case accept, refuse, cancel

        var target: BookingStatus {
            switch self {
            case .accept: .acceptee
            case .refuse: .refusee
            case .cancel: .annulee
            }
        }

        func apply(_ booking: inout Booking) throws(BookingError) {
            switch self {
            case .accept: try booking.accept(among: [])
            case .refuse: try booking.refuse(motif: "Le plateau est réservé aux examens.")
            case .cancel: try booking.cancel()
            }
        }
    }

    func booking(_ status: BookingStatus) throws -> Booking {
        F.booking(1, try F.range("2026-11-23", "08:00", "10:00"), status: status)
    }

    @Test("only the legal moves: demandee → acceptee, refusee or annulee; acceptee → annulee")
    func legalMoves() throws {
        let legal: [BookingStatus: Set<BookingStatus>] = [
            .demandee: [.acceptee, .refusee, .annulee],
            .acceptee: [.annulee],
            .refusee: [],
            .annulee: [],
        ]
        for status in BookingStatus.allCases {
            for move in Move.allCases {
                var booking = try booking(status)
                if legal[status]!.contains(move.target) {
                    try move.apply(&booking)
                    #expect(booking.status == move.target, "\(status) → \(move.target)")
                } else {
                    let error = #expect(throws: BookingError.self, "\(status) → \(move.target)") { try move.apply(&booking) }
                    #expect(error == .illegalTransition(from: status, to: move.target))
                    #expect(error?.isConflict == true)
                    #expect(booking.status == status)
                }
            }
        }
    }

    @Test("the French reasons of illegal moves")
    func messages() {
        #expect(BookingError.illegalTransition(from: .acceptee, to: .acceptee).message == "Cette réservation est déjà acceptée.")
        #expect(BookingError.illegalTransition(from: .acceptee, to: .refusee).message
            == "Cette réservation est déjà acceptée : elle ne peut plus être refusée ; annulez-la si besoin.")
        #expect(BookingError.illegalTransition(from: .annulee, to: .acceptee).message == "Cette réservation a été annulée : elle ne peut plus être acceptée.")
        #expect(BookingError.illegalTransition(from: .refusee, to: .annulee).message == "Cette réservation a été refusée : elle ne peut plus être annulée.")
    }

    @Test("a refusal needs a motif; a cancellation may have one")
    func motifs() throws {
        var requested = try booking(.demandee)
        #expect(throws: BookingError.missingRefusalMotif) { try requested.refuse(motif: "  ") }
        #expect(requested.status == .demandee)
        #expect(BookingError.missingRefusalMotif.message == "Le motif du refus doit être indiqué.")
        #expect(BookingError.missingRefusalMotif.isConflict == false)
        try requested.refuse(motif: " Machine en panne. ")
        #expect(requested.status == .refusee && requested.motif == "Machine en panne.")

        var accepted = try booking(.acceptee)
        try accepted.cancel(motif: "Sortie annulée")
        #expect(accepted.status == .annulee && accepted.motif == "Sortie annulée")
    }

    @Test("accepting a request fails when an accepted booking now holds the slot")
    func acceptWithConflict() throws {
        let creneau = try F.range("2026-11-23", "08:00", "10:00")
        var first = F.booking(1, creneau, status: .demandee)
        var second = F.booking(2, creneau, target: .equipement(F.tour), status: .demandee)
        try first.accept(among: [first, second])
        #expect(throws: BookingError.conflict(with: [first])) { try second.accept(among: [first, second]) }
        #expect(second.status == .demandee)
        try second.refuse(motif: "Le créneau a été attribué à une autre demande.")
    }

    @Test("a new booking is requested when the platform requires approval, accepted at once otherwise")
    func initialStatus() throws {
        let request = F.request(try F.range("2026-11-23", "08:00", "10:00"))
        let requested = try F.plateau().book(request, id: F.id(1), existing: [], now: try F.now())
        #expect(requested.status == .demandee)
        let open = try F.plateau(rules: PlateauRules(approvalRequired: false))
        let accepted = try open.book(request, id: F.id(2), existing: [], now: try F.now())
        #expect(accepted.status == .acceptee)
        #expect(accepted.id == F.id(2) && accepted.plateauID == F.plateauID && accepted.personID == F.person)
        // Requests do not block each other; the accepted booking blocks the next request.
        #expect(throws: Never.self) { try F.plateau().book(request, id: F.id(3), existing: [requested], now: try F.now()) }
        #expect(throws: BookingError.conflict(with: [accepted])) { try open.book(request, id: F.id(4), existing: [accepted], now: try F.now()) }
    }

    @Test("the booking's JSON form")
    func codable() throws {
        var booking = F.booking(1, try F.range("2026-11-23", "08:00", "10:00"), target: .equipement(F.presse), status: .demandee,
                                purpose: .prototypeEntreprise)
        try booking.refuse(motif: "Complet")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(booking), as: UTF8.self)
        #expect(json == #"{"creneau":{"debut":"2026-11-23T08:00","fin":"2026-11-23T10:00"},"equipement":"00000000-0000-0000-0000-0000000000D1","formationSecuriteConfirmee":false,"id":"00000000-0000-0000-0000-000000000001","motif":"Complet","objet":"prototype-entreprise","organisation":"00000000-0000-0000-0000-0000000000A1","participants":10,"personne":"00000000-0000-0000-0000-0000000000E1","plateau":"00000000-0000-0000-0000-0000000000F1","statut":"refusee"}"#)
        #expect(try JSONDecoder().decode(Booking.self, from: Data(json.utf8)) == booking)
        let whole = F.booking(2, try F.range("2026-11-23", "08:00", "10:00"))
        let decoded = try JSONDecoder().decode(Booking.self, from: try JSONEncoder().encode(whole))
        #expect(decoded.target == .plateau)
    }

    @Test("purposes and statuses have French labels")
    func labels() {
        #expect(BookingPurpose.allCases.map(\.label) == ["Formation", "Prototype d'entreprise", "Action de découverte", "Formation continue", "Autre"])
        #expect(BookingPurpose.allCases.map(\.rawValue) == ["formation", "prototype-entreprise", "action-decouverte", "formation-continue", "autre"])
        #expect(BookingStatus.allCases.map(\.label) == ["Demandée", "Acceptée", "Refusée", "Annulée"])
    }
}
