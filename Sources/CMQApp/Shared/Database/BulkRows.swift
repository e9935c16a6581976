import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLiteKit
import SQLKit

/// Rows of one table ready to be written by multi-row INSERTs: every column a Fluent model declares, with the
/// values Fluent itself would bind. Built before a transaction, so that the transaction only sends statements.
struct BulkRows: Sendable {
    /// The most bound parameters one statement may carry on both databases (SQLite allows 32,766, PostgreSQL 65,535).
    static let parameterLimit = 32_766

    let table: String
    let columns: [String]
    private(set) var rows: [[any SQLExpression]] = []

    struct UnsupportedValue: Error, CustomStringConvertible {
        var description: String
    }

    /// The rows of `models`, in order, their columns found by Fluent's reflection; a model without an id gets a
    /// new one (as Fluent's `create` does).
    init<M: Model>(reflecting models: [M]) throws(UnsupportedValue) where M.IDValue == UUID {
        try self.init(models) { $0.input(to: $1) }
    }

    /// The rows of `models`, in order, their columns listed by the model itself (`BulkRow`): the same rows as
    /// `init(reflecting:)` without the reflection.
    init<M: BulkRow>(_ models: [M]) throws(UnsupportedValue) {
        try self.init(models) { model, values in
            for property in model.bulkProperties { property.input(to: values) }
        }
    }

    /// Rows built without models (`BulkValues`), in order.
    init<V: BulkValues>(values: [V]) {
        self.init(table: V.schema, columns: V.columns, rows: values.map(\.bulkValues))
    }

