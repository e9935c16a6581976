@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// A campus with two member organisations and a non-member, accounts of each role, and a clock in January 2027.
struct ActionFixture {
    let campus: Campus
    let otherCampus: Campus
    let lycee: Organisation
    let entreprise: Organisation
    let outsider: Organisation
    let clock: AppClock

    static let now = ISO8601DateFormatter().date(from: "2027-01-10T10:00:00Z")!

    static func make(_ app: Application) async throws -> ActionFixture {
        let campus = try await Factory.campus(app.db)
        let otherCampus = try await Factory.campus(app.db, nom: "Autre campus", region: "84")
        let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", departement: "80")
        let entreprise = try await Factory.organisation(app.db, nom: "Plasturgie du Nord", kind: "entreprise", isPublic: false)
        let outsider = try await Factory.organisation(app.db, nom: "Lycée d'ailleurs")
        try await Factory.membership(app.db, campus: campus, organisation: lycee)
        try await Factory.membership(app.db, campus: campus, organisation: entreprise)
        return ActionFixture(campus: campus, otherCampus: otherCampus, lycee: lycee, entreprise: entreprise, outsider: outsider, clock: .fixed(now))
    }

    func caller(_ role: Role?, region: String? = nil, campus: UUID? = nil, organisation: UUID? = nil, at clock: AppClock? = nil) -> Caller {
        let actor = role.map { Actor(userID: UUID(), role: $0, regionCode: region, campusID: campus, organisationID: organisation) }
        return Caller(actor: actor, author: AuditAuthor(userID: actor?.userID, label: "test"), isOperator: false, clock: clock ?? self.clock)
    }

    var team: Caller { caller(.equipeCampus, campus: campus.id) }
    var visitor: Caller { caller(nil) }

    func draft(capacity: Int? = 30, organisers: [UUID]? = nil) throws -> ActionDraft {
        ActionDraft(titre: "Journée portes ouvertes", resume: "Découvrez les formations du campus.", description: "## Programme\nAteliers **plasturgie**.",
                    type: .portesOuvertes, audiences: [.collegiens, .parents], niveaux: [.niveau3, .niveau4],
                    horaires: [try TimeRange(iso: "2027-02-13T09:00", "2027-02-13T17:00")], lieu: .organisation(lycee.id!),
                    organisateurs: organisers ?? [lycee.id!], partenaires: [entreprise.id!],
                    inscription: capacity.map { .cmq(capacity: $0) } ?? .aucune, accessibilite: [.moteur])
    }

    func published(_ app: Application, capacity: Int? = 30) async throws -> ActionService.Loaded {
        let service = ActionService(db: app.db, caller: team)
        let created = try await service.create(campusID: campus.id!, try draft(capacity: capacity))
        return try await service.moderate(created.record.id!, to: .publie)
    }
}

@Suite("Actions: the service (rights, moderation, registrations, deletion)")
struct ActionServiceTests {
    func status(_ body: () async throws -> Void) async -> AppError? {
        do { try await body(); return nil } catch let error as AppError { return error } catch { return .badRequest("\(error)") }
    }

