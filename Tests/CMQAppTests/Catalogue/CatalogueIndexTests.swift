@testable import CMQApp
import CMQDomain
import Fluent
import SQLKit
import Foundation
import Testing
import VaporTesting

/// The in-memory catalogue index gives exactly what the database counts (page, total, every facet), and
/// follows the writes made by another instance from the changed rows alone.
@Suite("In-memory catalogue index")
struct CatalogueIndexTests {
    static let titles = ["Mecanique automobile", "Technicien en mecanique navale", "Cuisine", "Cuisine et patisserie",
                         "Maintenance des materiels", "Metallurgie", "Plasturgie et composites", "Reseaux et telecoms",
                         "Developpement web", "Logistique portuaire", "Oenologie", "Soudage"]
    static let types: [String?] = ["cap", "bac-pro", "bts", "licence-pro", nil]
    static let filieres = ["materiaux-innovants", "numerique-telecommunications", "tourisme-gastronomie"]
    static let statuses = [["scolaire"], ["apprenti"], ["etudiant", "apprenti"], ["formation-continue", "scolaire", "apprenti"]]

    struct Corpus {
        var organisations: [Organisation]
        var campuses: [Campus]
    }

    /// 48 formations over four organisations in three départements, two campuses (one member left the network),
    /// and one explicit attachment.
    static func corpus(_ app: Application) async throws -> Corpus {
        var organisations: [Organisation] = []
        for (index, departement) in ["02", "35", "35", "69"].enumerated() {
            organisations.append(try await Factory.organisation(app.db, nom: "Lycée \(index)", departement: departement))
        }
        let metal = try await Factory.campus(app.db, nom: "Métal", filiere: "materiaux-innovants")
        let digital = try await Factory.campus(app.db, nom: "Numérique", filiere: "numerique-telecommunications", academie: "23", region: "53")
        try await Factory.membership(app.db, campus: metal, organisation: organisations[0])
        try await Factory.membership(app.db, campus: metal, organisation: organisations[1])
        try await Factory.membership(app.db, campus: digital, organisation: organisations[1])
        try await Membership(campusID: digital.requireID(), organisationID: organisations[2].requireID(), role: .membre, depuis: "2015-01-01", jusquA: "2020-12-31").create(on: app.db)
        for index in 0..<48 {
            var body: [String: Any] = [
                "intitule": "\(titles[index % titles.count]) \(index / titles.count)",
                "organisationId": organisations[index % 4].id!.lower,
                "niveauSortie": 3 + index % 6,
                "filiere": filieres[index % 3],
                "statuts": statuses[index % 4],
            ]
            if let type = types[index % 5] { body["typeDiplome"] = type }
            if index % 7 == 0 { body["description"] = "Parcours en alternance, mécanique et numérique." }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            #expect(try await app.send(.POST, "/api/v1/formations", json: json).status == .created)
        }
        let attachedTo = try #require(try await Formation.query(on: app.db).filter(\.$filiere == "tourisme-gastronomie").first())
        try await CampusFormation(campusID: metal.requireID(), formationID: attachedTo.requireID()).create(on: app.db)
        return Corpus(organisations: organisations, campuses: [metal, digital])
    }

    /// Searches worth comparing: words, prefixes, pairs, unknown words, and every kind of filter alone and together.
    static func criteria(_ corpus: Corpus) -> [CatalogueSearch.Criteria] {
        let territory = TerritoryCatalog.shared
        var list: [CatalogueSearch.Criteria] = []
        for q in [nil, "cuisine", "meca", "mecanique navale", "et", "alternance", "zzz", "cuisine 2", "m"] as [String?] {
            list.append(.init(q: q))
            for niveau in [3, 5] { list.append(.init(q: q, niveau: niveau)) }
            list.append(.init(q: q, statut: .apprenti))
            list.append(.init(q: q, niveau: 4, statut: .scolaire, filiere: .materiauxInnovants))
            list.append(.init(q: q, typeDiplome: .bts, filiere: .numeriqueTelecommunications))
            list.append(.init(q: q, region: territory.region(code: "53"), departement: territory.departement(code: "35")))
            list.append(.init(q: q, academie: territory.departement(code: "69").flatMap { territory.academie(code: $0.academieCode) }))
            list.append(.init(q: q, campus: corpus.campuses[0].id))
            list.append(.init(q: q, statut: .etudiant, campus: corpus.campuses[1].id))
            list.append(.init(q: q, organisation: corpus.organisations[1].id, niveau: 6))
            list.append(.init(q: q, campus: UUID()))
            list.append(.init(q: q, typeDiplome: .doctorat))
        }
        return list
    }

