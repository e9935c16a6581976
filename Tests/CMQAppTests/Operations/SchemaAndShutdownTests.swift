@testable import CMQApp
import Fluent
import FluentPostgresDriver
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

@Suite("Schema changes with several instances, and stopping an instance")
struct SchemaAndShutdownTests {
    struct Row: Decodable { let total: Int; let distinct: Int }

    /// An application on `database`, configured as `cmq` would be, not migrated.
    private func makeApp(_ database: AppConfig.DatabaseChoice) async throws -> Application {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: AppConfig(database: database, demoOnFirstStart: false))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    @Test("two instances running cmq migrate at once on one PostgreSQL apply each migration once (advisory lock)")
    func concurrentMigrations() async throws {
        guard TestDatabase.postgresURL != nil else { return }
        let admin = try await PostgresAdmin.shared()
        let name = "cmq_t_\(getpid())_schema_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin.create(name)
        let url = try admin.url(of: name)
        let first = try await makeApp(.postgres(url: url))
        let second = try await makeApp(.postgres(url: url))
        do {
            async let a = DatabaseSchema.migrate(first)
            async let b = DatabaseSchema.migrate(second)
            let (appliedByFirst, appliedBySecond) = try await (a, b)
            // One of them did the work, the other waited for the lock and found nothing to do.
            #expect(Set([appliedByFirst.count, appliedBySecond.count]) == [0, Readiness.knownMigrations.count])
            let sql = try #require(first.db as? any SQLDatabase)
            let row = try #require(try await sql.raw("SELECT COUNT(*)::int AS total, COUNT(DISTINCT name)::int AS \"distinct\" FROM _fluent_migrations").first(decoding: Row.self))
            #expect(row.total == Readiness.knownMigrations.count && row.distinct == row.total)
            // A third run has nothing left to do.
            #expect(try await DatabaseSchema.migrate(first).isEmpty)
        } catch {
            Issue.record(error)
        }
        try? await first.asyncShutdown()
        try? await second.asyncShutdown()
        await admin.drop(name)
    }

    @Test("on PostgreSQL a command refuses a schema that is not this version's, and names cmq migrate")
    func commandRefusesOutdatedSchema() async throws {
        guard TestDatabase.postgresURL != nil else { return }
        try await withTestApp(.postgres) { app in
            try await DatabaseSchema.prepareForCommand(app)  // current: accepted
            try await MigrationLog.query(on: app.db).filter(\.$name == "CMQApp.UpdateFormationSearchStems").delete()
            do {
                try await DatabaseSchema.prepareForCommand(app)
                Issue.record("an outdated schema was accepted")
            } catch let failure as CommandFailure {
                #expect(failure.description.contains("lancez « cmq migrate »"))
                #expect(failure.description.contains("UpdateFormationSearchStems"))
            }
            // Nothing was migrated behind the operator's back.
            #expect(try await MigrationLog.query(on: app.db).filter(\.$name == "CMQApp.UpdateFormationSearchStems").count() == 0)
        }
    }

    @Test("on an embedded SQLite file a command brings an empty database up to date itself")
    func sqliteCommandMigrates() async throws {
        let path = NSTemporaryDirectory() + "cmq-schema-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = try await makeApp(.sqliteFile(path: path))
        do {
            #expect(!DatabaseSchema.migratesOnlyByCommand(app))
            try await DatabaseSchema.prepareForCommand(app)
            let check = await Readiness(app: app, db: app.db, logger: app.logger).migrationsCheck()
            #expect(check.passed)
        } catch {
            Issue.record(error)
        }
        try? await app.asyncShutdown()
    }

    @Test("on SIGTERM the server stops accepting and finishes the request in flight, database included, before the pools close")
    func gracefulShutdown() async throws {
        let path = NSTemporaryDirectory() + "cmq-shutdown-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = try await makeApp(.sqliteFile(path: path))
        let finished = NIOLockedValueBox(false)
        let stopping = NIOLockedValueBox(false)
        do {
            try await DatabaseSchema.migrate(app)
            // A slow request: it reads the database after the stop has begun.
            app.get("lent") { req async throws -> String in
                try await eventually { stopping.withLockedValue { $0 } }
                try await Task.sleep(for: .milliseconds(300))
                let count = try await Organisation.query(on: req.db).count()
                finished.withLockedValue { $0 = true }
                return "\(count)"
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/lent"))
            async let answer = URLSession.shared.data(from: url)
            // Wait (at most 10 s: a loaded machine may take a while) until the request has reached the handler.
            try await eventually { app.requestsInFlight.current > 0 }
            #expect(app.requestsInFlight.current == 1)

            stopping.withLockedValue { $0 = true }
            await GracefulShutdown().shutdownAsync(app)
            // When the handler returns, the request has been answered: the pools may close now.
            #expect(finished.withLockedValue { $0 })
            #expect(app.requestsInFlight.current == 0)
            let (data, response) = try await answer
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self) == "0")
            // No new connection is accepted.
            await #expect(throws: (any Error).self) { _ = try await URLSession.shared.data(from: url) }
        } catch {
            Issue.record(error)
        }
        try? await app.asyncShutdown()
    }
}