    @Test("the campus team creates a draft; the public sees it only once published; the région reads it", arguments: TestDatabase.all)
    func rightsAndModeration(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let created = try await ActionService(db: app.db, caller: f.team).create(campusID: f.campus.id!, try f.draft())
            let id = created.record.id!
            #expect(created.record.moderation == .brouillon && created.record.departement == "80" && created.record.filiere == "materiaux-innovants")
            #expect(created.organiserIDs == [f.lycee.id!])
            if case .notFound = await status({ _ = try await ActionService(db: app.db, caller: f.visitor).load(id) }) {} else { Issue.record("a draft is hidden") }
            _ = try await ActionService(db: app.db, caller: f.caller(.regionAcademique, region: "32")).load(id)
            let region = await status { _ = try await ActionService(db: app.db, caller: f.caller(.regionAcademique, region: "32")).moderate(id, to: .publie) }
            #expect(region == .forbidden("Les actions d'un campus sont créées et modifiées par son équipe et ses membres organisateurs ; la région académique les consulte."))
            let otherTeam = await status { _ = try await ActionService(db: app.db, caller: f.caller(.equipeCampus, campus: f.otherCampus.id)).moderate(id, to: .publie) }
            #expect(otherTeam == .notFound("Aucune action n'a l'identifiant \(id.lower)."))
            let partner = await status {
                _ = try await ActionService(db: app.db, caller: f.caller(.membre, organisation: f.entreprise.id)).update(id, try f.draft())
            }
            #expect(partner == .notFound("Aucune action n'a l'identifiant \(id.lower)."))
            // the organising member may edit and publish
            let organiser = ActionService(db: app.db, caller: f.caller(.membre, organisation: f.lycee.id))
            var draft = try f.draft()
            draft.titre = "Portes ouvertes du campus"
            _ = try await organiser.update(id, draft)
            let published = try await organiser.moderate(id, to: .publie)
            #expect(published.record.moderation == .publie && published.record.publieLe == ActionFixture.now)
            #expect(try await ActionService(db: app.db, caller: f.visitor).load(id).record.titre == "Portes ouvertes du campus")
            let again = await status { _ = try await organiser.moderate(id, to: .publie) }
            #expect(again == .conflict("Cette action est déjà à l'état « publié »."))
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entityID == id).count()
            #expect(entries == 3)
        }
    }

    @Test("an invalid action or one with organisers outside the network is refused with its fields, and nothing is written", arguments: TestDatabase.all)
    func validation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            var draft = try f.draft(organisers: [f.outsider.id!])
            draft.titre = ""
            draft.horaires = [try TimeRange(iso: "2027-02-13T09:00", "2027-02-14T10:00")]
            let error = await status { _ = try await ActionService(db: app.db, caller: f.caller(.administrateurNational)).create(campusID: f.campus.id!, draft) }
            guard case .validation(let fields) = error else { Issue.record("expected 422, got \(String(describing: error))"); return }
            #expect(fields.map(\.field) == ["titre", "horaires", "organisateurs"])
            #expect(try await ActionRecord.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "action").count() == 0)
        }
    }

    @Test("registrations fill the capacity, then the waiting list; a cancellation moves the next that fits up", arguments: TestDatabase.all)
    func waitingList(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let action = try await f.published(app, capacity: 5)
            let id = action.record.id!
            let ledger = RegistrationLedger(db: app.db, caller: f.visitor)
            let a = try await ledger.register(actionID: id, name: "Famille Martin", email: "martin@example.fr", category: .parent, people: 3)
            let b = try await ledger.register(actionID: id, name: "Famille Durand", email: "durand@example.fr", category: .parent, people: 3)
            let c = try await ledger.register(actionID: id, name: "Léa Petit", email: "lea@example.fr", category: .eleve, people: 2)
            #expect([a, b, c].map(\.record.etat) == [.inscrit, .enAttente, .inscrit])
            let tooMany = await status { _ = try await ledger.register(actionID: id, name: "X", email: "x@example.fr", category: .autre, people: 6) }
            #expect(tooMany?.fieldErrors.map(\.field) == ["personnes"])
            // Martin cancels: 3 places free; Durand (3) moves up.
            _ = try await ledger.cancel(token: a.token)
            let states = try await InscriptionRecord.query(on: app.db).sort(\.$creeLe).all().map(\.etat)
            #expect(states.sorted { $0.rawValue < $1.rawValue } == [.annule, .inscrit, .inscrit])
            #expect(try await InscriptionRecord.find(b.record.id, on: app.db)?.etat == .inscrit)
            #expect(try await ActionRecord.find(id, on: app.db)?.placesPrises == 5)
            let twice = await status { _ = try await ledger.cancel(token: a.token) }
            #expect(twice == .conflict("Cette inscription est déjà annulée."))
            let unknown = await status { _ = try await ledger.cancel(token: "ins_" + String(repeating: "a", count: 39)) }
            #expect(unknown == .notFound("Ce lien d'annulation n'existe pas (ou plus) ; si une place s'est libérée pour vous, le bon lien est dans le dernier courriel reçu."))
            // the organisers see the list; the région and the public do not
            #expect(try await RegistrationLedger(db: app.db, caller: f.team).list(actionID: id).registrations.count == 3)
            let region = await status { _ = try await RegistrationLedger(db: app.db, caller: f.caller(.regionAcademique, region: "32")).list(actionID: id) }
            #expect(region == .forbidden("La liste des inscrits est réservée à l'équipe du campus et aux organisateurs de l'action."))
        }
    }

    @Test("two registrations at once for the last place: exactly one gets it, the other waits", arguments: TestDatabase.all)
    func race(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let id = try await f.published(app, capacity: 1).record.id!
            let visitor = f.visitor
            for round in 0..<3 {
                if round > 0 {
                    try await InscriptionRecord.query(on: app.db).delete()
                    let action = try #require(try await ActionRecord.find(id, on: app.db))
                    action.placesPrises = 0
                    try await action.update(on: app.db)
                }
                let states = try await withThrowingTaskGroup(of: RegistrationState.self) { group in
                    for n in 0..<2 {
                        group.addTask {
                            try await RegistrationLedger(db: app.db, caller: visitor)
                                .register(actionID: id, name: "Visiteur \(n)", email: "v\(n)@example.fr", category: .parent, people: 1).record.etat
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(states.sorted { $0.rawValue < $1.rawValue } == [.enAttente, .inscrit], "round \(round)")
                #expect(try await ActionRecord.find(id, on: app.db)?.placesPrises == 1)
            }
        }
    }

    @Test("registration is closed for a draft, an action without cmq registration, a cancelled one, and once it started", arguments: TestDatabase.all)
    func closed(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let withoutRegistration = try await f.published(app, capacity: nil).record.id!
            let ledger = RegistrationLedger(db: app.db, caller: f.visitor)
            let none = await status { _ = try await ledger.register(actionID: withoutRegistration, name: "A", email: "a@b.fr", category: .parent, people: 1) }
            #expect(none == .conflict("Cette action ne prend pas d'inscription sur cmq."))
            let id = try await f.published(app).record.id!
            let late = RegistrationLedger(db: app.db, caller: f.caller(nil, at: .fixed(ISO8601DateFormatter().date(from: "2027-02-13T08:00:00Z")!)))
            let started = await status { _ = try await late.register(actionID: id, name: "A", email: "a@b.fr", category: .parent, people: 1) }
            #expect(started == .conflict("Cette action a commencé : les inscriptions sont closes."))
            #expect(try await InscriptionRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("participation is recorded after the start; registrants' names and e-mails are deleted three months after the end", arguments: TestDatabase.all)
    func participationAndErasure(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let id = try await f.published(app).record.id!
            _ = try await RegistrationLedger(db: app.db, caller: f.visitor).register(actionID: id, name: "Famille Martin", email: "martin@example.fr", category: .parent, people: 2)
            let record = Participation(counts: [.collegiens: 120, .parents: 80], etablissements: ["Collège Rimbaud"], bilan: "Belle affluence.")
            let early = await status { _ = try await ActionService(db: app.db, caller: f.team).recordParticipation(id, record) }
            #expect(early?.fieldErrors.map(\.field) == ["participation"])
            let after = f.caller(.equipeCampus, campus: f.campus.id, at: .fixed(ISO8601DateFormatter().date(from: "2027-02-14T10:00:00Z")!))
            let recorded = try await ActionService(db: app.db, caller: after).recordParticipation(id, record)
            #expect(recorded.record.participantsTotal == 200 && recorded.record.participation == record)
            // 13 May 2027 17:00 (Paris) is three months after the end: not yet at 14:00 UTC (16:00 in Paris), done at 16:00 UTC.
            let before = RegistrationLedger(db: app.db, caller: f.caller(nil, at: .fixed(ISO8601DateFormatter().date(from: "2027-05-13T14:00:00Z")!)))
            #expect(try await before.eraseExpired(months: 3) == 0)
            let due = RegistrationLedger(db: app.db, caller: f.caller(nil, at: .fixed(ISO8601DateFormatter().date(from: "2027-05-13T16:00:00Z")!)))
            // an e-mail about another action stays
            let other = try await f.published(app).record.id!
            _ = try await RegistrationLedger(db: app.db, caller: f.visitor).register(actionID: other, name: "Famille Martin", email: "martin@example.fr", category: .parent, people: 1)
            try await ActionRecord.query(on: app.db).filter(\.$id == other).set(\.$dernierFin, to: LocalDateTime(day: CalendarDay(iso: "2027-06-01")!, time: .midnight).wallClockMinutes).update()
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$kind == RegistrationMail.kind).count() == 2)
            #expect(try await due.eraseExpired(months: 3) == 1)
            let mails = try await OutboxMessage.query(on: app.db).filter(\.$kind == RegistrationMail.kind).all()
            #expect(mails.count == 1 && mails[0].text.contains(ActionsURL.page(other).path))
            let row = try #require(try await InscriptionRecord.query(on: app.db).filter(\.$action.$id == id).first())
            #expect(row.nom == nil && row.courriel == nil && row.personnes == 2 && row.effaceLe != nil)
            #expect(try await due.eraseExpired(months: 3) == 0)
        }
    }

    @Test("cmq rgpd exports a visitor's registrations and deletes their name and address, keeping the count of people", arguments: TestDatabase.all)
    func personalData(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let id = try await f.published(app).record.id!
            _ = try await RegistrationLedger(db: app.db, caller: f.visitor).register(actionID: id, name: "Famille Martin", email: "Martin@Example.fr", category: .parent, people: 2)
            let export = try await PersonalData(db: app.db).export(email: "martin@example.fr")
            #expect(export.inscriptionsAuxActions.map(\.nom) == ["Famille Martin"])
            #expect(export.inscriptionsAuxActions.first?.action == "Journée portes ouvertes")
            let summary = try await PersonalData(db: app.db).delete(email: "martin@example.fr", caller: .command("rgpd"))
            #expect(summary.actionRegistrations == 1)
            let row = try #require(try await InscriptionRecord.query(on: app.db).first())
            #expect(row.nom == nil && row.courriel == nil && row.personnes == 2)
            #expect(try await PersonalData(db: app.db).export(email: "martin@example.fr").inscriptionsAuxActions.isEmpty)
        }
    }
}
