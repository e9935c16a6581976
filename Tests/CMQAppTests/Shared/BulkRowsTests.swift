import CMQDomain
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import CMQApp

/// A model that lists its columns itself (`BulkRow`) gives the rows Fluent's reflection gives: every column, each
/// value bound as Fluent binds it (a nil optional as NULL, an unset field as DEFAULT).
@Suite("Bulk rows")
struct BulkRowsTests {
    /// A value as the statement carries it: a bound value or a literal.
    static func described(_ expression: any SQLExpression) -> String {
        if let bind = expression as? SQLBind { return "bind \(String(reflecting: bind.encodable))" }
        return String(reflecting: expression)
    }

    static func expectSameRows<M: BulkRow>(_ models: [M]) throws {
        let listed = try BulkRows(models), reflected = try BulkRows(reflecting: models)
        #expect(listed.table == reflected.table)
        #expect(listed.columns == reflected.columns, "\(M.schema): the columns a BulkRow lists are those Fluent finds")
        #expect(listed.rows.count == models.count)
        #expect(listed.rows.map { $0.map(described) } == reflected.rows.map { $0.map(described) })
    }

    /// A formation with every column set.
    static func fullFormation() -> Formation {
        let full = Formation(id: UUID(), organisationID: UUID(), intitule: "BTS Maintenance des systèmes", niveauSortie: 5, modalite: "mixte")
        full.createdAt = Date(timeIntervalSince1970: 1_790_000_000)
        full.updatedAt = Date(timeIntervalSince1970: 1_790_000_100)
        full.$responsable.id = UUID()
        (full.intituleCle, full.filiere, full.typeDiplome, full.niveauEntree) = ("bts maintenance", "industrie-du-futur", "bts", 4)
        (full.cfd, full.rncp, full.duree, full.capacite) = ("32025002", "RNCP35323", "2 ans", 24)
        (full.datesDebut, full.description, full.lien, full.texteCle, full.statutsMasque) = ("2027-09-01", "Atelier", "https://example.fr", "atelier", 3)
        return full
    }

    @Test("formations, full and sparse, created and read back, give Fluent's rows")
    func formations() throws {
        let full = Self.fullFormation()
        let sparse = Formation(organisationID: UUID(), intitule: "CAP Cuisine", niveauSortie: 3)
        sparse.description = nil
        try Self.expectSameRows([full, sparse])
        #expect(sparse.id != nil, "a model without an id gets one")
    }

    @Test("statuses, ROME codes and audit entries give Fluent's rows")
    func lists() throws {
        let formation = UUID()
        try Self.expectSameRows([FormationStatut(formationID: formation, statut: "apprenti")])
        try Self.expectSameRows([FormationROME(formationID: formation, code: "H2903"), FormationROME(formationID: formation, code: "I1604")])
        try Self.expectSameRows([
            AuditEntry(at: Date(timeIntervalSince1970: 1_790_000_000), actorID: UUID(), actorLabel: "Import", entity: "formation",
                       entityID: formation, entityLabel: "CAP Cuisine", action: "create", changes: "{}"),
            AuditEntry(actorID: nil, actorLabel: "cmq", entity: "formation", entityID: formation, entityLabel: "CAP", action: "update", changes: "{}"),
        ])
    }

    /// Rows built as values give the models' rows. An optional column a model never set is DEFAULT in Fluent's row
    /// and NULL in a row of values: the same, these columns having no other default.
    static func expectSameRows<M: BulkRow>(_ values: BulkRows, as models: [M]) throws {
        let reflected = try BulkRows(reflecting: models)
        func described(_ expression: any SQLExpression) -> String {
            if let literal = expression as? SQLLiteral, case .default = literal { return Self.described(SQLLiteral.null) }
            return Self.described(expression)
        }
        #expect(values.table == reflected.table)
        #expect(values.columns == reflected.columns, "\(M.schema): the columns of a row of values are those Fluent finds")
        #expect(values.rows.map { $0.map(described) } == reflected.rows.map { $0.map(described) })
    }

