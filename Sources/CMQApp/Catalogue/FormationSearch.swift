import CMQDomain
import Foundation
import SQLKit

/// French search on formations: case, accents and ligatures don't matter; every word may be the beginning of a
/// word ("méca" finds "mécanique"), and so may its French stem ("mécaniques" finds "mécanique", "boulangerie"
/// finds "Boulanger"); the synonyms of the field add words and statuses ("soudure" finds "soudage", "alternance"
/// the formations open to apprentices); a word naming a filière or a campus finds their formations ("plasturgie":
/// the campus « Métallurgie et plasturgie »); a word that matches nothing is replaced by the nearest word of the
/// catalogue, and the answer says so. Formations whose title answers every word come first.
enum FormationSearch {
    /// The longest query read (`q`); a longer one is refused.
    static let maxQueryLength = 500

    /// The folded words of a query (at most 8).
    static func terms(_ query: String) -> [String] {
        SearchTerm.words(query, limit: SearchTerm.maxWords).map(\.folded)
    }
}

/// Where a query's words are looked up: the in-memory index or the database, which must answer alike.
protocol SearchVocabulary {
    /// Every campus, with the keys of its name (`SearchTerm.nameKeys`).
    var campusKeys: [(id: UUID, keys: [String])] { get }
    /// Whether some formation has a word that begins with `prefix`.
    func knows(prefix: String) -> Bool
    /// The catalogue's word nearest to a word that matches nothing (`SearchCorrection`).
    func nearest(to word: String) -> String?
}

/// A query as the catalogue answers it: per word, what answers it.
struct ResolvedQuery: Sendable, Equatable {
    struct Term: Sendable, Equatable {
        /// The word, its prefixes and its statuses.
        var term: SearchTerm
        /// The filières and campuses whose name the word names: their formations answer it too.
        var filieres: [Filiere]
        var campuses: [UUID]
    }

    var terms: [Term]
    /// The query as corrected, when a word matched nothing and was replaced ("mecanique" for "mecaniqe").
    var suggestion: String?

    /// The keys of the filières' labels.
    static let filiereKeys: [(Filiere, [String])] = Filiere.allCases.map { ($0, SearchTerm.nameKeys($0.label)) }

    static func resolve(_ query: String, in vocabulary: some SearchVocabulary, synonyms: SearchSynonyms = .bundled) -> ResolvedQuery {
        let words = SearchTerm.terms(query, synonyms: synonyms)
        guard !words.isEmpty else { return ResolvedQuery(terms: []) }
        let campusKeys = vocabulary.campusKeys
        func resolved(_ term: SearchTerm) -> Term {
            Term(term: term,
                 filieres: filiereKeys.filter { term.names($0.1) }.map(\.0),
                 campuses: campusKeys.filter { term.names($0.1) }.map(\.0).sorted { $0.uuidString < $1.uuidString })
        }
        var corrected = false
        var terms: [Term] = []
        for word in words {
            var term = resolved(word)
            // A word that no word of the catalogue begins with, neither a synonym nor a name: the nearest word is
            // searched instead (or as well, when the word's stem found something: "mecaniqe" finds "mecaniq…").
            if term.filieres.isEmpty, term.campuses.isEmpty, synonyms.expansion(of: word.word) == nil,
               !vocabulary.knows(prefix: word.word), let nearest = vocabulary.nearest(to: word.word) {
                let correction = resolved(SearchTerm(word: nearest, synonyms: synonyms))
                if term.term.prefixes.contains(where: vocabulary.knows(prefix:)) {
                    term = Term(term: term.term.adding(correction.term), filieres: correction.filieres, campuses: correction.campuses)
                } else {
                    term = correction
                }
                corrected = true
            }
            terms.append(term)
        }
        return ResolvedQuery(terms: terms, suggestion: corrected ? terms.map(\.term.word).joined(separator: " ") : nil)
    }

    /// "Formation `f` answers every word", for the dialect at hand (no list of ids to bind, however many formations
    /// match); `offer` is the SQL of a campus's offer.
    func condition(dialect: String, offer: (UUID) -> any SQLExpression) -> (any SQLExpression)? {
        guard !terms.isEmpty else { return nil }
        return SQLGroupExpression(SQLList(terms.map { $0.condition(dialect: dialect, offer: offer) }, separator: SQLRaw(" AND ")))
    }

