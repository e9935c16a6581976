import Crypto
import Fluent
import Vapor

/// What cmq holds about a person, and its deletion (the RGPD rights of access and erasure).
struct PersonalData {
    let db: any Database

    struct Export: Content {
        struct Account: Content { var email: String; var nom: String; var role: String; var perimetre: [String: String]; var creeLe: Date? }
        struct Token: Content { var nom: String; var prefixe: String; var creeLe: Date?; var utiliseLe: Date?; var revoqueLe: Date? }
        struct Attempt: Content { var le: Date; var adresse: String; var reussie: Bool }
        struct Team: Content { var campus: String; var nom: String; var role: String; var email: String? }
        struct Entry: Content { var le: Date; var auteur: String; var action: String; var entite: String; var libelle: String; var changements: [String: FieldChange] }
        struct Booking: Content { var id: UUID; var plateau: String; var debut: String; var fin: String; var objet: String; var statut: String; var personne: String }
        struct Notice: Content { var le: Date; var genre: String; var titre: String; var texte: String; var lueLe: Date? }
        struct Preference: Content { var genre: String; var mode: String }
        struct Mail: Content { var creeLe: Date; var sujet: String; var statut: String; var envoyeLe: Date? }
        struct ResetRequest: Content { var le: Date; var adresse: String; var utiliseLe: Date? }
        struct AccessAsked: Content { var le: Date; var nom: String; var organisation: String; var role: String; var message: String; var statut: String }
        struct ActionRegistration: Content { var le: Date; var action: String; var nom: String?; var categorie: String; var personnes: Int; var etat: String }

        var email: String
        var exporteLe: Date
        var compte: Account?
        var jetons: [Token]
        var tentativesDeConnexion: [Attempt]
        var equipesDeCampus: [Team]
        var modificationsFaites: [Entry]
        var modificationsDuCompte: [Entry]
        var reservations: [Booking]
        var notifications: [Notice]
        var preferencesDeNotification: [Preference]
        var courriels: [Mail]
        var demandesDeMotDePasse: [ResetRequest]
        var demandesDAcces: [AccessAsked]
        var inscriptionsAuxActions: [ActionRegistration]
    }

