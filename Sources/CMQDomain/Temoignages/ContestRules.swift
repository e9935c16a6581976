import Foundation

// The contest of "Ma réussite pro": an edition's calendar, its scoring grid (criteria and weights, as data), the
// jurors' scores, the ranking of a category at académie level then national level, the medals and the public prize.

public enum ContestError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidGrid(String)
    case invalidScore(String)
    case invalidCalendar(String)

    public var message: String {
        switch self {
        case .invalidGrid(let text), .invalidScore(let text), .invalidCalendar(let text): text
        }
    }

    public var description: String { message }
}

/// The dates of an edition, in order: submissions, the académie juries, the national jury, the public vote, the
/// results.
public struct ContestCalendar: Sendable, Equatable {
    public var submissionsOpen: Date
    public var submissionsClose: Date
    public var academieJuryClose: Date
    public var nationalJuryClose: Date
    public var voteOpen: Date
    public var voteClose: Date
    public var results: Date

    public init(submissionsOpen: Date, submissionsClose: Date, academieJuryClose: Date, nationalJuryClose: Date,
                voteOpen: Date, voteClose: Date, results: Date) throws(ContestError) {
        guard submissionsOpen < submissionsClose else { throw .invalidCalendar("Les dépôts doivent s'ouvrir avant de se fermer.") }
        guard submissionsClose < academieJuryClose else { throw .invalidCalendar("Le jury académique siège après la clôture des dépôts.") }
        guard academieJuryClose < nationalJuryClose else { throw .invalidCalendar("Le jury national siège après les jurys académiques.") }
        guard submissionsClose <= voteOpen, voteOpen < voteClose else {
            throw .invalidCalendar("Le vote du public s'ouvre après la clôture des dépôts et avant de se fermer.")
        }
        guard nationalJuryClose <= results, voteClose <= results else {
            throw .invalidCalendar("Les résultats suivent le jury national et la fin du vote du public.")
        }
        self.submissionsOpen = submissionsOpen
        self.submissionsClose = submissionsClose
        self.academieJuryClose = academieJuryClose
        self.nationalJuryClose = nationalJuryClose
        self.voteOpen = voteOpen
        self.voteClose = voteClose
        self.results = results
    }

    public enum Phase: String, Sendable, Equatable {
        case avantDepots = "avant-depots"
        case depots
        case juryAcademique = "jury-academique"
        case juryNational = "jury-national"
        case deliberation
        case resultats
    }

    /// Where the edition stands at `now` (the public vote runs alongside, see `voteIsOpen`).
    public func phase(at now: Date) -> Phase {
        if now < submissionsOpen { return .avantDepots }
        if now < submissionsClose { return .depots }
        if now < academieJuryClose { return .juryAcademique }
        if now < nationalJuryClose { return .juryNational }
        if now < results { return .deliberation }
        return .resultats
    }

    public func voteIsOpen(at now: Date) -> Bool { voteOpen <= now && now < voteClose }
}

/// One criterion of a scoring grid: a mark from 0 to `maximum`, weighing `weight` in the total.
public struct ScoringCriterion: Sendable, Equatable, Codable {
    public var code: String
    public var label: String
    public var weight: Int
    public var maximum: Int

    public init(code: String, label: String, weight: Int, maximum: Int) {
        self.code = code
        self.label = label
        self.weight = weight
        self.maximum = maximum
    }
}

/// A scoring grid, as data: its criteria and their weights. A juror's total is the weighted mean of their marks,
/// each brought to 20, so that grids with different maxima compare.
public struct ScoringGrid: Sendable, Equatable {
    /// The most criteria a grid has.
    public static let maxCriteria = 20
    public let criteria: [ScoringCriterion]

