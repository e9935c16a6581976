import CMQDomain
import Crypto
import Fluent
import Foundation
import SQLKit

extension ActionError {
    /// 409 when the action's state forbids it, 422 with the fields otherwise.
    var appError: AppError {
        switch self {
        case .invalid(let errors): .validation(errors.map { FieldError($0.field, $0.message) })
        case .participationTooEarly: .validation([FieldError("participation", message)])
        default: .conflict(message)
        }
    }
}

/// The actions of the campuses: written through `CMQDomain/Actions`' rules, checked against the caller's rights
/// (`Resource.campusAction`), recorded in the audit trail. Every change of state is a conditional write: the
/// moderation moves from the state read (`claim`), a registration takes its places by one conditional update of
/// the action's `places_prises`, a cancellation moves the registration out of its state once.
struct ActionService {
    let db: any Database
    let caller: Caller

    /// An action with what its pages and the API show.
    struct Loaded: Sendable {
        var record: ActionRecord
        var campus: Campus
        var organisations: [ActionOrganisationRecord]
        var formationIDs: [UUID]
        var plateauIDs: [UUID]

        var organiserIDs: [UUID] { organisations.filter { $0.role == .organisateur }.map { $0.$organisation.id } }
        var scope: Resource.ActionScope {
            Resource.ActionScope(campusID: campus.id!, regionCode: campus.regionCode, organiserIDs: organiserIDs,
                                 isPublished: record.moderation == .publie)
        }
        var draft: ActionDraft { get throws { try record.draft(organisations: organisations, formations: formationIDs, plateaux: plateauIDs) } }
    }

    var now: Date { caller.clock.now() }
    var localNow: LocalDateTime { LocalDateTime(date: now) }

    // MARK: - Reading

