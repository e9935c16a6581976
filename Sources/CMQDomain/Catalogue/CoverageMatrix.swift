/// The training offer of a campus seen as levels 3→8 × learner statuses: how many formations in each cell,
/// and the gaps named in French.
public struct CoverageMatrix: Sendable, Equatable {
    /// One formation as the matrix sees it: its exit level and the statuses it is offered under.
    public struct Offer: Sendable, Equatable {
        public var level: Level
        public var statuses: Set<LearnerStatus>

        public init(level: Level, statuses: Set<LearnerStatus>) {
            self.level = level
            self.statuses = statuses
        }
    }

    private var counts: [Level: [LearnerStatus: Int]] = [:]

    public init(offers: [Offer]) {
        for offer in offers {
            for status in offer.statuses {
                counts[offer.level, default: [:]][status, default: 0] += 1
            }
        }
    }

    public func count(_ level: Level, _ status: LearnerStatus) -> Int {
        counts[level]?[status] ?? 0
    }

    /// Formations of a level under any status (a formation offered under two statuses counts once per status).
    public func total(_ level: Level) -> Int {
        LearnerStatus.allCases.reduce(0) { $0 + count(level, $1) }
    }

    /// The empty cells in French: a whole level without any formation is named once.
    public var gaps: [String] {
        var result: [String] = []
        for level in Level.allCases {
            let missing = LearnerStatus.allCases.filter { count(level, $0) == 0 }
            if missing.count == LearnerStatus.allCases.count {
                result.append("aucune formation de niveau \(level.number)")
            } else {
                result += missing.map { "aucune formation de niveau \(level.number) \($0.coveragePhrase)" }
            }
        }
        return result
    }

    /// The cahier des charges asks for an offer from level 3 (CAP) to level 6 or more: every level from 3 to 6.
    public var coversLevel3To6: Bool {
        [Level.niveau3, .niveau4, .niveau5, .niveau6].allSatisfy { total($0) > 0 }
    }

    /// The levels from 3 to 6 without any formation.
    public var missingLevelsUpTo6: [Level] {
        [Level.niveau3, .niveau4, .niveau5, .niveau6].filter { total($0) == 0 }
    }
}

extension LearnerStatus {
    /// "en apprentissage", "sous statut scolaire"… as the gaps of a coverage matrix say it.
    public var coveragePhrase: String {
        switch self {
        case .scolaire: "sous statut scolaire"
        case .etudiant: "sous statut étudiant"
        case .apprenti: "en apprentissage"
        case .formationContinue: "en formation continue"
        }
    }
}
