@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Actions: the open dataset")
struct ActionsOpenDataTests {
    @Test("the published actions as CSV, JSON and GeoJSON with their Table Schema; a draft is not in them; the files change when an action is published", arguments: TestDatabase.all)
    func dataset(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            f.lycee.latitude = 49.894
            f.lycee.longitude = 2.302
            f.lycee.commune = "Amiens"
            try await f.lycee.update(on: app.db)
            let before = try await app.send(.GET, "/api/v1/donnees/actions.csv", as: .anonymous)
            let etag = try #require(before.headers.first(name: .eTag))
            let published = try await f.published(app)
            var draft = try f.draft()
            draft.titre = "Brouillon invisible"
            _ = try await ActionService(db: app.db, caller: f.team).create(campusID: f.campus.id!, draft)

            let csv = try await app.send(.GET, "/api/v1/donnees/actions.csv", as: .anonymous)
            #expect(csv.status == .ok && csv.headers.first(name: .eTag) != etag)
            let lines = csv.body.string.split(whereSeparator: \.isNewline).map(String.init)
            #expect(lines.count == 2)
            let header = lines[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let row = lines[1].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            func value(_ column: String) -> String { header.firstIndex(of: column).map { row[$0] } ?? "absent" }
            #expect(value("id") == published.record.id!.lower && value("type") == "portes-ouvertes" && value("publics") == "collegiens,parents")
            #expect(value("debut") == "2027-02-13T09:00" && value("fin") == "2027-02-13T17:00" && value("annee_scolaire") == "2026-2027")
            #expect(value("commune") == "Amiens" && value("departement_code") == "80" && value("latitude") == "49.894")
            #expect(value("inscription") == "cmq" && value("capacite") == "30" && value("participants").isEmpty)
            #expect(value("page") == "/actions/\(published.record.id!.lower)")
            #expect(!csv.body.string.contains("Brouillon invisible"))
            let schema = try await app.send(.GET, "/api/v1/donnees/actions.schema.json", as: .anonymous).decoded(JSONValue.self)
            guard case .object(let root) = schema, case .array(let fields)? = root["fields"] else { Issue.record("no fields"); return }
            let names = fields.compactMap { field -> String? in
                if case .object(let members) = field, case .string(let name)? = members["name"] { return name }
                return nil
            }
            #expect(names == header)
            let json = try await app.send(.GET, "/api/v1/donnees/actions.json", as: .anonymous)
            #expect(json.status == .ok && json.body.string.contains(published.record.id!.lower) && !json.body.string.contains("Brouillon invisible"))
            let geojson = try await app.send(.GET, "/api/v1/donnees/actions.geojson", as: .anonymous)
            #expect(geojson.status == .ok && geojson.body.string.contains("[2.302,49.894]"))
            #expect(try await app.send(.GET, "/api/v1/donnees/catalogue.jsonld", as: .anonymous).body.string.contains("/api/v1/donnees/actions.csv"))
        }
    }
}
