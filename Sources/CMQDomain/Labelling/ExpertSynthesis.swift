import Foundation

/// The synthesis of the experts' scores of a dossier, criterion by criterion and family by family.
///
/// - The mean of a criterion is the mean of its scores.
/// - The mean of a family is the mean of the means of its scored criteria: each criterion weighs the same,
///   however many experts scored it. The overall mean is the mean of the family means.
/// - The spread of a criterion is given two ways: the range (highest − lowest score, an integer from 0 to 4)
///   and the population standard deviation (the experts who scored are the whole population, so the sum of
///   squared deviations is divided by their number, not by the number minus one).
///
/// Values are computed in `Double`; `ExpertSynthesis.display(_:)` rounds to two decimals in French.
public struct ExpertSynthesis: Sendable, Equatable {
    public struct CriterionLine: Sendable, Equatable, Identifiable {
        public let critere: Critere
        /// The scores of the criterion, in the order of the experts.
        public let notes: [Int]

        public var id: String { critere.code }
        public var count: Int { notes.count }
        public var mean: Double? { notes.isEmpty ? nil : Double(notes.reduce(0, +)) / Double(notes.count) }
        public var minimum: Int? { notes.min() }
        public var maximum: Int? { notes.max() }
        /// Highest − lowest score.
        public var range: Int? { maximum.flatMap { max in minimum.map { max - $0 } } }
        /// Population standard deviation √(Σ(x − mean)² / n).
        public var standardDeviation: Double? {
            guard let mean else { return nil }
            let squares = notes.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
            return (squares / Double(notes.count)).squareRoot()
        }
    }

    public struct FamilyLine: Sendable, Equatable, Identifiable {
        public let famille: FamilleCriteres
        public let criteria: [CriterionLine]

        public var id: String { famille.code }
        /// The mean of the means of the scored criteria.
        public var mean: Double? { ExpertSynthesis.mean(criteria.compactMap(\.mean)) }
    }

    public let families: [FamilyLine]
    /// The experts who scored at least one criterion, in the order of their first score.
    public let experts: [String]

    /// Scores of criteria outside the grid are left out (the dossier refuses them when they are recorded);
    /// when an expert scored a criterion twice, the later score counts.
    public init(referentiel: Referentiel, evaluations: [Evaluation]) {
        var experts: [String] = []
        var latest: [Evaluation] = []
        for evaluation in evaluations {
            if !experts.contains(evaluation.expert) { experts.append(evaluation.expert) }
            if let index = latest.firstIndex(where: { $0.expert == evaluation.expert && $0.critere == evaluation.critere }) {
                latest[index] = evaluation
            } else {
                latest.append(evaluation)
            }
        }
        let evaluations = latest
        self.experts = experts
        families = referentiel.familles.map { famille in
            FamilyLine(famille: famille, criteria: famille.criteres.map { critere in
                CriterionLine(critere: critere, notes: evaluations.filter { $0.critere == critere.code }.map(\.note))
            })
        }
    }

    public var criteria: [CriterionLine] { families.flatMap(\.criteria) }

    public func line(critere code: String) -> CriterionLine? {
        criteria.first { $0.critere.code == code }
    }

    public func line(famille code: String) -> FamilyLine? {
        families.first { $0.famille.code == code }
    }

    /// The mean of the family means.
    public var overallMean: Double? { ExpertSynthesis.mean(families.compactMap(\.mean)) }

    /// The criteria no expert has scored yet.
    public var unscoredCriteria: [Critere] { criteria.filter { $0.notes.isEmpty }.map(\.critere) }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// "2,33" (two decimals, half away from zero, decimal comma); "—" when there is no value.
    public static func display(_ value: Double?) -> String {
        guard let value else { return "—" }
        let hundredths = Int((value * 100).rounded(.toNearestOrAwayFromZero))
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100),\(cents < 10 ? "0" : "")\(cents)"
    }
}
