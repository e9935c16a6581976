@testable import CMQApp
import CMQDomain
import Fluent
import SQLKit
import Foundation
import Testing
import VaporTesting

/// French full-text search: the same corpus gives the same results on SQLite (FTS5) and PostgreSQL (tsvector).
@Suite("Full-text search of formations")
struct FormationSearchTests {
    static func corpus(_ app: Application) async throws -> Organisation {
        let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A")
        for (title, description) in [
            ("Mécanique automobile", nil),
            ("Technicien en MÉCANIQUE navale", "Entretien des moteurs de bateaux."),
            ("Œnologie", "Élaboration des vins."),
            ("Maintenance des matériels agricoles", "Hydraulique, mécanique et électronique embarquée."),
            ("Cuisine", nil),
        ] as [(String, String?)] {
            let description = description.map { #", "description": "\#($0)""# } ?? ""
            let response = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "\#(title)", "organisationId": "\#(lycee.id!.lower)", "typeDiplome": "bac-pro", "statuts": ["scolaire"]\#(description)}"#)
            #expect(response.status == .created)
        }
        return lycee
    }

    static func titles(_ app: Application, _ q: String) async throws -> [String] {
        let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let response = try await app.send(.GET, "/api/v1/formations?q=\(encoded)")
        #expect(response.status == .ok)
        return try response.decoded(PageDTO<FormationDTO>.self).items.map(\.intitule)
    }

    @Test("case and accents don't matter; title matches come first", arguments: TestDatabase.all)
    func accents(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.corpus(app)
            let expected = ["Mécanique automobile", "Technicien en MÉCANIQUE navale", "Maintenance des matériels agricoles"]
            #expect(try await Self.titles(app, "mecanique") == expected)
            #expect(try await Self.titles(app, "MÉCANIQUE") == expected)
            #expect(try await Self.titles(app, "mécanique") == expected)
        }
    }

    @Test("ligatures: œnologie = oenologie", arguments: TestDatabase.all)
    func ligatures(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.corpus(app)
            #expect(try await Self.titles(app, "oenologie") == ["Œnologie"])
            #expect(try await Self.titles(app, "Œnologie") == ["Œnologie"])
            #expect(try await Self.titles(app, "vins") == ["Œnologie"])
        }
    }

    @Test("prefixes for type-ahead, every word required, nothing for unknown words", arguments: TestDatabase.all)
    func prefixes(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.corpus(app)
            #expect(try await Self.titles(app, "méca").count == 3)
            #expect(try await Self.titles(app, "meca nav") == ["Technicien en MÉCANIQUE navale"])
            #expect(try await Self.titles(app, "mecanique cuisine") == [])
            #expect(try await Self.titles(app, "astrophysique") == [])
            // the other filters still apply, with the total
            let page = try await app.send(.GET, "/api/v1/formations?q=mecanique&per=1&page=2").decoded(PageDTO<FormationDTO>.self)
            #expect(page.total == 3 && page.items.map(\.intitule) == ["Technicien en MÉCANIQUE navale"])
        }
    }

    @Test("the index follows changes and deletions", arguments: TestDatabase.all)
    func followsWrites(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.corpus(app)
            let cuisine = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Cuisine").first())
            #expect(try await app.send(.PATCH, "/api/v1/formations/\(cuisine.id!.lower)", json: #"{"intitule": "Cuisine et pâtisserie"}"#).status == .ok)
            #expect(try await Self.titles(app, "patisserie") == ["Cuisine et pâtisserie"])
            #expect(try await app.send(.DELETE, "/api/v1/formations/\(cuisine.id!.lower)").status == .noContent)
            #expect(try await Self.titles(app, "cuisine") == [])
        }
    }
}

