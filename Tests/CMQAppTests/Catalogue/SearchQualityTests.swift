@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

/// What a person typing French words finds in the demo catalogue (129 real formations): inflections, the words
/// of the trade, the campus's field, typing mistakes. The same on SQLite and PostgreSQL, and the in-memory index
/// gives what the database counts.
@Suite("Search quality on the demo catalogue")
struct SearchQualityTests {
    /// A query, formations (by title) that must be among its first `within` results, titles that must not be found
    /// at all, and the correction the answer must propose (nil: none).
    struct Case: Sendable, CustomStringConvertible {
        var q: String
        var within: Int
        var finds: [String]
        var never: [String] = []
        var suggestion: String? = nil
        var description: String { q }
    }

    static let cases: [Case] = [
        // inflections and the French stem
        Case(q: "boulangerie", within: 3, finds: ["Boulanger", "Boulanger - pâtissier"]),
        Case(q: "boulangers", within: 3, finds: ["Boulanger", "Boulanger - pâtissier"]),
        Case(q: "mécaniques", within: 8, finds: ["Mécanique", "Génie mécanique"]),
        Case(q: "méca", within: 8, finds: ["Mécanique", "Génie mécanique"]),
        Case(q: "chaudronnier", within: 8, finds: ["Technicien en chaudronnerie industrielle", "Conception et réalisation en chaudronnerie industrielle"]),
        // the words of the trade (synonyms)
        Case(q: "soudure", within: 6, finds: ["Réalisations industrielles en chaudronnerie ou soudage option a - chaudronnerie",
                                               "Réalisations industrielles en chaudronnerie ou soudage option b - soudage",
                                               "Métiers de l'industrie : métallurgie, mise en forme des matériaux et soudage"]),
        Case(q: "cuisinier", within: 3, finds: ["Cuisine"]),
        Case(q: "mécanicien", within: 8, finds: ["Mécanique", "Génie mécanique"]),
        Case(q: "électricien", within: 5, finds: ["Electricien", "Electrotechnique"]),
        // apprenticeship is a way of training, not only a word
        Case(q: "alternance", within: 200, finds: ["Boulanger", "Menuisier fabricant", "Couvreur"], never: ["Ebéniste", "Sciences du bois"]),
        Case(q: "apprentissage", within: 200, finds: ["Boulanger", "Maroquinerie"], never: ["Ebéniste", "Génie civil"]),
        Case(q: "cuisine alternance", within: 3, finds: ["Cuisine"]),
        // the field of a campus
        Case(q: "plasturgie", within: 10, finds: ["Plastiques et composites", "Composites, plastiques chaudronnés"]),
        Case(q: "plasturgie", within: 100, finds: ["Sciences pour l'ingénieur", "Sciences et génie des matériaux", "Technicien en chaudronnerie industrielle"],
             never: ["Boulanger", "Cuisine", "Maçon"]),
        Case(q: "nautisme", within: 20, finds: ["Maintenance nautique", "Charpentier de marine", "Nautisme et métiers de la plaisance"]),
        // typing mistakes: searched with the nearest word, and said
        Case(q: "mecaniqe", within: 8, finds: ["Mécanique", "Génie mécanique"], suggestion: "mecanique"),
        Case(q: "boulangr", within: 3, finds: ["Boulanger"], suggestion: "boulanger"),
        Case(q: "cuisnie", within: 3, finds: ["Cuisine"], suggestion: "cuisine"),
        Case(q: "aeronotique", within: 8, finds: ["Aéronautique", "Aéronautique option structure"], suggestion: "aeronautique"),
        Case(q: "génie mecaniqe", within: 3, finds: ["Génie mécanique"], suggestion: "genie mecanique"),
        // what was right stays as it was
        Case(q: "mecanique", within: 8, finds: ["Mécanique", "Génie mécanique"]),
        Case(q: "menuisier", within: 4, finds: ["Menuisier fabricant", "Menuisier en sièges", "Menuisier installateur", "Technicien menuisier agenceur"]),
    ]

    struct Answer: Equatable {
        var titles: [String]
        var total: Int
        var suggestion: String?
    }

    static func search(_ app: Application, _ q: String) async throws -> Answer {
        let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let response = try await app.send(.GET, "/api/v1/formations?q=\(encoded)&per=100", as: .anonymous)
        #expect(response.status == .ok, "\(q)")
        struct Body: Decodable { let items: [FormationDTO]; let total: Int; let suggestion: String? }
        let body = try response.decoded(Body.self)
        return Answer(titles: body.items.map(\.intitule), total: body.total, suggestion: body.suggestion)
    }

