import Dispatch
import Foundation
import SwiftCSV

/// A `;`- or `,`-separated table as official French open-data files publish it: an optional BOM, CRLF or LF
/// line ends, a header line. Rows are returned as they are, without padding, so that a short or long line
/// can be reported.
public struct DelimitedText: Sendable {
    public let header: [String]
    public let rows: [[String]]

    public init(_ raw: String, delimiter: Character = ";") throws {
        var text = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : raw
        if text.utf8.contains(0x0D) { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        // Without a final line break the CSV reader drops an empty last field of the last line.
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        // The CSV reader's own errors say neither where nor what was expected: the text is checked first.
        text = try DelimitedText.prepared(text, delimiter: delimiter)
        let slices = text.utf8.count < Self.sliceSize ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 16)
        (header, rows) = try Self.parse(text, delimiter: delimiter, slices: slices)
    }

    /// Texts longer than this (in bytes) are read by slices, side by side.
    static let sliceSize = 256 * 1024

    /// The header and rows of a prepared text. With several `slices`, the text is cut after line breaks that end a
    /// record (once `prepared`, every record holds an even number of quotes) and each slice, behind the header, is
    /// read by the CSV reader on its own processor: the rows are those of the whole text.
    static func parse(_ text: String, delimiter: Character, slices: Int) throws(ParseError) -> (header: [String], rows: [[String]]) {
        @Sendable func read(_ text: String) throws(ParseError) -> (header: [String], rows: [[String]]) {
            let table = if let table = unquoted(text, delimiter: delimiter) { table } else { try readByCSVReader(text, delimiter: delimiter) }
            return (table.header.map { $0.trimmingCharacters(in: .whitespaces) }, table.rows)
        }
        let bounds = recordBounds(text, slices: slices)
        guard bounds.count > 3 else { return try read(text) }
        let bytes = Array(text.utf8)
        let headerLine = bytes[bounds[0]..<bounds[1]]
        let parts = (1..<bounds.count - 1).map { String(decoding: headerLine + bytes[bounds[$0]..<bounds[$0 + 1]], as: UTF8.self) }
        let results = Slots<Result<(header: [String], rows: [[String]]), ParseError>>(count: parts.count)
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            results[index] = Result { () throws(ParseError) in try read(parts[index]) }
        }
        let outcomes = try results.values.map { outcome throws(ParseError) in try outcome!.get() }
        return (outcomes[0].header, outcomes.flatMap(\.rows))
    }

    /// The header and rows of a text as the CSV reader (SwiftCSV) reads them.
    static func readByCSVReader(_ text: String, delimiter: Character) throws(ParseError) -> (header: [String], rows: [[String]]) {
        do {
            let table = try EnumeratedCSV(string: text, delimiter: .character(delimiter), loadColumns: false, rowLimit: 0)
            var rows: [[String]] = []
            try table.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
            return (table.header, rows)
        } catch {
            throw ParseError(line: 1, reason: "le texte n'a pas pu être lu comme un tableau séparé par « \(delimiter) »")
        }
    }

    /// The header and rows the CSV reader gives for a text without any quote, read from its bytes: fields cut at
    /// the delimiter, records at line feeds, the spaces and tabs that open a field skipped (as the reader does), a last
    /// line without its line feed read as the reader reads it. The reader steps through the text's characters (grapheme
    /// clusters): reading a 200,000-line catalogue file, decoding included, took 5.6 to 7.4 s with it, 2.8 to 3.2 s with
    /// this (`Benchmarks/README.md`). Nil, and the reader reads the text, when a character
    /// could make it see the text otherwise: a quote, a line break other than a line feed (carriage return, vertical
    /// tab, form feed, U+0085, U+2028, U+2029), a blank other than a space or a tab opening a field, or a character that
    /// forms one cluster with the delimiter or line break beside it (a combining mark after it, a prepended mark before).
    static func unquoted(_ text: String, delimiter: Character) -> (header: [String], rows: [[String]])? {
        guard let separator = delimiter.asciiValue, separator != UInt8(ascii: "\""), separator != 0x0A else { return nil }
        var text = text
        return text.withUTF8 { bytes -> (header: [String], rows: [[String]])? in
            let count = bytes.count
            var table: [[String]] = []
            var fields: [String] = []
            var fieldStart = 0, opening = true
            // Whether two scalars are two characters, per pair met (the reader compares characters).
            var apart: [UInt64: Bool] = [:]
            func scalar(at offset: Int) -> Unicode.Scalar {
                var iterator = UnsafeBufferPointer(rebasing: bytes[offset..<min(count, offset + 4)]).makeIterator()
                var decoder = Unicode.UTF8()
                if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
                return "\u{FFFD}"
            }
            func scalar(endingBefore offset: Int) -> Unicode.Scalar {
                var start = offset - 1
                while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
                return scalar(at: start)
            }
            func isApart(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Bool {
                let key = UInt64(first.value) << 32 | UInt64(second.value)
                if let known = apart[key] { return known }
                var pair = String.UnicodeScalarView()
                pair.append(first)
                pair.append(second)
                let result = String(pair).count == 2
                apart[key] = result
                return result
            }
            for offset in 0..<count {
                let byte = bytes[offset]
                switch byte {
                case separator, 0x0A:
                    if offset > 0, bytes[offset - 1] >= 0x80, !isApart(scalar(endingBefore: offset), Unicode.Scalar(byte)) { return nil }
                    fields.append(opening ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<offset]), as: UTF8.self))
                    opening = true
                    if byte == 0x0A {
                        table.append(fields)
                        fields = []
                    }
                case UInt8(ascii: "\""), 0x0B, 0x0C, 0x0D:
                    return nil
                case 0x20 where opening, 0x09 where opening:
                    continue
                default:
                    if byte >= 0x80 {
                        // U+0085 (C2 85), U+2028 and U+2029 (E2 80 A8, E2 80 A9) are line breaks to the reader.
                        if byte == 0xC2, offset + 1 < count, bytes[offset + 1] == 0x85 { return nil }
                        if byte == 0xE2, offset + 2 < count, bytes[offset + 1] == 0x80, bytes[offset + 2] & 0xFE == 0xA8 { return nil }
                        // A field's first character: after a delimiter, a line break, a space or a tab, or the text's start.
                        if opening {
                            let current = scalar(at: offset)
                            if current.properties.isWhitespace { return nil }
                            if offset > 0, !isApart(Unicode.Scalar(bytes[offset - 1]), current) { return nil }
                        }
                    }
                    if opening {
                        opening = false
                        fieldStart = offset
                    }
                }
            }
            // A last line without its line feed: the reader drops its last field when it is empty.
            if !opening { fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<count]), as: UTF8.self)) }
            if !fields.isEmpty { table.append(fields) }
            return (table.first ?? [], Array(table.dropFirst()))
        }
    }

    /// Byte offsets in the text: 0, the end of the header line, then about `slices` cuts after line breaks that end a
    /// record, and the text's end. Only the first two and the end when the text is not to be cut.
    static func recordBounds(_ text: String, slices: Int) -> [Int] {
        let bytes = text.utf8
        var bounds = [0]
        var quotes = 0
        let target = max(1, bytes.count / max(1, slices))
        var next = 0
        for (offset, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { quotes += 1 }
            guard byte == 0x0A, quotes % 2 == 0, offset + 1 >= next, offset + 1 < bytes.count else { continue }
            bounds.append(offset + 1)
            if bounds.count == 2 { next = offset + 1 + target }
            else { next += target }
            if slices <= 1 { break }
        }
        bounds.append(bytes.count)
        return bounds
    }

    /// A text that is not a well-formed table: where (the line, counted from 1, the header's) and what was expected.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String

        public var description: String { "ligne \(line) : \(reason)" }
    }

    /// The text as the CSV reader expects it, or where it breaks the quoting rules of CSV (RFC 4180).
    ///
    /// Real files put quotes inside fields that are not quoted (the BCN writes `le libellé court "CPES" pour…`):
    /// such a quote is a character of the field, as spreadsheets and Python read it, and is passed to the reader
    /// doubled. What cannot be read is refused with its line: a character after the quote that closes a quoted
    /// field, a quoted field never closed.
    static func prepared(_ text: String, delimiter: Character) throws(ParseError) -> String {
        // Without a quote there is nothing to change nor to refuse.
        guard text.utf8.contains(UInt8(ascii: "\"")) else { return text }
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        var line = 1
        var quotedSince = 1
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            let newline = character.isNewline
            switch state {
            case .fieldStart:
                if character == "\"" { state = .quoted; quotedSince = line }
                else if character == delimiter || newline || character.isWhitespace { state = .fieldStart }
                else { state = .unquoted }
                output.append(character)
            case .unquoted:
                if character == "\"" {
                    // A doubled quote stays as it is; a lone one is doubled for the reader.
                    let next = characters.next()
                    output += "\"\""
                    if next != "\"" { pending = next }
                } else {
                    if character == delimiter || newline { state = .fieldStart }
                    output.append(character)
                }
            case .quoted:
                if character == "\"" { state = .quoteInQuoted }
                output.append(character)
            case .quoteInQuoted:
                if character == "\"" { state = .quoted }
                else if character == delimiter || newline { state = .fieldStart }
                else if !character.isWhitespace {
                    throw ParseError(line: line, reason: "après le guillemet qui ferme un champ, « \(delimiter) » ou une fin de ligne était attendu, pas « \(visible(character)) » (un guillemet dans un champ se double : \"\")")
                }
                output.append(character)
            }
            if newline { line += 1 }
        }
        if state == .quoted {
            throw ParseError(line: quotedSince, reason: "le champ ouvert par un guillemet sur cette ligne n'est jamais fermé (un guillemet fermant \" était attendu avant la fin du fichier)")
        }
        return output
    }

    private static func visible(_ character: Character) -> String {
        character == "\t" ? "tabulation" : String(character)
    }

    /// The position of each column by its (trimmed) name; the first of two equal names wins.
    public var columnIndex: [String: Int] {
        Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// One result per slice, each written once by its own thread.
private final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value?]

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    subscript(index: Int) -> Value? {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }

    var values: [Value?] { lock.withLock { storage } }
}
