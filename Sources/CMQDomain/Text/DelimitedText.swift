import SwiftCSV

/// A `;`- or `,`-separated table as official French open-data files publish it: an optional BOM, CRLF or LF
/// line ends, a header line. Rows are returned as they are, without padding, so that a short or long line
/// can be reported.
public struct DelimitedText: Sendable {
    public let header: [String]
    public let rows: [[String]]

    public init(_ raw: String, delimiter: Character = ";") throws {
        var text = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : raw
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        // Without a final line break the CSV reader drops an empty last field of the last line.
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        // The CSV reader's own errors say neither where nor what was expected: the text is checked first.
        if let error = DelimitedText.firstError(in: text, delimiter: delimiter) { throw error }
        do {
            let table = try EnumeratedCSV(string: text, delimiter: .character(delimiter), loadColumns: false, rowLimit: 0)
            header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
            var rows: [[String]] = []
            try table.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
            self.rows = rows
        } catch {
            throw ParseError(line: 1, reason: "le texte n'a pas pu être lu comme un tableau séparé par « \(delimiter) »")
        }
    }

    /// A text that is not a well-formed table: where (the line, counted from 1, the header's) and what was expected.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String

        public var description: String { "ligne \(line) : \(reason)" }
    }

    /// The first place where the text breaks the quoting rules of CSV (RFC 4180, as the reader applies them),
    /// or nil when it has none.
    static func firstError(in text: String, delimiter: Character) -> ParseError? {
        enum State { case fieldStart, unquoted, quoteInUnquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        var line = 1
        var quotedSince = 1
        for character in text {
            let newline = character.isNewline
            switch state {
            case .fieldStart:
                if character == "\"" { state = .quoted; quotedSince = line }
                else if character == delimiter || newline || character.isWhitespace { state = .fieldStart }
                else { state = .unquoted }
            case .unquoted:
                if character == "\"" { state = .quoteInUnquoted }
                else if character == delimiter || newline { state = .fieldStart }
            case .quoteInUnquoted:
                guard character == "\"" else {
                    return ParseError(line: line, reason: "un guillemet (\") au milieu d'un champ doit être doublé (\"\") ou le champ entier mis entre guillemets ; « \(visible(character)) » suit un guillemet seul")
                }
                state = .unquoted
            case .quoted:
                if character == "\"" { state = .quoteInQuoted }
            case .quoteInQuoted:
                if character == "\"" { state = .quoted }
                else if character == delimiter || newline { state = .fieldStart }
                else if !character.isWhitespace {
                    return ParseError(line: line, reason: "après le guillemet qui ferme un champ, « \(delimiter) » ou une fin de ligne était attendu, pas « \(visible(character)) » (un guillemet dans un champ se double : \"\")")
                }
            }
            if newline { line += 1 }
        }
        if state == .quoted {
            return ParseError(line: quotedSince, reason: "le champ ouvert par un guillemet sur cette ligne n'est jamais fermé (un guillemet fermant \" était attendu avant la fin du fichier)")
        }
        return nil
    }

    private static func visible(_ character: Character) -> String {
        character == "\t" ? "tabulation" : String(character)
    }

    /// The position of each column by its (trimmed) name; the first of two equal names wins.
    public var columnIndex: [String: Int] {
        Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

import Foundation
