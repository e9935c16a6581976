import CMQDomain
import Testing

/// The words of a catalogue search: their forms, the synonyms of the field, the names they name, the correction of a
/// word that matches nothing.
@Suite("Search terms, synonyms and corrections")
struct SearchTermsTests {
    @Test("a word's prefixes: the folded word and its stems, none begun by another")
    func forms() {
        let term = SearchTerm(word: "mécaniques", typed: "mécaniques", synonyms: SearchSynonyms())
        #expect(term.word == "mecaniques")
        #expect(term.prefixes == ["mecan"])
        #expect(SearchTerm(word: "boulangerie", synonyms: SearchSynonyms()).prefixes == ["boulanger"])
        // a stem of less than 3 letters is not used: the word stays as typed
        #expect(SearchTerm(word: "as", synonyms: SearchSynonyms()).prefixes == ["as"])
    }

    @Test("a query: at most 8 words, each at most 40 letters; accents, case and punctuation ignored")
    func bounds() {
        let words = (1...20).map { "mot\($0)" }.joined(separator: " ")
        #expect(SearchTerm.terms(words, synonyms: SearchSynonyms()).count == 8)
        let long = String(repeating: "a", count: 500)
        #expect(SearchTerm.terms(long, synonyms: SearchSynonyms()).first?.word.count == 40)
        #expect(SearchTerm.terms("Œnologie, l'Été !", synonyms: SearchSynonyms()).map(\.word) == ["oenologie", "l", "ete"])
        #expect(SearchTerm.terms(" -- ' ", synonyms: SearchSynonyms()).isEmpty)
    }

    @Test("the stems stored with a text: those its words do not begin with, each once; a memo of the words met changes nothing")
    func storedStems() {
        #expect(SearchTerm.stemsToStore("Chevaux et chevaux, excellence") == ["cheval", "excellent"])
        let texts = ["Maintenance des matériels agricoles", "Chevaux, élevage équin", "Œnologie ½ excellence", "chevaux CHEVAUX"]
        let memo = StemMemo(capacity: 3)
        for _ in 0..<3 {
            for text in texts { #expect(SearchTerm.stemsToStore(text, memo: memo) == SearchTerm.stemsToStore(text)) }
        }
    }

    @Test("the shipped synonyms: soudure → soudage, alternance → apprenti, plurals by the stem")
    func shippedSynonyms() {
        let synonyms = SearchSynonyms.bundled
        #expect(synonyms.count >= 30)
        #expect(SearchTerm(word: "soudure", synonyms: synonyms).prefixes.contains("soudag"))
        #expect(SearchTerm(word: "soudures", synonyms: synonyms).prefixes.contains("soudag"))
        let alternance = SearchTerm(word: "alternance", synonyms: synonyms)
        #expect(alternance.statuses == [.apprenti])
        #expect(alternance.prefixes.contains("apprentissag") && alternance.prefixes.contains("altern"))
        #expect(SearchTerm(word: "cuisinier", synonyms: synonyms).prefixes.contains("cuisin"))
        #expect(SearchTerm(word: "mecanicien", synonyms: synonyms).prefixes.contains("mecan"))
        #expect(SearchTerm(word: "plasturgie", synonyms: synonyms).prefixes.contains("polymer"))
        // a word without synonyms has none
        #expect(SearchTerm(word: "bois", synonyms: synonyms).statuses.isEmpty)
        #expect(SearchTerm(word: "bois", synonyms: synonyms).prefixes == ["bois"])
    }

    @Test("a wrong synonyms line is refused with its number and reason")
    func wrongSynonyms() {
        func error(_ text: String) -> SearchSynonymsError? {
            do { _ = try SearchSynonyms(parsing: text); return nil } catch { return error }
        }
        #expect(error("# titre\nsoudure soudage")?.line == 2)
        #expect(error("soudure: statut:stagiaire")?.reason.contains("le statut « stagiaire » n'existe pas") == true)
        #expect(error("deux mots: soudage") == SearchSynonymsError(line: 1, reason: "le mot cherché doit être un seul mot"))
        #expect(error("soudure:") == SearchSynonymsError(line: 1, reason: "aucun synonyme après « : »"))
        #expect(error("soudure: soudage\nSoudure: brasage")?.line == 2)
        #expect(error("soudure: soudage, statut:apprenti\n\n# fin") == nil)
    }

    @Test("a name is named by a word of 4 letters or more, not by little words")
    func names() {
        let keys = SearchTerm.nameKeys("Métallurgie et plasturgie")
        #expect(keys.contains("plasturgie") && !keys.contains("et"))
        #expect(SearchTerm(word: "plasturgie", synonyms: SearchSynonyms()).names(keys))
        #expect(SearchTerm(word: "métallurgique", typed: "métallurgique", synonyms: SearchSynonyms()).names(keys))
        #expect(!SearchTerm(word: "et", synonyms: SearchSynonyms()).names(keys))
        #expect(!SearchTerm(word: "met", synonyms: SearchSynonyms()).names(keys))
        #expect(!SearchTerm(word: "bois", synonyms: SearchSynonyms()).names(keys))
    }

    @Test("the nearest word: smallest edit distance, then the most frequent, then the first; bounded")
    func corrections() {
        let vocabulary = ["boulanger", "cuisine", "cuisson", "mecanique", "mecanisme", "meca", "soudage", "tarot", "tarte"].sorted()
        func frequency(_ counts: [String: Int]) -> (Int) -> Int { { counts[vocabulary[$0]] ?? 1 } }
        #expect(SearchCorrection.nearest(to: "mecaniqe", in: vocabulary, frequency: frequency([:])) == "mecanique")
        #expect(SearchCorrection.nearest(to: "cuisnie", in: vocabulary, frequency: frequency([:])) == "cuisine")
        #expect(SearchCorrection.nearest(to: "boulangr", in: vocabulary, frequency: frequency([:])) == "boulanger")
        // too far, too short
        #expect(SearchCorrection.nearest(to: "astrophysique", in: vocabulary, frequency: frequency([:])) == nil)
        #expect(SearchCorrection.nearest(to: "mec", in: vocabulary, frequency: frequency([:])) == nil)
        #expect(SearchCorrection.nearest(to: "soudaeg", in: vocabulary, frequency: frequency([:])) == "soudage")
        // 4–5 letters: one edit at most
        #expect(SearchCorrection.nearest(to: "mcea", in: vocabulary, frequency: frequency([:])) == "meca")
        #expect(SearchCorrection.nearest(to: "mxxa", in: vocabulary, frequency: frequency([:])) == nil)
        // equal distance: the word more formations hold
        #expect(SearchCorrection.nearest(to: "taret", in: vocabulary, frequency: frequency(["tarot": 1, "tarte": 9])) == "tarte")
        #expect(SearchCorrection.nearest(to: "taret", in: vocabulary, frequency: frequency(["tarot": 9, "tarte": 1])) == "tarot")
        // and at equal frequency, the first in alphabetical order
        #expect(SearchCorrection.nearest(to: "taret", in: vocabulary, frequency: frequency([:])) == "tarot")
        // a word no formation holds any more is never proposed
        #expect(SearchCorrection.nearest(to: "mecaniqe", in: vocabulary, frequency: frequency(["mecanique": 0, "mecanisme": 0])) == nil)
        #expect(SearchCorrection.distance(Array("ab".utf8), Array("ba".utf8), limit: 2) == 1)
        #expect(SearchCorrection.distance(Array("abcdef".utf8), Array("uvwxyz".utf8), limit: 2) == nil)
    }
}
