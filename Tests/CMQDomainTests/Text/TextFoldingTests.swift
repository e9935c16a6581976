import Foundation
import Testing

@testable import CMQDomain

/// The table-driven folding gives Foundation's folding, character by character and on whole texts; the trimming
/// helper gives `trimmingCharacters(in:)`.
@Suite("Text folding and trimming")
struct TextFoldingTests {
    static let texts = [
        "", " ", "MÉCANIQUE", "Œnologie Cœur", "ex æquo ÆTHER", "Lycée  Jean-Bertin (Bruay)", "Provence-Alpes-Côte d’Azur",
        "BTS « Maintenance des systèmes » – option A", "Straße", "ǅemal ǈubljana ǋ", "İstanbul ı", "ﬁbre ﬂamme",
        "Ｍｅｃａｎｉｑｕｅ", "e\u{301}cole combinée", "Αθήνα Σοφία", "naïve Noël Ÿ", "1er 2ᵉ ½ ²", "\r\n\tà la ligne\u{00A0}fin",
        "L'ÉCOLE DES MÉTIERS DE L'AÉRONAUTIQUE & DE L'ESPACE <3>", "ŉ ǰ ẞ ĳ Ŀ", "😀 emoji",
    ]

    @Test("every character of the Latin table folds as Foundation folds it, alone and in a text")
    func latinTable() {
        for value in 0..<0x250 {
            let text = String(Character(Unicode.Scalar(UInt32(value))!))
            #expect(TextFolding.fold(text) == TextFolding.foldedByFoundation(text), "U+\(String(value, radix: 16))")
        }
        let all = String(String.UnicodeScalarView((0x20..<0x250).map { Unicode.Scalar(UInt32($0))! }))
        #expect(TextFolding.fold(all) == TextFolding.foldedByFoundation(all))
    }

    @Test("texts with other characters (combining accents, full width, Greek, emoji) fold as Foundation folds them")
    func texts() {
        for text in Self.texts {
            #expect(TextFolding.fold(text) == TextFolding.foldedByFoundation(text), "\(text)")
        }
        #expect(TextFolding.fold("e\u{301}cole") == "ecole")
        #expect(TextFolding.searchKey("  -- Cœur, d’œuvre !  ") == "coeur d oeuvre")
        #expect(TextFolding.searchKey("…") == "")
    }

    @Test("trimming gives trimmingCharacters(in:), with or without line breaks")
    func trimming() {
        // Every scalar of the first plane around a word, alone, and as the text.
        var around: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let alone = String(Character(scalar))
            around += [alone + "mot" + alone, alone, "é" + alone, alone + "\u{301}x"]
        }
        for text in Self.texts + around + ["abc", " abc", "abc ", "\tabc\n", "a", "\u{00A0}a\u{2003}", "\na\n", "", " \r\n "] {
            #expect(text.trimmingSpace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            #expect(text.trimmingSpace(newlines: false) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }
}