    /// Every case on the demo catalogue of one database; the answers, by query.
    static func check(_ app: Application) async throws -> [String: Answer] {
        var answers: [String: Answer] = [:]
        for item in cases {
            let answer = try await search(app, item.q)
            answers[item.q + " \(item.within)"] = answer
            let first = Array(answer.titles.prefix(item.within))
            for title in item.finds {
                #expect(first.contains(title), "« \(item.q) » should find « \(title) » in its first \(item.within) (of \(answer.total)): \(answer.titles.prefix(12))")
            }
            for title in item.never {
                #expect(!answer.titles.contains(title), "« \(item.q) » should not find « \(title) »")
            }
            #expect(answer.suggestion == item.suggestion, "« \(item.q) »: suggestion \(answer.suggestion ?? "none")")
        }
        return answers
    }

    /// The in-memory index gives the ids, order, total, facets and suggestion the database counts by itself.
    static func compareWithDatabase(_ app: Application) async throws {
        let search = CatalogueSearch(db: app.db, index: try #require(app.catalogueIndex))
        for item in cases {
            for criteria in [CatalogueSearch.Criteria(q: item.q), CatalogueSearch.Criteria(q: item.q, niveau: 4)] {
                let memory = try await search.run(criteria, page: PageRequest(page: 1, per: 100))
                let database = try await search.computeInDatabase(criteria, page: PageRequest(page: 1, per: 100))
                #expect(memory.ids == database.ids, "\(criteria)")
                #expect(memory.total == database.total && memory.facets == database.facets, "\(criteria)")
                #expect(memory.suggestion == database.suggestion, "\(criteria)")
            }
        }
    }

    @Test("the table of queries on the demo catalogue, SQLite and PostgreSQL giving the same answers")
    func demoCatalogue() async throws {
        var answers: [TestDatabase: [String: Answer]] = [:]
        for database in TestDatabase.all {
            try await withTestApp(database) { app in
                _ = try await DemoLoader(db: app.db, logger: app.logger).load()
                answers[database] = try await Self.check(app)
                try await Self.compareWithDatabase(app)
            }
        }
        if let sqlite = answers[.sqlite], let postgres = answers[.postgres] {
            for item in Self.cases {
                #expect(sqlite[item.q + " \(item.within)"] == postgres[item.q + " \(item.within)"], "« \(item.q) »: SQLite and PostgreSQL differ")
            }
        }
    }

    @Test("indexed words are stemmed too: a stem typed finds the words it stems (cheval → chevaux), written by migration 020 for older rows",
          arguments: TestDatabase.all)
    func storedStems(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: two formations written through the API
            let lycee = try await Factory.organisation(app.db, nom: "Lycée agricole", uai: "0020079A")
            for title in ["Soins aux chevaux", "Cuisine"] {
                let body = #"{"intitule": "\#(title)", "organisationId": "\#(lycee.id!.lower)", "niveauSortie": 3, "statuts": ["scolaire"]}"#
                #expect(try await app.send(.POST, "/api/v1/formations", json: body).status == .created)
            }
            // then: "cheval" finds "chevaux" by the stored stem, not by a correction
            let answer = try await Self.search(app, "cheval")
            #expect(answer.titles == ["Soins aux chevaux"] && answer.suggestion == nil)
            let chevaux = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Soins aux chevaux").first())
            #expect(chevaux.texteCle == "cheval")

            // given: a row written before the stems (as migration 020 finds it)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.update("formations").set("texte_cle", to: SQLLiteral.null).run()
            app.catalogueIndex?.touch(); app.searchCache?.touch()
            #expect(try await Self.search(app, "cheval").suggestion == "chevaux")
            // when: the migration runs
            try await UpdateFormationSearchStems().prepare(on: app.db)
            app.catalogueIndex?.touch(); app.searchCache?.touch()
            // then
            #expect(try await Formation.find(chevaux.id, on: app.db)?.texteCle == "cheval")
            #expect(try await Self.search(app, "cheval") == Answer(titles: ["Soins aux chevaux"], total: 1, suggestion: nil))
            let search = CatalogueSearch(db: app.db, index: app.catalogueIndex)
            let database = try await search.computeInDatabase(.init(q: "cheval"), page: PageRequest())
            #expect(database.ids == [chevaux.id!] && database.suggestion == nil)
            // and its revert takes them out again
            try await UpdateFormationSearchStems().revert(on: app.db)
            #expect(try await Formation.find(chevaux.id, on: app.db)?.texteCle == nil)
        }
    }

