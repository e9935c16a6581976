@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Ma réussite pro: the contest's public vote, juries and results")
struct ConcoursTests {
    typealias F = TemoignageFixtures

    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    struct Contest {
        var edition: ConcoursEditionRecord
        var categorie: ConcoursCategorieRecord
        var entry: UUID
        var waitingEntry: UUID
        var academie: String
    }

    /// An edition (submissions until 2027-03-15, académie juries until 04-15, national until 05-15, vote 04-01 to
    /// 05-01, results 05-20), a category, a published testimony entered and a waiting one entered.
    static func contest(_ app: Application) async throws -> Contest {
        app.clock = .fixed(at("2026-11-20T10:00:00Z"))
        let (campus, _) = try await F.campus(app)
        let published = try await F.withMedia(app, campus: campus)
        #expect(try await F.consent(app, published.id, role: "personne").status == .created)
        #expect(try await F.moderate(app, published.id, #"{"decision": "publier"}"#).status == .ok)
        let waiting = try await F.withMedia(app, campus: campus)
        let calendar = try ContestCalendar(submissionsOpen: at("2027-01-04T00:00:00Z"), submissionsClose: at("2027-03-15T00:00:00Z"),
                                           academieJuryClose: at("2027-04-15T00:00:00Z"), nationalJuryClose: at("2027-05-15T00:00:00Z"),
                                           voteOpen: at("2027-04-01T00:00:00Z"), voteClose: at("2027-05-01T00:00:00Z"), results: at("2027-05-20T00:00:00Z"))
        let grid = try ScoringGrid([ScoringCriterion(code: "message", label: "Force du message", weight: 3, maximum: 20),
                                    ScoringCriterion(code: "realisation", label: "Réalisation", weight: 1, maximum: 10)])
        let edition = try ConcoursEditionRecord(nom: "Ma réussite pro 2027", calendar: calendar, grid: grid, placesNationales: 1)
        try await edition.create(on: app.db)
        let categorie = ConcoursCategorieRecord(editionID: try edition.requireID(), code: "services", nom: "Services")
        try await categorie.create(on: app.db)
        categorie.$edition.value = edition
        let entry = ConcoursCandidatureRecord(categorieID: try categorie.requireID(), temoignageID: published.id, academieCode: campus.academieCode)
        try await entry.create(on: app.db)
        let waitingEntry = ConcoursCandidatureRecord(categorieID: try categorie.requireID(), temoignageID: waiting.id, academieCode: campus.academieCode)
        try await waitingEntry.create(on: app.db)
        return Contest(edition: edition, categorie: categorie, entry: try entry.requireID(), waitingEntry: try waitingEntry.requireID(), academie: campus.academieCode)
    }

    static func account(_ app: Application, _ name: String) async throws -> Caller {
        let lycee = try await Factory.organisation(app.db, nom: "Lycée de \(name)")
        let user = try await TestAccounts.user(app, role: .membre, email: "\(name)@cmq.test", organisation: try lycee.requireID())
        return Caller(actor: user.actor, author: .command(name), isOperator: false, clock: app.clock)
    }

