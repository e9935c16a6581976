import CMQDomain
import Testing

/// A millésime's table: a diploma's figures in its région, the regional average of its kind, a campus's sums.
@Suite("Insertion: table by région and formation, campus consolidation")
struct InsertionTableTests {
    // Région 32: CAP 50022510 by apprenticeship; bac pro 40022503 at school (two MEFSTAT11) and by apprenticeship;
    // bac pro 40025411 renewed from 40025410 (one-to-one). Région 11: the same CAP.
    static let table = InsertionTable(
        millesime: Millesime("2022_2023")!,
        rows: [
            .init(regionCode: "32", voie: .apprentissage, code: "50022510"): InsertionCounts(anneeTerminale: 40, poursuite: 10, emploi: [6: 18], sortants: 30),
            .init(regionCode: "32", voie: .scolaire, code: "24722503001"): InsertionCounts(anneeTerminale: 30, poursuite: 15, emploi: [6: 5], sortants: 15),
            .init(regionCode: "32", voie: .scolaire, code: "24722503002"): InsertionCounts(anneeTerminale: 10, poursuite: 5, emploi: [6: 1], sortants: 5),
            .init(regionCode: "32", voie: .apprentissage, code: "40022503"): InsertionCounts(anneeTerminale: 12, poursuite: 2, emploi: [6: 7], sortants: 10),
            .init(regionCode: "32", voie: .scolaire, code: "24725410001"): InsertionCounts(anneeTerminale: 60, poursuite: 30, emploi: [6: 15], sortants: 30),
            .init(regionCode: "11", voie: .apprentissage, code: "50022510"): InsertionCounts(anneeTerminale: 100, poursuite: 20, emploi: [6: 40], sortants: 80),
        ],
        mefToCFD: ["24722503001": "40022503", "24722503002": "40022503", "24725410001": "40025410"],
        lineage: DiplomaLineage(links: [("40025410", "40025411")]))

    @Test("a diploma at school adds its MEFSTAT11: (15 + 5) / (30 + 10) = 50 % further study")
    func own() {
        let counts = Self.table.own(cfd: "40022503", regionCode: "32", voie: .scolaire)
        #expect(counts?.anneeTerminale == 40)
        #expect(counts?.tauxPoursuite.percent == 50)
        #expect(Self.table.own(cfd: "40022503", regionCode: "11", voie: .scolaire) == nil)
    }

    @Test("a renewed diploma takes its former diploma's figures, tagged")
    func carried() {
        let found = Self.table.figures(cfd: "40025411", regionCode: "32", voie: .scolaire)
        #expect(found?.origin == .ancienDiplome(cfd: "40025410"))
        #expect(found?.counts.anneeTerminale == 60)
    }

    @Test("regional and national totals by kind of diploma; the quadrant against the région's average")
    func totals() {
        // bac pro ("400") at school in région 32: (15 + 5 + 30) / (30 + 10 + 60) = 50 % further study; 21/50 = 42 % employment
        let bacPro = Self.table.total(niveau: "400", regionCode: "32", voie: .scolaire)
        #expect(bacPro.tauxPoursuite.percent == 50)
        #expect(bacPro.tauxEmploi(mois: 6).percent == 42)
        // The nation's CAP by apprenticeship: (18 + 40) / (30 + 80) = 52.7 % → 53 %
        #expect(Self.table.total(niveau: "500", regionCode: nil, voie: .apprentissage).tauxEmploi(mois: 6).percent == 53)
        // 40022503 at school: 6/20 = 30 % employment (< 42), 50 % further study (≥ 50): Q3
        let counts = Self.table.own(cfd: "40022503", regionCode: "32", voie: .scolaire)!
        #expect(Self.table.quadrant(of: counts, cfd: "40022503", regionCode: "32", voie: .scolaire) == .q3)
    }

    @Test("a campus counts each diploma once per région and voie, then applies the threshold to the sums")
    func campus() {
        // Two members give the CAP in région 32 by apprenticeship: it counts once. One formation has no CFD,
        // one is not published in its région.
        let items = [
            CampusConsolidation.Item(cfd: "50022510", regionCode: "32", voies: [.apprentissage]),
            CampusConsolidation.Item(cfd: "50022510", regionCode: "32", voies: [.apprentissage]),
            CampusConsolidation.Item(cfd: "40022503", regionCode: "32", voies: [.apprentissage]),
            CampusConsolidation.Item(cfd: nil, regionCode: "32", voies: [.scolaire]),
            CampusConsolidation.Item(cfd: "40025411", regionCode: "11", voies: [.scolaire]),
        ]
        let campus = CampusConsolidation(items: items, table: Self.table)
        // CAP: 18/30 = 60 %; bac pro by apprenticeship: 12 in final year, 10 leavers: hidden alone
        #expect(campus.groups.count == 2)
        let bacPro = campus.groups.first { $0.niveau == "400" }!
        #expect(bacPro.totals.tauxEmploi(mois: 6).status == .effectifInsuffisant)
        // Together: (18 + 7) / (30 + 10) = 62.5 % → 63 %; devenir favorable (10 + 18 + 2 + 7) / 52 = 71 %
        #expect(campus.total.tauxEmploi(mois: 6).percent == 63)
        #expect(campus.total.devenirFavorable.percent == 71)
        #expect(campus.counted.count == 2)
        let missing = campus.outcomes.compactMap { outcome -> CampusConsolidation.Missing? in
            if case .failure(let reason) = outcome.result { return reason.reason }
            return nil
        }
        #expect(missing == [.sansCFD, .absente])
    }
}