    func export(email raw: String) async throws -> Export {
        let email = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let user = try await User.query(on: db).filter(\.$email == email).first()
        let tokens = try await user.asyncMap { try await APIToken.query(on: db).filter(\.$user.$id == $0.requireID()).all() } ?? []
        let attempts = try await LoginAttempt.query(on: db).filter(\.$email == email).sort(\.$at).all()
        let team = try await TeamMember.query(on: db).filter(\.$email == email).with(\.$campus).all()
        let authored = try await authoredEntries(user: user, email: email)
        let about = try await user.asyncMap { try await AuditEntry.query(on: db).filter(\.$entityID == $0.requireID()).sort(\.$at).all() } ?? []
        let bookings = try await user.asyncMap {
            try await ReservationRecord.query(on: db).filter(\.$personneID == $0.requireID()).with(\.$plateau).sort(\.$debut).all()
        } ?? []
        let notices = try await user.asyncMap { try await AppNotification.query(on: db).filter(\.$user.$id == $0.requireID()).sort(\.$createdAt).all() } ?? []
        let preferences = try await user.asyncMap { try await NotificationPreference.query(on: db).filter(\.$user.$id == $0.requireID()).all() } ?? []
        let mails = try await OutboxMessage.query(on: db).filter(\.$recipient == email).sort(\.$createdAt).all()
        let resets = try await PasswordResetToken.query(on: db).filter(\.$email == email).sort(\.$createdAt).all()
        let asked = try await AccessRequest.query(on: db).filter(\.$email == email).sort(\.$createdAt).all()
        let registrations = try await InscriptionRecord.query(on: db).filter(\.$courriel == email).with(\.$action).sort(\.$creeLe).all()
        func entry(_ e: AuditEntry) -> Export.Entry {
            Export.Entry(le: e.at, auteur: e.actorLabel, action: e.action, entite: e.entity, libelle: e.entityLabel, changements: e.decodedChanges)
        }
        return Export(
            email: email, exporteLe: Date(),
            compte: user.map { user in
                Export.Account(email: user.email, nom: user.nom, role: user.role.rawValue,
                               perimetre: ["region": user.regionCode, "campus": user.campusID?.uuidString.lowercased(),
                                           "organisation": user.organisationID?.uuidString.lowercased(), "instance": user.instance?.rawValue].compactMapValues { $0 },
                               creeLe: user.createdAt)
            },
            jetons: tokens.map { Export.Token(nom: $0.nom, prefixe: $0.prefix, creeLe: $0.createdAt, utiliseLe: $0.lastUsedAt, revoqueLe: $0.revokedAt) },
            tentativesDeConnexion: attempts.map { Export.Attempt(le: $0.at, adresse: $0.address, reussie: $0.succeeded) },
            equipesDeCampus: team.map { Export.Team(campus: $0.campus.nom, nom: $0.nom, role: $0.role.rawValue, email: $0.email) },
            modificationsFaites: authored.map(entry),
            modificationsDuCompte: about.map(entry),
            reservations: try bookings.map { booking in
                let creneau = try booking.creneau
                return Export.Booking(id: try booking.requireID(), plateau: booking.plateau.nom, debut: creneau.start.iso, fin: creneau.end.iso,
                                      objet: booking.objet.rawValue, statut: booking.statut.rawValue, personne: booking.personne)
            },
            notifications: notices.map { Export.Notice(le: $0.createdAt, genre: $0.kind.rawValue, titre: $0.title, texte: $0.text, lueLe: $0.readAt) },
            preferencesDeNotification: preferences.map { Export.Preference(genre: $0.kind.rawValue, mode: $0.mode.rawValue) },
            courriels: mails.map { Export.Mail(creeLe: $0.createdAt, sujet: $0.subject, statut: $0.status.rawValue, envoyeLe: $0.sentAt) },
            demandesDeMotDePasse: resets.map { Export.ResetRequest(le: $0.createdAt, adresse: $0.address, utiliseLe: $0.usedAt) },
            demandesDAcces: asked.map { Export.AccessAsked(le: $0.createdAt, nom: $0.nom, organisation: $0.organisation, role: $0.role.rawValue,
                                                           message: $0.message, statut: $0.status.rawValue) },
            inscriptionsAuxActions: registrations.map { Export.ActionRegistration(le: $0.creeLe, action: $0.action.titre, nom: $0.nom, categorie: $0.categorie.rawValue,
                                                                                  personnes: $0.personnes, etat: $0.etat.rawValue) })
    }

    private func authoredEntries(user: User?, email: String) async throws -> [AuditEntry] {
        try await AuditEntry.query(on: db).group(.or) { group in
            group.filter(\.$actorLabel == email)
            if let id = user?.id { group.filter(\.$actorID == id) }
        }.sort(\.$at).all()
    }

    struct DeletionSummary: Equatable, CustomStringConvertible {
        var account = false
        var teamMembers = 0
        var loginAttempts = 0
        var pseudonymisedEntries = 0
        var pseudonymisedBookings = 0
        var notifications = 0
        var mails = 0
        var actionRegistrations = 0
        var pseudonym = ""

        var description: String {
            "Données supprimées : compte \(account ? "supprimé" : "inexistant"), \(teamMembers) présence(s) dans une équipe, \(loginAttempts) tentative(s) de connexion, \(notifications) notification(s), \(mails) courriel(s), demande(s) de mot de passe et d'accès, \(actionRegistrations) inscription(s) à des actions (nom et adresse effacés) ; \(pseudonymisedEntries) entrée(s) du journal et \(pseudonymisedBookings) réservation(s) pseudonymisée(s) en « \(pseudonym) »."
        }
    }