    /// The action, if the caller may read it (a draft is not found by the public: 404, not 401).
    func load(_ id: UUID) async throws -> Loaded {
        guard let record = try await ActionRecord.query(on: db).filter(\.$id == id).with(\.$campus).first() else {
            throw AppError.notFound("Aucune action n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        let loaded = try await Self.loaded([record], on: db)[0]
        guard caller.may(.read, .campusAction(loaded.scope)) else {
            throw AppError.notFound("Aucune action n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return loaded
    }

    static func loaded(_ records: [ActionRecord], on db: any Database) async throws -> [Loaded] {
        let ids = records.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let organisations = Dictionary(grouping: try await ActionOrganisationRecord.query(on: db).filter(\.$action.$id ~~ ids).all(), by: \.$action.id)
        let formations = Dictionary(grouping: try await ActionFormationRecord.query(on: db).filter(\.$action.$id ~~ ids).all(), by: \.$action.id)
        let plateaux = Dictionary(grouping: try await ActionPlateauRecord.query(on: db).filter(\.$action.$id ~~ ids).all(), by: \.$action.id)
        return records.map { record in
            Loaded(record: record, campus: record.campus, organisations: organisations[record.id!] ?? [],
                   formationIDs: (formations[record.id!] ?? []).map { $0.$formation.id }, plateauIDs: (plateaux[record.id!] ?? []).map { $0.$plateau.id })
        }
    }

    // MARK: - Writing the action

    /// Creates a draft action of `campusID`.
    func create(campusID: UUID, _ draft: ActionDraft) async throws -> Loaded {
        guard let campus = try await Campus.find(campusID, on: db) else {
            throw AppError.validation([FieldError("campusId", "Aucun campus n'a l'identifiant \(campusID.uuidString.lowercased()).")])
        }
        let scope = Resource.ActionScope(campusID: campusID, regionCode: campus.regionCode, organiserIDs: draft.organisateurs, isPublished: false)
        try caller.authorize(.create, .campusAction(scope))
        let draft = Self.withFiliere(draft, of: campus)
        let departement = try await check(draft, campus: campus)
        let id = UUID()
        let record = ActionRecord(id: id, campusID: campusID)
        try record.apply(draft, departement: departement)
        try await db.writeTransaction { db in
            try await record.create(on: db)
            try await Self.writeLinks(id: id, draft, on: db)
            try await caller.audit.record(.create, record, id: id, on: db)
        }
        return try await load(id)
    }

    /// Replaces what the organiser writes. The capacity may not drop below the places taken; a larger one moves
    /// registrations up from the waiting list.
    func update(_ id: UUID, _ draft: ActionDraft) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .campusAction(current.scope))
        var newScope = current.scope
        newScope.organiserIDs = draft.organisateurs
        try caller.authorize(.update, .campusAction(newScope))
        let draft = Self.withFiliere(draft, of: current.campus)
        let departement = try await check(draft, campus: current.campus)
        let hasRegistrations = try await InscriptionRecord.query(on: db).filter(\.$action.$id == id).count() > 0
        if hasRegistrations, draft.inscription.mode != .cmq {
            throw AppError.validation([FieldError("inscription", "Des personnes se sont inscrites sur cmq : l'inscription reste sur cmq (annulez l'action si besoin).")])
        }
        try await retryingStaleState {
            try await db.writeTransaction { db in
                guard let record = try await ActionRecord.find(id, on: db) else { throw AppError.notFound("Cette action vient d'être supprimée.") }
                let before = record.auditSnapshot
                if let capacity = draft.inscription.capacity, capacity < record.placesPrises {
                    throw AppError.validation([FieldError("capacite", "\(record.placesPrises) personnes sont déjà inscrites : la capacité ne peut pas être inférieure.")])
                }
                let expectedTaken = record.placesPrises
                try record.apply(draft, departement: departement)
                // the update holds only if nobody registered in between (PostgreSQL re-checks the row).
                guard let sql = db as? any SQLDatabase else { return }
                let changed = try await sql.update("actions")
                    .set("capacite", to: record.capacite)
                    .where("id", .equal, id).where("places_prises", .equal, expectedTaken)
                    .returning("id").all()
                guard !changed.isEmpty else { throw StaleStateError() }
                try await record.update(on: db)
                try await ActionOrganisationRecord.query(on: db).filter(\.$action.$id == id).delete()
                try await ActionFormationRecord.query(on: db).filter(\.$action.$id == id).delete()
                try await ActionPlateauRecord.query(on: db).filter(\.$action.$id == id).delete()
                try await Self.writeLinks(id: id, draft, on: db)
                try await caller.audit.record(.update, record, id: id, before: before, on: db)
                try await RegistrationLedger(db: db, caller: caller).promote(actionID: id)
            }
        }
        return try await load(id)
    }

    /// A new draft with the same content, its timings moved by `days` (364 by default: the same weekday a year later,
    /// next year's open day).
    func duplicate(_ id: UUID, days: Int = 364) async throws -> Loaded {
        let source = try await load(id)
        try caller.authorize(.create, .campusAction(source.scope))
        guard (-3660...3660).contains(days) else {
            throw AppError.validation([FieldError("jours", "Le décalage est compris entre -3660 et 3660 jours.")])
        }
        var draft = try source.draft
        draft.horaires = draft.horaires.map { $0.shifted(days: days) }
        if draft.statut != .programme, draft.statut != .deplaceEnLigne {
            draft.statut = .programme
            draft.motifStatut = nil
        }
        return try await create(campusID: source.campus.id!, draft)
    }

    /// Publishes or withdraws the action: of concurrent callers exactly one moves it.
    func moderate(_ id: UUID, to next: Moderation) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .campusAction(current.scope))
        let from = current.record.moderation
        guard from.mayBecome(next) else { throw ActionError.illegalModeration(from: from, to: next).appError }
        if next == .publie, !(try current.draft).problems.isEmpty {
            throw ActionError.invalid(try current.draft.problems).appError
        }
        try await db.writeTransaction { db in
            guard try await db.claim("actions", id: id, expected: [("moderation", from.rawValue)], changes: [("moderation", next.rawValue)]) else {
                let fresh = try await ActionRecord.find(id, on: db)
                throw ActionError.illegalModeration(from: fresh?.moderation ?? from, to: next).appError
            }
            guard let record = try await ActionRecord.find(id, on: db) else { return }
            let before = record.auditSnapshot.merging(["moderation": from.rawValue]) { $1 }
            if next == .publie, record.publieLe == nil {
                record.publieLe = now
                try await record.update(on: db)
            }
            try await caller.audit.record(.update, record, id: id, before: before, on: db)
        }
        return try await load(id)
    }

