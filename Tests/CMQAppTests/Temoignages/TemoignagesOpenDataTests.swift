@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Témoignages: the open dataset, the campus's and the formation's pages")
struct TemoignagesOpenDataTests {
    typealias F = TemoignageFixtures

    /// A testimony about `formation`, published with its adult's consent (given 2026-11-02).
    static func published(_ app: Application, campus: Campus, formation: Formation?, expires: String? = nil) async throws -> TemoignageDTO {
        let temoignage = try await F.withMedia(app, campus: campus)
        if let formation {
            let record = try #require(try await TemoignageRecord.find(temoignage.id, on: app.db))
            record.$formation.id = try formation.requireID()
            try await record.update(on: app.db)
        }
        #expect(try await F.consent(app, temoignage.id, role: "personne", expires: expires).status == .created)
        #expect(try await F.moderate(app, temoignage.id, #"{"decision": "publier"}"#).status == .ok)
        return temoignage
    }

    static func lines(_ response: TestingHTTPResponse) -> [[String]] {
        response.body.string.split(whereSeparator: \.isNewline).map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("the published testimonies as CSV and JSON with their Table Schema, metadata only; waiting, withdrawn or expired ones are not in them",
          arguments: TestDatabase.all)
    func dataset(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let start = ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!
            app.clock = .fixed(start)
            let (campus, lycee) = try await F.campus(app)
            let formation = Formation(organisationID: try lycee.requireID(), intitule: "Bac pro cuisine", niveauSortie: 4)
            try await formation.create(on: app.db)
            let before = try await app.send(.GET, "/api/v1/donnees/temoignages.csv", as: .anonymous)
            #expect(before.status == .ok && Self.lines(before).count == 1)
            let etag = try #require(before.headers.first(name: .eTag))
            // one published about the formation, one published whose consent ends on 2026-12-31, one waiting
            let shown = try await Self.published(app, campus: campus, formation: formation)
            let expiring = try await Self.published(app, campus: campus, formation: nil, expires: "2026-12-31")
            let waiting = try await F.withMedia(app, campus: campus)

            let csv = try await app.send(.GET, "/api/v1/donnees/temoignages.csv", as: .anonymous)
            #expect(csv.status == .ok && csv.headers.first(name: .eTag) != etag)
            let rows = Self.lines(csv)
            #expect(rows.count == 3)
            let header = rows[0]
            let row = try #require(rows.first { $0.first == shown.id.lower })
            func value(_ column: String) -> String { header.firstIndex(of: column).map { row[$0] } ?? "absent" }
            #expect(value("prenom") == "Léa" && value("campus_id") == campus.id!.lower && value("formation") == "Bac pro cuisine" && value("niveau") == "4")
            #expect(value("page") == "/temoignages/\(shown.id.lower)" && value("publie_le") == "2026-11-20" && !value("duree_secondes").isEmpty)
            // metadata only: never the text, the video, the consents
            #expect(header.allSatisfy { !["texte", "video", "transcription", "consentements"].contains($0) })
            #expect(!csv.body.string.contains("Léa raconte") && !csv.body.string.contains(waiting.id.lower))
            let schema = try await app.send(.GET, "/api/v1/donnees/temoignages.schema.json", as: .anonymous).decoded(JSONValue.self)
            guard case .object(let root) = schema, case .array(let fields)? = root["fields"] else { Issue.record("no fields"); return }
            #expect(fields.count == header.count)
            let json = try await app.send(.GET, "/api/v1/donnees/temoignages.json", as: .anonymous)
            #expect(json.status == .ok && json.body.string.contains(shown.id.lower) && json.body.string.contains(expiring.id.lower))
            #expect(try await app.send(.GET, "/api/v1/donnees/catalogue.jsonld", as: .anonymous).body.string.contains("/api/v1/donnees/temoignages.csv"))

            // on 2027-01-01 the expired one leaves the file, before any sweep
            app.clock = .fixed(start.addingTimeInterval(42 * 86_400))
            let later = Self.lines(try await app.send(.GET, "/api/v1/donnees/temoignages.csv", as: .anonymous))
            #expect(later.count == 2 && later[1].first == shown.id.lower)
        }
    }

    @Test("the campus's page and the formation's page show their published testimonies, and only those", arguments: TestDatabase.all)
    func pages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!)
            let (campus, lycee) = try await F.campus(app)
            let formation = Formation(organisationID: try lycee.requireID(), intitule: "Bac pro cuisine", niveauSortie: 4)
            try await formation.create(on: app.db)
            let campusPage = "/campus/\(campus.id!.lower)", formationPage = "/formations/\(try formation.requireID().lower)"
            #expect(!(try await F.get(app, campusPage, as: .anonymous).body.string.contains("Ils racontent leur réussite")))
            // waiting: not shown
            let waiting = try await F.withMedia(app, campus: campus)
            #expect(!(try await F.get(app, campusPage, as: .anonymous).body.string.contains(waiting.id.lower)))
            let shown = try await Self.published(app, campus: campus, formation: formation)
            let campusHTML = try await F.get(app, campusPage, as: .anonymous).body.string
            #expect(campusHTML.contains("Ils racontent leur réussite") && campusHTML.contains("/temoignages/\(shown.id.lower)"))
            #expect(!campusHTML.contains("/temoignages/\(waiting.id.lower)"))
            let formationHTML = try await F.get(app, formationPage, as: .anonymous).body.string
            #expect(formationHTML.contains("Ils racontent leur réussite") && formationHTML.contains("/temoignages/\(shown.id.lower)"))
        }
    }
}
