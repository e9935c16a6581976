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
        let table = try EnumeratedCSV(string: text, delimiter: .character(delimiter), loadColumns: false, rowLimit: 0)
        header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[String]] = []
        try table.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
        self.rows = rows
    }

    /// The position of each column by its (trimmed) name; the first of two equal names wins.
    public var columnIndex: [String: Int] {
        Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

import Foundation