    /// "The title of `f` answers every word" (for ordering), as SQL text: the prefixes are folded letters and digits only.
    var titleMatch: String? {
        guard !terms.isEmpty else { return nil }
        return terms.map { term in
            "(" + term.term.prefixes.map { "f.intitule_cle LIKE '\($0)%' OR f.intitule_cle LIKE '% \($0)%'" }.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
    }
}

extension ResolvedQuery.Term {
    /// "Formation `f` answers the word": one of its words begins with a prefix, or it is open under one of the
    /// statuses, or belongs to one of the filières, or to the offer of one of the campuses.
    func condition(dialect: String, offer: (UUID) -> any SQLExpression) -> any SQLExpression {
        var parts: [any SQLExpression] = []
        if dialect == "sqlite" {
            let match = term.prefixes.map { "\"\($0)\"*" }.joined(separator: " OR ")
            // The entry a formation points to (`StageSearchEntries`): its own rowid's, or the one an import wrote for it.
            parts.append(SQLQueryString("""
                (f.cle_recherche IS NULL AND f.rowid IN (SELECT rowid FROM formations_fts WHERE formations_fts MATCH \(bind: match))
                 OR f.cle_recherche IN (SELECT rowid FROM formations_fts WHERE formations_fts MATCH \(bind: match) AND rowid < 0))
                """))
        } else {
            let tsquery = term.prefixes.map { "\($0):*" }.joined(separator: " | ")
            parts.append(SQLQueryString("f.recherche @@ to_tsquery('simple', \(bind: tsquery))"))
        }
        if !term.statuses.isEmpty {
            parts.append(SQLRaw("(f.statuts_masque & \(FormationStatusMask.mask(term.statuses))) <> 0"))
        }
        if !filieres.isEmpty {
            parts.append(SQLBinaryExpression(SQLColumn("filiere", table: "f"), .in, SQLBind.group(filieres.map(\.slug))))
        }
        for campus in campuses { parts.append(offer(campus)) }
        return SQLGroupExpression(SQLList(parts, separator: SQLRaw(" OR ")))
    }
}

/// The words of the catalogue as the database holds them: what the search counted by the database alone reads
/// to resolve a query (the in-memory index reads its own lists).
struct DatabaseVocabulary: SearchVocabulary {
    /// The folded words of the formations' titles and texts, sorted, and how many formations hold each.
    let words: [String]
    let counts: [Int]
    let campusKeys: [(id: UUID, keys: [String])]

    static func read(on sql: any SQLDatabase) async throws -> DatabaseVocabulary {
        struct Row: Decodable { let id: UUID; let intitule_cle: String; let texte_cle: String? }
        struct CampusRow: Decodable { let id: UUID; let nom: String }
        var counts: [String: Int] = [:]
        var last: UUID?
        while true {
            var select = sql.select().column("id").column("intitule_cle").column("texte_cle").from(Formation.schema)
                .where(SQLRaw(Formation.visibleCondition()))
            if let last { select = select.where(SQLIdentifier("id"), .greaterThan, SQLBind(last)) }
            let rows = try await select.orderBy("id").limit(20_000).all(decoding: Row.self)
            for row in rows {
                let words = Set(row.intitule_cle.split(separator: " ") + (row.texte_cle?.split(separator: " ") ?? []))
                for word in words { counts[String(word), default: 0] += 1 }
            }
            guard rows.count == 20_000, let next = rows.last?.id else { break }
            last = next
        }
        let words = counts.keys.sorted()
        let campuses = try await sql.raw("SELECT id, nom FROM campus").all(decoding: CampusRow.self)
        return DatabaseVocabulary(words: words, counts: words.map { counts[$0]! }, campusKeys: campuses.map { ($0.id, SearchTerm.nameKeys($0.nom)) })
    }

    func knows(prefix: String) -> Bool {
        var low = 0, high = words.count
        while low < high {
            let middle = (low + high) / 2
            if words[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        return low < words.count && words[low].hasPrefix(prefix)
    }

    func nearest(to word: String) -> String? {
        SearchCorrection.nearest(to: word, in: words) { counts[$0] }
    }
}
