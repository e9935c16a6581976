@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// A new référentiel is data: loaded by `cmq referentiels charger`, checked, then used like the shipped ones.
@Suite("Référentiels as data")
struct ReferentielLoadingTests {
    /// The 2019 référentiel under another code, with a shorter maximum duration.
    static func variant(code: String) throws -> Data {
        let shipped = try #require(ReferentielCatalog.shipped.referentiel(code: "2019"))
        var file = ReferentielFile(shipped)
        file.code = code
        file.titre = "Cahier des charges de démonstration \(code)"
        file.dureeMaximaleAnnees = 3
        return try JSONEncoder().encode(file)
    }

    @Test("a valid référentiel is stored and a dossier can follow it; a bad one is refused with every problem, a known code with 409", arguments: TestDatabase.all)
    func loading(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let loaded = try await Referentiels.load(try Self.variant(code: "2027"), on: app.db)
            #expect(loaded.code == "2027" && loaded.dureeMaximaleAnnees == 3)
            let listed = try await app.send(.GET, "/api/v1/referentiels/labellisation", as: .anonymous).decoded([ReferentielDTO].self)
            #expect(listed.map(\.code) == ["2014", "2019", "2027"])
            // A dossier under the new référentiel: its maximum duration applies.
            let campus = try await Factory.campus(app.db)
            let tooLong = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(campus.id!.lower)", "referentiel": "2027", "dureeDemandee": 5}"#)
            #expect(tooLong.status == .unprocessableEntity && tooLong.faultyFields == ["dureeDemandee"])
            let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(campus.id!.lower)", "referentiel": "2027", "dureeDemandee": 3}"#)
            #expect(created.status == .created)
            // The same code again: 409, nothing stored.
            do {
                _ = try await Referentiels.load(try Self.variant(code: "2019"), on: app.db)
                Issue.record("a référentiel with a known code was accepted")
            } catch let error as AppError {
                #expect(error.status == .conflict && error.detail.contains("2019"))
            }
            // A broken file: every problem is listed.
            let broken = Data(#"{"code": "2030", "titre": "", "etapes": [{"code": "decision", "libelle": "Décision", "kind": "decision"}, {"code": "depot", "libelle": "Dépôt", "kind": "depot"}], "dureeMinimaleAnnees": 1, "dureeMaximaleAnnees": 0, "renouvelable": true, "familles": []}"#.utf8)
            do {
                _ = try await Referentiels.load(broken, on: app.db)
                Issue.record("a broken référentiel was accepted")
            } catch let error as AppError {
                #expect(error.status == .unprocessableEntity)
                #expect(error.fieldErrors.first?.detail.contains("Le référentiel est refusé") == true)
            }
            #expect(try await ReferentielRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("cmq labels echeances reads its period in months or days")
    func period() {
        let today = CalendarDay(year: 2026, month: 11, day: 21)!
        #expect(LabelsDueCommand.limit("12m", from: today)?.iso == "2027-11-21")
        #expect(LabelsDueCommand.limit("90j", from: today)?.iso == "2027-02-19")
        #expect(LabelsDueCommand.limit("90d", from: today)?.iso == "2027-02-19")
        #expect(LabelsDueCommand.limit("douze", from: today) == nil)
        #expect(LabelsDueCommand.limit("0m", from: today) == nil)
    }
}
