import Foundation

/// Folding of French text for matching: case, accents and the ligatures œ and æ don't matter.
///
/// Every catalogue write folds a formation's title and text, and every search folds its words: the characters of
/// the Latin alphabets (up to U+024F) are folded through a table, computed once by the general path below from each
/// character alone (so both give the same text); a text holding anything else (a combining accent, a full-width
/// letter, another script) takes the general path, Foundation's folding.
public enum TextFolding {
    /// "Œnologie Mécanique" → "oenologie mecanique".
    public static func fold(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let table = latinTable
        for scalar in text.unicodeScalars {
            guard Int(scalar.value) < table.count else { return foldedByFoundation(text) }
            bytes.append(contentsOf: table[Int(scalar.value)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The general folding: ligatures spelt out, then Foundation's folding of case, diacritics and width, in lower case.
    static func foldedByFoundation(_ text: String) -> String {
        let ligatures = text
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "Œ", with: "OE")
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "Æ", with: "AE")
        return ligatures
            .folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR"))
            .lowercased()
    }

    /// The folded UTF-8 of each character from U+0000 to U+024F (Basic Latin to Latin Extended-B: no combining mark,
    /// so a character folds alone as it does in a text).
    static let latinTable: [[UInt8]] = (0..<0x250).map { value in
        Array(foldedByFoundation(String(Character(Unicode.Scalar(UInt32(value))!))).utf8)
    }

    /// Folded text with every run of non-alphanumerics reduced to one space: the form stored for searching.
    public static func searchKey(_ text: String) -> String {
        let folded = fold(text)
        var result = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in folded.unicodeScalars {
            if isAlphanumeric(scalar) {
                result.append(scalar)
                lastWasSpace = false
            } else if !lastWasSpace {
                result.append(" ")
                lastWasSpace = true
            }
        }
        // Runs of non-alphanumerics (white space among them) became one space, none leading: only a trailing one is left.
        if result.last == " " { result.removeLast() }
        return String(result)
    }

    /// Foundation's `CharacterSet.alphanumerics`, answered without it for ASCII.
    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0..<0x80: return false
        default: return CharacterSet.alphanumerics.contains(scalar)
        }
    }

    /// "Provence-Alpes-Côte d'Azur" → "provence-alpes-cote-d-azur".
    public static func slug(_ text: String) -> String {
        searchKey(text).replacingOccurrences(of: " ", with: "-")
    }
}
