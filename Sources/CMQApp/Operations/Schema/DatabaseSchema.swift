import Fluent
import SQLKit
import Vapor

/// Who changes the database schema, and when.
///
/// On PostgreSQL — several instances on one database — the schema changes only through `cmq migrate`, under an
/// advisory lock: two `cmq migrate` started at once apply each migration once (the second waits, then finds
/// nothing left to do). `cmq serve` never migrates there: an instance whose schema differs from the database's is
/// not ready (`/sante/pret`) and says so in its log, and the other commands refuse until `cmq migrate` has run.
/// On an embedded SQLite file (one process) `serve` and the other commands bring the schema up to date themselves.
enum DatabaseSchema {
    /// The key of the PostgreSQL advisory lock held while migrating or loading the demo (the bytes of "cmq-mig").
    static let migrationLockKey: Int64 = 0x63_6D71_2D6D_6967

    /// Whether this database's schema is changed only by `cmq migrate`.
    static func migratesOnlyByCommand(_ app: Application) -> Bool {
        if case .postgres = app.cmqConfig.database { return true }
        return false
    }

    /// Applies the migrations not yet applied and returns their names, in order (`progress` hears of each batch).
    /// On PostgreSQL the whole run holds the advisory lock.
    @discardableResult
    static func migrate(_ app: Application, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> [String] {
        try await exclusively(app) { try await applyPending(app, progress: progress) }
    }

    /// Runs `work` while no other instance runs work of this kind (migrations, the demo's first load): on
    /// PostgreSQL under a session advisory lock taken on one connection of the pool and held while `work` uses the
    /// others, released at the end or by PostgreSQL when the process dies. On SQLite (one process) directly.
    static func exclusively<T: Sendable>(_ app: Application, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        guard migratesOnlyByCommand(app) else { return try await work() }
        return try await app.db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                guard let lock = connection as? any SQLDatabase else { throw CommandFailure("La base de données n'accepte pas le SQL.") }
                try await lock.raw("SELECT pg_advisory_lock(\(literal: migrationLockKey))").run()
                do {
                    let result = try await work()
                    try await lock.raw("SELECT pg_advisory_unlock(\(literal: migrationLockKey))").run()
                    return result
                } catch {
                    try? await lock.raw("SELECT pg_advisory_unlock(\(literal: migrationLockKey))").run()
                    throw error
                }
            }
        }.get()
    }

    private static func applyPending(_ app: Application, progress: @Sendable (String) -> Void) async throws -> [String] {
        try await app.migrator.setupIfNeeded().get()
        let pending = try await app.migrator.previewPrepareBatch().get().map { $0.0.name }
        guard !pending.isEmpty else { return [] }
        progress("\(pending.count) migration(s) à appliquer : \(Readiness.shortNames(pending))")
        try await app.migrator.prepareBatch().get()
        return pending
    }

    /// Before a command other than `migrate` works on the database: on SQLite, migrate; on PostgreSQL, refuse
    /// with the reason unless the schema is exactly this version's.
    static func prepareForCommand(_ app: Application) async throws {
        guard migratesOnlyByCommand(app) else {
            try await migrate(app)
            return
        }
        let check = await Readiness(app: app, db: app.db, logger: app.logger).migrationsCheck()
        if let detail = check.detail, !check.passed {
            throw CommandFailure("Le schéma de la base n'est pas celui de cette version de cmq. \(detail)")
        }
    }
}

/// `cmq migrate`: brings the database schema up to date (the only way on PostgreSQL; see `DatabaseSchema`).
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String {
        "Apply the migrations this version of cmq adds to the database (on PostgreSQL under an advisory lock: safe with several instances)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = Date()
        let console = context.console
        if DatabaseSchema.migratesOnlyByCommand(app) {
            console.print("Verrou des migrations (PostgreSQL) : attente si une autre instance migre…")
        }
        let applied = try await DatabaseSchema.migrate(app) { console.print($0) }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        if applied.isEmpty {
            console.success("Schéma à jour : aucune migration à appliquer (\(Readiness.knownMigrations.count) connues).")
        } else {
            console.success("Schéma à jour : \(applied.count) migration(s) appliquée(s) en \(seconds) s.")
        }
    }
}
