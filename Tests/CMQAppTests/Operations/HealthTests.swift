@testable import CMQApp
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import VaporTesting

@Suite("Health and readiness probes")
struct HealthTests {
    struct Report: Decodable {
        struct Check: Decodable { let statut: String; let detail: String? }
        let statut: String
        let verifications: [String: Check]
    }

    @Test("GET /sante answers {\"statut\":\"ok\"} without an account, never cached", arguments: TestDatabase.all)
    func liveness(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.GET, "/sante", as: .anonymous)
            #expect(response.status == .ok)
            #expect(response.body.string == #"{"statut":"ok"}"#)
            #expect(response.headers.first(name: .cacheControl) == "no-store")
            #expect(response.headers.contentType == .json)
        }
    }

    @Test("GET /sante/pret: ready when the database answers, every migration is applied and the catalogue loads", arguments: TestDatabase.all)
    func ready(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.GET, "/sante/pret", as: .anonymous)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .cacheControl) == "no-store")
            let report = try response.decoded(Report.self)
            #expect(report.statut == "pret")
            #expect(Set(report.verifications.keys) == ["base", "migrations", "catalogue"])
            #expect(report.verifications.values.allSatisfy { $0.statut == "ok" && $0.detail == nil })
            // The list readiness compares with is the one configure registers.
            let known = Readiness.knownMigrations
            #expect(known.contains("CMQApp.CreateOrganisations") && known.contains("CMQApp.UpdateFormationSearchStems"))
            #expect(known.count == Set(known).count)
        }
    }

    @Test("a migration not applied: not ready, with the migration named in the answer and in an error line", arguments: TestDatabase.all)
    func migrationMissing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let capture = LogCapture()
            app.requestLogHandler = capture.handler
            try await MigrationLog.query(on: app.db).filter(\.$name == "CMQApp.UpdateFormationSearchStems").delete()
            let response = try await app.send(.GET, "/sante/pret", as: .anonymous)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers.first(name: .cacheControl) == "no-store")
            let report = try response.decoded(Report.self)
            #expect(report.statut == "indisponible")
            #expect(report.verifications["base"]?.statut == "ok")
            let migrations = try #require(report.verifications["migrations"])
            #expect(migrations.statut == "echec")
            #expect(migrations.detail == "1 migration(s) non appliquée(s) (UpdateFormationSearchStems) : lancez « cmq migrate ».")
            #expect(capture.lines.contains { $0.level == .error && $0.message.contains("plus ancien") && $0.message.contains("CMQApp.UpdateFormationSearchStems") })
        }
    }

    @Test("a schema newer than this version (a migration it does not know): not ready", arguments: TestDatabase.all)
    func schemaNewer(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let capture = LogCapture()
            app.requestLogHandler = capture.handler
            try await MigrationLog(name: "CMQApp.AddSomethingFromTheFuture", batch: 99).create(on: app.db)
            let response = try await app.send(.GET, "/sante/pret", as: .anonymous)
            #expect(response.status == .serviceUnavailable)
            let migrations = try #require(try response.decoded(Report.self).verifications["migrations"])
            #expect(migrations.statut == "echec")
            #expect(migrations.detail?.hasPrefix("Le schéma de la base est plus récent que cette version de cmq : 1 migration(s) inconnue(s) (AddSomethingFromTheFuture)") == true)
            #expect(capture.lines.contains { $0.level == .error && $0.message.contains("plus récent") })
        }
    }

    @Test("a database never migrated: not ready", arguments: TestDatabase.all)
    func neverMigrated(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            guard let sql = app.db as? any SQLDatabase else { Issue.record("no SQL"); return }
            try await sql.raw("DROP TABLE _fluent_migrations").run()
            let response = try await app.send(.GET, "/sante/pret", as: .anonymous)
            #expect(response.status == .serviceUnavailable)
            let report = try response.decoded(Report.self)
            #expect(report.verifications["migrations"]?.detail == "Aucune migration n'est appliquée à cette base : lancez « cmq migrate ».")
        }
    }

    @Test("a database that went away (a pool pointing nowhere): not ready, with a French detail per check", arguments: TestDatabase.all)
    func databaseGone(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let gone = DatabaseID(string: "disparue")
            switch database {
            case .sqlite:
                app.databases.use(.sqlite(.file("/nonexistent-\(UUID().uuidString)/cmq.sqlite")), as: gone, isDefault: true)
            case .postgres:
                let url = try await PostgresAdmin.shared().url(of: "cmq_absente_\(getpid())")
                app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: gone, isDefault: true)
            }
            let started = Date()
            let response = try await app.send(.GET, "/sante/pret", as: .anonymous)
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(response.status == .serviceUnavailable)
            let report = try response.decoded(Report.self)
            #expect(report.statut == "indisponible")
            #expect(report.verifications["base"]?.detail == "La base de données ne répond pas.")
            #expect(report.verifications["migrations"]?.detail == "Non vérifié : la base de données ne répond pas.")
            #expect(report.verifications["catalogue"]?.statut == "echec")
            // Liveness does not depend on the database.
            #expect(try await app.send(.GET, "/sante", as: .anonymous).status == .ok)
        }
    }

    @Test("a PostgreSQL database dropped while serving: not ready")
    func postgresDropped() async throws {
        guard TestDatabase.postgresURL != nil else { return }
        try await withTestApp(.postgres) { app in
            #expect(try await app.send(.GET, "/sante/pret", as: .anonymous).status == .ok)
            guard case .postgres(let url) = app.cmqConfig.database, let name = URLComponents(string: url)?.path.dropFirst() else {
                Issue.record("not a PostgreSQL copy"); return
            }
            try await PostgresAdmin.shared().drop(String(name))
            let response = try await app.send(.GET, "/sante/pret", as: .anonymous)
            #expect(response.status == .serviceUnavailable)
            #expect(try response.decoded(Report.self).verifications["base"]?.statut == "echec")
        }
    }

    @Test("the probe of a database that does not answer is bounded")
    func bounded() async throws {
        let started = Date()
        do {
            _ = try await Deadline.run(seconds: 0.2) { try await Task.sleep(nanoseconds: 120_000_000_000) }
            Issue.record("the deadline did not expire")
        } catch is Deadline.Expired {}
        // Far below the two minutes the work would take, however loaded the machine is (no timing is asserted).
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(try await Deadline.run(seconds: 5) { 42 } == 42)
    }
}
