import CMQDomain
import Fluent
import Foundation

/// Who is told about a booking, and what: a request to the platform's owners (the accounts of its organisation
/// and the campus team), a decision or a cancellation to the person who booked (and a cancellation to the owners).
/// Called inside the booking's transaction.
struct BookingNotices {
    let db: any Database
    let caller: Caller

    func requested(_ plateau: PlateauService.Loaded, creneaux: [TimeRange], organisation: Organisation) async throws {
        let owners = try await owners(of: plateau)
        let when = creneaux.count == 1 ? "le créneau \(creneaux[0].french)" : "\(creneaux.count) créneaux à partir du \(creneaux[0].french)"
        try await Notifier(db: db, caller: caller).notify(owners, .init(
            kind: .bookingRequested,
            title: "Demande de réservation : \(plateau.record.nom)",
            text: "\(organisation.nom) demande à réserver le plateau « \(plateau.record.nom) » pour \(when). La demande attend votre décision.",
            path: PlateauxURL.bookings.path))
    }

    func decided(_ loaded: BookingService.Loaded) async throws {
        let name = loaded.plateau.record.nom
        let when = loaded.booking.creneau.french
        let requester = [loaded.record.personneID]
        // The requester's own list, at the line of this booking.
        let ownLine = PlateauxURL.bookings.path(query: ["vue": "organisation", "periode": "toutes"]) + "#liste-reservation-\(loaded.booking.id.uuidString.lowercased())"
        let notifier = Notifier(db: db, caller: caller)
        switch loaded.booking.status {
        case .acceptee:
            try await notifier.notify(requester, .init(
                kind: .bookingAccepted, title: "Réservation acceptée : \(name)",
                text: "Votre réservation du plateau « \(name) » pour le créneau \(when) est acceptée.",
                path: ownLine))
        case .refusee:
            try await notifier.notify(requester, .init(
                kind: .bookingRefused, title: "Réservation refusée : \(name)",
                text: "Votre demande de réservation du plateau « \(name) » pour le créneau \(when) est refusée. Motif : \(loaded.booking.motif ?? "non précisé").",
                path: ownLine))
        case .annulee:
            let motif = loaded.booking.motif.map { " Motif : \($0)." } ?? ""
            try await notifier.notify(requester + (try await owners(of: loaded.plateau)), .init(
                kind: .bookingCancelled, title: "Réservation annulée : \(name)",
                text: "La réservation du plateau « \(name) » pour le créneau \(when) est annulée.\(motif)",
                path: PlateauxURL.bookings.path))
        case .demandee:
            break
        }
    }

    private func owners(of plateau: PlateauService.Loaded) async throws -> [UUID] {
        try await Notifier.accounts(ofOrganisation: plateau.plateau.organisationID, on: db)
            + Notifier.team(ofCampus: plateau.plateau.campusID, on: db)
    }
}
