import FluentPostgresDriver
import Foundation
import NIOCore
import SQLKit

/// PostgreSQL: bulk rows written by `COPY … FROM STDIN`, in COPY's text format, rather than by multi-row INSERTs. An
/// INSERT of 1,200 formations is 32,000 placeholders that PostgreSQL parses and plans and 32,000 values that
/// PostgresNIO encodes one by one on the event loop; COPY streams the rows as text while PostgreSQL stores them.
extension BulkRows {
    /// Whether every value has a text form here (`PostgresCopyText`); otherwise `insert` writes INSERTs.
    var isCopyable: Bool { rows.allSatisfy { $0.allSatisfy(PostgresCopyText.hasText) } }

    /// The rows copied on one connection of `postgres`, `afterEach` called as `insert` calls it (once per statement the
    /// INSERTs would have taken). Without `updatingExcept`, straight into the table (a row whose id exists fails the
    /// copy, as it fails an INSERT); with it, into a temporary table of the same columns, then inserted from there with
    /// `ON CONFLICT (id) DO UPDATE` of every column but those, as `insert` does.
    func copy(on postgres: any PostgresDatabase, updatingExcept kept: Set<String>?, afterEach: (Int) -> Void) async throws {
        let counts = chunks.map(\.count)
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await self.copy(on: connection, updatingExcept: kept) }
        }.get()
        counts.forEach(afterEach)
    }

    private func copy(on connection: PostgresConnection, updatingExcept kept: Set<String>?) async throws {
        let logger = connection.logger
        func run(_ sql: String) async throws { try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
        let quotedColumns = columns.map(Self.quoted).joined(separator: ", ")
        guard let kept else { return try await copyRows(into: table, on: connection) }
        let temporary = "cmq_copie_\(table)"
        try await run("DROP TABLE IF EXISTS pg_temp.\(Self.quoted(temporary))")
        try await run("CREATE TEMPORARY TABLE \(Self.quoted(temporary)) AS SELECT \(quotedColumns) FROM \(Self.quoted(table)) WITH NO DATA")
        try await copyRows(into: temporary, on: connection)
        let updated = columns.filter { $0 != "id" && !kept.contains($0) }
            .map { "\(Self.quoted($0)) = EXCLUDED.\(Self.quoted($0))" }.joined(separator: ", ")
        try await run("""
            INSERT INTO \(Self.quoted(table)) (\(quotedColumns)) SELECT \(quotedColumns) FROM pg_temp.\(Self.quoted(temporary))
            ON CONFLICT ("id") DO \(updated.isEmpty ? "NOTHING" : "UPDATE SET \(updated)")
            """)
        try await run("DROP TABLE pg_temp.\(Self.quoted(temporary))")
    }

    /// Every row sent, a statement's worth of rows per message: the next rows are written while PostgreSQL stores
    /// those before (the writer waits only when the connection's buffer is full).
    private func copyRows(into table: String, on connection: PostgresConnection) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: connection.logger) { writer in
            var buffer = ByteBuffer()
            for chunk in chunks {
                buffer.clear()
                for row in chunk {
                    for (index, value) in row.enumerated() {
                        if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                        guard PostgresCopyText.append(value, to: &buffer) else {
                            throw UnsupportedValue(description: "\(self.table): a value without a COPY text form")
                        }
                    }
                    buffer.writeInteger(UInt8(ascii: "\n"))
                }
                try await writer.write(buffer)
            }
        }
    }

    private static func quoted(_ name: String) -> String { "\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"" }
}

/// A value in COPY's text format, as PostgreSQL reads it into the column's type: what PostgresNIO would bind, written
/// as text (a date to the microsecond as PostgresNIO truncates it, a UUID in lower case, NULL as `\N`, backslashes,
/// tabs and line breaks escaped).
enum PostgresCopyText {
    /// Whether `append` writes the value (`DEFAULT` and other expressions have no text form).
    static func hasText(_ value: any SQLExpression) -> Bool {
        if let bind = value as? SQLBind {
            switch bind.encodable {
            case is String, is UUID, is Int, is Int64, is Bool, is Double: return true
            case let date as Date: return microseconds(date) != nil
            default: return false
            }
        }
        guard let literal = value as? SQLLiteral else { return false }
        switch literal {
        case .null, .string, .numeric, .boolean: return true
        case .default, .all: return false
        }
    }

    /// Appends the value's text; false (nothing written) when it has none.
    static func append(_ value: any SQLExpression, to buffer: inout ByteBuffer) -> Bool {
        if let bind = value as? SQLBind {
            switch bind.encodable {
            case let text as String: appendEscaped(text, to: &buffer)
            case let id as UUID: buffer.writeString(id.text(lowercase: true))
            case let number as Int: buffer.writeString(String(number))
            case let number as Int64: buffer.writeString(String(number))
            case let flag as Bool: buffer.writeString(flag ? "t" : "f")
            case let number as Double: buffer.writeString(text(number))
            case let date as Date:
                guard let micro = microseconds(date) else { return false }
                buffer.writeString(timestamp(micro))
            default: return false
            }
            return true
        }
        guard let literal = value as? SQLLiteral else { return false }
        switch literal {
        case .null: buffer.writeString("\\N")
        case .string(let text): appendEscaped(text, to: &buffer)
        case .numeric(let text): buffer.writeString(text)
        case .boolean(let flag): buffer.writeString(flag ? "t" : "f")
        case .default, .all: return false
        }
        return true
    }

    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) else {
            buffer.writeString(text)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// A double as float8's input reads it back exactly (Swift writes the shortest text that does).
    static func text(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return "\(number)"
    }

    /// PostgreSQL's epoch, 2000-01-01 00:00 UTC, in seconds since 1970.
    private static let epoch: Double = 946_684_800

    /// Microseconds since 2000-01-01 as PostgresNIO binds a date (truncated toward zero); nil out of years 1 to 9999.
    static func microseconds(_ date: Date) -> Int64? {
        let value = (date.timeIntervalSince1970 - epoch) * 1_000_000
        // years 1 and 9999 (of the proleptic Gregorian calendar), with a day to spare
        guard value.isFinite, value > -63_082_281_600_000_000, value < 252_423_993_600_000_000 else { return nil }
        return Int64(value)
    }

    /// `2026-12-02 05:37:00.123456+00`: microseconds since 2000-01-01 UTC as timestamptz's input reads them.
    static func timestamp(_ micro: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = micro / perDay, rest = micro % perDay
        if rest < 0 { days -= 1; rest += perDay }
        // days since 1970-01-01 to a civil date (Howard Hinnant's `civil_from_days`)
        let z = days + 10_957 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : String(n) }
        let yearText = String(year), fractionText = String(fraction)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + two(month) + "-" + two(day) + " "
            + two(seconds / 3_600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60) + "."
            + String(repeating: "0", count: 6 - fractionText.count) + fractionText + "+00"
    }
}
