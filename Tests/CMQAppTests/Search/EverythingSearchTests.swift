@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// One search box for everything: words and a place in one query, answers grouped by kind with exact totals.
@Suite("Search of everything")
struct EverythingSearchTests {
    static func get(_ app: Application, _ q: String) async throws -> EverythingSearchDTO {
        let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let response = try await app.send(.GET, "/api/v1/recherche?q=\(encoded)")
        #expect(response.status == .ok)
        return try response.decoded(EverythingSearchDTO.self)
    }

    @Test("words and a place: formations near the commune, campuses and establishments by name or by place", arguments: TestDatabase.all)
    func wordsAndPlace(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await NearbySearchTests.placedCorpus(app)
            let near = try await Self.get(app, "cuisine Rennes")
            #expect(near.lieu?.type == "commune" && near.lieu?.libelle == "Rennes (35)" && near.mots == "cuisine")
            #expect(near.formations.total == 4 && near.formations.items.allSatisfy { ($0.distanceKm ?? 99) < 10 })
            #expect(near.organisations.total == 0)

            let place = try await Self.get(app, "35000")
            #expect(place.lieu?.libelle == "Rennes (35)" && place.mots == nil)
            #expect(place.formations.total == 24 && place.organisations.total == 2)
            #expect(place.organisations.items.map(\.distanceKm) == [0, 5.9])
            #expect(place.campus.total == 2)

            let departement = try await Self.get(app, "Aisne")
            #expect(departement.lieu?.type == "departement" && departement.formations.total == 12 && departement.campus.items.map(\.nom) == ["Métal"])

            let campus = try await Self.get(app, "numerique")
            // "Numérique" by its name, "Métal" because it offers formations whose text says "numérique".
            #expect(campus.lieu == nil && campus.campus.items.map(\.nom) == ["Métal", "Numérique"])
            let byName = try await Self.get(app, "zzzz Numérique")
            #expect(byName.formations.total == 0 && byName.campus.items.isEmpty)

            let typo = try await Self.get(app, "cuisnie Rennes")
            #expect(typo.suggestion == "cuisine" && typo.formations.total == 4 && typo.lieu?.libelle == "Rennes (35)")
            let nothing = try await Self.get(app, "zzzz")
            #expect(nothing.formations.total == 0 && nothing.campus.total == 0 && nothing.organisations.total == 0)

            let homonyms = try await Self.get(app, "Laval")
            #expect(homonyms.lieu?.libelle == "Laval (53)" && homonyms.autresCommunes.contains { $0.libelle == "Laval (38)" })
        }
    }

    @Test("the page groups the answers, the home page's box searches everything, a bad radius is refused", arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await NearbySearchTests.placedCorpus(app)
            let page = try await app.send(.GET, "/recherche?q=cuisine%20Rennes")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Lieu : Rennes (35)") && html.contains(#"id="r-formations""#) && html.contains(#"id="r-campus""#))
            #expect(html.contains("/formations?pres=Rennes%20(35)&amp;q=cuisine") || html.contains("/formations?pres=Rennes%20%2835%29&amp;q=cuisine"))
            let empty = try await app.send(.GET, "/recherche?q=zzzz").body.string
            #expect(empty.contains("Rien ne correspond à « zzzz »") && empty.contains("Parcourir toutes les formations"))
            let blank = try await app.send(.GET, "/recherche")
            #expect(blank.status == .ok && blank.body.string.contains("cmq cherche partout à la fois"))
            let home = try await app.send(.GET, "/").body.string
            #expect(home.contains(#"action="/recherche""#))
            #expect(try await app.send(.GET, "/api/v1/recherche?q=Rennes&rayon=0").status == .unprocessableEntity)
        }
    }
}
