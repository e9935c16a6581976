import Foundation

/// One word of a catalogue search, with everything that may answer it: the word itself and its French stem as
/// prefixes of the catalogue's folded words ("mécaniques" → "mecanique", "mecan"), the words its synonyms give,
/// and the learner statuses its synonyms name ("alternance" → apprenti).
public struct SearchTerm: Sendable, Equatable {
    /// The longest word a query may hold, and the most words it may hold.
    public static let maxWordLength = 40
    public static let maxWords = 8

    /// The word as typed, folded (lower case, no accents).
    public let word: String
    /// Folded prefixes: a formation's word that begins with one of them answers the term. Sorted, none begins
    /// with another.
    public let prefixes: [String]
    /// The formations open under one of these statuses answer the term too.
    public let statuses: [LearnerStatus]

    /// The term of one word (`typed`: the word in lower case with its accents, when known; the stemmer reads them).
    public init(word: String, typed: String? = nil, synonyms: SearchSynonyms) {
        let folded = String(TextFolding.searchKey(word).replacingOccurrences(of: " ", with: "").prefix(Self.maxWordLength))
        self.word = folded
        var keys = Self.forms(folded, typed: typed)
        var statuses: [LearnerStatus] = []
        if let expansion = synonyms.expansion(of: folded) {
            for target in expansion.words { keys += Self.forms(target, typed: nil) }
            statuses = expansion.statuses
        }
        prefixes = Self.minimal(keys)
        self.statuses = statuses
    }

    private init(word: String, prefixes: [String], statuses: [LearnerStatus]) {
        self.word = word
        self.prefixes = prefixes
        self.statuses = statuses
    }

    /// This term answered as well by what answers `other`, under `other`'s word (a correction added to a word
    /// that only its stem found).
    public func adding(_ other: SearchTerm) -> SearchTerm {
        SearchTerm(word: other.word, prefixes: Self.minimal(prefixes + other.prefixes),
                   statuses: statuses + other.statuses.filter { !statuses.contains($0) })
    }

    /// The terms of a query: its words (at most `maxWords`, each cut at `maxWordLength` characters).
    public static func terms(_ query: String, synonyms: SearchSynonyms) -> [SearchTerm] {
        words(query, limit: maxWords).map { SearchTerm(word: $0.folded, typed: $0.typed, synonyms: synonyms) }
    }

    /// The first `limit` words of a text: each folded, with its lower-case form when folding kept it one word.
    public static func words(_ text: String, limit: Int = .max) -> [(folded: String, typed: String?)] {
        var result: [(folded: String, typed: String?)] = []
        for piece in pieces(text) {
            for word in words(ofPiece: piece) {
                if result.count == limit { return result }
                result.append(word)
            }
        }
        return result
    }