    @Test("a campus's name finds its offer while it exists; once deleted, its name is an unknown word on both paths",
          arguments: TestDatabase.all)
    func deletedCampus(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: the campus « Vitraux » with a member whose formation of its filière is « Soudage », and a formation « Vitrail »
            let lycee = try await Factory.organisation(app.db, nom: "Lycée", uai: "0020079A")
            let campus = try await Factory.campus(app.db, nom: "Vitraux", filiere: "materiaux-innovants")
            try await Factory.membership(app.db, campus: campus, organisation: lycee)
            for (title, filiere) in [("Soudage", "materiaux-innovants"), ("Vitrail", "creation-design-audiovisuel")] {
                let body = #"{"intitule": "\#(title)", "organisationId": "\#(lycee.id!.lower)", "niveauSortie": 3, "filiere": "\#(filiere)", "statuts": ["scolaire"]}"#
                #expect(try await app.send(.POST, "/api/v1/formations", json: body).status == .created)
            }
            #expect(try await Self.search(app, "vitraux") == Answer(titles: ["Soudage"], total: 1, suggestion: nil))
            // when: the campus is deleted
            try await Membership.query(on: app.db).delete()
            try await campus.delete(on: app.db)
            app.catalogueIndex?.touch(); app.searchCache?.touch()
            // then: "vitraux" names nothing; the nearest word is searched, by the index as by the database
            #expect(try await Self.search(app, "vitraux") == Answer(titles: ["Vitrail"], total: 1, suggestion: "vitrail"))
            let search = CatalogueSearch(db: app.db, index: app.catalogueIndex)
            let memory = try await search.run(.init(q: "vitraux"), page: PageRequest())
            let databaseOnly = try await search.computeInDatabase(.init(q: "vitraux"), page: PageRequest())
            #expect(memory.ids == databaseOnly.ids && memory.suggestion == databaseOnly.suggestion)
        }
    }

    @Test("a query is bounded: over 500 characters it is refused in French (422) on the API, the page and the exports; 8 words are read",
          arguments: TestDatabase.all)
    func boundedQuery(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let long = String(repeating: "mecanique ", count: 51)
            for path in ["/api/v1/formations", "/formations", "/api/v1/formations.csv"] {
                let response = try await app.send(.GET, "\(path)?q=\(long.replacingOccurrences(of: " ", with: "+"))", as: .anonymous)
                #expect(response.status == .unprocessableEntity, "\(path)")
                #expect(response.body.string.contains("La recherche ne peut pas dépasser 500 caractères"), "\(path)")
            }
            // many words, long words, odd characters: answered, the first 8 words read
            let lycee = try await Factory.organisation(app.db, nom: "Lycée", uai: "0020079A")
            let body = #"{"intitule": "Mécanique automobile", "organisationId": "\#(lycee.id!.lower)", "niveauSortie": 3, "statuts": ["scolaire"]}"#
            #expect(try await app.send(.POST, "/api/v1/formations", json: body).status == .created)
            let eight = (["meca", "auto"] + Array(repeating: "m", count: 6) + ["zzzzzzzz"]).joined(separator: " ")
            #expect(try await Self.search(app, eight).titles == ["Mécanique automobile"])
            let odd = try await Self.search(app, String(repeating: "é", count: 300) + " ' \" % _ * : & | ! ( )")
            #expect(odd.total == 0)
        }
    }

    @Test("the search page proposes the corrected query with its link, and keeps the filters")
    func suggestionOnThePage() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await DemoLoader(db: app.db, logger: app.logger).load()
            let page = try await app.send(.GET, "/formations?q=mecaniqe&niveau=7", as: .anonymous)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Vouliez-vous dire « <a href=\"/formations?"))
            #expect(html.contains("q=mecanique") && html.contains("niveau=7"))
            #expect(html.contains("Génie mécanique"))
            // a right query proposes nothing
            let right = try await app.send(.GET, "/formations?q=mecanique", as: .anonymous)
            #expect(!right.body.string.contains("Vouliez-vous dire"))
        }
    }
}
