import Foundation

/// Texts as LHEO carries them.
///
/// LHEO's free-text elements (`contenu-formation`, `objectif-formation`, …) may hold a small XHTML subset,
/// escaped in the XML (`&lt;p&gt;…`): paragraphs, line breaks, lists, bold and italics, links. cmq keeps
/// descriptions as plain text, so `plainText` turns that subset into text: a paragraph or a list ends its
/// line, a list item starts with "- ", a line break is a line break, every other tag is dropped (its text kept),
/// and the entities are decoded. Nothing of the markup survives, so nothing of it can run in a page.
///
/// Several LHEO elements are limited in length (`nom`, `ligne` and `ville` to 50 characters, `intitule-formation`
/// to 255, the free texts to 3,000): `shortened` writes a name in such a field as an address is written on an
/// envelope (NF Z 10-011, the rule LHEO's address lines follow): the usual abbreviations first (« Lycée
/// professionnel » → « LP », « Saint » → « St »…), then cut after the last whole word that fits, with « … ». The
/// full name goes where LHEO has room for it (`nom-organisme`, `raison-sociale`, `denomination`).
public enum LHEOText {
    public static func plainText(_ text: String) -> String {
        guard text.contains("<") || text.contains("&") else { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "<", let next = text[text.index(after: index)...].first, next.isLetter || next == "/" || next == "!",
               let close = text[index...].firstIndex(of: ">") {
                let tag = text[text.index(after: index)..<close].lowercased()
                let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
                switch name {
                case "br": output += "\n"
                case "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr": output += "\n\n"
                case "li": if !tag.hasPrefix("/") { output += "\n- " }
                case "td", "th": output += " "
                default: break
                }
                index = text.index(after: close)
                continue
            }
            if character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";"),
               let decoded = entity(String(text[text.index(after: index)..<semicolon])) {
                output += decoded
                index = text.index(after: semicolon)
                continue
            }
            output.append(character)
            index = text.index(after: index)
        }
        // Spaces collapsed within each line, at most one empty line between paragraphs.
        var lines: [String] = []
        for raw in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" || $0 == "\r" }).joined(separator: " ")
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        // A list item directly after a paragraph needs no empty line before it.
        var result: [String] = []
        for line in lines {
            if line.hasPrefix("- "), result.last?.isEmpty == true, result.count >= 2, result[result.count - 2].hasPrefix("- ") {
                result.removeLast()
            }
            result.append(line)
        }
        return result.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func entity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default: break
        }
        let number: UInt32?
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            number = UInt32(name.dropFirst(2), radix: 16)
        } else if name.hasPrefix("#") {
            number = UInt32(name.dropFirst())
        } else {
            number = nil
        }
        return number.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }

    /// The usual abbreviations of establishment names on an address line (NF Z 10-011 and the Éducation
    /// nationale's own short forms), longest first.
    static let abbreviations: [(String, String)] = [
        ("Lycée général et technologique", "LGT"),
        ("Lycée d'enseignement général et technologique", "LEGT"),
        ("Lycée professionnel", "LP"),
        ("Lycée polyvalent", "LPO"),
        ("Lycée des métiers", "LDM"),
        ("Centre de formation d'apprentis", "CFA"),
        ("Centre de formation des apprentis", "CFA"),
        ("Institut universitaire de technologie", "IUT"),
        ("Chambre de commerce et d'industrie", "CCI"),
        ("Chambre de métiers et de l'artisanat", "CMA"),
        ("Groupement d'établissements", "GRETA"),
        ("Établissement", "Étab."),
        ("Université", "Univ."),
        ("Enseignement", "Ens."),
        ("Agricole", "Agric."),
        ("Technologique", "Techno."),
        ("Professionnel", "Pro."),
        ("Sainte", "Ste"),
        ("Saint", "St"),
    ]

    /// A text for a field of `limit` characters: unchanged when it fits; otherwise abbreviated, then cut after
    /// the last whole word that fits, ending with « … ».
    public static func shortened(_ text: String, limit: Int) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > limit, limit > 1 else { return trimmed }
        var short = trimmed
        for (long, abbreviation) in abbreviations where short.count > limit {
            short = replacingWord(long, with: abbreviation, in: short)
        }
        short = short.split(separator: " ").joined(separator: " ")
        guard short.count > limit else { return short }
        let room = short.prefix(limit - 1)
        let cut = room.lastIndex(of: " ").map { room[..<$0] } ?? room
        return cut.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:-–—/«(\"")) + "…"
    }

    /// Replaces every occurrence of a word or phrase (case-insensitive, whole words only).
    private static func replacingWord(_ word: String, with replacement: String, in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: word, options: [.caseInsensitive]) {
            let before = range.lowerBound == rest.startIndex ? nil : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            let isWord = !(before?.isLetter ?? false) && !(after?.isLetter ?? false)
            result += rest[..<range.lowerBound]
            result += isWord ? replacement : String(rest[range])
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Lines of at most `limit` characters, broken between words (a word longer than a line is cut), at most
    /// `count` lines; what does not fit in the last line is shortened.
    public static func lines(_ text: String, limit: Int, count: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        var remaining = words[...]
        while let word = remaining.first, lines.count < count - 1 {
            if current.isEmpty {
                if word.count > limit {
                    lines.append(String(word.prefix(limit)))
                    remaining[remaining.startIndex] = String(word.dropFirst(limit))
                    continue
                }
                current = word
            } else if current.count + 1 + word.count <= limit {
                current += " " + word
            } else {
                lines.append(current)
                current = ""
                continue
            }
            remaining = remaining.dropFirst()
        }
        let last = ([current] + remaining).filter { !$0.isEmpty }.joined(separator: " ")
        if !last.isEmpty { lines.append(shortened(last, limit: limit)) }
        return lines
    }
}
