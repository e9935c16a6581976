@testable import CMQApp
import CMQDomain
import Testing
import VaporTesting

/// Every list and search reads its query string with one reader: the same parameter is refused in the same words
/// everywhere, and every fault of a request is listed at once.
@Suite("Query strings")
struct QueryReaderTests {
    @Test("the reader checks each kind of value and collects every fault")
    func reader() throws {
        var reader = QueryReader(["filiere": "cuisine", "region": "32", "academie": "Atlantide", "departement": "2A", "niveau": "9",
                                  "campus": "pas-un-id", "du": "2026-13-01", "valides": "peut-etre", "q": "  "])
        #expect(reader.filiere() == nil)
        #expect(reader.region()?.code == "32")
        #expect(reader.academie() == nil)
        #expect(reader.departement()?.code == "2A")
        #expect(reader.level() == nil)
        #expect(reader.uuid("campus", of: "de campus") == nil)
        #expect(reader.day("du") == nil)
        #expect(reader.bool("valides") == nil)
        #expect(reader.text("q") == nil)
        #expect(reader.errors.map(\.field) == ["filiere", "academie", "niveau", "campus", "du", "valides"])
        #expect(throws: AppError.self) { try reader.finish() }
    }

    @Test("an unknown filière, région or académie is refused in the same words by every list that filters on it", arguments: TestDatabase.all)
    func oneWording(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/api/v1/formations", "/api/v1/campus"] {
                let refused = try await app.send(.GET, "\(path)?filiere=cuisine&region=Atlantide")
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.faultyFields == ["filiere", "region"])
                #expect(refused.body.string.contains("La région académique « Atlantide » n'existe pas ; donnez son code (par exemple 32) ou son nom."))
                #expect(refused.body.string.contains("La filière « cuisine » n'existe pas ; valeurs possibles :"))
            }
            let labels = try await app.send(.GET, "/api/v1/labels?region=Atlantide")
            #expect(labels.status == .unprocessableEntity && labels.body.string.contains("La région académique « Atlantide » n'existe pas ; donnez son code"))
            #expect(try await app.send(.GET, "/?filiere=cuisine").status == .unprocessableEntity)
        }
    }
}
