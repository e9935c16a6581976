@testable import CMQApp
import CMQDomain
import Fluent
import SQLKit
import Foundation
import Testing
import Vapor
import VaporTesting

/// The exports of the whole catalogue read straight from the tables (no model built) write the bytes the models
/// wrote, on the demo catalogue; the ids of an export are those of the search, page after page.
@Suite("Catalogue: exports read from the tables, the same bytes as from the models")
struct CatalogueExportTests {
    /// Every formation with what the exports read of it, in the export's order.
    static func models(_ app: Application, in ids: [UUID]) async throws -> [Formation] {
        let loaded = try await Formation.query(on: app.db).with(\.$organisation).with(\.$responsable).with(\.$statuts).with(\.$romes).all()
        let byID = Dictionary(uniqueKeysWithValues: loaded.map { ($0.id!, $0) })
        return try ids.map { try #require(byID[$0]) }
    }

    /// The JSON export writes the API's formation objects (`GET /api/v1/formations/{id}`), which name the organisation's
    /// town since the search by place (commit 3567edd); the models' `toDTO` (the export's bytes before it read the
    /// tables) leaves the town out: the only difference, added here to the models' objects.
    @Test("the JSON export of the demo catalogue is, byte for byte, the array of the objects its models give (with the organisation's town, as the API)",
          arguments: TestDatabase.all)
    func jsonDemoCatalogue(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            _ = try await DemoLoader(db: app.db, logger: app.logger).load()
            let ids = try await FormationExport(db: app.db, index: app.catalogueIndex).plan(.init(), as: .json).ids
            let formations = try await Self.models(app, in: ids)
            #expect(formations.count == 129)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            var expected = Data("[".utf8)
            for (index, formation) in formations.enumerated() {
                if index > 0 { expected.append(UInt8(ascii: ",")) }
                var dto = try formation.toDTO()
                dto.organisation.commune = formation.organisation.commune
                expected += try encoder.encode(dto)
            }
            expected += Data("]".utf8)
            // when
            let response = try await app.send(.GET, "/api/v1/formations.json", as: .anonymous)
            // then
            #expect(response.status == .ok)
            #expect(Data(buffer: response.body) == expected)
            // and each object is the one the API gives for that formation
            let exported = try response.decoded([FormationDTO].self)
            for dto in exported.prefix(5) {
                let one = try await app.send(.GET, "/api/v1/formations/\(dto.id.lower)", as: .anonymous)
                #expect(try encoder.encode(one.decoded(FormationDTO.self)) == encoder.encode(dto))
            }
        }
    }