@Suite("Facets of the catalogue search")
struct FormationFacetTests {
    @Test("facets count by level, type, status, filière, territory and campus; each ignores its own filter", arguments: TestDatabase.all)
    func facets(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db, nom: "Métallurgie et plasturgie", filiere: "materiaux-innovants")
            let amiens = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A", departement: "02")
            let nantes = try await Factory.organisation(app.db, nom: "Lycée Aristide Briand", uai: "0440069L", departement: "44")
            try await Factory.membership(app.db, campus: campus, organisation: amiens, role: .etablissementSupport)
            for (title, organisation, type, statuses, filiere) in [
                ("Plasturgie", amiens, "cap", #"["scolaire"]"#, "materiaux-innovants"),
                ("Plastiques et composites", amiens, "bac-pro", #"["scolaire", "apprenti"]"#, "materiaux-innovants"),
                ("Europlastics et composites", nantes, "bts", #"["apprenti"]"#, "materiaux-innovants"),
                ("Cuisine", nantes, "cap", #"["scolaire"]"#, "tourisme-gastronomie"),
            ] {
                let response = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "\#(title)", "organisationId": "\#(organisation.id!.lower)", "typeDiplome": "\#(type)", "statuts": \#(statuses), "filiere": "\#(filiere)"}"#)
                #expect(response.status == .created)
            }
            func search(_ query: String) async throws -> FormationSearchDTO {
                try await app.send(.GET, "/api/v1/formations?\(query)").decoded(FormationSearchDTO.self)
            }
            let all = try await search("")
            #expect(all.total == 4)
            #expect(all.facettes.niveau.map { "\($0.valeur):\($0.nombre)" } == ["3:2", "4:1", "5:1"])
            #expect(all.facettes.statut.map { "\($0.valeur):\($0.nombre)" } == ["apprenti:2", "scolaire:3"])
            #expect(all.facettes.region.map { "\($0.libelle):\($0.nombre)" }.sorted() == ["Hauts-de-France:2", "Pays de la Loire:2"])
            #expect(all.facettes.campus.map(\.libelle) == ["Métallurgie et plasturgie"])
            #expect(all.facettes.campus.first?.nombre == 2)

            // a filter narrows the results and the other facets, not its own facet
            let cap = try await search("niveau=3")
            #expect(cap.items.map(\.intitule) == ["Cuisine", "Plasturgie"])
            #expect(cap.facettes.niveau.count == 3)
            #expect(cap.facettes.statut.map { "\($0.valeur):\($0.nombre)" } == ["scolaire:2"])

            // words match from their beginning: "plast" finds Plasturgie, not Europlastics
            #expect(try await search("q=plast").items.map(\.intitule) == ["Plastiques et composites", "Plasturgie"])
            let text = try await search("q=composites&region=pays-de-la-loire")
            #expect(text.items.map(\.intitule) == ["Europlastics et composites"])
            #expect(text.facettes.region.map { "\($0.valeur):\($0.nombre)" }.sorted() == ["32:1", "52:1"])

            let offer = try await search("campus=\(campus.id!.lower)&statut=apprenti")
            #expect(offer.items.map(\.intitule) == ["Plastiques et composites"])

            let bad = try await app.send(.GET, "/api/v1/formations?niveau=9&filiere=x&region=atlantide&campus=y")
            #expect(Set(bad.faultyFields) == ["niveau", "filiere", "region", "campus"])
        }
    }
}

@Suite("Catalogue pages")
struct CataloguePageTests {
    @Test("the search page shows results and facets as plain links; a formation has its page", arguments: TestDatabase.all)
    func pages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await FormationSearchTests.corpus(app)
            let html = try await app.send(.GET, "/formations?q=m%C3%A9ca", as: .anonymous).body.string
            #expect(html.contains("3 formation(s)"))
            #expect(html.contains("Mécanique automobile"))
            #expect(html.contains(#"<a href="/formations?niveau=4&amp;q=m%C3%A9ca">Niveau 4 (baccalauréat, brevet professionnel)</a> <span class="count">(3)</span>"#))
            let filtered = try await app.send(.GET, "/formations?q=meca&statut=scolaire", as: .anonymous).body.string
            #expect(filtered.contains("Statut : Scolaire"))
            #expect(filtered.contains(#"href="/formations?q=meca">retirer"#))
            // The same search can be downloaded, with its filters, in the three export formats.
            #expect(filtered.contains(#"<a href="/api/v1/formations.lheo.xml?q=meca&amp;statut=scolaire" download>LHEO 2.3 (XML)</a>"#))
            let formation = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Œnologie").first())
            let page = try await app.send(.GET, "/formations/\(formation.id!.lower)", as: .anonymous)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<h1>Œnologie</h1>") && page.body.string.contains(lycee.nom))
            #expect(try await app.send(.GET, "/formations?niveau=12", as: .anonymous).status == .unprocessableEntity)
        }
    }

    @Test("cached results follow every write at once, whatever path wrote it", arguments: TestDatabase.all)
    func cacheFollowsWrites(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await FormationSearchTests.corpus(app)
            #expect(app.searchCache != nil)
            #expect(try await FormationSearchTests.titles(app, "meca").count == 3)
            // Through the API.
            let created = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "Mécanique marine", "organisationId": "\#(lycee.id!.lower)", "typeDiplome": "bts", "statuts": ["etudiant"]}"#)
            #expect(created.status == .created)
            #expect(try await FormationSearchTests.titles(app, "meca").count == 4)
            // Straight into the database (an import, another instance): the triggers move the version too, and
            // this instance sees it once its check interval (200 ms) has passed.
            let sql = try #require(app.db as? any SQLDatabase)
            let before = try await SearchCache.version(on: sql)
            let formation = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Mécanique marine").first())
            try await FormationStatut.query(on: app.db).filter(\.$formation.$id == formation.id!).delete()
            #expect(try await SearchCache.version(on: sql) > before)
            try await catalogueIndexCaughtUp(app)
            let search = try await app.send(.GET, "/api/v1/formations?q=meca&statut=etudiant").decoded(PageDTO<FormationDTO>.self)
            #expect(search.total == 0)
            lycee.departementCode = "35"
            lycee.refreshDerivedFields()
            try await lycee.save(on: app.db)
            try await catalogueIndexCaughtUp(app)
            let facets = try await app.send(.GET, "/api/v1/formations?q=meca").decoded(FormationSearchDTO.self).facettes
            #expect(facets.departement.map(\.valeur) == ["35"])
        }
    }
}