    /// Rows given as values: `columns` as the table's `BulkRow` lists them, each row's values in that order.
    init(table: String, columns: [String], rows: [[any SQLExpression]]) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }

    private init<M: Model>(_ models: [M], input: (M, ColumnValues) -> Void) throws(UnsupportedValue) where M.IDValue == UUID {
        table = M.schema
        var columns: [String] = []
        rows.reserveCapacity(models.count)
        for model in models {
            if model.id == nil { model.id = UUID() }
            let values = ColumnValues(capacity: columns.count)
            input(model, values)
            if let column = values.unsupported {
                throw UnsupportedValue(description: "\(M.schema).\(column): a nested or custom value, which bulk writes do not know")
            }
            if columns.isEmpty { columns = values.keys }
            if values.keys == columns {
                rows.append(values.values)
            } else {
                let given = Dictionary(zip(values.keys, values.values), uniquingKeysWith: { _, last in last })
                rows.append(columns.map { given[$0] ?? SQLLiteral.default })
            }
        }
        if columns.isEmpty {
            let values = ColumnValues()
            input(M(), values)
            columns = values.keys
        }
        self.columns = columns
    }

    var isEmpty: Bool { rows.isEmpty }

    /// The same rows, for another table of the same columns.
    func into(_ table: String) -> BulkRows { BulkRows(table: table, columns: columns, rows: rows) }

    /// The rows dropped, the table and columns kept (once written otherwise: `sqliteStatements`).
    mutating func removeAll() { rows = [] }

    /// The rows of another set of the same table and columns, after these (an empty set takes the other's columns).
    mutating func append(_ other: BulkRows) throws(UnsupportedValue) {
        guard !other.rows.isEmpty else { return }
        if rows.isEmpty, other.table == table {
            self = other
            return
        }
        guard other.table == table, other.columns == columns else {
            throw UnsupportedValue(description: "\(other.table): rows of other columns than those of \(table)")
        }
        rows += other.rows
    }

    /// How many rows one statement carries, within the parameter limit.
    var rowsPerStatement: Int { max(1, Self.parameterLimit / max(1, columns.count)) }

    /// The number of statements `insert` sends.
    var statementCount: Int { (rows.count + rowsPerStatement - 1) / rowsPerStatement }

    /// Inserts the rows, one statement per chunk. With `updatingExcept`, a row whose id exists updates that row
    /// instead (`ON CONFLICT (id) DO UPDATE`, on both databases), every column but the listed ones.
    ///
    /// On PostgreSQL each statement is sent (its SQL written, its values encoded) before the previous one's answer is
    /// awaited, so that cmq prepares the next statement while PostgreSQL runs the last: the connection runs them in
    /// order, and a failed one fails the transaction, whose later statements then fail too. SQLite's driver would run
    /// statements sent together on several threads: there they go one after the other.
    func insert(on sql: any SQLDatabase, updatingExcept kept: Set<String>? = nil, afterEach: (Int) -> Void = { _ in }) async throws {
        let overlapped = sql.dialect.name == "postgresql"
        var sent: (answer: EventLoopFuture<Void>, count: Int)?
        for chunk in chunks {
            let builder = statement(chunk, on: sql, updatingExcept: kept)
            guard overlapped else {
                try await builder.run()
                afterEach(chunk.count)
                continue
            }
            let answer: EventLoopFuture<Void> = sql.execute(sql: builder.query) { _ in }
            if let sent {
                try await sent.answer.get()
                afterEach(sent.count)
            }
            sent = (answer, chunk.count)
        }
        if let sent {
            try await sent.answer.get()
            afterEach(sent.count)
        }
    }

    /// The rows of each statement.
    private var chunks: [ArraySlice<[any SQLExpression]>] {
        stride(from: 0, to: rows.count, by: rowsPerStatement).map { rows[$0..<min($0 + rowsPerStatement, rows.count)] }
    }

    /// One statement of `insert`.
    private func statement(_ chunk: ArraySlice<[any SQLExpression]>, on sql: any SQLDatabase, updatingExcept kept: Set<String>?) -> SQLInsertBuilder {
        let builder = sql.insert(into: table).columns(columns)
        builder.insert.values = Array(chunk)
        if let kept {
            builder.onConflict(with: ["id"]) { update in
                columns.filter { $0 != "id" && !kept.contains($0) }.reduce(update) { $0.set(excludedValueOf: $1) }
            }
        }
        return builder
    }

    /// SQLite: the statements of `insert`, written and their values encoded now, side by side, so that a transaction
    /// only has SQLite run them (`SQLiteBulkStatement`). A statement's text depends only on its number of rows: it is
    /// written once per size, a placeholder for every value; each value is then encoded as SQLiteKit encodes it
    /// (`sqliteData`). SQLKit, writing each statement whole, wrote every placeholder ("?1" to "?32766") and looked the
    /// dialect up for each value: a tenth of the processor time of an import of 200,000 new formations (`perf`).
    /// `statements`: only those of these numbers (all by default); `texts`: the texts of `sqliteTexts`, when the caller
    /// asks for the statements a few at a time.
    func sqliteStatements(on sql: any SQLDatabase, updatingExcept kept: Set<String>? = nil,
                          statements: Range<Int>? = nil, texts: [Int: String]? = nil) async throws -> [SQLiteBulkStatement] {
        let chunks = statements.map { Array(self.chunks[$0.clamped(to: 0..<statementCount)]) } ?? self.chunks
        let texts = texts ?? sqliteTexts(on: sql, updatingExcept: kept)
        let encoder = SQLiteDataEncoder()
        return try await chunks.parallelMap { chunk in
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * columns.count)
            for row in chunk {
                for value in row {
                    guard let data = try Self.sqliteData(value, encoder: encoder) else {
                        return try sqliteStatementBySQLKit(chunk, on: sql, updatingExcept: kept, encoder: encoder)
                    }
                    binds.append(data)
                }
            }
            guard let text = texts[chunk.count] else { return try sqliteStatementBySQLKit(chunk, on: sql, updatingExcept: kept, encoder: encoder) }
            return SQLiteBulkStatement(text: text, binds: binds)
        }
    }

    /// The text of `sqliteStatements`' statements, by their number of rows (that of a full statement, and of the last).
    func sqliteTexts(on sql: any SQLDatabase, updatingExcept kept: Set<String>? = nil) -> [Int: String] {
        let sizes = Set([min(rows.count, rowsPerStatement), rows.count % rowsPerStatement].filter { $0 > 0 })
        return Dictionary(uniqueKeysWithValues: sizes.map { count in
            // "?" rather than the dialect's "?1" to "?32766": SQLite reads the numbers back and checks each (a twentieth of
            // the writing's time).
            let placeholders = Array(repeating: Array(repeating: SQLRaw("?") as any SQLExpression, count: columns.count), count: count)
            return (count, sql.serialize(statement(placeholders[...], on: sql, updatingExcept: kept).query).sql)
        })
    }

    /// One statement of `sqliteStatements` as SQLKit writes it: literals in the text, the other values bound.
    func sqliteStatementBySQLKit(_ chunk: ArraySlice<[any SQLExpression]>, on sql: any SQLDatabase, updatingExcept kept: Set<String>?,
                                 encoder: SQLiteDataEncoder = SQLiteDataEncoder()) throws -> SQLiteBulkStatement {
        let (text, binds) = sql.serialize(statement(chunk, on: sql, updatingExcept: kept).query)
        return SQLiteBulkStatement(text: text, binds: try binds.map { try encoder.encode($0) })
    }

    /// A row's value as SQLite receives it: a bound value as `SQLiteDataEncoder` encodes it (the common types without
    /// its dynamic lookup of their conformance), a literal as the value SQLite reads from the text (SQLite's dialect
    /// writes `DEFAULT` as NULL); nil for any other expression, which the statement then keeps in its text.
    static func sqliteData(_ value: any SQLExpression, encoder: SQLiteDataEncoder) throws -> SQLiteData? {
        if let bind = value as? SQLBind {
            switch bind.encodable {
            case let text as String: return try text.sqliteData ?? encoder.encode(text)
            case let id as UUID: return .text(id.text())  // a UUID encodes its `uuidString`
            case let date as Date: return try date.sqliteData ?? encoder.encode(date)
            case let number as Double: return try number.sqliteData ?? encoder.encode(number)
            case let number as Int: return try number.sqliteData ?? encoder.encode(number)
            default: return try encoder.encode(bind.encodable)
            }
        }
        guard let literal = value as? SQLLiteral else { return nil }
        switch literal {
        case .null, .default: return .null
        case .string(let text): return .text(text)
        case .numeric(let text): return Int(text).map { .integer($0) }
        case .all, .boolean: return nil
        }
    }
}

