import Foundation
import NIOCore
import SQLiteNIO
import Vapor
import VaporCSQLite

/// One formation read on SQLite without leaving the request's event loop, by a statement prepared once per loop.
///
/// SQLite's driver prepares every statement anew and runs it on a thread of its pool, then hands the rows back to
/// the event loop: for one formation, two thread hops and a preparation cost more than the read itself (under
/// `perf`, the pool's threads were a third of the server's CPU on the "one formation" case). Here each event loop
/// keeps its own read-only connection to the database file, used only from that loop's thread, with the reader's
/// statement (`FormationReader.select`, `f.id = ?`) prepared once; a read is a primary-key lookup of one row (and
/// its ROME codes): a few pages of the file, which the loop reads without waiting for anyone, since SQLite's WAL
/// readers never wait for writers. Each read is its own transaction, so it sees every write committed before it.
/// Should SQLite answer busy (a WAL file being recovered), the read goes the driver's way (`unavailable`).
final class SQLiteFormationCard: @unchecked Sendable {
    enum Outcome {
        case found(FormationReader.Row)
        case missing
        /// Read it through the driver instead.
        case unavailable
    }

    private static let sql = FormationReader.select(postgres: false) + "= ?"

    private let path: String
    /// One per event loop, created at start and only ever used on that loop's thread.
    private let slots: [ObjectIdentifier: Slot]

    private final class Slot {
        var connection: OpaquePointer?
        var statement: OpaquePointer?
        /// The connection could not be opened or the statement prepared: reads go the driver's way.
        var failed = false
    }

    init(path: String, eventLoops: any EventLoopGroup) {
        self.path = path
        var slots: [ObjectIdentifier: Slot] = [:]
        for loop in eventLoops.makeIterator() { slots[ObjectIdentifier(loop)] = Slot() }
        self.slots = slots
    }

    /// The formation `id`, read on `eventLoop` (from its thread, or by a task submitted to it).
    func read(_ id: UUID, on eventLoop: any EventLoop) -> EventLoopFuture<Outcome> {
        guard eventLoop.inEventLoop else { return eventLoop.submit { self.readHere(id, on: eventLoop) } }
        return eventLoop.makeSucceededFuture(readHere(id, on: eventLoop))
    }

    private func readHere(_ id: UUID, on eventLoop: any EventLoop) -> Outcome {
        guard let slot = slots[ObjectIdentifier(eventLoop)], let statement = prepared(slot) else { return .unavailable }
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        let status: Int32 = id.uuidString.withCString { text in
            // SQLITE_STATIC (no destructor): the text outlives the step, which is the only use of the binding.
            guard sqlite_nio_sqlite3_bind_text(statement, 1, text, -1, nil) == SQLITE_OK else { return SQLITE_ERROR }
            return sqlite_nio_sqlite3_step(statement)
        }
        switch status {
        case SQLITE_ROW:
            guard let row = try? FormationReader.Row(SQLiteFormationCards.Cells(data: Self.values(of: statement))) else { return .unavailable }
            return .found(row)
        case SQLITE_DONE:
            return .missing
        default:
            return .unavailable
        }
    }

    /// The slot's statement, opening its connection and preparing it on first use.
    private func prepared(_ slot: Slot) -> OpaquePointer? {
        if let statement = slot.statement { return statement }
        guard !slot.failed else { return nil }
        var connection: OpaquePointer?
        var statement: OpaquePointer?
        if sqlite_nio_sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
           sqlite_nio_sqlite3_prepare_v3(connection, Self.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
           let statement {
            slot.connection = connection
            slot.statement = statement
            return statement
        }
        sqlite_nio_sqlite3_finalize(statement)
        sqlite_nio_sqlite3_close(connection)
        slot.failed = true
        return nil
    }

    /// The current row's values, as the driver gives them.
    private static func values(of statement: OpaquePointer) -> [SQLiteData] {
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

    /// Closes every loop's connection (the server has stopped: no read is running).
    func close() {
        for slot in slots.values {
            sqlite_nio_sqlite3_finalize(slot.statement)
            sqlite_nio_sqlite3_close(slot.connection)
            (slot.statement, slot.connection) = (nil, nil)
            slot.failed = true
        }
    }
}

extension Application {
    private struct FormationCardKey: StorageKey {
        typealias Value = SQLiteFormationCard
    }

    /// On a SQLite file, the reader of one formation on the event loop (`SQLiteFormationCard`); nil on PostgreSQL.
    var sqliteFormationCard: SQLiteFormationCard? {
        get { storage[FormationCardKey.self] }
        set { storage[FormationCardKey.self] = newValue }
    }
}

/// Closes the card reader's connections when the application stops.
struct SQLiteFormationCardLifecycle: LifecycleHandler {
    func shutdown(_ application: Application) {
        application.sqliteFormationCard?.close()
    }
}
