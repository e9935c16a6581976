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
            do {
                let table = try EnumeratedCSV(string: text, delimiter: .character(delimiter), loadColumns: false, rowLimit: 0)
                var rows: [[String]] = []
                try table.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
                return (table.header.map { $0.trimmingCharacters(in: .whitespaces) }, rows)
            } catch {
                throw ParseError(line: 1, reason: "le texte n'a pas pu être lu comme un tableau séparé par « \(delimiter) »")
            }
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