/// A statement of a bulk write on SQLite, its SQL written and its values encoded (as SQLiteKit does on the event loop
/// for every statement, with the encoder Fluent's SQLite driver uses) before the write transaction: SQLite has one
/// writer at a time, and SQLiteKit's writing and encoding of a large import's statements was a quarter of the time the
/// site's writes waited for it.
struct SQLiteBulkStatement: Sendable {
    let text: String
    let binds: [SQLiteData]

    func run(on sql: any SQLDatabase) async throws {
        guard let sqlite = sql as? any SQLiteDatabase else { throw CommandFailure("Cette écriture groupée est écrite pour SQLite.") }
        try await sqlite.query(text, binds, logger: sqlite.logger) { _ in }.get()
    }
}

/// SQLite statements built by one task while another runs them: the builder adds them as they are ready, the writer
/// takes those ready (`next`), and waits only when none is (`waitForNext`); the builder waits when it is far enough ahead
/// (`waitForRoom`).
final class SQLiteStatementFeed: Sendable {
    private struct State {
        var statements: [SQLiteBulkStatement?] = []
        var taken = 0
        var finished = false
        var failure: (any Error)?
        var stopped = false
    }
    private let state = NIOLockedValueBox(State())

    /// Statements built, after those added before.
    func add(_ statements: [SQLiteBulkStatement]) {
        state.withLockedValue { $0.statements += statements.map { $0 } }
    }

