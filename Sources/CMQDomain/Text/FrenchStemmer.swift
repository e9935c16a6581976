import Foundation

/// The Snowball French stemmer (https://snowballstem.org/algorithms/french/stemmer.html, the version with elisions
/// and `-oux`), written from the algorithm's definition: "boulangers" → "boulanger", "mécanique" → "mécan",
/// "chevaux" → "cheval". It reads lower-case words (accents kept: the algorithm uses them) and gives lower-case stems.
public enum FrenchStemmer {
    /// The stem of one lower-case word (upper case is lowered first).
    public static func stem(_ word: String) -> String {
        // Below U+0300 no character composes with another: such a text is already in canonical composed form.
        let lower = word.lowercased()
        var w = Word(lower.unicodeScalars.allSatisfy { $0.value < 0x300 } ? lower : lower.precomposedStringWithCanonicalMapping)
        w.elisions()
        w.prelude()
        w.markRegions()
        let changed = w.standardSuffix() || w.iVerbSuffix() || w.verbSuffix()
        if changed {
            if w.endsWith("Y") { w.replaceEnd(1, with: "i") } else if w.endsWith("ç") { w.replaceEnd(1, with: "c") }
        } else {
            w.residualSuffix()
        }
        w.unDouble()
        w.unAccent()
        return w.postlude()
    }
}

private struct Word {
    var s: [Unicode.Scalar]
    var pV = 0, p1 = 0, p2 = 0

    init(_ text: String) { s = Array(text.unicodeScalars) }

    var n: Int { s.count }