    /// Deletes the account, its tokens and sessions, its sign-in attempts and its places in campus teams; the
    /// audit entries stay, with the person replaced by a pseudonym, so that the trail is not broken.
    func delete(email raw: String, caller: Caller) async throws -> DeletionSummary {
        let email = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let pseudonym = Self.pseudonym(for: email)
        return try await db.writeTransaction { db in
            var summary = DeletionSummary(pseudonym: pseudonym)
            let user = try await User.query(on: db).filter(\.$email == email).first()
            var names: Set<String> = []
            // Counted before the account goes (its password links go with it).
            summary.mails = try await OutboxMessage.query(on: db).filter(\.$recipient == email).count()
                + PasswordResetToken.query(on: db).filter(\.$email == email).count()
                + AccessRequest.query(on: db).filter(\.$email == email).count()
            for person in try await TeamMember.query(on: db).filter(\.$email == email).all() {
                names.insert(person.nom)
                try await caller.audit.record(.delete, person, id: person.requireID(), on: db)
                try await person.delete(on: db)
                summary.teamMembers += 1
            }
            if let user {
                names.insert(user.nom)
                let id = try user.requireID()
                for session in try await SessionRecord.query(on: db).all() where session.data["_UserSession"] == id.uuidString {
                    try await session.delete(on: db)
                }
                try await APIToken.query(on: db).filter(\.$user.$id == id).delete()
                summary.notifications = try await AppNotification.query(on: db).filter(\.$user.$id == id).count()
                try await AppNotification.query(on: db).filter(\.$user.$id == id).delete()
                try await NotificationPreference.query(on: db).filter(\.$user.$id == id).delete()
                // The bookings stay (they belong to the organisation), without the person's name.
                summary.pseudonymisedBookings = try await ReservationRecord.query(on: db).filter(\.$personneID == id).count()
                try await ReservationRecord.query(on: db).filter(\.$personneID == id).set(\.$personne, to: pseudonym).update()
                try await caller.audit.record(.delete, user, id: id, on: db)
                try await user.delete(on: db)
                summary.account = true
            }
            summary.loginAttempts = try await LoginAttempt.query(on: db).filter(\.$email == email).count()
            try await LoginAttempt.query(on: db).filter(\.$email == email).delete()
            try await OutboxMessage.query(on: db).filter(\.$recipient == email).delete()
            try await PasswordResetToken.query(on: db).filter(\.$email == email).delete()
            try await AccessRequest.query(on: db).filter(\.$email == email).delete()
            // Registrations to actions keep their count of people for the figures, not the person.
            for registration in try await InscriptionRecord.query(on: db).filter(\.$courriel == email).all() {
                registration.nom = nil
                registration.courriel = nil
                registration.effaceLe = caller.clock.now()
                try await registration.update(on: db)
                summary.actionRegistrations += 1
            }

            // Pseudonymise every entry that names the person, as author or in its content.
            let replacements = [email] + names.filter { !$0.isEmpty && $0 != email }.sorted { $0.count > $1.count }
            let candidates = try await AuditEntry.query(on: db).group(.or) { group in
                group.filter(\.$actorLabel == email)
                if let id = user?.id { group.filter(\.$actorID == id) }
                for text in replacements {
                    group.filter(\.$changes, .contains(inverse: false, .anywhere), text)
                    group.filter(\.$entityLabel == text)
                }
            }.all()
            for entry in candidates {
                var changed = false
                if entry.actorLabel == email || (user?.id != nil && entry.actorID == user?.id) {
                    entry.actorLabel = pseudonym
                    entry.actorID = nil
                    changed = true
                }
                for text in replacements {
                    if entry.entityLabel == text { entry.entityLabel = pseudonym; changed = true }
                    if entry.changes.contains(text) { entry.changes = entry.changes.replacingOccurrences(of: text, with: pseudonym); changed = true }
                }
                if changed {
                    try await entry.save(on: db)
                    summary.pseudonymisedEntries += 1
                }
            }
            return summary
        }
    }

    /// The same person always gets the same pseudonym, and it cannot be turned back into the address.
    static func pseudonym(for email: String) -> String {
        let digest = SHA256.hash(data: Data(("cmq-rgpd:" + email).utf8)).prefix(5).map { String(format: "%02x", $0) }.joined()
        return "personne supprimée \(digest)"
    }
}
