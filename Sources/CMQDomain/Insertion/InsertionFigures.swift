/// The InserJeunes counts of one cohort of final-year learners (one formation, or a sum of several), and the
/// figures defined on them.
///
/// Every figure is a ratio of two counts, never an average of rates: to consolidate formations, establishments
/// or campuses, add their counts (`+`) and compute the figure on the sum, then apply the statistical secret.
public struct InsertionCounts: Sendable, Equatable, Hashable, Codable {
    /// Learners in the final year of the formation (`nb_annee_term`): the denominator of the "parts".
    public var anneeTerminale: Int
    /// Learners enrolled in a formation the next year (`nb_poursuite_etudes`); `nil` when not published.
    public var poursuite: Int?
    /// Learners in salaried employment 6, 12, 18 and 24 months after leaving (`nb_en_emploi_N_mois`).
    public var emploi: [Int: Int]
    /// Learners who left education (`nb_sortant`); when the file does not give it, final-year headcount minus
    /// those who went on studying.
    public var sortantsPublies: Int?

    public init(anneeTerminale: Int, poursuite: Int?, emploi: [Int: Int] = [:], sortants: Int? = nil) {
        self.anneeTerminale = anneeTerminale
        self.poursuite = poursuite
        self.emploi = emploi
        self.sortantsPublies = sortants
    }

    public static let zero = InsertionCounts(anneeTerminale: 0, poursuite: 0)

    /// The months after leaving at which InserJeunes counts employment.
    public static let horizons = [6, 12, 18, 24]

    /// Leavers (*sortants*): those who did not go on studying.
    public var sortants: Int? {
        if let sortantsPublies { return sortantsPublies }
        guard let poursuite else { return nil }
        return anneeTerminale - poursuite
    }

    /// Taux de poursuite d'études = enrolled the next year ÷ final-year headcount.
    public var tauxPoursuite: Figure {
        Figure(kind: .tauxPoursuite, numerator: poursuite, denominator: anneeTerminale)
    }

    /// Taux d'emploi à N mois = in salaried employment at N months ÷ leavers.
    public func tauxEmploi(mois: Int) -> Figure {
        Figure(kind: .tauxEmploi(mois: mois), numerator: emploi[mois], denominator: sortants)
    }

    /// Part en emploi à N mois = in employment at N months ÷ final-year headcount: not the rate, another figure.
    public func partEmploi(mois: Int) -> Figure {
        Figure(kind: .partEmploi(mois: mois), numerator: emploi[mois], denominator: anneeTerminale)
    }

    /// Taux de devenir favorable = (poursuite + emploi à 6 mois) ÷ final-year headcount.
    public var devenirFavorable: Figure {
        let numerator = poursuite.flatMap { poursuite in emploi[6].map { poursuite + $0 } }
        return Figure(kind: .devenirFavorable, numerator: numerator, denominator: anneeTerminale)
    }

    public func figure(_ kind: Figure.Kind) -> Figure {
        switch kind {
        case .tauxPoursuite: tauxPoursuite
        case .tauxEmploi(let mois): tauxEmploi(mois: mois)
        case .partEmploi(let mois): partEmploi(mois: mois)
        case .devenirFavorable: devenirFavorable
        }
    }

    /// The sum of two cohorts' counts (two formations, two establishments, or two years pooled). A count that one
    /// side does not publish is unknown in the sum: adding only what is known would bias the figure.
    public static func + (lhs: InsertionCounts, rhs: InsertionCounts) -> InsertionCounts {
        func sum(_ a: Int?, _ b: Int?) -> Int? { a.flatMap { a in b.map { a + $0 } } }
        var emploi: [Int: Int] = [:]
        for mois in horizons { if let value = sum(lhs.emploi[mois], rhs.emploi[mois]) { emploi[mois] = value } }
        let sortants: Int? = (lhs.sortantsPublies == nil && rhs.sortantsPublies == nil) ? nil : sum(lhs.sortants, rhs.sortants)
        return InsertionCounts(anneeTerminale: lhs.anneeTerminale + rhs.anneeTerminale,
                               poursuite: sum(lhs.poursuite, rhs.poursuite), emploi: emploi, sortants: sortants)
    }

    /// The counts of several cohorts added together (`nil` for none).
    public static func sum<S: Sequence>(_ counts: S) -> InsertionCounts? where S.Element == InsertionCounts {
        counts.reduce(nil) { partial, next in partial.map { $0 + next } ?? next }
    }

    /// Two consecutive single-year cohorts pooled, as InserJeunes publishes them: the millésime "2022_2023" is
    /// the leavers of 2022 and of 2023 together, so that fewer figures fall under the threshold.
    public static func pooled(_ first: InsertionCounts, _ second: InsertionCounts) -> InsertionCounts {
        first + second
    }
}