    @Test("one vote per account and category, while the vote is open, for an entry in the contest; two votes at once keep one",
          arguments: TestDatabase.all)
    func vote(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let contest = try await Self.contest(app)
            app.clock = .fixed(Self.at("2027-03-20T10:00:00Z"))
            let early = try await Self.account(app, "avant")
            await #expect(throws: AppError.conflict("Le vote du public n'est pas ouvert.")) {
                try await ConcoursService(db: app.db, caller: early).vote(contest.entry)
            }
            app.clock = .fixed(Self.at("2027-04-10T10:00:00Z"))
            let voter = try await Self.account(app, "votant")
            let service = ConcoursService(db: app.db, caller: voter)
            try await service.vote(contest.entry)
            await #expect(throws: AppError.conflict(PublicVoteRules.Refusal.alreadyVoted.message)) { try await service.vote(contest.entry) }
            await #expect(throws: AppError.conflict(PublicVoteRules.Refusal.notEntered.message)) {
                try await ConcoursService(db: app.db, caller: try await Self.account(app, "autre")).vote(contest.waitingEntry)
            }
            await #expect(throws: AppError.self) {
                try await ConcoursService(db: app.db, caller: .viewer(nil)).vote(contest.entry)
            }
            // two votes of one account sent at once: the unique index keeps one
            let twin = ConcoursService(db: app.db, caller: try await Self.account(app, "double"))
            async let first: Bool = (try? await twin.vote(contest.entry)) != nil
            async let second: Bool = (try? await twin.vote(contest.entry)) != nil
            let kept = [await first, await second].filter { $0 }.count
            #expect(kept == 1)
            #expect(try await ConcoursVoteRecord.query(on: app.db).count() == 2)
        }
    }

    @Test("each juror scores in their own name, at their level and académie, during their jury; the académie's first go national; results",
          arguments: TestDatabase.all)
    func juries(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let contest = try await Self.contest(app)
            let editionID = try contest.edition.requireID()
            func juror(_ name: String, _ niveau: ConcoursJureRecord.Niveau, _ academie: String?) async throws -> Caller {
                let caller = try await Self.account(app, name)
                try await ConcoursJureRecord(editionID: editionID, userID: caller.actor!.userID, niveau: niveau, academieCode: academie).create(on: app.db)
                return caller
            }
            let local = try await juror("jure-academie", .academique, contest.academie)
            let elsewhere = try await juror("jure-ailleurs", .academique, "99")
            let national = try await juror("jure-national", .national, nil)
            let stranger = try await Self.account(app, "pas-jure")
            let marks = ["message": 16, "realisation": 5]

            app.clock = .fixed(Self.at("2027-03-20T10:00:00Z"))
            func service(_ caller: Caller) -> ConcoursService {
                var caller = caller
                caller.clock = app.clock
                return ConcoursService(db: app.db, caller: caller)
            }
            #expect(try await service(local).score(contest.entry, marks: marks) == 14.5)
            await #expect(throws: AppError.self) { try await service(elsewhere).score(contest.entry, marks: marks) }
            await #expect(throws: AppError.self) { try await service(stranger).score(contest.entry, marks: marks) }
            await #expect(throws: AppError.validation([FieldError("notes", "Notez le critère « Réalisation ».")])) {
                try await service(local).score(contest.entry, marks: ["message": 12])
            }
            await #expect(throws: AppError.conflict(PublicVoteRules.Refusal.notEntered.message)) {
                try await service(local).score(contest.waitingEntry, marks: marks)
            }
            // the national jury does not sit yet; a second marking replaces the first
            await #expect(throws: AppError.conflict("Le jury national ne siège pas en ce moment.")) {
                try await service(national).score(contest.entry, marks: marks)
            }
            #expect(try await service(local).score(contest.entry, marks: ["message": 20, "realisation": 10]) == 20)
            #expect(try await ConcoursNoteRecord.query(on: app.db).count() == 1)

            app.clock = .fixed(Self.at("2027-04-20T10:00:00Z"))
            await #expect(throws: AppError.conflict("Le jury académique ne siège pas en ce moment.")) {
                try await service(local).score(contest.entry, marks: marks)
            }
            #expect(try await service(national).score(contest.entry, marks: marks) == 14.5)

            // results: nothing before their date, then the national ranking and the public prize
            await #expect(throws: AppError.self) { try await service(stranger).results(try contest.categorie.requireID()) }
            app.clock = .fixed(Self.at("2027-04-10T10:00:00Z"))
            try await service(stranger).vote(contest.entry)
            app.clock = .fixed(Self.at("2027-05-20T10:00:00Z"))
            let results = try await service(stranger).results(try contest.categorie.requireID())
            #expect(results.ranking.map(\.entry) == [contest.entry] && results.ranking.first?.medal == .or && results.ranking.first?.mean == 14.5)
            #expect(results.publicPrize == [contest.entry] && results.votes[contest.entry] == 1)
        }
    }
}
