import CMQDomain
import Testing

/// The definitions of InserJeunes, checked on values computed by hand.
@Suite("Insertion: definitions, statistical secret, quadrant, carry-over")
struct InsertionFiguresTests {
    /// The first line of ij_region_data.csv (2019_2020, région 11, MEFSTAT11 32221022002): 52 in final year,
    /// 31 go on studying, 21 leave, 9 in employment at 6 months, 12 at 12 months; the file says 60 % and 43 %.
    let real = InsertionCounts(anneeTerminale: 52, poursuite: 31, emploi: [6: 9, 12: 12, 18: 12, 24: 15], sortants: 21)

    @Test("taux de poursuite = poursuite ÷ année terminale: 31/52 = 59.6 % → 60 %, as the file publishes")
    func tauxPoursuite() {
        #expect(real.tauxPoursuite.percent == 60)
        #expect(real.tauxPoursuite.numerator == 31 && real.tauxPoursuite.denominator == 52)
    }

    @Test("taux d'emploi à N mois = emploi ÷ sortants: 9/21 = 42.9 % → 43 %, 15/21 = 71.4 % → 71 %")
    func tauxEmploi() {
        #expect(real.tauxEmploi(mois: 6).percent == 43)
        #expect(real.tauxEmploi(mois: 24).percent == 71)
        #expect(real.tauxEmploi(mois: 6).denominator == 21)
    }

    @Test("part en emploi = emploi ÷ année terminale (9/52 = 17.3 % → 17 %): another figure, with its own label")
    func partEmploi() {
        #expect(real.partEmploi(mois: 6).percent == 17)
        #expect(real.partEmploi(mois: 6).denominator == 52)
        #expect(real.partEmploi(mois: 6).kind.label == "Part en emploi à 6 mois")
        #expect(real.tauxEmploi(mois: 6).kind.label == "Taux d'emploi à 6 mois")
        #expect(real.partEmploi(mois: 6).kind != real.tauxEmploi(mois: 6).kind)
        #expect(real.tauxEmploi(mois: 6).kind.denominatorLabel == "sortants")
    }

    @Test("devenir favorable = (poursuite + emploi à 6 mois) ÷ année terminale: (31 + 9)/52 = 76.9 % → 77 %")
    func devenirFavorable() {
        #expect(real.devenirFavorable.percent == 77)
        #expect(real.devenirFavorable.numerator == 40)
    }

    @Test("sortants: as published, else année terminale − poursuite (40 − 25 = 15)")
    func sortants() {
        #expect(InsertionCounts(anneeTerminale: 40, poursuite: 25, emploi: [6: 6]).sortants == 15)
        #expect(InsertionCounts(anneeTerminale: 40, poursuite: 25, emploi: [6: 6]).tauxEmploi(mois: 6).status == .effectifInsuffisant)
        #expect(InsertionCounts(anneeTerminale: 40, poursuite: nil).sortants == nil)
    }

    @Test("a rate is shown only when its own denominator is at least 20: 19 is « effectif insuffisant », 20 is shown")
    func threshold() {
        #expect(StatisticalSecret.publication(numerator: 10, denominator: 19) == .effectifInsuffisant)
        #expect(StatisticalSecret.publication(numerator: 10, denominator: 20) == .publie(percent: 50))
        // 1/40 = 2.5 % rounds half up to 3 %; 1/3 of 30 = 33.3 % → 33 %
        #expect(StatisticalSecret.publication(numerator: 1, denominator: 40) == .publie(percent: 3))
        #expect(StatisticalSecret.publication(numerator: 10, denominator: 30) == .publie(percent: 33))
        #expect(StatisticalSecret.publication(numerator: nil, denominator: 30) == .nonDisponible)
        #expect(StatisticalSecret.publication(numerator: 31, denominator: 30) == .nonDisponible)
        // Each figure has its own denominator: 60 in final year, but 15 leavers.
        let counts = InsertionCounts(anneeTerminale: 60, poursuite: 45, emploi: [6: 9], sortants: 15)
        #expect(counts.tauxPoursuite.percent == 75)
        #expect(counts.tauxEmploi(mois: 6).status == .effectifInsuffisant)
        #expect(counts.tauxEmploi(mois: 6).percent == nil)
        #expect(counts.partEmploi(mois: 6).percent == 15)
    }