    public init(_ criteria: [ScoringCriterion]) throws(ContestError) {
        guard !criteria.isEmpty, criteria.count <= Self.maxCriteria else { throw .invalidGrid("Une grille compte de 1 à \(Self.maxCriteria) critères.") }
        guard Set(criteria.map(\.code)).count == criteria.count else { throw .invalidGrid("Deux critères de la grille ont le même code.") }
        for criterion in criteria {
            guard !criterion.code.isEmpty, !criterion.label.isEmpty else { throw .invalidGrid("Chaque critère a un code et un libellé.") }
            guard (1...10).contains(criterion.weight) else { throw .invalidGrid("Le poids du critère « \(criterion.label) » va de 1 à 10.") }
            guard (1...100).contains(criterion.maximum) else { throw .invalidGrid("La note maximale du critère « \(criterion.label) » va de 1 à 100.") }
        }
        self.criteria = criteria
    }

    /// The total on 20 of one juror's marks: every criterion marked, each within its range.
    public func total(_ marks: [String: Int]) throws(ContestError) -> Double {
        let known = Set(criteria.map(\.code))
        if let unknown = marks.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidScore("« \(unknown) » n'est pas un critère de la grille.")
        }
        var weighted = 0.0
        for criterion in criteria {
            guard let mark = marks[criterion.code] else { throw .invalidScore("Notez le critère « \(criterion.label) ».") }
            guard (0...criterion.maximum).contains(mark) else {
                throw .invalidScore("La note du critère « \(criterion.label) » va de 0 à \(criterion.maximum).")
            }
            weighted += Double(criterion.weight) * Double(mark) / Double(criterion.maximum)
        }
        let weights = criteria.reduce(0) { $0 + $1.weight }
        return (weighted / Double(weights) * 20 * 100).rounded() / 100
    }
}

public enum Medal: String, Sendable, Equatable, CaseIterable {
    case or
    case argent
    case bronze

    public var label: String {
        switch self {
        case .or: "Or"
        case .argent: "Argent"
        case .bronze: "Bronze"
        }
    }
}

/// The ranking of a category by its jury: each entry's mean of its jurors' totals, the best first.
public enum ContestRanking {
    public struct Score: Sendable, Equatable {
        public var entry: UUID
        public var juror: UUID
        public var total: Double

        public init(entry: UUID, juror: UUID, total: Double) {
            self.entry = entry
            self.juror = juror
            self.total = total
        }
    }

    public struct Ranked: Sendable, Equatable {
        public var entry: UUID
        public var mean: Double
        public var jurors: Int
        /// 1 for the first; equal means share a rank, the next rank skips (1, 1, 3).
        public var rank: Int
        public var medal: Medal?
    }

    /// Ranks the entries scored (an entry no juror scored is not ranked). Equal means share their rank and medal.
    public static func rank(_ scores: [Score]) -> [Ranked] {
        let byEntry = Dictionary(grouping: scores, by: \.entry)
        let means = byEntry.map { entry, scores in
            (entry: entry, mean: (scores.reduce(0) { $0 + $1.total } / Double(scores.count) * 100).rounded() / 100, jurors: Set(scores.map(\.juror)).count)
        }.sorted { ($0.mean, $1.entry.uuidString) > ($1.mean, $0.entry.uuidString) }
        var ranked: [Ranked] = []
        for (index, item) in means.enumerated() {
            let rank = index > 0 && ranked[index - 1].mean == item.mean ? ranked[index - 1].rank : index + 1
            let medal: Medal? = switch rank {
            case 1: .or
            case 2: .argent
            case 3: .bronze
            default: nil
            }
            ranked.append(Ranked(entry: item.entry, mean: item.mean, jurors: item.jurors, rank: rank, medal: medal))
        }
        return ranked
    }

    /// The entries of an académie's ranking that go to the national round: the first `places` ranks (an entry tied
    /// with the last place goes too).
    public static func qualified(_ ranked: [Ranked], places: Int) -> [UUID] {
        ranked.filter { $0.rank <= places }.map(\.entry)
    }

    /// The public prize of a category: the entries with the most votes (several if tied), none without a vote.
    public static func publicPrize(_ votes: [UUID: Int]) -> [UUID] {
        guard let best = votes.values.max(), best > 0 else { return [] }
        return votes.filter { $0.value == best }.keys.sorted { $0.uuidString < $1.uuidString }
    }
}
