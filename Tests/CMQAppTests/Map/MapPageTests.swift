@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Map of France")
struct MapPageTests {
    @Test("the shipped contours give 18 régions académiques, 5 of them as insets, and one map per région")
    func catalog() {
        let catalog = MapCatalog.shared
        #expect(catalog.national.shapes.count == 18)
        #expect(Set(catalog.national.insets.map(\.code)) == ["01", "02", "03", "04", "06"])
        #expect(catalog.regions.count == 18)
        #expect(catalog.regions["44"]?.shapes.map(\.name).sorted() == ["Nancy-Metz", "Reims", "Strasbourg"])
        #expect(catalog.regions["28"]?.shapes.count == 1)
        // the projection and simplification keep the national map small enough to inline
        let size = catalog.national.shapes.map(\.path.utf8.count).reduce(0, +)
        #expect(size < 150_000)
    }

    @Test("colour classes: grey for none, then up to four ranges")
    func scale() {
        #expect(ColourScale(maximum: 0).steps.count == 1)
        #expect(ColourScale(maximum: 3).steps.map(\.label) == ["Aucun campus", "1 campus", "2 campus", "3 campus"])
        let ten = ColourScale(maximum: 10)
        #expect(ten.steps.map(\.label) == ["Aucun campus", "De 1 à 2 campus", "De 3 à 5 campus", "De 6 à 7 campus", "De 8 à 10 campus"])
        #expect(ten.colour(for: 0) == ColourScale.zeroColour)
        #expect(ten.colour(for: 10) == "#000091")
        #expect(ten.colour(for: 4) == ColourScale.palette[1])
    }

    @Test("the home map links every région to its page, colours it by count, and places support establishments", arguments: TestDatabase.all)
    func homeMap(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db, nom: "Métallurgie et plasturgie", filiere: "materiaux-innovants", academie: "20", region: "32")
            let support = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A", departement: "02")
            support.latitude = 49.8465
            support.longitude = 3.2876
            try await support.save(on: app.db)
            try await Factory.membership(app.db, campus: campus, organisation: support, role: .etablissementSupport)

            let html = try await app.send(.GET, "/").body.string
            #expect(html.contains(#"<svg class="map""#))
            #expect(html.components(separatedBy: #"<a class="area-link""#).count - 1 == 18)
            #expect(html.contains(#"<a class="area-link" href="/regions/hauts-de-france" aria-label="Hauts-de-France : 1 campus">"#))
            #expect(html.contains(#"aria-label="Campus Métallurgie et plasturgie""#))
            #expect(html.contains("<title id=\"carte-carte-des-campus-par-region-academique-titre\">"))

            // a filière without campus in the région recolours it grey
            let filtered = try await app.send(.GET, "/?filiere=tourisme-gastronomie").body.string
            #expect(filtered.contains(#"href="/regions/hauts-de-france?filiere=tourisme-gastronomie" aria-label="Hauts-de-France : 0 campus""#))
            #expect(!filtered.contains(#"aria-label="Campus Métallurgie et plasturgie""#))
            #expect(try await app.send(.GET, "/?filiere=inconnue").status == .unprocessableEntity)
        }
    }

    @Test("a région page shows its académies' map, their figures and its campuses", arguments: TestDatabase.all)
    func regionPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.campus(app.db, nom: "Travaux publics", filiere: "batiment-eco-construction", academie: "09", region: "32")
            let response = try await app.send(.GET, "/regions/hauts-de-france")
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.contains("Région académique Hauts-de-France"))
            #expect(html.contains(#"href="/campus?academie=lille" aria-label="Lille : 1 campus""#))
            #expect(html.contains(#"href="/campus?academie=amiens" aria-label="Amiens : 0 campus""#))
            #expect(html.contains("Travaux publics"))
            #expect(try await app.send(.GET, "/regions/32").status == .ok)
            #expect(try await app.send(.GET, "/regions/atlantide").status == .notFound)
        }
    }
}