    @Test("two millésimes pooled: 12 and 11 leavers are each under the threshold, 23 together are shown")
    func pooling() {
        let first = InsertionCounts(anneeTerminale: 30, poursuite: 18, emploi: [6: 6], sortants: 12)
        let second = InsertionCounts(anneeTerminale: 25, poursuite: 14, emploi: [6: 7], sortants: 11)
        #expect(first.tauxEmploi(mois: 6).status == .effectifInsuffisant)
        #expect(second.tauxEmploi(mois: 6).status == .effectifInsuffisant)
        let pooled = InsertionCounts.pooled(first, second)
        // (6 + 7) / (12 + 11) = 13/23 = 56.5 % → 57 %
        #expect(pooled.tauxEmploi(mois: 6).percent == 57)
        #expect(pooled.sortants == 23 && pooled.anneeTerminale == 55)
    }

    @Test("aggregates add numerators and denominators, then apply the threshold: never the mean of the rates")
    func aggregates() {
        // 9/10 = 90 % (hidden) and 10/40 = 25 %: the mean of rates would be 57.5 %, the sum gives 19/50 = 38 %
        let small = InsertionCounts(anneeTerminale: 10, poursuite: 9)
        let large = InsertionCounts(anneeTerminale: 40, poursuite: 10)
        let total = InsertionCounts.sum([small, large])!
        #expect(total.tauxPoursuite.percent == 38)
        #expect(small.tauxPoursuite.status == .effectifInsuffisant)
        // Two hidden ones can make a shown one: 8/12 and 5/9 → 13/21 = 61.9 % → 62 %
        let sum = InsertionCounts(anneeTerminale: 12, poursuite: 8) + InsertionCounts(anneeTerminale: 9, poursuite: 5)
        #expect(sum.tauxPoursuite.percent == 62)
        // A count that one side does not publish is unknown in the sum.
        let partial = InsertionCounts(anneeTerminale: 30, poursuite: 10, emploi: [6: 5]) + InsertionCounts(anneeTerminale: 30, poursuite: 10)
        #expect(partial.emploi[6] == nil)
        #expect(partial.tauxEmploi(mois: 6).status == .nonDisponible)
        #expect(InsertionCounts.sum([InsertionCounts]()) == nil)
    }

    @Test("totals figure by figure: a cohort without its employment count stays in the further-study rate only")
    func totals() {
        // A: 30 in final year, 10 go on, 20 leave, 5 employed; B: 30, 12 go on, employment not published.
        let a = InsertionCounts(anneeTerminale: 30, poursuite: 10, emploi: [6: 5], sortants: 20)
        let b = InsertionCounts(anneeTerminale: 30, poursuite: 12, sortants: 18)
        let totals = FigureTotals([a, b])
        // poursuite: (10 + 12) / 60 = 36.7 % → 37 %; emploi: 5 / 20 = 25 % (B left out of both sides)
        #expect(totals.tauxPoursuite.percent == 37)
        #expect(totals.tauxEmploi(mois: 6).numerator == 5 && totals.tauxEmploi(mois: 6).denominator == 20)
        #expect(totals.tauxEmploi(mois: 6).percent == 25)
        // devenir favorable needs both counts: only A, (10 + 5) / 30 = 50 %
        #expect(totals.devenirFavorable.percent == 50)
        #expect(totals.cohorts == 2)
        // The threshold applies to the sum: 12 + 9 = 21 leavers, 6 + 5 employed → 11/21 = 52 %
        let small = FigureTotals([InsertionCounts(anneeTerminale: 15, poursuite: 3, emploi: [6: 6], sortants: 12),
                                  InsertionCounts(anneeTerminale: 10, poursuite: 1, emploi: [6: 5], sortants: 9)])
        #expect(small.tauxEmploi(mois: 6).percent == 52)
        #expect(FigureTotals().tauxPoursuite.status == .nonDisponible)
    }