/// The sums of many cohorts' counts, figure by figure: each figure adds the numerators and the denominators of
/// the cohorts that publish both of its counts (a cohort whose employment count is not published still counts in
/// the further-study rate, and is left out of the employment rate, numerator and denominator alike). The
/// statistical secret then applies to each sum: rates are never averaged.
public struct FigureTotals: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        public var numerator: Int
        public var denominator: Int
    }

    public private(set) var sums: [Figure.Kind: Pair] = [:]
    /// Cohorts added.
    public private(set) var cohorts = 0

    public init() {}

    public init(_ counts: InsertionCounts) {
        cohorts = 1
        for kind in Figure.Kind.all {
            let figure = counts.figure(kind)
            if let numerator = figure.numerator, let denominator = figure.denominator {
                sums[kind] = Pair(numerator: numerator, denominator: denominator)
            }
        }
    }

    public init<S: Sequence>(_ counts: S) where S.Element == InsertionCounts {
        self = counts.reduce(into: FigureTotals()) { $0 = $0 + FigureTotals($1) }
    }

    public static func + (lhs: FigureTotals, rhs: FigureTotals) -> FigureTotals {
        var result = lhs
        result.cohorts += rhs.cohorts
        for (kind, pair) in rhs.sums {
            let previous = result.sums[kind] ?? Pair(numerator: 0, denominator: 0)
            result.sums[kind] = Pair(numerator: previous.numerator + pair.numerator, denominator: previous.denominator + pair.denominator)
        }
        return result
    }

    public func figure(_ kind: Figure.Kind) -> Figure {
        Figure(kind: kind, numerator: sums[kind]?.numerator, denominator: sums[kind]?.denominator)
    }

    public var tauxPoursuite: Figure { figure(.tauxPoursuite) }
    public func tauxEmploi(mois: Int) -> Figure { figure(.tauxEmploi(mois: mois)) }
    public func partEmploi(mois: Int) -> Figure { figure(.partEmploi(mois: mois)) }
    public var devenirFavorable: Figure { figure(.devenirFavorable) }
}

/// One figure: which one, its numerator and denominator, and whether the statistical secret lets it be shown.
public struct Figure: Sendable, Equatable, Hashable, Codable {
    public enum Kind: Sendable, Equatable, Hashable, Codable {
        case tauxPoursuite
        case tauxEmploi(mois: Int)
        case partEmploi(mois: Int)
        case devenirFavorable

        /// Every figure cmq shows.
        public static let all: [Kind] = [.tauxPoursuite] + InsertionCounts.horizons.map { .tauxEmploi(mois: $0) }
            + InsertionCounts.horizons.map { .partEmploi(mois: $0) } + [.devenirFavorable]

        /// The label shown beside the figure: a rate and a part never share one.
        public var label: String {
            switch self {
            case .tauxPoursuite: "Taux de poursuite d'études"
            case .tauxEmploi(let mois): "Taux d'emploi à \(mois) mois"
            case .partEmploi(let mois): "Part en emploi à \(mois) mois"
            case .devenirFavorable: "Taux de devenir favorable"
            }
        }

        /// What the denominator counts, said in words.
        public var denominatorLabel: String {
            switch self {
            case .tauxEmploi: "sortants"
            case .tauxPoursuite, .partEmploi, .devenirFavorable: "inscrits en année terminale"
            }
        }
    }

    public enum Status: Sendable, Equatable, Hashable, Codable {
        /// Shown: its denominator is at least the threshold.
        case publie(percent: Int)
        /// Hidden by the statistical secret: only "effectif insuffisant" is shown, never the value.
        case effectifInsuffisant
        /// A count it needs is not published.
        case nonDisponible
    }

    public let kind: Kind
    public let numerator: Int?
    public let denominator: Int?

    public init(kind: Kind, numerator: Int?, denominator: Int?) {
        self.kind = kind
        self.numerator = numerator
        self.denominator = denominator
    }

    /// What may be shown of this figure, the statistical secret applied.
    public var status: Status { StatisticalSecret.publication(numerator: numerator, denominator: denominator) }

    /// The value in percent when it may be shown.
    public var percent: Int? {
        if case .publie(let percent) = status { return percent }
        return nil
    }
}

/// The statistical secret of InserJeunes: a rate is published only when its own denominator is at least 20.
public enum StatisticalSecret {
    public static let threshold = 20

    /// The publication of `numerator ÷ denominator`: the rounded percent (half up) when the denominator reaches
    /// the threshold, "effectif insuffisant" below it, "non disponible" when a count is missing.
    public static func publication(numerator: Int?, denominator: Int?) -> Figure.Status {
        guard let numerator, let denominator, numerator >= 0, numerator <= denominator else { return .nonDisponible }
        guard denominator >= threshold else { return .effectifInsuffisant }
        return .publie(percent: (numerator * 200 + denominator) / (denominator * 2))
    }
}
