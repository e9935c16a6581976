@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Pathways: the public flows as open data")
struct ParcoursOpenDataTests {
    /// 60 learners at lycée A in 2023-2024; in 2024-2025, 25 at the CFA, 3 at lycée B, 22 declared continuing elsewhere,
    /// 10 graduated.
    static func network(_ app: Application, _ f: ParcoursFixture) async throws {
        var lyceeA = ParcoursFixture.header
        for n in 1...60 {
            lyceeA += "\(ParcoursFixture.ine(n));2023-2024;0020079A;40025214;scolaire;\(n <= 50 ? "poursuite" : "diplome")\n"
        }
        #expect(try await f.upload(app, f.lyceeA, lyceeA, as: f.memberA).status == .created)
        #expect(try await f.upload(app, f.cfa, ParcoursFixture.file(uai: "0801864S", learners: 1...25, formation: "32025415", statut: "apprenti", issue: ""),
                                   as: f.team).status == .created)
        #expect(try await f.upload(app, f.lyceeB, ParcoursFixture.file(uai: "0020050U", learners: 26...28, formation: "32025415", issue: ""),
                                   as: f.memberB).status == .created)
    }

    @Test("parcours-flux: every cell of the public tables, counts under 20 and their complements masked, in CSV and JSON", arguments: TestDatabase.all)
    func publicFlows(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            try await Self.network(app, f)
            let csv = try await app.send(.GET, "/api/v1/donnees/parcours-flux.csv", as: .anonymous)
            #expect(csv.status == .ok)
            let lines = csv.body.string.split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
            let header = try #require(lines.first)
            #expect(header == OpenDataset.parcoursFlux.fields.map(\.name))
            let rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            let fromA = rows.filter { $0["origine_uai"] == "0020079A" && $0["annee_depart"] == "2023-2024" && $0["annee_arrivee"] == "2024-2025" }
            func cell(_ match: ([String: String]) -> Bool) throws -> [String: String] {
                let found = fromA.first(where: match)
                return try #require(found)
            }
            let toCFA = try cell { $0["destination_uai"] == "0801864S" }
            #expect(toCFA["effectif"] == "25" && toCFA["statut"] == "publie" && toCFA["destination_statut"] == "apprenti" && toCFA["origine_type"] == "formation")
            let toLyceeB = try cell { $0["destination_uai"] == "0020050U" }
            #expect(toLyceeB["effectif"] == "" && toLyceeB["statut"] == "secret")
            let elsewhere = try cell { $0["destination_sortie"] == "poursuite-hors-reseau" }
            #expect(elsewhere["effectif"] == "22" && elsewhere["statut"] == "publie" && elsewhere["destination_type"] == "sortie")
            // 60 − 25 − 22 = 13 would be the 3 and the 10 together, never one of them alone: both masked.
            let graduated = try cell { $0["destination_sortie"] == "diplome" }
            #expect(graduated["effectif"] == "" && graduated["statut"] == "secret")
            // The entrants' row is there; no published count is between 1 and 19.
            #expect(rows.contains { $0["origine_type"] == "entrants" })
            #expect(rows.allSatisfy { row in Int(row["effectif"] ?? "").map { $0 == 0 || $0 >= 20 } ?? (row["statut"] == "secret") })
            // The JSON says the same.
            let json = try await app.send(.GET, "/api/v1/donnees/parcours-flux.json", as: .anonymous)
            struct File: Decodable { struct Row: Decodable { var destination_uai: String?; var origine_uai: String?; var effectif: Int?; var statut: String }; var donnees: [Row] }
            let file = try JSONDecoder().decode(File.self, from: Data(json.body.readableBytesView))
            #expect(file.donnees.count == rows.count)
            #expect(file.donnees.first { $0.origine_uai == "0020079A" && $0.destination_uai == "0801864S" }?.effectif == 25)
            // The dataset is in the catalogue, with its schema.
            #expect(try await app.send(.GET, "/api/v1/donnees/catalogue.jsonld", as: .anonymous).body.string.contains("parcours-flux"))
            // A table of counts has no primary key (its schema would be invalid with `id`); the lists keep theirs.
            let schema = try await app.send(.GET, "/api/v1/donnees/parcours-flux.schema.json", as: .anonymous)
            #expect(schema.status == .ok && !schema.body.string.contains("primaryKey"))
            #expect(try await app.send(.GET, "/api/v1/donnees/campus.schema.json", as: .anonymous).body.string.contains("\"primaryKey\":[\"id\"]"))
        }
    }
}