    @Test("an import's changed columns of a formation are those whose row values differ: each column changed alone is found alone")
    func changedColumns() throws {
        let full = try FormationColumns(Self.fullFormation())
        #expect(FormationColumns.comparisons.map(\.column) == Array(FormationColumns.columns.dropFirst()))
        #expect(full.columnsChanged(from: full).isEmpty)
        func differing(_ a: FormationColumns, _ b: FormationColumns) -> [String] {
            zip(FormationColumns.columns, zip(a.bulkValues, b.bulkValues)).filter { Self.described($1.0) != Self.described($1.1) }.map(\.0)
        }
        let changes: [(inout FormationColumns) -> Void] = [
            { $0.createdAt = nil }, { $0.updatedAt = nil }, { $0.intitule += " 2" }, { $0.intituleCle += " 2" }, { $0.filiere = nil },
            { $0.typeDiplome = "cap" }, { $0.niveauEntree = 3 }, { $0.niveauSortie = 6 }, { $0.cfd = nil }, { $0.rncp = "RNCP1" },
            { $0.duree = "1 an" }, { $0.capacite = nil }, { $0.modalite = "distance" }, { $0.datesDebut = nil }, { $0.description = "Autre" },
            { $0.lien = nil }, { $0.texteCle = "autre" }, { $0.statutsMasque = 1 }, { $0.importBatch = UUID() },
            { $0.organisationID = UUID() }, { $0.responsableID = nil },
        ]
        #expect(changes.count == FormationColumns.columns.count - 1)
        for change in changes {
            var changed = full
            change(&changed)
            let expected = differing(changed, full)
            #expect(expected.count == 1)
            #expect(changed.columnsChanged(from: full) == expected && full.columnsChanged(from: changed) == expected)
        }
    }

    @Test("rows built without models (imports) give the models' rows: formations, statuses, ROME codes, audit entries")
    func values() throws {
        let full = Self.fullFormation()
        try Self.expectSameRows(BulkRows(values: [try FormationColumns(full)]), as: [full])

        let created = Date(timeIntervalSince1970: 1_790_000_000)
        let new = FormationColumns(id: UUID(), organisationID: UUID(), createdAt: created)
        let model = Formation(id: new.id, organisationID: new.organisationID, intitule: "", niveauSortie: 3)
        model.createdAt = created
        try Self.expectSameRows(BulkRows(values: [new]), as: [model])

        let formation = UUID()
        let status = FormationListValue(value: "apprenti", formationID: formation), rome = FormationListValue(value: "H2903", formationID: formation)
        let statusModel = FormationStatut(formationID: formation, statut: "apprenti"), romeModel = FormationROME(formationID: formation, code: "H2903")
        (statusModel.id, romeModel.id) = (status.id, rome.id)
        try Self.expectSameRows(BulkRows(table: FormationStatut.schema, columns: FormationListValue.columns(valueColumn: "statut"), rows: [status.bulkValues]),
                                as: [statusModel])
        try Self.expectSameRows(BulkRows(table: FormationROME.schema, columns: FormationListValue.columns(valueColumn: "code"), rows: [rome.bulkValues]),
                                as: [romeModel])

        let entries = [
            AuditEntryValues(at: created, actorID: UUID(), actorLabel: "Import", entity: "formation", entityID: formation, entityLabel: "CAP Cuisine",
                             action: "create", changes: "{}"),
            AuditEntryValues(at: created, actorID: nil, actorLabel: "cmq", entity: "formation", entityID: formation, entityLabel: "CAP",
                             action: "update", changes: "{}"),
        ]
        try Self.expectSameRows(BulkRows(values: entries), as: entries.map(AuditEntry.init))
    }

