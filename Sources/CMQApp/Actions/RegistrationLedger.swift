import CMQDomain
import Crypto
import Fluent
import Foundation
import SQLKit

/// The registrations made in cmq: taken, cancelled by their own link, moved up from the waiting list, listed for
/// the organisers, and their personal data deleted after the action.
///
/// Places are counted in the action's `places_prises`, changed only by conditional updates that keep it within
/// the capacity: of two registrations racing for the last place exactly one gets it (PostgreSQL re-checks the
/// condition on the row once the first writer commits; SQLite runs one writer at a time), the other goes on the
/// waiting list.
struct RegistrationLedger {
    let db: any Database
    let caller: Caller

    var now: Date { caller.clock.now() }

    struct Registration: Sendable {
        var record: InscriptionRecord
        /// The cancellation token, given once (the database keeps its SHA-256).
        var token: String
    }

    /// A visitor registers for a published action registered for in cmq, before its start; the confirmation e-mail,
    /// with the cancellation link, goes to the outbox with the registration.
    func register(actionID: UUID, _ input: RegistrationInput) async throws -> Registration {
        try await register(actionID: actionID, name: input.name, email: input.email, category: input.category, people: input.people)
    }

    func register(actionID: UUID, name: String, email: String, category: RegistrantCategory, people: Int) async throws -> Registration {
        let action = try await ActionService(db: db, caller: caller).load(actionID)
        let record = action.record
        guard record.moderation == .publie else { throw AppError.notFound("Aucune action n'a l'identifiant \(actionID.uuidString.lowercased()).") }
        guard record.inscription == .cmq, let capacity = record.capacite else {
            throw ActionError.notOpenForRegistration("Cette action ne prend pas d'inscription sur cmq.").appError
        }
        if record.statut == .annule || record.statut == .reporte {
            throw ActionError.notOpenForRegistration("Cette action est \(record.statut.label.lowercased()) : les inscriptions sont fermées.").appError
        }
        if LocalDateTime(date: now) >= record.firstStart {
            throw ActionError.notOpenForRegistration("Cette action a commencé : les inscriptions sont closes.").appError
        }
        let problems = RegistrationRules.problems(name: name, email: email, people: people, capacity: capacity)
        guard problems.isEmpty else { throw ActionError.invalid(problems).appError }
        let token = Self.newToken()
        let id = UUID()
        let inscription = try await db.writeTransaction { db in
            let placed = try await Self.takePlaces(actionID: actionID, people: people, on: db)
            let inscription = InscriptionRecord(id: id, actionID: actionID, nom: name.trimmingCharacters(in: .whitespacesAndNewlines),
                                                courriel: email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), categorie: category,
                                                personnes: people, etat: placed ? .inscrit : .enAttente, jetonHash: APITokens.hash(token), creeLe: now)
            try await inscription.create(on: db)
            try await caller.audit.record(.create, inscription, id: id, on: db)
            try await RegistrationMail.queue(.registered, registration: inscription, action: record, token: token, caller: caller, on: db)
            return inscription
        }
        return Registration(record: inscription, token: token)
    }

    /// The registration a cancellation link names (404 for an unknown token).
    func find(token: String) async throws -> InscriptionRecord {
        guard token.count == 43, token.hasPrefix("ins_"),
              let record = try await InscriptionRecord.query(on: db).filter(\.$jetonHash == APITokens.hash(token)).with(\.$action).first() else {
            throw AppError.notFound("Ce lien d'annulation n'existe pas (ou plus) ; si une place s'est libérée pour vous, le bon lien est dans le dernier courriel reçu.")
        }
        return record
    }

    /// Cancels the registration of the link; its places go to the waiting list.
    func cancel(token: String) async throws -> InscriptionRecord {
        let found = try await find(token: token)
        let id = found.id!, actionID = found.$action.id
        return try await retryingStaleState {
            try await db.writeTransaction { db in
                guard let record = try await InscriptionRecord.find(id, on: db) else { throw AppError.notFound("Ce lien d'annulation n'existe pas (ou plus) ; si une place s'est libérée pour vous, le bon lien est dans le dernier courriel reçu.") }
                guard record.etat != .annule else { throw ActionError.alreadyCancelled.appError }
                let before = record.auditSnapshot
                guard try await db.claim("action_inscriptions", id: id, expected: [("etat", record.etat.rawValue)], changes: [("etat", RegistrationState.annule.rawValue)])
                else { throw StaleStateError() }
                if record.etat == .inscrit { try await Self.releasePlaces(actionID: actionID, people: record.personnes, on: db) }
                record.etat = .annule
                record.annuleLe = now
                try await record.update(on: db)
                try await caller.audit.record(.update, record, id: id, before: before, on: db)
                try await promote(actionID: actionID, on: db)
                return record
            }
        }
    }

    /// Moves waiting registrations onto the list while places are free (`RegistrationRules.promotions`). Each person
    /// moved gets an e-mail with a new cancellation link (the database keeps only the hash of the first one).
    func promote(actionID: UUID, on db: (any Database)? = nil) async throws {
        let db = db ?? self.db
        guard let action = try await ActionRecord.find(actionID, on: db), let capacity = action.capacite else { return }
        let rows = try await InscriptionRecord.query(on: db).filter(\.$action.$id == actionID).filter(\.$etat ~~ [.inscrit, .enAttente])
            .sort(\.$creeLe).sort(\.$id).all()
        let seats = rows.enumerated().map { RegistrationSeat(id: $1.id!, people: $1.personnes, state: $1.etat, order: $0) }
        let promoted = RegistrationRules.promotions(capacity: capacity, seats: seats)
        for id in promoted {
            guard let row = rows.first(where: { $0.id == id }) else { continue }
            guard try await Self.takePlaces(actionID: actionID, people: row.personnes, on: db) else { continue }
            guard try await db.claim("action_inscriptions", id: id, expected: [("etat", RegistrationState.enAttente.rawValue)],
                                     changes: [("etat", RegistrationState.inscrit.rawValue)]) else {
                try await Self.releasePlaces(actionID: actionID, people: row.personnes, on: db)
                continue
            }
            let before = row.auditSnapshot
            row.etat = .inscrit
            let token = Self.newToken()
            row.jetonHash = APITokens.hash(token)
            try await row.update(on: db)
            try await caller.audit.record(.update, row, id: id, before: before, on: db)
            try await RegistrationMail.queue(.promoted, registration: row, action: action, token: token, caller: caller, on: db)
        }
    }

    /// The registrations of an action, for those who may see them, in order of arrival.
    func list(actionID: UUID) async throws -> (action: ActionService.Loaded, registrations: [InscriptionRecord]) {
        let action = try await ActionService(db: db, caller: caller).load(actionID)
        try caller.authorize(.read, .actionRegistrations(action.scope))
        let rows = try await InscriptionRecord.query(on: db).filter(\.$action.$id == actionID).sort(\.$creeLe).sort(\.$id).all()
        return (action, rows)
    }

    /// One page of the registrations of an action, in order of arrival, for those who may see them.
    func page(actionID: UUID, _ request: PageRequest) async throws -> Page<InscriptionRecord> {
        let action = try await ActionService(db: db, caller: caller).load(actionID)
        try caller.authorize(.read, .actionRegistrations(action.scope))
        return try await InscriptionRecord.query(on: db).filter(\.$action.$id == actionID).sort(\.$creeLe).sort(\.$id).paginated(request)
    }

    /// Deletes the names and e-mail addresses of the registrants of the actions that ended more than `months`
    /// months ago (the counts of people stay), and the registration e-mails about these actions kept in the outbox.
    /// Returns how many registrations were erased.
    @discardableResult
    func eraseExpired(months: Int) async throws -> Int {
        let today = LocalDateTime(date: now)
        // an action whose last end is before `cutoff` ended more than `months` months ago.
        let cutoff = LocalDateTime(day: today.day.adding(months: -months), time: today.time)
        let actions = try await ActionRecord.query(on: db).filter(\.$dernierFin <= cutoff.wallClockMinutes).filter(\.$inscritsEffacesLe == nil)
            .filter(\.$inscription == .cmq).all()
        var erased = 0
        for action in actions {
            let actionID = try action.requireID()
            erased += try await db.writeTransaction { db in
                let rows = try await InscriptionRecord.query(on: db).filter(\.$action.$id == actionID).filter(\.$effaceLe == nil).all()
                for row in rows {
                    row.nom = nil
                    row.courriel = nil
                    row.effaceLe = now
                    try await row.update(on: db)
                }
                // the e-mails name the person; each names its action by the address of its page.
                try await OutboxMessage.query(on: db).filter(\.$kind == RegistrationMail.kind)
                    .filter(\.$text ~~ (ActionsURL.page(actionID).path + "\n")).delete()
                action.inscritsEffacesLe = now
                try await action.update(on: db)
                return rows.count
            }
        }
        return erased
    }

    // MARK: - Places

    /// Takes `people` places if they fit in the capacity, in one conditional update; tells whether it did.
    static func takePlaces(actionID: UUID, people: Int, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let taken = SQLBinaryExpression(SQLIdentifier("places_prises"), .add, SQLBind(people))
        let rows = try await sql.update("actions")
            .set(SQLIdentifier("places_prises"), to: taken)
            .where("id", .equal, actionID)
            .where(SQLBinaryExpression(taken, .lessThanOrEqual, SQLIdentifier("capacite")))
            .returning("id").all()
        return !rows.isEmpty
    }

    static func releasePlaces(actionID: UUID, people: Int, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.update("actions")
            .set(SQLIdentifier("places_prises"), to: SQLBinaryExpression(SQLIdentifier("places_prises"), .subtract, SQLBind(people)))
            .where("id", .equal, actionID)
            .run()
    }

    /// "ins_" and 39 characters of base 32.
    static func newToken() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return "ins_" + String((0..<39).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