    /// The runs of letters and digits of a text.
    static func pieces(_ text: String) -> [Substring] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    }

    /// The words of a run of letters and digits (folding may cut it: "œuvre" stays one, "½" becomes "1 2").
    static func words(ofPiece piece: Substring) -> [(folded: String, typed: String?)] {
        let typed = piece.lowercased()
        let parts = TextFolding.searchKey(typed).split(separator: " ")
        return parts.map { (String($0.prefix(maxWordLength)), parts.count == 1 && typed.count <= maxWordLength ? typed : nil) }
    }

    /// A folded word and its stems (of the typed form and of the folded one), folded; stems under 3 letters are left out.
    public static func forms(_ folded: String, typed: String?) -> [String] {
        var forms = [folded]
        for source in [typed, folded].compactMap({ $0 }) {
            let key = TextFolding.searchKey(FrenchStemmer.stem(source))
            let stem = key.utf8.contains(0x20) ? key.replacingOccurrences(of: " ", with: "") : key
            if stem.count >= 3 { forms.append(stem) }
        }
        return forms
    }

    /// The stems of a text's words that its folded words do not begin with ("chevaux" → "cheval", "excellence" →
    /// "excellent"): stored with the text, so that a word and its stem meet whichever of the two is typed (the other
    /// stems begin their word, and prefix matching finds them already). Each once, in the order met.
    /// `memo` keeps each word's stems for the next texts (a catalogue's texts share a few thousand words).
    public static func stemsToStore(_ text: String, memo: StemMemo = StemMemo()) -> [String] {
        var seen = Set<String>(), stems: [String] = []
        for piece in pieces(text) {
            for form in memo.stems(of: piece) where seen.insert(form).inserted {
                stems.append(form)
            }
        }
        return stems
    }

    /// The stems of a run of letters and digits that its folded words do not begin with, in order.
    static func stemsToStore(ofPiece piece: Substring) -> [String] {
        var stems: [String] = []
        for (folded, typed) in words(ofPiece: piece) {
            stems += forms(folded, typed: typed).dropFirst().filter { !folded.hasPrefix($0) }
        }
        return stems
    }

    /// The keys without those another key begins (they find nothing more), sorted.
    static func minimal(_ keys: [String]) -> [String] {
        let sorted = Set(keys.filter { !$0.isEmpty }).sorted()
        var result: [String] = []
        for key in sorted where !(result.last.map { key.hasPrefix($0) } ?? false) { result.append(key) }
        return result
    }

    /// Whether the term names something whose name has these keys (`nameKeys`): one of its prefixes of 4 letters
    /// or more begins one of them ("plasturgie" names the campus « Métallurgie et plasturgie »).
    public func names(_ keys: [String]) -> Bool {
        prefixes.contains { prefix in prefix.count >= 4 && keys.contains { $0.hasPrefix(prefix) } }
    }

    /// The keys of a name (a campus, a filière): its folded words of 4 letters or more but the little words of
    /// French, with their stems.
    public static func nameKeys(_ name: String) -> [String] {
        var keys: [String] = []
        for (folded, typed) in words(name) where folded.count >= 4 && !littleWords.contains(folded) {
            keys += forms(folded, typed: typed)
        }
        return Array(Set(keys)).sorted()
    }

    static let littleWords: Set<String> = ["dans", "pour", "avec", "sans", "sous", "leur", "leurs", "cette", "entre", "vers"]
}

/// The synonyms of the catalogue search: a word of the field and what it finds besides itself (words, learner
/// statuses). Read from `recherche/synonymes.txt` (one line per word, `mot: autre, statut:apprenti`).
public struct SearchSynonyms: Sendable {
    public struct Expansion: Sendable, Equatable {
        public var words: [String] = []
        public var statuses: [LearnerStatus] = []
    }

    private var byWord: [String: Expansion] = [:]
    private var byStem: [String: Expansion] = [:]

    /// The words given, for tests and messages.
    public var count: Int { byWord.count }

    public init() {}

