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
        #expect(ColourScale(maximum: 4, quantity: .counting(.action)).steps.map(\.label) == ["Aucune action", "1 action", "2 actions", "3 actions", "4 actions"])
        #expect(ColourScale(maximum: 10, quantity: .counting(.action)).steps.last?.label == "De 8 à 10 actions")
        #expect(ten.colour(for: 0) == ColourScale.zeroColour)
        #expect(ten.colour(for: 10) == "#000091")
        #expect(ten.colour(for: 4) == ColourScale.palette[1])
    }

    @Test("two consecutive colour classes differ by a contrast of 3:1 or by hatches", arguments: 0...12)
    func neighbouringClasses(maximum: Int) throws {
        let steps = ColourScale(maximum: maximum).steps
        for (previous, step) in zip(steps, steps.dropFirst()) {
            let ratio = try #require(Contrast.ratio(previous.colour, step.colour))
            #expect(ratio >= Contrast.graphicMinimum || previous.hatched != step.hatched,
                    "\(previous.label) and \(step.label): contrast \(ratio), neither or both hatched")
            if step.hatched {
                #expect(try #require(Contrast.ratio(step.colour, step.ink)) >= Contrast.graphicMinimum)
            }
        }
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
            // the drawing: a picture hidden from assistive technologies, its links out of the tab order
            #expect(html.contains(#"<svg class="map" viewBox="0 0 1000 1000" aria-hidden="true" focusable="false""#))
            #expect(html.components(separatedBy: #"<a class="area-link""#).count - 1 == 18)
            #expect(html.contains(#"<a class="area-link" href="/regions/hauts-de-france" tabindex="-1"><title>Hauts-de-France : 1 campus</title>"#))
            #expect(html.contains(#"<a class="marker" href="/campus/"#))
            #expect(!html.contains(#"role="img""#))
            // the names drawn: every région (the territory's spelling), the campus beside its marker
            #expect(html.contains(#">Hauts-de-France</text>"#) && html.contains(#">Grand Est</text>"#) && html.contains(#">Guadeloupe</text>"#))
            #expect(html.contains(#"class="place-label""#) && html.contains(#">Métallurgie et plasturgie</text>"#))
            // the list beside it: the way in, in alphabetical order, with the same names and links
            let list = try #require(html.range(of: #"<nav class="map-index""#).map { String(html[$0.lowerBound...]) })
            let regions = list.components(separatedBy: #"<li><a href="/regions/"#).dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(regions.count == 18)
            #expect(regions.first == "auvergne-rhone-alpes" && regions.last == "provence-alpes-cote-d-azur")
            #expect(list.contains(#"<a href="/regions/hauts-de-france">Hauts-de-France</a> <span class="meta">: 1 campus</span>"#))
            #expect(list.contains(#">Métallurgie et plasturgie</a></li>"#))

            // a filière without campus in the région recolours it grey
            let filtered = try await app.send(.GET, "/?filiere=tourisme-gastronomie").body.string
            #expect(filtered.contains(#"href="/regions/hauts-de-france?filiere=tourisme-gastronomie" tabindex="-1"><title>Hauts-de-France : aucun campus</title>"#))
            #expect(!filtered.contains(">Métallurgie et plasturgie</"))
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
            #expect(html.contains(#"href="/campus?academie=lille" tabindex="-1"><title>Lille : 1 campus</title>"#))
            #expect(html.contains(#"href="/campus?academie=amiens" tabindex="-1"><title>Amiens : aucun campus</title>"#))
            #expect(html.contains(#"<a href="/campus?academie=amiens">Amiens</a> <span class="meta">: aucun campus</span></li><li><a href="/campus?academie=lille">Lille</a>"#))
            #expect(html.contains(#">Lille</text>"#) && html.contains(#">Amiens</text>"#))
            #expect(html.contains("Travaux publics"))
            #expect(try await app.send(.GET, "/regions/32").status == .ok)
            #expect(try await app.send(.GET, "/regions/atlantide").status == .notFound)
        }
    }
}