    @Test("the reader gives the formations of its ids that exist, once each; on PostgreSQL its statements are prepared once per connection and planned once",
          arguments: TestDatabase.all)
    func readerStatement(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            _ = try await DemoLoader(db: app.db, logger: app.logger).load()
            let ids = try await Formation.query(on: app.db).sort(\.$intitule).limit(20).all().map { try $0.requireID() }
            // when: an unknown id and a repeated one
            let items = try await FormationReader(db: app.db).read(ids + [UUID(), ids[0]])
            // then
            #expect(Set(items.keys) == Set(ids))
            #expect(items[ids[1]]?.dto.id == ids[1])
            #expect(try await FormationReader(db: app.db).read([ids[2]]).keys.elementsEqual([ids[2]]))
            guard database == .postgres else { return }
            // and on PostgreSQL: on one connection, after five plans with the values, one without them serves each
            // statement (one id, a search's page of ids), and the session keeps PostgreSQL's own choice for cmq's
            // other queries
            try await app.db.withConnection { db in
                let sql = try #require(db as? any SQLDatabase)
                struct Setting: Decodable { let plan_cache_mode: String }
                #expect(try await sql.raw("SHOW plan_cache_mode").first(decoding: Setting.self)?.plan_cache_mode == "auto")
                for id in ids.prefix(8) { _ = try await FormationReader(db: db).read([id]) }
                for _ in 0..<8 { _ = try await FormationReader(db: db).read(ids.shuffled()) }
                struct Prepared: Decodable { let name: String; let generic_plans: Int; let custom_plans: Int }
                let prepared = try await sql.raw("SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name")
                    .all(decoding: Prepared.self)
                #expect(prepared.map(\.name) == [PostgresFormationCard.name, PostgresFormationCards.name])
                for statement in prepared {
                    #expect(statement.custom_plans <= 5 && statement.generic_plans >= 1, "\(statement.name)")
                }
            }
        }
    }

    @Test("SQLite: formations read by statements prepared once per connection, on the caller's thread, are the driver's formations, see a write at once, and leave out unknown ids; PostgreSQL has no such reads",
          arguments: TestDatabase.all)
    func sqliteReads(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            guard database == .sqlite else {
                #expect(app.sqliteFormationReads == nil)
                return
            }
            // given: more formations than one execution of the page statement binds, an unknown id and a repeated one
            _ = try await DemoLoader(db: app.db, logger: app.logger).load()
            let reads = try #require(app.sqliteFormationReads)
            let formations = try await Formation.query(on: app.db).sort(\.$intitule).limit(SQLiteFormationReads.idsPerStatement + 7).all()
            let ids = try formations.map { try $0.requireID() }
            func json(_ items: [UUID: FormationReader.Item]) -> [UUID: [UInt8]] { items.mapValues(\.dto.json.bytes) }
            // when, then: the driver's formations, one id or a page
            let driver = try await FormationReader(db: app.db).read(ids)
            let page = try await FormationReader(db: app.db, sqliteReads: reads).read(ids + [UUID(), ids[0]])
            #expect(page.count == ids.count && json(page) == json(driver))
            let one = try #require(reads.rows([ids[3]]))
            #expect(one.map(\.id) == [ids[3]] && one.first.map { $0.item.dto.json.bytes } == driver[ids[3]]?.dto.json.bytes)
            // a write is seen by the next read; an unknown id is left out
            formations[3].intitule = "Formation renommée"
            try await formations[3].save(on: app.db)
            #expect(reads.rows([ids[3]])?.first?.intitule == "Formation renommée")
            #expect(reads.rows([UUID()])?.isEmpty == true)
            // after the application's stop, reads go through the driver
            reads.close()
            #expect(reads.rows([ids[3]]) == nil)
        }
    }

    @Test("the LHEO export of the demo catalogue is, byte for byte, the document its models give", arguments: TestDatabase.all)
    func lheoDemoCatalogue(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: the demo, whose organisations have their (invented) SIRET
            _ = try await DemoLoader(db: app.db, logger: app.logger).load()
            let plan = try await FormationExport(db: app.db, index: app.catalogueIndex).plan(.init(), as: .lheo)
            #expect(plan.omitted == 0)
            let formations = try await Self.models(app, in: plan.ids)
            #expect(formations.count == 129)
            let expected = try LHEO.encode(formations.map { LHEO.formation($0, responsable: $0.responsable) })
            // when
            let response = try await app.send(.GET, "/api/v1/formations.lheo.xml", as: .anonymous)
            // then
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "CMQ-Formations-Omises") == "0")
            #expect(Data(buffer: response.body) == expected)
        }
    }

    @Test("LHEO read from the tables: a responsible organisation, an organisation without codes, lists, long texts — the models' elements",
          arguments: TestDatabase.all)
    func lheoSourcesEqualModels(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            try await CatalogueExchangeTests.corpus(app)
            let long = try await Factory.organisation(app.db, nom: "Lycée professionnel « Les Forges & <Ateliers> » de Saint-Quentin et environs proches",
                                                      uai: "0020089L", siret: LHEOExchangeTests.siret(3), departement: "02")
            long.adresse = "Zone d'activités de la Vallée de l'Oise, bâtiment des Forges & Fonderies, allée des Métallurgistes réunis"
            long.codePostal = "02100"
            long.commune = "Saint-Quentin"
            long.siteWeb = "https://forges.example.fr/?a=1&b=<2>"
            try await long.save(on: app.db)
            let description = String(repeating: "Découverte de l'injection & des <essais> ; ", count: 90)
            let created = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "Forge & <fonderie>", "organisationId": "\#(long.id!.lower)", "niveauSortie": 3, "statuts": ["apprenti", "scolaire"], "description": \#(OpenDataWriter.string(description)), "datesDebut": ["2026-09-01"]}"#)
            #expect(created.status == .created, "\(created.body.string)")
            let formations = try await Formation.query(on: app.db).with(\.$organisation).with(\.$responsable).with(\.$statuts).with(\.$romes)
                .sort(\.$intitule).all()
            #expect(formations.count == 4 && formations.contains { $0.$responsable.id != nil })
            // when: read from the tables (an unknown id is left out)
            let sources = try await FormationTableRows(db: app.db).lheoSources(formations.compactMap(\.id) + [UUID()])
            // then
            #expect(sources == formations.map { LHEO.Source($0, responsable: $0.responsable) })
            #expect(try sources.map { try LHEO.element(LHEO.formation($0)) } == formations.map { try LHEO.element(LHEO.formation($0, responsable: $0.responsable)) })
            // and each formation's responsible organisation, as the LHEO plan reads it
            let owners = try await FormationTableRows(db: app.db).owners(formations.compactMap(\.id))
            for formation in formations {
                let owner = formation.responsable ?? formation.organisation
                #expect(owners[formation.id!]?.nom == owner.nom && owners[formation.id!]?.siret == owner.siret)
            }
        }
    }

    @Test("an export's ids, read row by row, are the search's ids page after page, for every kind of search", arguments: TestDatabase.all)
    func allIDsArePages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await DemoLoader(db: app.db, logger: app.logger).load()
            let search = CatalogueSearch(db: app.db)
            for criteria in [CatalogueSearch.Criteria(), .init(niveau: 5), .init(q: "bts"), .init(q: "maintenance"), .init(statut: .apprenti),
                             .init(academie: TerritoryCatalog.shared.academie(code: "20"))] {
                // when
                let all = try await search.allIDs(criteria)
                // then
                let first = try await search.computeInDatabase(criteria, page: PageRequest(page: 1, per: 100))
                var paged = first.ids
                var page = 2
                while paged.count < first.total {
                    paged += try await search.computeInDatabase(criteria, page: PageRequest(page: page, per: 100)).ids
                    page += 1
                }
                #expect(all == paged, "\(criteria)")
                #expect(all.count == first.total && (criteria != .init() || all.count == 129))
            }
        }
    }
}