    @Test("formations written by the service and read packed (imports) give the model's columns, full and sparse, with their lists",
          arguments: TestDatabase.all)
    func packedRead(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let organisation = try await Factory.organisation(app.db).requireID()
            let responsable = try await Factory.organisation(app.db, nom: "Responsable").requireID()
            var input = FormationInput()
            (input.intitule, input.organisationID, input.responsableID) = (.set("BTS Maintenance ; « systèmes » | œuvre"), .set(organisation), .set(responsable))
            (input.typeDiplome, input.filiere, input.niveauEntree) = (.set(.bts), .set(Filiere.allCases[0]), .set(.niveau4))
            (input.cfd, input.rncp, input.duree, input.capacite) = (.set(try CFD("32025002")), .set(try RNCP("RNCP35323")), .set("2 ans"), .set(24))
            (input.description, input.lien) = (.set("Atelier\nlignes"), .set("https://example.fr"))
            input.statuts = .set([.apprenti, .scolaire])
            input.romes = .set([try ROMECode("I1604"), try ROMECode("H2903")])
            let service = FormationService(db: app.db, caller: .command("test"))
            let full = try await service.create(input)
            var sparseInput = FormationInput()
            (sparseInput.intitule, sparseInput.organisationID, sparseInput.typeDiplome) = (.set("CAP Cuisine"), .set(organisation), .set(.cap))
            let sparse = try await service.create(sparseInput)
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: FormationColumns.packedSelect(postgres: sql.dialect.name == "postgresql")) FROM formations f
                """).all()
            let read = Dictionary(uniqueKeysWithValues: try rows.map { row in try FormationColumns.read(row) }.map { ($0.columns.id, $0) })
            for model in [full, sparse] {
                let stored = try #require(try await Formation.query(on: app.db).filter(\.$id == model.requireID()).with(\.$statuts).with(\.$romes).first())
                let packed = try #require(read[try model.requireID()])
                let columns = try FormationColumns(stored)
                #expect(packed.columns == columns)
                #expect(packed.statuts.sorted() == stored.statuts.map(\.statut).sorted() && packed.romes.sorted() == stored.romes.map(\.code).sorted())
            }
            let (fullID, sparseID) = (try full.requireID(), try sparse.requireID())
            #expect(read[fullID]?.romes.sorted() == ["H2903", "I1604"] && read[sparseID]?.statuts == [])
        }
    }

    @Test("rows over several statements are all written; when one of them fails, the insert throws and its transaction writes none",
          arguments: TestDatabase.all)
    func severalStatements(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: audit entries (9 columns) for two statements
            let at = Date(timeIntervalSince1970: 1_790_000_000)
            @Sendable func entries() -> [AuditEntryValues] {
                (0..<4_000).map { _ in
                    AuditEntryValues(at: at, actorID: nil, actorLabel: "test", entity: "formation", entityID: UUID(), entityLabel: "CAP",
                                     action: "create", changes: "{}")
                }
            }
            #expect(BulkRows(values: entries()).statementCount == 2)
            let before = try await AuditEntry.query(on: app.db).count()
            // when, then: all written, in one transaction
            try await app.db.writeTransaction { db in try await BulkRows(values: entries()).insert(on: try #require(db as? any SQLDatabase)) }
            #expect(try await AuditEntry.query(on: app.db).count() == before + 4_000)
            // when: the second statement repeats an id of the first
            var repeated = entries()
            repeated[3_900].id = repeated[0].id
            let failing = repeated
            await #expect(throws: (any Error).self) {
                try await app.db.writeTransaction { db in try await BulkRows(values: failing).insert(on: try #require(db as? any SQLDatabase)) }
            }
            // then: none of its rows is written
            #expect(try await AuditEntry.query(on: app.db).count() == before + 4_000)
        }
    }

    @Test("SQLite: statements written once per size store every value as SQLKit's own statements store it")
    func sqliteStatementsAsSQLKit() async throws {
        try await withTestApp(.sqlite) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            // given: rows of every kind of value the imports bind, over three statements (6 columns: 5,461 rows a statement,
            // the last one 1,078), the second with a literal the fast path leaves to SQLKit
            let columns = ["a", "b", "c", "d", "e", "f"]
            func row(_ index: Int) -> [any SQLExpression] {
                let at = Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 0.001)
                let values: [any SQLExpression] = [
                    SQLBind("Intitulé n° \(index) — « é »"), SQLBind(UUID()), SQLBind(at), SQLBind(Double(index) / 3), SQLBind(index),
                    SQLBind(index % 2 == 0), SQLBind(Optional("facultatif")), SQLBind(String?.none), SQLBind(""),
                    SQLLiteral.null, SQLLiteral.default, SQLLiteral.string("cas d'usage"), SQLLiteral.numeric(String(index)),
                    SQLLiteral.numeric("2.5"),
                ]
                return (0..<columns.count).map { values[(index + $0 * 5) % values.count] }
            }
            var rows = (0..<12_000).map(row)
            rows[6_000][2] = SQLLiteral.boolean(true)
            let written = BulkRows(table: "bulk_fast", columns: columns, rows: rows)
            #expect(written.statementCount == 3)
            for table in ["bulk_fast", "bulk_sqlkit"] {
                try await sql.raw("CREATE TABLE \(ident: table) (a, b, c, d, e, f)").run()
            }
            // when: the rows are written by the statements of one size, and by SQLKit's statements
            for statement in try await written.sqliteStatements(on: sql) { try await statement.run(on: sql) }
            let reference = written.into("bulk_sqlkit")
            for start in stride(from: 0, to: rows.count, by: reference.rowsPerStatement) {
                let chunk = reference.rows[start..<min(start + reference.rowsPerStatement, rows.count)]
                try await reference.sqliteStatementBySQLKit(chunk, on: sql, updatingExcept: nil).run(on: sql)
            }
            // then: each value has the same type and the same value in both tables
            struct Stored: Decodable, Equatable { let v: String }
            let stored = "SELECT " + columns.map { "typeof(\($0)) || ':' || quote(\($0))" }.joined(separator: " || '|' || ") + " AS v FROM "
            let fast = try await sql.raw(SQLQueryString(stored + "bulk_fast ORDER BY rowid")).all(decoding: Stored.self)
            let bySQLKit = try await sql.raw(SQLQueryString(stored + "bulk_sqlkit ORDER BY rowid")).all(decoding: Stored.self)
            #expect(fast.count == 12_000 && fast == bySQLKit)
            #expect(fast.first?.v.contains("text:'Intitulé n° 0") == true)
        }
    }

    @Test("a statement feed gives the statements in the order they were added, waits for the builder, and throws its failure")
    func statementFeed() async throws {
        struct BuildFailure: Error {}
        func statement(_ number: Int) -> SQLiteBulkStatement { SQLiteBulkStatement(text: "SELECT \(number)", binds: []) }
        // given: a feed whose builder adds three statements in two steps, a little later
        let feed = SQLiteStatementFeed()
        #expect(feed.next() == nil)
        let builder = Task {
            try await Task.sleep(for: .milliseconds(20))
            feed.add([statement(1), statement(2)])
            // the builder waits while more than one statement waits to be taken
            try await feed.waitForRoom(atMost: 1)
            feed.add([statement(3)])
            feed.finish()
        }
        // when, then: the writer waits for the first, and takes them in order until none is left
        var taken: [String] = []
        while try await feed.waitForNext() {
            while let next = feed.next() { taken.append(next.text) }
        }
        try await builder.value
        #expect(taken == ["SELECT 1", "SELECT 2", "SELECT 3"])
        #expect(try await feed.waitForNext() == false)
        // a failed build is thrown to the writer once what was built is taken
        let failing = SQLiteStatementFeed()
        failing.add([statement(4)])
        failing.finish(BuildFailure())
        #expect(try await failing.waitForNext() && failing.next()?.text == "SELECT 4")
        await #expect(throws: BuildFailure.self) { try await failing.waitForNext() }
        // a stopped writer frees the builder
        let stopped = SQLiteStatementFeed()
        stopped.add([statement(5), statement(6)])
        stopped.stop()
        try await stopped.waitForRoom(atMost: 0)
        #expect(stopped.isStopped)
    }

    @Test("no models: the columns still come from the model")
    func empty() throws {
        let listed = try BulkRows([Formation]()), reflected = try BulkRows(reflecting: [Formation]())
        #expect(listed.isEmpty && listed.columns == reflected.columns && !listed.columns.isEmpty)
    }
}