    /// a e i o u y â à ë é ê è ï î ô û ù
    static func isVowel(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a", "e", "i", "o", "u", "y", "â", "à", "ë", "é", "ê", "è", "ï", "î", "ô", "û", "ù": return true
        default: return false
        }
    }
    func isVowel(_ i: Int) -> Bool { i >= 0 && i < n && Self.isVowel(s[i]) }
    func isNonVowel(_ i: Int) -> Bool { i >= 0 && i < n && !Self.isVowel(s[i]) }
    func char(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < n ? s[i] : nil }

    func endsWith(_ suffix: String) -> Bool {
        var i = n
        for scalar in suffix.unicodeScalars.reversed() {
            i -= 1
            if i < 0 || s[i] != scalar { return false }
        }
        return true
    }

    /// A suffix of the algorithm, with its letters (read once, not at each word).
    struct Suffix {
        let text: String
        let scalars: [Unicode.Scalar]
    }

    static func suffixes(_ texts: [String]) -> [Suffix] { texts.map { Suffix(text: $0, scalars: Array($0.unicodeScalars)) } }

    /// The longest of `suffixes` that ends the word and starts at or after `limit`.
    func longestSuffix(_ suffixes: [Suffix], limit: Int = 0) -> String? {
        var best: String?
        var bestLength = 0
        for suffix in suffixes {
            let tail = suffix.scalars
            let start = n - tail.count
            guard tail.count > bestLength, start >= limit else { continue }
            var j = tail.count - 1
            while j >= 0, s[start + j] == tail[j] { j -= 1 }
            if j < 0 { best = suffix.text; bestLength = tail.count }
        }
        return best
    }

    mutating func replaceEnd(_ count: Int, with text: String) {
        s.removeLast(count)
        s.append(contentsOf: text.unicodeScalars)
    }

    mutating func delete(from start: Int) { s.removeLast(n - start) }

    // MARK: the forward steps

    /// "l'école" → "école": one of c d j l m n s t, or "qu", and an apostrophe, when something follows.
    mutating func elisions() {
        let prefixLength: Int
        if n >= 2, "cdjlmnst".unicodeScalars.contains(s[0]), s[1] == "'" {
            prefixLength = 2
        } else if n >= 3, s[0] == "q", s[1] == "u", s[2] == "'" {
            prefixLength = 3
        } else {
            return
        }
        if n > prefixLength { s.removeFirst(prefixLength) }
    }

    /// Marks the letters that are not vowels here: u and i between vowels, y next to a vowel, u after q (upper
    /// case), ë and ï as "He" and "Hi".
    mutating func prelude() {
        var cursor = 0
        while true {
            var applied = false
            var p = cursor
            while p < n && !applied {
                if isVowel(p), let next = char(p + 1) {
                    if next == "u", isVowel(p + 2) { s[p + 1] = "U"; cursor = p; applied = true; break }
                    if next == "i", isVowel(p + 2) { s[p + 1] = "I"; cursor = p; applied = true; break }
                    if next == "y" { s[p + 1] = "Y"; cursor = p; applied = true; break }
                }
                if s[p] == "ë" { s.replaceSubrange(p...p, with: ["H", "e"]); cursor = p; applied = true; break }
                if s[p] == "ï" { s.replaceSubrange(p...p, with: ["H", "i"]); cursor = p; applied = true; break }
                if s[p] == "y", isVowel(p + 1) { s[p] = "Y"; cursor = p; applied = true; break }
                if s[p] == "q", char(p + 1) == "u" { s[p + 1] = "U"; cursor = p; applied = true; break }
                p += 1
            }
            if !applied { return }
        }
    }

    /// RV, R1 and R2 as positions.
    mutating func markRegions() {
        pV = n; p1 = n; p2 = n
        func starts(_ prefix: String) -> Bool {
            let head = Array(prefix.unicodeScalars)
            return head.count <= n && Array(s[..<head.count]) == head
        }
        if n >= 3, isVowel(0), isVowel(1) {
            pV = 3
        } else if starts("par") || starts("col") || starts("tap") {
            pV = 3
        } else if starts("ni"), isVowel(2) {
            pV = 3
        } else if let vowel = (1..<max(n, 1)).first(where: isVowel) {
            pV = vowel + 1
        }
        /// The position after the first non-vowel that follows a vowel, from `start`.
        func region(from start: Int) -> Int {
            guard start < n, let vowel = (start..<n).first(where: isVowel),
                  let consonant = (vowel + 1..<max(n, vowel + 1)).first(where: isNonVowel) else { return n }
            return consonant + 1
        }
        p1 = region(from: 0)
        p2 = region(from: p1)
    }

    // MARK: the backward steps

    // The suffixes of each step (built once, not at each word).
    static let standardSuffixes = suffixes(["ance", "iqUe", "isme", "able", "iste", "eux", "ances", "iqUes", "ismes", "ables", "istes",
                        "atrice", "ateur", "ation", "atrices", "ateurs", "ations", "logie", "logies",
                        "usion", "ution", "usions", "utions", "ence", "ences", "ement", "ements", "ité", "ités",
                        "if", "ive", "ifs", "ives", "eaux", "aux", "oux", "euse", "euses", "issement", "issements",
                        "amment", "emment", "ment", "ments"])
    static let afterEment = suffixes(["iv", "eus", "abl", "iqU", "ièr", "Ièr"])
    static let afterIte = suffixes(["abil", "ic", "iv"])

    /// Step 1. False when no suffix was removed, or when the step asks for the verb steps (-ment after a vowel).
    mutating func standardSuffix() -> Bool {
        guard let suffix = longestSuffix(Self.standardSuffixes) else { return false }
        let start = n - suffix.unicodeScalars.count
        switch suffix {
        case "ance", "iqUe", "isme", "able", "iste", "eux", "ances", "iqUes", "ismes", "ables", "istes":
            guard start >= p2 else { return false }
            delete(from: start)
        case "atrice", "ateur", "ation", "atrices", "ateurs", "ations":
            guard start >= p2 else { return false }
            delete(from: start)
            if endsWith("ic") {
                if n - 2 >= p2 { delete(from: n - 2) } else { replaceEnd(2, with: "iqU") }
            }
        case "logie", "logies":
            guard start >= p2 else { return false }
            replaceEnd(n - start, with: "log")
        case "usion", "ution", "usions", "utions":
            guard start >= p2 else { return false }
            replaceEnd(n - start, with: "u")
        case "ence", "ences":
            guard start >= p2 else { return false }
            replaceEnd(n - start, with: "ent")
        case "ement", "ements":
            guard start >= pV else { return false }
            delete(from: start)
            if let next = longestSuffix(Self.afterEment) {
                let at = n - next.unicodeScalars.count
                switch next {
                case "iv":
                    if at >= p2 {
                        delete(from: at)
                        if endsWith("at"), n - 2 >= p2 { delete(from: n - 2) }
                    }
                case "eus":
                    if at >= p2 { delete(from: at) } else if at >= p1 { replaceEnd(3, with: "eux") }
                case "abl", "iqU":
                    if at >= p2 { delete(from: at) }
                default:
                    if at >= pV { replaceEnd(3, with: "i") }
                }
            }
        case "ité", "ités":
            guard start >= p2 else { return false }
            delete(from: start)
            if let next = longestSuffix(Self.afterIte) {
                let at = n - next.unicodeScalars.count
                switch next {
                case "abil": if at >= p2 { delete(from: at) } else { replaceEnd(4, with: "abl") }
                case "ic": if at >= p2 { delete(from: at) } else { replaceEnd(2, with: "iqU") }
                default: if at >= p2 { delete(from: at) }
                }
            }
        case "if", "ive", "ifs", "ives":
            guard start >= p2 else { return false }
            delete(from: start)
            if endsWith("at"), n - 2 >= p2 {
                delete(from: n - 2)
                if endsWith("ic") {
                    if n - 2 >= p2 { delete(from: n - 2) } else { replaceEnd(2, with: "iqU") }
                }
            }
        case "eaux":
            replaceEnd(4, with: "eau")
        case "aux":
            guard start >= p1 else { return false }
            replaceEnd(3, with: "al")
        case "oux":
            guard let before = char(start - 1), "bhjlnp".unicodeScalars.contains(before) else { return false }
            replaceEnd(3, with: "ou")
        case "euse", "euses":
            if start >= p2 { delete(from: start) } else if start >= p1 { replaceEnd(n - start, with: "eux") } else { return false }
        case "issement", "issements":
            guard start >= p1, isNonVowel(start - 1) else { return false }
            delete(from: start)
        case "amment":
            if start >= pV { replaceEnd(6, with: "ant") }
            return false
        case "emment":
            if start >= pV { replaceEnd(6, with: "ent") }
            return false
        default: // "ment", "ments"
            if isVowel(start - 1), start - 1 >= pV { delete(from: start) }
            return false
        }
        return true
    }

    static let iVerbSuffixes = suffixes(["îmes", "ît", "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait", "iras",
                        "irent", "irez", "iriez", "irions", "irons", "iront", "is", "issaIent", "issais", "issait",
                        "issant", "issante", "issantes", "issants", "isse", "issent", "isses", "issez", "issiez",
                        "issions", "issons", "it"])

    /// Step 2a: the endings of -ir verbs, in RV, after a letter of RV that is not a vowel.
    mutating func iVerbSuffix() -> Bool {
        guard let suffix = longestSuffix(Self.iVerbSuffixes, limit: pV) else { return false }
        let start = n - suffix.unicodeScalars.count
        guard start - 1 >= pV, s[start - 1] != "H", isNonVowel(start - 1) else { return false }
        delete(from: start)
        return true
    }

    static let verbDeleted = ["é", "ée", "ées", "és", "èrent", "er", "era", "erai", "eraIent", "erais", "erait", "eras", "erez",
                       "eriez", "erions", "erons", "eront", "ez", "iez", "eais"]
    static let verbWithE = ["âmes", "ât", "âtes", "a", "ai", "aIent", "ait", "ant", "ante", "antes", "ants", "as", "asse",
                     "assent", "asses", "assiez", "assions"]
    static let verbAis = ["ais", "aise", "aises"]
    static let verbSuffixes = suffixes(["ions"] + verbDeleted + verbWithE + verbAis)

    /// Step 2b: the other verb endings, in RV.
    mutating func verbSuffix() -> Bool {
        guard let suffix = longestSuffix(Self.verbSuffixes, limit: pV) else { return false }
        let start = n - suffix.unicodeScalars.count
        if suffix == "ions" {
            guard start >= p2 else { return false }
            delete(from: start)
        } else if Self.verbDeleted.contains(suffix) {
            delete(from: start)
        } else if Self.verbAis.contains(suffix) {
            // Not in "balais", "palais" (one letter, then -al-), "mauvais", "déplais".
            let before = Array(s[..<start])
            let oneLetterAl = before.count == 3 && before[1] == "a" && before[2] == "l"
            let kept = oneLetterAl || before.suffix(3) == ["a", "u", "v"] || before.suffix(3) == ["é", "p", "l"]
            guard !kept else { return false }
            delete(from: start)
        } else {
            delete(from: start - 1 >= pV && s[start - 1] == "e" ? start - 1 : start)
        }
        return true
    }

    static let residualSuffixes = suffixes(["ion", "ier", "ière", "Ier", "Ière", "e"])

    /// Step 4, when steps 1 and 2 removed nothing.
    mutating func residualSuffix() {
        if endsWith("s"), n >= 2 {
            let hi = n >= 3 && s[n - 3] == "H" && s[n - 2] == "i"
            if hi || !"aiouès".unicodeScalars.contains(s[n - 2]) { s.removeLast() }
        }
        guard let suffix = longestSuffix(Self.residualSuffixes, limit: pV) else { return }
        let start = n - suffix.unicodeScalars.count
        switch suffix {
        case "ion":
            if start >= p2, start - 1 >= pV, s[start - 1] == "s" || s[start - 1] == "t" { delete(from: start) }
        case "e":
            delete(from: start)
        default:
            replaceEnd(n - start, with: "i")
        }
    }

    /// Step 5: -enn, -onn, -ett, -ell, -eill lose their last letter.
    mutating func unDouble() {
        if ["enn", "onn", "ett", "ell", "eill"].contains(where: endsWith) { s.removeLast() }
    }

    /// Step 6: é or è followed by at least one non-vowel to the end becomes e.
    mutating func unAccent() {
        var i = n
        while i > 0, isNonVowel(i - 1) { i -= 1 }
        if i < n, i > 0, s[i - 1] == "é" || s[i - 1] == "è" { s[i - 1] = "e" }
    }

    /// Back to lower case: I, U, Y, "He" → ë, "Hi" → ï, a lone H removed.
    func postlude() -> String {
        var result = String.UnicodeScalarView()
        var i = 0
        while i < n {
            switch s[i] {
            case "I": result.append("i")
            case "U": result.append("u")
            case "Y": result.append("y")
            case "H":
                if char(i + 1) == "e" { result.append("ë"); i += 1 } else if char(i + 1) == "i" { result.append("ï"); i += 1 }
            default: result.append(s[i])
            }
            i += 1
        }
        return String(result)
    }
}
