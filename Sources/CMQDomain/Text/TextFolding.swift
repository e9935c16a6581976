import Foundation

/// Folding of French text for matching: case, accents and the ligatures œ and æ don't matter.
public enum TextFolding {
    /// "Œnologie Mécanique" → "oenologie mecanique".
    public static func fold(_ text: String) -> String {
        let ligatures = text
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "Œ", with: "OE")
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "Æ", with: "AE")
        return ligatures
            .folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR"))
            .lowercased()
    }

    /// Folded text with every run of non-alphanumerics reduced to one space: the form stored for searching.
    public static func searchKey(_ text: String) -> String {
        let folded = fold(text)
        var result = ""
        var lastWasSpace = true
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                result.unicodeScalars.append(scalar)
                lastWasSpace = false
            } else if !lastWasSpace {
                result.append(" ")
                lastWasSpace = true
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// "Provence-Alpes-Côte d'Azur" → "provence-alpes-cote-d-azur".
    public static func slug(_ text: String) -> String {
        searchKey(text).replacingOccurrences(of: " ", with: "-")
    }
}