    @Test("quadrant against the regional averages; equal counts as above; a missing or hidden rate is « hors quadrant »")
    func quadrant() {
        #expect(Quadrant.of(tauxEmploi: 60, tauxPoursuite: 40, moyenneEmploi: 50, moyennePoursuite: 30) == .q1)
        #expect(Quadrant.of(tauxEmploi: 60, tauxPoursuite: 20, moyenneEmploi: 50, moyennePoursuite: 30) == .q2)
        #expect(Quadrant.of(tauxEmploi: 40, tauxPoursuite: 40, moyenneEmploi: 50, moyennePoursuite: 30) == .q3)
        #expect(Quadrant.of(tauxEmploi: 40, tauxPoursuite: 20, moyenneEmploi: 50, moyennePoursuite: 30) == .q4)
        #expect(Quadrant.of(tauxEmploi: 50, tauxPoursuite: 30, moyenneEmploi: 50, moyennePoursuite: 30) == .q1)
        #expect(Quadrant.of(tauxEmploi: nil, tauxPoursuite: 30, moyenneEmploi: 50, moyennePoursuite: 30) == .horsQuadrant)
        // From counts: the formation 9/21 = 43 % emploi, 31/52 = 60 % poursuite; the région 300/500 = 60 %, 500/1000 = 50 %
        let region = FigureTotals(InsertionCounts(anneeTerminale: 1000, poursuite: 500, emploi: [6: 300], sortants: 500))
        #expect(Quadrant.of(real, regional: region) == .q3)
        // 10 leavers: the employment rate is hidden, so the formation is not placed.
        let small = InsertionCounts(anneeTerminale: 40, poursuite: 30, emploi: [6: 8], sortants: 10)
        #expect(Quadrant.of(small, regional: region) == .horsQuadrant)
    }

    @Test("figures carry over along one-to-one BCN links, tagged, and never replace a diploma's own figures")
    func carryOver() {
        // A → B one-to-one; C split into D and E; F and G merged into H
        let lineage = DiplomaLineage(links: [("AAAAAAAA", "BBBBBBBB"), ("CCCCCCCC", "DDDDDDDD"), ("CCCCCCCC", "EEEEEEEE"),
                                             ("FFFFFFFF", "HHHHHHHH"), ("GGGGGGGG", "HHHHHHHH")])
        let own = ["AAAAAAAA": 70, "CCCCCCCC": 50, "FFFFFFFF": 40, "GGGGGGGG": 30]
        let b = lineage.figures(of: "BBBBBBBB") { own[$0] }
        #expect(b?.value == 70 && b?.origin == .ancienDiplome(cfd: "AAAAAAAA"))
        #expect(b?.origin.label == "chiffres du diplôme précédent (CFD AAAAAAAA)")
        // Own figures win.
        let withOwn = ["AAAAAAAA": 70, "BBBBBBBB": 55]
        #expect(lineage.figures(of: "BBBBBBBB") { withOwn[$0] }?.value == 55)
        #expect(lineage.figures(of: "BBBBBBBB") { withOwn[$0] }?.origin == .propre)
        // Split or merged: no single heir, nothing carried.
        #expect(lineage.figures(of: "DDDDDDDD") { own[$0] } == nil)
        #expect(lineage.figures(of: "HHHHHHHH") { own[$0] } == nil)
        // The former diploma may take the figures of its successor when it has none.
        let onlyNew = ["BBBBBBBB": 64]
        let a = lineage.figures(of: "AAAAAAAA") { onlyNew[$0] }
        #expect(a?.value == 64 && a?.origin == .nouveauDiplome(cfd: "BBBBBBBB"))
    }

    @Test("millésimes: « 2022_2023 », from a DEPP file name, refused when the years do not follow")
    func millesimes() {
        #expect(Millesime("2022_2023")?.firstYear == 2022)
        #expect(Millesime("2022-2023")?.description == "2022_2023")
        #expect(Millesime("2022_2024") == nil)
        #expect(Millesime("22_23") == nil)
        #expect(Millesime(fileName: "depp-2022-etablissements-2022_2023-pro.csv") == Millesime("2022_2023"))
        #expect(Millesime(fileName: "/tmp/depp-2021-etablissements-2020_2021-apprentissage.csv") == Millesime("2020_2021"))
        #expect(Millesime(fileName: "etablissements.csv") == nil)
        #expect(Millesime("2021_2022")! < Millesime("2022_2023")!)
    }
}