    /// No statement will be added: every one was, or the building failed (`failure`, thrown to the writer).
    func finish(_ failure: (any Error)? = nil) {
        state.withLockedValue { state in
            state.finished = true
            state.failure = failure
        }
    }

    /// The writer stopped: the builder can stop too.
    func stop() { state.withLockedValue { $0.stopped = true } }
    var isStopped: Bool { state.withLockedValue { $0.stopped } }

    /// The next statement if one is ready, given up by the feed (nil when none is ready now, or none is left).
    func next() -> SQLiteBulkStatement? {
        state.withLockedValue { state in
            guard state.taken < state.statements.count else { return nil }
            defer {
                state.statements[state.taken] = nil
                state.taken += 1
            }
            return state.statements[state.taken]
        }
    }

    /// Waits while more than `limit` statements wait to be taken (the builder keeps only a few ahead of the writer).
    func waitForRoom(atMost limit: Int) async throws {
        while state.withLockedValue({ $0.statements.count - $0.taken > limit && !$0.stopped }) {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until a statement is ready (true) or none is left (false); throws the builder's failure.
    func waitForNext() async throws -> Bool {
        while true {
            let (ready, finished, failure) = state.withLockedValue { ($0.taken < $0.statements.count, $0.finished, $0.failure) }
            if ready { return true }
            if let failure { throw failure }
            if finished { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A model that lists the properties holding its columns, so that its rows are built without Fluent's reflection
/// (which finds a model's properties with a `Mirror` on every access: most of a large import's time).
/// `BulkRowsTests` checks that each such model lists exactly the columns the reflection finds.
protocol BulkRow: Model where IDValue == UUID {
    /// Every property with a column, in the order the model declares them.
    var bulkProperties: [any AnyDatabaseProperty] { get }
}

/// A row built without a model (an import builds thousands: Fluent's property wrappers look their types up in the
/// Swift runtime on every access). `BulkRowsTests` checks that its columns and values are those the model's
/// `BulkRow` gives.
protocol BulkValues: Sendable {
    static var schema: String { get }
    /// The table's columns, in the order of the model's `bulkProperties`.
    static var columns: [String] { get }
    /// The row's values, in the order of `columns`, as Fluent binds them (nil as NULL).
    var bulkValues: [any SQLExpression] { get }
}

/// A value as Fluent binds it: nil as NULL.
func bound(_ value: (some Encodable & Sendable)?) -> any SQLExpression {
    value.map { SQLBind($0) } ?? SQLLiteral.null
}

/// Collects a model's columns and values, modified or not, as Fluent's SQL drivers would bind them, in the order
/// the properties give them (a model's properties have distinct columns).
private final class ColumnValues: DatabaseInput {
    var keys: [String] = []
    var values: [any SQLExpression] = []
    /// A column whose value has no SQL form here (cmq's models have no nested or custom values).
    var unsupported: String?

    var wantsUnmodifiedKeys: Bool { true }

    /// `capacity`: the number of columns, when known (the rows are kept: no room beyond it).
    init(capacity: Int = 0) {
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    func set(_ value: DatabaseQuery.Value, at key: FieldKey) {
        keys.append(key.description)
        switch value {
        case .bind(let value): values.append((value as? any OptionalValue)?.isNone == true ? SQLLiteral.null : SQLBind(value))
        case .null: values.append(SQLLiteral.null)
        case .default: values.append(SQLLiteral.default)
        case .enumCase(let name): values.append(SQLLiteral.string(name))
        case .custom(let expression as any SQLExpression): values.append(expression)
        case .array, .dictionary, .custom:
            values.append(SQLLiteral.default)
            unsupported = key.description
        }
    }
}

private protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    fileprivate var isNone: Bool { self == nil }
}

extension Array {
    /// The array cut into pieces of at most `size` elements.
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
