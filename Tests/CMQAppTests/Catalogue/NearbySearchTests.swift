@testable import CMQApp
import CMQDomain
import Fluent
import SQLKit
import Foundation
import Testing
import VaporTesting

/// Formations near a commune: the in-memory index and the database agree (page, total, facets, the nearest
/// first), the API gives each formation's distance and the place understood, a place that cannot be found is
/// refused with a clear message (422 in the API, a message on the page).
@Suite("Formations near a commune")
struct NearbySearchTests {
    /// The four organisations of `CatalogueIndexTests.corpus` placed: Saint-Quentin, Rennes, Cesson-Sévigné
    /// (next to Rennes), Lyon.
    static func placedCorpus(_ app: Application) async throws -> CatalogueIndexTests.Corpus {
        let corpus = try await CatalogueIndexTests.corpus(app)
        let places: [(String, Double, Double)] = [("Saint-Quentin", 49.8472, 3.2777), ("Rennes", 48.1119, -1.6819),
                                                  ("Cesson-Sévigné", 48.1213, -1.6030), ("Lyon", 45.7640, 4.8357)]
        for (organisation, place) in zip(corpus.organisations, places) {
            let body = #"{"commune": "\#(place.0)", "latitude": \#(place.1), "longitude": \#(place.2)}"#
            #expect(try await app.send(.PATCH, "/api/v1/organisations/\(organisation.id!.lower)", json: body).status == .ok)
        }
        return corpus
    }

    static func near(_ name: String, _ radius: Int) throws -> Nearby {
        Nearby(commune: try #require(CommuneGazetteer.shared.find(name)), radius: radius)
    }

    @Test("the index and the database give the same page, total and facets, the nearest first", arguments: TestDatabase.all)
    func sameAsDatabase(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let corpus = try await Self.placedCorpus(app)
            let search = CatalogueSearch(db: app.db, index: try #require(app.catalogueIndex))
            let rennes = try Self.near("Rennes", 30), wide = try Self.near("Saint-Quentin", 200), nowhere = try Self.near("Brest", 5)
            var list: [CatalogueSearch.Criteria] = []
            for q in [nil, "cuisine", "meca"] as [String?] {
                list.append(.init(q: q, near: rennes))
                list.append(.init(q: q, near: wide))
                list.append(.init(q: q, near: nowhere))
                list.append(.init(q: q, niveau: 4, near: rennes))
                list.append(.init(q: q, campus: corpus.campuses[0].id, near: rennes))
            }
            for criteria in list {
                for page in [CatalogueIndexTests.page(1, per: 100), CatalogueIndexTests.page(2, per: 5)] {
                    let memory = try await search.run(criteria, page: page)
                    let inDatabase = try await search.computeInDatabase(criteria, page: page)
                    #expect(memory.total == inDatabase.total, "\(criteria)")
                    #expect(memory.ids == inDatabase.ids, "\(criteria) page \(page.page)")
                    #expect(memory.facets == inDatabase.facets, "\(criteria)")
                }
            }
            // Around Rennes: the formations of Rennes (0 km) come before those of Cesson-Sévigné (6 km); Saint-Quentin
            // and Lyon are out of reach.
            let around = try await search.run(.init(near: rennes), page: CatalogueIndexTests.page(1, per: 100))
            #expect(around.total == 24)
            let organisations = try await Formation.query(on: app.db).filter(\.$id ~~ around.ids).all()
                .reduce(into: [UUID: UUID]()) { $0[$1.id!] = $1.$organisation.id }
            let order = around.ids.map { organisations[$0]! }
            #expect(order.prefix(12).allSatisfy { $0 == corpus.organisations[1].id } && order.suffix(12).allSatisfy { $0 == corpus.organisations[2].id })
            #expect(try await search.run(.init(near: nowhere), page: CatalogueIndexTests.page(1, per: 10)).total == 0)
        }
    }

    @Test("the API gives the place understood and each formation's distance; a wrong place or radius is a 422", arguments: TestDatabase.all)
    func api(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.placedCorpus(app)
            let response = try await app.send(.GET, "/api/v1/formations?pres=35000&rayon=10&per=100")
            #expect(response.status == .ok)
            let page = try response.decoded(FormationSearchDTO.self)
            #expect(page.pres?.commune == "Rennes" && page.pres?.rayonKm == 10 && page.total == 24)
            let distances = page.items.compactMap(\.distanceKm)
            #expect(distances.count == 24 && distances == distances.sorted() && distances.last! < 10)
            #expect(page.items.first?.organisation.commune == "Rennes")
            // Without a place, no distance.
            let plain = try await app.send(.GET, "/api/v1/formations?per=5").decoded(FormationSearchDTO.self)
            #expect(plain.items.allSatisfy { $0.distanceKm == nil } && plain.pres == nil)

            for (query, field) in [("pres=Nowhereville", "pres"), ("pres=Rennes&rayon=0", "rayon"), ("pres=Rennes&rayon=5000", "rayon"),
                                   ("pres=Rennes&rayon=abc", "rayon"), ("pres=99999", "pres")] {
                let refused = try await app.send(.GET, "/api/v1/formations?\(query)")
                #expect(refused.status == .unprocessableEntity, "\(query)")
                #expect(refused.body.string.contains(#""field":"\#(field)""#), "\(query)")
            }
            // The exports take the same place.
            let csv = try await app.send(.GET, "/api/v1/formations.csv?pres=Lyon&rayon=5")
            #expect(csv.status == .ok && csv.body.string.split(whereSeparator: \.isNewline).count == 13)
        }
    }

    @Test("the page: distances and towns on the cards, an unknown place said on the page, ways out of an empty result", arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.placedCorpus(app)
            let page = try await app.send(.GET, "/formations?pres=Rennes&rayon=20")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("À moins de 20 km de Rennes (35)"))
            #expect(page.body.string.contains("Cesson-Sévigné</a>") || page.body.string.contains("· Cesson-Sévigné"))
            #expect(page.body.string.contains("<strong>à 5,9 km</strong>"))
            #expect(page.body.string.contains(#"<details class="facet-panel" id="filtres">"#))

            let unknown = try await app.send(.GET, "/formations?q=cuisine&pres=Nowhereville")
            #expect(unknown.status == .ok)
            #expect(unknown.body.string.contains("Aucune commune ni aucun code postal ne correspond à « Nowhereville »"))
            #expect(unknown.body.string.contains(#"value="Nowhereville""#))

            let empty = try await app.send(.GET, "/formations?q=cuisine&pres=Brest&rayon=5")
            #expect(empty.body.string.contains("Aucune formation ne correspond"))
            #expect(empty.body.string.contains("Chercher à moins de 10 km de Brest"))
            #expect(empty.body.string.contains("Chercher « cuisine » sans aucun filtre"))
            #expect(empty.body.string.contains(#"href="/recherche?q=cuisine""#))
        }
    }
}