    /// Compares the index with the database on every criteria, for a full page and a later page.
    static func compare(_ app: Application, _ corpus: Corpus, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let search = CatalogueSearch(db: app.db, index: try #require(app.catalogueIndex))
        for criteria in Self.criteria(corpus) {
            for page in [Self.page(1, per: 100), Self.page(2, per: 5)] {
                let memory = try await search.run(criteria, page: page)
                let database = try await search.computeInDatabase(criteria, page: page)
                #expect(memory.total == database.total, "\(criteria)", sourceLocation: sourceLocation)
                #expect(memory.ids == database.ids, "\(criteria) page \(page.page)", sourceLocation: sourceLocation)
                #expect(memory.facets == database.facets, "\(criteria)", sourceLocation: sourceLocation)
                // The page chosen by walking the order (as for many matches) is the same.
                let snapshot = try await app.catalogueIndex!.current(on: app.db as! any SQLDatabase, today: .today)
                #expect(snapshot.search(criteria, page: page, keyedUpTo: 0).ids == database.ids, "\(criteria) walked", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("page, exact total and every facet equal the database's own count", arguments: TestDatabase.all)
    func sameAsDatabase(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let corpus = try await Self.corpus(app)
            try await Self.compare(app, corpus)
            // The facets are not empty: the comparison compares something.
            let all = try await CatalogueSearch(db: app.db, index: app.catalogueIndex).run(.init(), page: CMQApp.PageRequest())
            #expect(all.total == 48)
            #expect(all.facets[.campus]?.count == 2 && all.facets[.departement]?.count == 3 && all.facets[.statut]?.count == 4)
        }
    }

    @Test("writes through another instance reach the index from the changed rows alone (read when it next checks the version)", arguments: TestDatabase.all)
    func followsAnotherInstance(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let corpus = try await Self.corpus(app)
            let index = try #require(app.catalogueIndex)
            let sql = try #require(app.db as? any SQLDatabase)
            let first = try await index.current(on: sql, today: .today)
            #expect(first.aliveCount == 48 && first.ids.count == 48)

            let other = try await Application.make(.testing)
            do {
                try await configure(other, config: app.cmqConfig)
                other.testAdminToken = app.testAdminToken
                // A new formation, a changed one, a deleted one.
                let created = try await other.send(.POST, "/api/v1/formations", json: #"{"intitule": "Chaudronnerie navale", "organisationId": "\#(corpus.organisations[3].id!.lower)", "niveauSortie": 4, "filiere": "materiaux-innovants", "statuts": ["apprenti"]}"#)
                #expect(created.status == .created)
                let changed = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Cuisine 0").first())
                #expect(try await other.send(.PATCH, "/api/v1/formations/\(changed.id!.lower)", json: #"{"intitule": "Boulangerie", "niveauSortie": 8, "statuts": ["etudiant"]}"#).status == .ok)
                let deleted = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Soudage 1").first())
                #expect(try await other.send(.DELETE, "/api/v1/formations/\(deleted.id!.lower)").status == .noContent)
                try await catalogueIndexCaughtUp(app)
                let next = try await index.current(on: sql, today: .today)
                // Incremental: the changed and new formations took new slots, nothing was read again whole.
                #expect(next.aliveCount == 48 && next.ids.count == 50)
                #expect(try await Self.titles(app, "chaudron") == ["Chaudronnerie navale"])
                #expect(try await Self.titles(app, "boulangerie") == ["Boulangerie"])
                #expect(try await Self.titles(app, "soudage").count == 3)
                try await Self.compare(app, corpus)

                // The small tables: an organisation moves, a member joins a campus, an attachment goes.
                let moving = corpus.organisations[0]
                moving.departementCode = "69"
                moving.refreshDerivedFields()
                try await moving.save(on: other.db)
                try await Factory.membership(other.db, campus: corpus.campuses[1], organisation: corpus.organisations[3])
                try await CampusFormation.query(on: other.db).delete()
                try await catalogueIndexCaughtUp(app)
                #expect(try await index.current(on: sql, today: .today).ids.count == 50)
                try await Self.compare(app, corpus)
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }

    @Test("a write through this instance is seen by its next search at once", arguments: TestDatabase.all)
    func readsItsOwnWrites(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let corpus = try await Self.corpus(app)
            #expect(try await Self.titles(app, "chaudron") == [])
            let created = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "Chaudronnerie", "organisationId": "\#(corpus.organisations[0].id!.lower)", "niveauSortie": 4, "statuts": ["apprenti"]}"#)
            #expect(created.status == .created)
            #expect(try await Self.titles(app, "chaudron") == ["Chaudronnerie"])
            let id = try created.decoded(FormationDTO.self).id
            #expect(try await app.send(.DELETE, "/api/v1/formations/\(id.lower)").status == .noContent)
            #expect(try await Self.titles(app, "chaudron") == [])
        }
    }

    @Test("the statuses mask follows statuses written straight into the database, in one statement or several", arguments: TestDatabase.all)
    func statusesMask(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let corpus = try await Self.corpus(app)
            let formations = try await Formation.query(on: app.db).filter(\.$organisation.$id == corpus.organisations[0].id!).all()
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM formation_statuts").run()
            for formation in try await Formation.query(on: app.db).all() { #expect(formation.statutsMasque == 0) }
            // One multi-row insert: every formation of the organisation gets two statuses.
            try await FormationStatut.query(on: app.db).filter(\.$formation.$id ~~ formations.map { $0.id! }).delete()
            var rows: [FormationStatut] = []
            for formation in formations {
                rows.append(FormationStatut(formationID: formation.id!, statut: "apprenti"))
                rows.append(FormationStatut(formationID: formation.id!, statut: "scolaire"))
            }
            try await rows.create(on: app.db)
            for formation in try await Formation.query(on: app.db).filter(\.$organisation.$id == corpus.organisations[0].id!).all() {
                #expect(formation.statutsMasque == 5)
            }
            try await sql.raw("UPDATE formation_statuts SET statut = 'etudiant' WHERE statut = 'scolaire'").run()
            try await FormationStatut.query(on: app.db).filter(\.$statut == "apprenti").filter(\.$formation.$id == formations[0].id!).delete()
            #expect(try await Formation.find(formations[0].id!, on: app.db)?.statutsMasque == 2)
            #expect(try await Formation.find(formations[1].id!, on: app.db)?.statutsMasque == 6)
            // The index and the API read the same statuses.
            try await catalogueIndexCaughtUp(app)
            try await Self.compare(app, corpus)
            let dto = try await app.send(.GET, "/api/v1/formations/\(formations[1].id!.lower)").decoded(FormationDTO.self)
            #expect(dto.statuts == ["apprenti", "etudiant"])

            // Inside a bulk write (an import, which writes every mask itself) the triggers leave the mask as it is, on
            // both databases (SQLite: `AddCatalogueReloadVersion`; PostgreSQL: `SkipStatusMaskInBulkWrites`).
            func addStatusInBulkWrite(_ statut: String) async throws {
                try await app.db.transaction { db in
                    let sql = db as! any SQLDatabase
                    try await FormationImporter.beginBulkWrite(on: sql)
                    try await FormationStatut(formationID: formations[1].id!, statut: statut).create(on: db)
                    try await FormationImporter.endBulkWriteUnrecorded(on: sql)
                }
            }
            try await addStatusInBulkWrite("scolaire")
            #expect(try await Formation.find(formations[1].id!, on: app.db)?.statutsMasque == 6)
            if database == .postgres {
                // without migration 040, the trigger wrote it
                try await SkipStatusMaskInBulkWrites().revert(on: app.db)
                try await addStatusInBulkWrite("formation-continue")
                #expect(try await Formation.find(formations[1].id!, on: app.db)?.statutsMasque == 15)
                try await SkipStatusMaskInBulkWrites().prepare(on: app.db)
            }
        }
    }

    static func page(_ number: Int, per: Int) -> CMQApp.PageRequest {
        var request = CMQApp.PageRequest()
        request.page = number
        request.per = per
        return request
    }

    static func titles(_ app: Application, _ q: String) async throws -> [String] {
        let response = try await app.send(.GET, "/api/v1/formations?q=\(q)&per=100")
        #expect(response.status == .ok)
        return try response.decoded(PageDTO<FormationDTO>.self).items.map(\.intitule)
    }
}
