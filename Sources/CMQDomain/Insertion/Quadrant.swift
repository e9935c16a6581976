/// Where a formation stands against the regional averages of the same diploma level and millésime: its
/// employment rate at 6 months and its further-study rate, each compared with the average (a rate equal to the
/// average counts as above).
public enum Quadrant: String, Sendable, Hashable, Codable, CaseIterable {
    /// Both rates above the averages.
    case q1 = "Q1"
    /// Employment above, further study below.
    case q2 = "Q2"
    /// Employment below, further study above.
    case q3 = "Q3"
    /// Both below.
    case q4 = "Q4"
    /// A rate is missing or under the statistical secret: the formation is not placed.
    case horsQuadrant = "hors quadrant"

    public static func of(tauxEmploi: Int?, tauxPoursuite: Int?, moyenneEmploi: Int?, moyennePoursuite: Int?) -> Quadrant {
        guard let tauxEmploi, let tauxPoursuite, let moyenneEmploi, let moyennePoursuite else { return .horsQuadrant }
        switch (tauxEmploi >= moyenneEmploi, tauxPoursuite >= moyennePoursuite) {
        case (true, true): return .q1
        case (true, false): return .q2
        case (false, true): return .q3
        case (false, false): return .q4
        }
    }

    /// A formation's figures against the summed counts of its level in its région (the average is a ratio of sums).
    public static func of(_ formation: InsertionCounts, regional: FigureTotals) -> Quadrant {
        of(tauxEmploi: formation.tauxEmploi(mois: 6).percent, tauxPoursuite: formation.tauxPoursuite.percent,
           moyenneEmploi: regional.tauxEmploi(mois: 6).percent, moyennePoursuite: regional.tauxPoursuite.percent)
    }

    public var label: String {
        switch self {
        case .q1: "Q1 : emploi et poursuite d'études au-dessus de la moyenne régionale"
        case .q2: "Q2 : emploi au-dessus, poursuite d'études en dessous de la moyenne régionale"
        case .q3: "Q3 : emploi en dessous, poursuite d'études au-dessus de la moyenne régionale"
        case .q4: "Q4 : emploi et poursuite d'études en dessous de la moyenne régionale"
        case .horsQuadrant: "Hors quadrant : un des deux taux manque ou l'effectif est insuffisant"
        }
    }
}
