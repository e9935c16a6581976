@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The indicators computed from the pathways, the actions and the offer's statuses, checked by hand.
@Suite("A campus's indicators computed from pathways, actions and the offer")
struct ComputedIndicatorsTests {
    @Test("pathways: learners and apprentices of the year, internal continuation; counts of 1 to 4 are not given", arguments: TestDatabase.all)
    func pathways(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            // 60 at lycée A in 2023-2024; in 2024-2025 25 apprentices at the CFA, 3 at lycée B, 22 studying elsewhere, 10 graduated.
            try await ParcoursOpenDataTests.network(app, f)
            let computer = IndicatorComputer(db: app.db)
            let wanted: Set<IndicatorComputation> = [.apprenants, .apprenantsApprentis, .apprenantsScolaires, .apprenantsEtudiants,
                                                     .apprenantsStagiaires, .continuiteInterne]
            let second = SchoolYear(startYear: 2024)
            let values = try await computer.compute(wanted, campus: f.campus, year: second, today: second.lastDay)
            #expect(values[.apprenants] == 28)
            #expect(values[.apprenantsApprentis] == 25)
            // The 3 at lycée B are pupils: under 5, not given; no student, no trainee: 0.
            #expect(values[.apprenantsScolaires] == nil && values[.apprenantsEtudiants] == 0 && values[.apprenantsStagiaires] == 0)
            // 28 of the 50 who went on studying stayed in the network: 56 %.
            #expect(values[.continuiteInterne] == 56)
            let first = SchoolYear(startYear: 2023)
            let before = try await computer.compute(wanted, campus: f.campus, year: first, today: second.lastDay)
            #expect(before[.apprenants] == 60 && before[.apprenantsApprentis] == 0 && before[.apprenantsScolaires] == 60)
            #expect(before[.continuiteInterne] == nil)
            // Only the 3 of lycée B as apprentices: not given (internal secret, 1 to 4).
            let few = ParcoursFixture.file(uai: "0020050U", year: "2025-2026", learners: 26...28, formation: "32025415", statut: "apprenti", issue: "")
            #expect(try await f.upload(app, f.lyceeB, few, as: f.memberB).status == .created)
            let third = SchoolYear(startYear: 2025)
            let late = try await computer.compute(wanted, campus: f.campus, year: third, today: third.lastDay)
            #expect(late[.apprenants] == nil && late[.apprenantsApprentis] == nil)
            // The 28 of 2024-2025: 3 found again, none declared studying elsewhere (no issue given) → 3 studying, under 5.
            #expect(late[.continuiteInterne] == nil)
        }
    }

    @Test("actions: those with participation recorded in the school year, their participants, collégiens and companies", arguments: TestDatabase.all)
    func actions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let after = f.caller(.equipeCampus, campus: f.campus.id, at: .fixed(ISO8601DateFormatter().date(from: "2027-02-14T10:00:00Z")!))
            let first = try await f.published(app).record.id!
            _ = try await ActionService(db: app.db, caller: after).recordParticipation(first, Participation(counts: [.collegiens: 120, .parents: 80], etablissements: [], bilan: ""))
            let second = try await f.published(app).record.id!
            _ = try await ActionService(db: app.db, caller: after).recordParticipation(second, Participation(counts: [.entreprises: 7, .collegiens: 30], etablissements: [], bilan: ""))
            // Published, not yet counted: not an action carried out.
            _ = try await f.published(app)
            let year = SchoolYear(startYear: 2026)
            let values = try await IndicatorComputer(db: app.db).compute([.actions, .actionsParticipants, .actionsCollegiens, .actionsEntreprises],
                                                                          campus: f.campus, year: year, today: year.lastDay)
            #expect(values[.actions] == 2)
            #expect(values[.actionsParticipants] == 237)
            #expect(values[.actionsCollegiens] == 150)
            #expect(values[.actionsEntreprises] == 7)
            // Another school year has none; another campus none.
            let other = try await IndicatorComputer(db: app.db).compute([.actions], campus: f.campus, year: year.previous, today: year.lastDay)
            #expect(other[.actions] == 0)
            #expect(try await IndicatorComputer(db: app.db).compute([.actions], campus: f.otherCampus, year: year, today: year.lastDay)[.actions] == 0)
        }
    }

    @Test("insertion: the campus's consolidated InserJeunes rates of the latest millésime before the school year, the secret applied", arguments: TestDatabase.all)
    func insertion(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seeded = try await InsertionTests.seed(app)
            let wanted: Set<IndicatorComputation> = [.insertionDevenirFavorable, .insertionPoursuite, .insertionEmploi6Mois]
            let year = SchoolYear(startYear: 2024)
            let values = try await IndicatorComputer(db: app.db).compute(wanted, campus: seeded.campus, year: year, today: year.lastDay)
            // Millésime 2022_2023: (10 + 18 + 20 + 6 + 30 + 15 + 2 + 7) / (40 + 40 + 60 + 12) = 108/152 = 71 %, as the campus page.
            #expect(values[.insertionDevenirFavorable] == 71)
            // The other rates are those of the open dataset, which consolidates the same way.
            let csv = try await app.send(.GET, "/api/v1/donnees/insertion-campus.csv", as: .anonymous).body.string
            let lines = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
            let row = try #require(lines.first { $0.first == seeded.campus.id!.lower })
            func column(_ name: String) -> Double? { lines[0].firstIndex(of: name).flatMap { Double(row[$0]) } }
            #expect(values[.insertionPoursuite] == column("taux_poursuite_etudes"))
            #expect(values[.insertionEmploi6Mois] == column("taux_emploi_6_mois"))
            // The small campus's only diploma is under the secret: no value.
            #expect(try await IndicatorComputer(db: app.db).compute(wanted, campus: seeded.small, year: year, today: year.lastDay).isEmpty)
            // Before any millésime's leavers had left: no value.
            let early = SchoolYear(startYear: 2020)
            #expect(try await IndicatorComputer(db: app.db).compute(wanted, campus: seeded.campus, year: early, today: year.lastDay).isEmpty)
        }
    }
}