    /// Records (or corrects) the participation, once the action has started.
    func recordParticipation(_ id: UUID, _ participation: Participation) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .campusAction(current.scope))
        let problems = participation.problems(actionStart: current.record.firstStart, now: localNow)
        guard problems.isEmpty else { throw ActionError.invalid(problems).appError }
        try await db.writeTransaction { db in
            guard let record = try await ActionRecord.find(id, on: db) else { return }
            let before = record.auditSnapshot
            record.participants = try ActionJSON.string(Dictionary(uniqueKeysWithValues: participation.counts.map { ($0.key.rawValue, $0.value) }))
            record.participantsTotal = participation.total
            record.etablissements = try ActionJSON.string(participation.etablissements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            record.entreprises = try ActionJSON.string(participation.entreprises.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            record.bilan = participation.bilan.trimmingCharacters(in: .whitespacesAndNewlines)
            record.participationLe = now
            try await record.update(on: db)
            try await caller.audit.record(.update, record, id: id, before: before, on: db)
        }
        return try await load(id)
    }

    // MARK: - Checks against the registry

    /// The draft's problems, and those of its links: organisers, partners and the place's organisation are members
    /// of the campus's network; the formations and platforms exist. Returns the département of the place.
    private func check(_ draft: ActionDraft, campus: Campus) async throws -> String? {
        var problems = draft.problems
        let members = Set(try await Membership.query(on: db).filter(\.$campus.$id == campus.id!).all().map { $0.$organisation.id })
        for (field, ids) in [("organisateurs", draft.organisateurs), ("partenaires", draft.partenaires)] where !Set(ids).isSubset(of: members) {
            problems.append(.init(field, "Chaque organisation doit être membre du réseau du campus « \(campus.nom) »."))
        }
        if Set(draft.organisateurs).intersection(draft.partenaires).count > 0 {
            problems.append(.init("partenaires", "Une organisation est organisatrice ou partenaire, pas les deux."))
        }
        var departement: String?
        switch draft.lieu {
        case .organisation(let id):
            if let organisation = try await Organisation.find(id, on: db), members.contains(id) {
                departement = organisation.departementCode
            } else {
                problems.append(.init("organisationLieu", "Le lieu doit être une organisation membre du réseau du campus."))
            }
        case .adresse(let address):
            departement = ActionRules.isInseeCode(address.inseeCode.trimmingCharacters(in: .whitespaces)) ? address.departementCode : nil
        case .enLigne:
            departement = nil
        }
        if let filiere = draft.filiere, Filiere(slug: filiere) == nil {
            problems.append(.init("filiere", "La filière « \(filiere) » n'existe pas."))
        }
        if !draft.formations.isEmpty, try await Formation.visible(on: db).filter(\.$id ~~ draft.formations).count() != Set(draft.formations).count {
            problems.append(.init("formations", "Une des formations indiquées n'existe pas."))
        }
        if !draft.plateaux.isEmpty, try await PlateauRecord.query(on: db).filter(\.$id ~~ draft.plateaux).count() != Set(draft.plateaux).count {
            problems.append(.init("plateaux", "Un des plateaux techniques indiqués n'existe pas."))
        }
        guard problems.isEmpty else { throw ActionError.invalid(problems).appError }
        return departement
    }

    /// The campus's filière when the draft names none.
    private static func withFiliere(_ draft: ActionDraft, of campus: Campus) -> ActionDraft {
        var draft = draft
        if draft.filiere?.isEmpty ?? true { draft.filiere = campus.filiere.rawValue }
        return draft
    }

    private static func writeLinks(id: UUID, _ draft: ActionDraft, on db: any Database) async throws {
        var seen: Set<UUID> = []
        for organisation in draft.organisateurs where seen.insert(organisation).inserted {
            try await ActionOrganisationRecord(actionID: id, organisationID: organisation, role: .organisateur).create(on: db)
        }
        for organisation in draft.partenaires where seen.insert(organisation).inserted {
            try await ActionOrganisationRecord(actionID: id, organisationID: organisation, role: .partenaire).create(on: db)
        }
        for formation in Set(draft.formations) { try await ActionFormationRecord(actionID: id, formationID: formation).create(on: db) }
        for plateau in Set(draft.plateaux) { try await ActionPlateauRecord(actionID: id, plateauID: plateau).create(on: db) }
    }
}
