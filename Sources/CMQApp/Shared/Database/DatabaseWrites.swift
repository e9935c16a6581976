import Foundation
import Fluent
import SQLKit

extension Database {
    /// How long a SQLite writer waits for the write lock before the request gets a 503.
    static var sqliteBusyTimeoutMilliseconds: Int { 15_000 }

    /// A transaction that writes, for SQLite and PostgreSQL alike.
    ///
    /// On SQLite its first statement takes the database's write lock. A transaction that reads first and
    /// writes later cannot wait for the lock when another connection holds it (SQLite answers "database is
    /// locked" at once, to avoid a deadlock); one that writes first waits in SQLite's busy handler until the
    /// other writer commits, and then reads what is committed. On PostgreSQL the transaction is an ordinary
    /// one: the state changes it makes are conditional writes (`claim`) or guarded by constraints.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { db in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" {
                // SQLite's busy handler as sqlite-nio sets it retries at once, forever, on a thread of the pool:
                // a sleeping wait with a bound instead (the setting stays with the connection).
                try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.sqliteBusyTimeoutMilliseconds))").run()
                try await sql.raw("UPDATE _fluent_migrations SET id = id WHERE 0").run()
            }
            return try await body(db)
        }
    }

    /// A conditional write of a state machine: sets `changes` on the row `id` of `table` only if every
    /// column of `expected` still holds its value, and tells whether it did. Of several callers racing to
    /// move one row out of the same state, exactly one gets `true` (PostgreSQL re-checks the condition on
    /// the row once the first writer commits; SQLite runs one writer at a time).
    func claim(_ table: String, id: UUID, expected: [(column: String, value: String)], changes: [(column: String, value: String)]) async throws -> Bool {
        guard let sql = self as? any SQLDatabase else { return false }
        var update = sql.update(table)
        for change in changes { update = update.set(SQLIdentifier(change.column), to: SQLBind(change.value)) }
        update = update.where(SQLIdentifier("id"), .equal, SQLBind(id))
        for condition in expected { update = update.where(SQLIdentifier(condition.column), .equal, SQLBind(condition.value)) }
        let rows = try await update.returning(SQLIdentifier("id")).all()
        return !rows.isEmpty
    }
}

/// A state change lost a race: the row changed between the read and the conditional write. The service
/// reads it again, and the domain's rules give the answer the sequential case gives (most often a 409).
struct StaleStateError: Error {}

/// Runs `body` again (at most `attempts` times in all) while it ends with `StaleStateError`, or while PostgreSQL
/// rolled its transaction back as a deadlock's victim (two conditional writes checking one exclusion constraint
/// can wait for each other): the whole transaction is undone, so it runs again, after a short random pause,
/// and then reads what the winner wrote (most often giving the sequential case's 409).
func retryingStaleState<T>(attempts: Int = 5, _ body: () async throws -> T) async throws -> T {
    for attempt in 1..<max(attempts, 1) {
        do { return try await body() } catch is StaleStateError { continue } catch where error.isDeadlockVictim {
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...(20 * attempt))))
            continue
        }
    }
    do { return try await body() } catch is StaleStateError {
        throw AppError.conflict("Cet élément vient d'être modifié par quelqu'un d'autre : rechargez-le et recommencez.")
    } catch where error.isDeadlockVictim {
        throw AppError.conflict("Cet élément vient d'être modifié par quelqu'un d'autre : rechargez-le et recommencez.")
    }
}

extension Error {
    /// PostgreSQL ended this transaction to break a deadlock (SQLSTATE 40P01): nothing of it was written.
    var isDeadlockVictim: Bool {
        let text = String(reflecting: self)
        return text.contains("40P01") || text.contains("deadlock detected")
    }
}