    /// Reads the synonyms' text; a wrong line is refused with its number.
    public init(parsing text: String) throws(SearchSynonymsError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            guard let colon = line.firstIndex(of: ":") else {
                throw SearchSynonymsError(line: number, reason: "il manque « : » entre le mot et ses synonymes")
            }
            let head = SearchTerm.words(String(line[..<colon]))
            guard head.count == 1, let key = head.first else {
                throw SearchSynonymsError(line: number, reason: "le mot cherché doit être un seul mot")
            }
            var expansion = Expansion()
            for item in line[line.index(after: colon)...].split(separator: ",") {
                let target = item.trimmingCharacters(in: .whitespaces)
                if target.hasPrefix("statut:") {
                    let value = String(target.dropFirst("statut:".count))
                    guard let status = LearnerStatus(rawValue: value) else {
                        throw SearchSynonymsError(line: number, reason: "le statut « \(value) » n'existe pas ; valeurs possibles : "
                                                  + LearnerStatus.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    if !expansion.statuses.contains(status) { expansion.statuses.append(status) }
                } else {
                    let words = SearchTerm.words(target)
                    guard words.count == 1, let word = words.first else {
                        throw SearchSynonymsError(line: number, reason: "« \(target) » n'est pas un mot")
                    }
                    expansion.words.append(word.folded)
                }
            }
            guard !expansion.words.isEmpty || !expansion.statuses.isEmpty else {
                throw SearchSynonymsError(line: number, reason: "aucun synonyme après « : »")
            }
            guard byWord[key.folded] == nil else {
                throw SearchSynonymsError(line: number, reason: "le mot « \(key.folded) » est déjà donné plus haut")
            }
            byWord[key.folded] = expansion
            byStem[Self.stem(key.folded), default: Expansion()].merge(expansion)
        }
    }

    /// What a folded word finds besides itself: by the word, or else by its stem ("soudures" as "soudure").
    public func expansion(of folded: String) -> Expansion? {
        if let found = byWord[folded] { return found }
        return byStem[Self.stem(folded)]
    }

    private static func stem(_ folded: String) -> String {
        TextFolding.searchKey(FrenchStemmer.stem(folded))
    }

    /// The synonyms shipped with cmq (`Data/recherche/synonymes.txt`).
    public static let bundled: SearchSynonyms = {
        guard let url = Bundle.module.url(forResource: "synonymes", withExtension: "txt", subdirectory: "Data/recherche"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            preconditionFailure("The shipped synonyms Data/recherche/synonymes.txt cannot be read.")
        }
        do throws(SearchSynonymsError) { return try SearchSynonyms(parsing: text) } catch {
            preconditionFailure("Data/recherche/synonymes.txt: \(error.message)")
        }
    }()
}

extension SearchSynonyms.Expansion {
    mutating func merge(_ other: Self) {
        for word in other.words where !words.contains(word) { words.append(word) }
        for status in other.statuses where !statuses.contains(status) { statuses.append(status) }
    }
}

public struct SearchSynonymsError: Error, Equatable {
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var message: String { "Synonymes, ligne \(line) : \(reason)." }
}

/// The nearest word of a vocabulary to a word that matches nothing ("mecaniqe" → "mecanique"): the smallest edit
/// distance (letters inserted, removed, replaced or two swapped), at most 1 for words of 4–5 letters and 2 from 6;
/// among equals, the word most formations hold, then the first in alphabetical order.
public enum SearchCorrection {
    /// The shortest word corrected.
    public static let minimumLength = 4

    /// `vocabulary`: sorted folded words; `frequency(i)`: how many formations hold word `i` (0: none, never proposed).
    public static func nearest(to word: String, in vocabulary: [String], frequency: (Int) -> Int) -> String? {
        let target = Array(word.utf8.prefix(SearchTerm.maxWordLength))
        guard target.count >= minimumLength else { return nil }
        let limit = target.count <= 5 ? 1 : 2
        var best: (index: Int, distance: Int, frequency: Int)?
        for (index, candidate) in vocabulary.enumerated() {
            let length = candidate.utf8.count
            guard length >= minimumLength - 1, abs(length - target.count) <= limit else { continue }
            let bound = best.map { min($0.distance, limit) } ?? limit
            guard let distance = Self.distance(target, Array(candidate.utf8), limit: bound), distance > 0 else { continue }
            if let current = best, distance == current.distance {
                let count = frequency(index)
                if count > current.frequency { best = (index, distance, count) }
            } else if best == nil || distance < best!.distance {
                let count = frequency(index)
                if count > 0 { best = (index, distance, count) }
            }
        }
        return best.map { vocabulary[$0.index] }
    }

    /// The optimal string alignment distance of two words, or nil past `limit`.
    public static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) <= limit ? max(a.count, b.count) : nil }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}

/// The stems met so far (`SearchTerm.stemsToStore`), for work that stems many texts: one per thread of that work,
/// never shared. It holds at most `capacity` words, and starts again empty when full.
public final class StemMemo {
    private var stemsOfPiece: [String: [String]] = [:]
    private let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func stems(of piece: Substring) -> [String] {
        // A key of its own: a substring would keep its whole text alive.
        let key = String(piece)
        if let stems = stemsOfPiece[key] { return stems }
        let stems = SearchTerm.stemsToStore(ofPiece: piece)
        if stemsOfPiece.count >= capacity { stemsOfPiece.removeAll(keepingCapacity: true) }
        stemsOfPiece[key] = stems
        return stems
    }
}
