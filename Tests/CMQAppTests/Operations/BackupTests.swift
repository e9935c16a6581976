@testable import CMQApp
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@Suite("Backup and restore (cmq sauvegarde, cmq restauration)")
struct BackupTests {
    static func run(_ command: some AsyncCommand, _ app: Application, _ arguments: [String]) async throws {
        var context = CommandContext(console: app.console, input: CommandInput(arguments: ["cmq"] + arguments))
        context.application = app
        try await command.run(using: &context)
    }

    static func scratch(_ name: String) -> String {
        TestScratch.directory + "/\(name)-\(UUID().uuidString.prefix(8)).sqlite"
    }

    /// An application on its own SQLite file, for the restore (the command replaces the application's database).
    static func withSQLiteApp(at path: String, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: AppConfig(database: .sqliteFile(path: path), demoOnFirstStart: false))
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// The organisations a writer inserted two by two, one transaction per pair: a consistent copy holds whole pairs.
    static func pairs(_ db: any Database) async throws -> (rows: Int, whole: Bool) {
        let names = try await Organisation.query(on: db).filter(\.$nom =~ "Paire ").all().map(\.nom)
        var byPair: [String: Int] = [:]
        for name in names { byPair[String(name.split(separator: " ")[1]), default: 0] += 1 }
        return (names.count, byPair.values.allSatisfy { $0 == 2 })
    }

    @Test("a backup taken while another task writes restores to a consistent database")
    func underLoad() async throws {
        let backup = Self.scratch("sauvegarde")
        var atBackup = 0, atEnd = 0
        try await withTestApp(.sqlite) { app in
            guard case .sqliteFile(let path) = app.cmqConfig.database else { Issue.record("not an SQLite file"); return }
            let stop = NIOLockedValueBox(false), written = NIOLockedValueBox(0)
            let writer = Task {
                var n = 0
                while !stop.withLockedValue({ $0 }) {
                    n += 1
                    let pair = n
                    try await app.db.transaction { db in
                        try await Factory.organisation(db, nom: "Paire \(pair) a")
                        try await Factory.organisation(db, nom: "Paire \(pair) b")
                    }
                    written.withLockedValue { $0 = n }
                }
                return n
            }
            while written.withLockedValue({ $0 }) < 20 { try await Task.sleep(nanoseconds: 10_000_000) }
            atBackup = written.withLockedValue { $0 }
            try await Self.run(BackupCommand(), app, [backup])
            stop.withLockedValue { $0 = true }
            let total = try await writer.value
            atEnd = 2 * total
            #expect(try await Self.pairs(app.db).rows == atEnd)
            // The backup never overwrites a file.
            do {
                try await Self.run(BackupCommand(), app, [backup])
                Issue.record("a second backup to the same file should be refused")
            } catch let failure as CommandFailure {
                #expect(failure.description.contains("existe déjà"))
            }
            #expect(FileManager.default.fileExists(atPath: path))
        }
        let restored = Self.scratch("restauree")
        try await Self.withSQLiteApp(at: restored) { app in
            try await Self.run(RestoreCommand(), app, [backup])
            guard let sql = app.db as? any SQLDatabase else { return }
            struct Check: Decodable { let integrity_check: String }
            #expect(try await sql.raw("PRAGMA integrity_check").all(decoding: Check.self).map(\.integrity_check) == ["ok"])
            let (rows, whole) = try await Self.pairs(app.db)
            #expect(whole, "a pair is split: the backup is not a consistent snapshot")
            #expect(rows >= 2 * atBackup && rows <= atEnd, "\(rows) rows, between \(2 * atBackup) and \(atEnd) expected")
            // The restored database is ready to serve (every migration, the administrator's account).
            #expect(try await app.send(.GET, "/sante/pret", as: .anonymous).status == .ok)
            #expect(try await User.query(on: app.db).filter(\.$email == "admin@cmq.test").count() == 1)
        }
        for file in [backup, restored, restored + "-wal", restored + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
    }

    @Test("a restore refuses a file that is not a cmq database, or a newer one, and leaves the database unchanged")
    func refusals() async throws {
        let garbage = Self.scratch("pas-une-base")
        try Data("ceci n'est pas une base SQLite".utf8).write(to: URL(fileURLWithPath: garbage))
        let newer = Self.scratch("plus-recente")
        let other = Self.scratch("autre-base")
        try await withTestApp(.sqlite) { app in
            try await Factory.organisation(app.db, nom: "Lycée à garder")
            // A backup of a newer version: an unknown migration.
            try await Self.run(BackupCommand(), app, [newer])
            try await Self.withSQLiteApp(at: newer) { future in
                try await MigrationLog(name: "CMQApp.AddSomethingFromTheFuture", batch: 99).create(on: future.db)
            }
            // An SQLite database that is not cmq's.
            try await Self.withSQLiteApp(at: other) { foreign in
                try await (foreign.db as! any SQLDatabase).raw("CREATE TABLE notes (texte TEXT)").run()
            }
            let cases: [(String, String)] = [
                (garbage, "n'est pas une base SQLite lisible"),
                (newer, "version plus récente de cmq"),
                (other, "n'est pas une base cmq"),
                (Self.scratch("absente"), "n'existe pas"),
            ]
            for (file, expected) in cases {
                do {
                    try await Self.run(RestoreCommand(), app, [file])
                    Issue.record("\(file) should be refused")
                } catch let failure as CommandFailure {
                    #expect(failure.description.contains(expected), "\(failure.description)")
                }
                #expect(try await Organisation.query(on: app.db).filter(\.$nom == "Lycée à garder").count() == 1)
            }
        }
        for file in [garbage, newer, other] { try? FileManager.default.removeItem(atPath: file) }
    }

    @Test("on PostgreSQL both commands refuse and print the pg_dump and pg_restore commands")
    func postgres() async throws {
        guard TestDatabase.postgresURL != nil else { return }
        try await withTestApp(.postgres) { app in
            let file = Self.scratch("pg")
            for (command, name) in [(BackupCommand() as any AsyncCommand, "pg_dump"), (RestoreCommand(), "pg_restore")] {
                do {
                    var context = CommandContext(console: app.console, input: CommandInput(arguments: ["cmq", file]))
                    context.application = app
                    try await command.run(using: &context)
                    Issue.record("the command should refuse PostgreSQL")
                } catch let failure as CommandFailure {
                    #expect(failure.description.contains(name))
                }
            }
            #expect(DatabaseFileCopy.postgresAdvice.contains("pg_dump --format=custom"))
            #expect(!FileManager.default.fileExists(atPath: file))
        }
    }
}
