import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLiteNIO
import Vapor
import VaporCSQLite

/// Formations read on a SQLite file by statements prepared once per connection, on the caller's own thread.
///
/// SQLite's driver prepares every statement anew and runs it on a thread of its pool, then hands the rows back:
/// for one formation, or a page of twenty, two thread hops and a preparation cost more than the read itself (under
/// `perf`, the pool's threads were a third of the server's CPU on the "one formation" case). These reads are
/// primary-key lookups (`FormationReader.select`, `f.id = ?` or `f.id IN (?, …)`, and each formation's ROME
/// codes): a few pages of the file, read without waiting for anyone, since SQLite's WAL readers never wait for
/// writers. So they run where they are asked — an event loop's thread, a task's — on read-only connections kept
/// here, one caller at a time each. Each read is its own transaction: it sees every write committed before it
/// (not those of a transaction still open: a reader inside a write transaction uses the driver). Should SQLite
/// answer anything but rows (busy while a WAL file is recovered, an error), the caller reads through the driver.
final class SQLiteFormationReads: Sendable {
    /// Ids bound by one execution of the page statement (the API's largest page is `PageRequest.maxPer`).
    static let idsPerStatement = 25
    /// Connections kept open between reads; more are opened while more callers read at once, then closed.
    static let keptConnections = 8

    private static let one = FormationReader.select(postgres: false) + "= ?"
    private static let page = FormationReader.select(postgres: false) + "IN (" + repeatElement("?", count: idsPerStatement).joined(separator: ", ") + ")"

    private let path: String
    private let idle = NIOLockedValueBox<[Connection]>([])
    private let closed = NIOLockedValueBox(false)

    /// A read-only connection and its two statements, used by one caller at a time (taken from `idle`).
    private final class Connection: @unchecked Sendable {
        let handle: OpaquePointer
        let one: OpaquePointer
        let page: OpaquePointer

        init?(path: String) {
            var handle: OpaquePointer?, one: OpaquePointer?, page: OpaquePointer?
            let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            guard sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK,
                  sqlite_nio_sqlite3_prepare_v3(handle, SQLiteFormationReads.one, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &one, nil) == SQLITE_OK,
                  sqlite_nio_sqlite3_prepare_v3(handle, SQLiteFormationReads.page, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &page, nil) == SQLITE_OK,
                  let handle, let one, let page else {
                sqlite_nio_sqlite3_finalize(one)
                sqlite_nio_sqlite3_finalize(page)
                sqlite_nio_sqlite3_close(handle)
                return nil
            }
            (self.handle, self.one, self.page) = (handle, one, page)
        }

        func close() {
            sqlite_nio_sqlite3_finalize(one)
            sqlite_nio_sqlite3_finalize(page)
            sqlite_nio_sqlite3_close(handle)
        }

        /// The rows of `ids` (at most `idsPerStatement`), appended to `rows`; false when SQLite gave no answer.
        func read(_ ids: ArraySlice<UUID>, into rows: inout [FormationReader.Row]) -> Bool {
            let statement = ids.count == 1 ? one : page
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            // Bound texts are copied (SQLITE_TRANSIENT): the ids' strings do not outlive this loop.
            for (index, id) in ids.enumerated() {
                guard sqlite_nio_sqlite3_bind_text(statement, Int32(index + 1), id.uuidString, -1, SQLITE_TRANSIENT) == SQLITE_OK else { return false }
            }
            while true {
                switch sqlite_nio_sqlite3_step(statement) {
                case SQLITE_ROW:
                    guard let row = try? FormationReader.Row(SQLiteFormationCards.Cells(data: values(of: statement))) else { return false }
                    rows.append(row)
                case SQLITE_DONE:
                    return true
                default:
                    return false
                }
            }
        }

        /// The current row's values, as the driver gives them.
        private func values(of statement: OpaquePointer) -> [SQLiteData] {
            (0..<sqlite_nio_sqlite3_column_count(statement)).map { column in
                switch sqlite_nio_sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: .float(sqlite_nio_sqlite3_column_double(statement, column))
                case SQLITE_TEXT: sqlite_nio_sqlite3_column_text(statement, column).map { .text(String(cString: $0)) } ?? .null
                case SQLITE_BLOB:
                    .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: sqlite_nio_sqlite3_column_blob(statement, column),
                                                                   count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))))
                default: .null
                }
            }
        }
    }

    init(path: String) {
        self.path = path
    }

    /// The formations of `ids` that exist, in no particular order; nil when they are to be read through the driver.
    func rows(_ ids: [UUID]) -> [FormationReader.Row]? {
        guard !closed.withLockedValue({ $0 }) else { return nil }
        guard let connection = idle.withLockedValue({ $0.popLast() }) ?? Connection(path: path) else { return nil }
        var rows: [FormationReader.Row] = []
        rows.reserveCapacity(ids.count)
        var answered = true
        for start in stride(from: 0, to: ids.count, by: Self.idsPerStatement) where answered {
            answered = connection.read(ids[start..<min(start + Self.idsPerStatement, ids.count)], into: &rows)
        }
        let kept = closed.withLockedValue { closed in
            !closed && idle.withLockedValue { idle in
                guard idle.count < Self.keptConnections else { return false }
                idle.append(connection)
                return true
            }
        }
        if !kept { connection.close() }
        return answered ? rows : nil
    }

    /// Closes the connections kept (the server has stopped); later reads go through the driver.
    func close() {
        let connections = closed.withLockedValue { closed in
            closed = true
            return idle.withLockedValue { idle in
                defer { idle = [] }
                return idle
            }
        }
        for connection in connections { connection.close() }
    }
}

/// `sqlite3`'s "copy the bound value" destructor, which C defines as a cast of -1.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Application {
    private struct FormationReadsKey: StorageKey {
        typealias Value = SQLiteFormationReads
    }

    /// On a SQLite file, the reads of formations on the caller's thread (`SQLiteFormationReads`); nil on PostgreSQL.
    var sqliteFormationReads: SQLiteFormationReads? {
        get { storage[FormationReadsKey.self] }
        set { storage[FormationReadsKey.self] = newValue }
    }
}

/// Closes the SQLite reads' connections when the application stops.
struct SQLiteFormationReadsLifecycle: LifecycleHandler {
    func shutdown(_ application: Application) {
        application.sqliteFormationReads?.close()
    }
}
