import CMQDomain
import Testing

@Suite("Labelling expertise: scores and their synthesis")
struct LabellingSynthesisTests {
    typealias F = LabellingFixtures

    func close(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) < 1e-12
    }

    /// Three experts on the 2019 grid:
    ///
    /// | criterion | e1 | e2 | e3 | mean | range | σ |
    /// |---|---|---|---|---|---|---|
    /// | ancrage-economique | 4 | 3 | 2 | 3 | 2 | √(2/3) |
    /// | insertion-poursuite-etudes | 2 | 2 | 3 | 7/3 | 1 | √2/3 |
    /// | attractivite-metiers | 4 | 4 | 4 | 4 | 0 | 0 |
    /// | transitions-numerique-ecologique | 1 | – | – | 1 | 0 | 0 |
    /// | organisation-du-reseau (4 criteria) | 2 | 2 | 2 | 2 | 0 | 0 |
    /// | continuum-parcours | 0 | 4 | – | 2 | 4 | 2 |
    /// | the 3 other projet-pedagogique criteria | 3 | 3 | 3 | 3 | 0 | 0 |
    ///
    /// Family means: objectifs (3 + 7/3 + 4 + 1) / 4 = 31/12; réseau 2; projet (2 + 3 + 3 + 3) / 4 = 11/4.
    /// Overall: (31/12 + 2 + 11/4) / 3 = 22/9.
    func example() throws -> LabelDossier {
        var dossier = try F.draft(F.r2019)
        try F.apply(&dossier, .depot(date: F.day("2022-01-10")))
        try F.apply(&dossier, .avis(F.avis(.caen, "2022-02-01")))
        try F.apply(&dossier, .avis(F.avis(.crefop, "2022-02-01")))
        func score(_ expert: String, _ critere: String, _ note: Int) throws {
            try dossier.record(Evaluation(expert: expert, critere: critere, note: note, commentaire: ""))
        }
        try score("e1", "ancrage-economique", 1) // scored again below: the later score replaces it
        for (critere, notes) in [("ancrage-economique", [4, 3, 2]), ("insertion-poursuite-etudes", [2, 2, 3]), ("attractivite-metiers", [4, 4, 4])] {
            for (expert, note) in zip(["e1", "e2", "e3"], notes) { try score(expert, critere, note) }
        }
        try score("e1", "transitions-numerique-ecologique", 1)
        for critere in F.r2019.familles[1].criteres.map(\.code) {
            for expert in ["e1", "e2", "e3"] { try score(expert, critere, 2) }
        }
        try score("e1", "continuum-parcours", 0)
        try score("e2", "continuum-parcours", 4)
        for critere in F.r2019.familles[2].criteres.dropFirst().map(\.code) {
            for expert in ["e1", "e2", "e3"] { try score(expert, critere, 3) }
        }
        return dossier
    }

    @Test("mean, range and population standard deviation per criterion")
    func perCriterion() throws {
        let synthesis = try example().synthesis
        let ancrage = try #require(synthesis.line(critere: "ancrage-economique"))
        #expect(ancrage.notes == [4, 3, 2])
        #expect(ancrage.mean == 3)
        #expect(ancrage.range == 2)
        #expect(close(ancrage.standardDeviation, (2.0 / 3.0).squareRoot()))
        let insertion = try #require(synthesis.line(critere: "insertion-poursuite-etudes"))
        #expect(insertion.mean == 7.0 / 3.0)
        #expect(insertion.range == 1)
        #expect(close(insertion.standardDeviation, 2.0.squareRoot() / 3.0))
        let continuum = try #require(synthesis.line(critere: "continuum-parcours"))
        #expect(continuum.count == 2)
        #expect(continuum.mean == 2)
        #expect(continuum.range == 4)
        #expect(continuum.standardDeviation == 2)
        #expect(synthesis.line(critere: "attractivite-metiers")?.standardDeviation == 0)
        #expect(synthesis.experts == ["e1", "e2", "e3"])
    }

    @Test("the family mean is the mean of its criteria's means; the overall mean the mean of the families")
    func perFamily() throws {
        let synthesis = try example().synthesis
        #expect(close(synthesis.line(famille: "objectifs-strategiques")?.mean, 31.0 / 12.0))
        #expect(synthesis.line(famille: "organisation-du-reseau")?.mean == 2)
        #expect(synthesis.line(famille: "projet-pedagogique")?.mean == 11.0 / 4.0)
        #expect(close(synthesis.overallMean, 22.0 / 9.0))
        #expect(ExpertSynthesis.display(synthesis.line(famille: "objectifs-strategiques")?.mean) == "2,58")
        #expect(ExpertSynthesis.display(synthesis.overallMean) == "2,44")
        #expect(synthesis.unscoredCriteria.isEmpty)
    }

    @Test("display: two decimals with a comma, a dash when nothing is scored")
    func display() {
        #expect(ExpertSynthesis.display(7.0 / 3.0) == "2,33")
        #expect(ExpertSynthesis.display(2) == "2,00")
        #expect(ExpertSynthesis.display(0.005) == "0,01")
        #expect(ExpertSynthesis.display(4) == "4,00")
        #expect(ExpertSynthesis.display(nil) == "—")
    }

    @Test("an empty synthesis has no means and lists every criterion as unscored")
    func empty() {
        let synthesis = ExpertSynthesis(referentiel: F.r2014, evaluations: [])
        #expect(synthesis.criteria.count == 6)
        #expect(synthesis.criteria.allSatisfy { $0.mean == nil && $0.range == nil && $0.standardDeviation == nil })
        #expect(synthesis.overallMean == nil)
        #expect(synthesis.unscoredCriteria.count == 6)
    }

    @Test("re-scoring a criterion replaces the expert's score")
    func rescoring() throws {
        let dossier = try example()
        #expect(dossier.evaluations.filter { $0.expert == "e1" && $0.critere == "ancrage-economique" }.map(\.note) == [4])
    }

    @Test("a score is from 0 to 4, by a named expert, on a criterion of the grid")
    func invalidScores() throws {
        var dossier = try example()
        #expect(throws: LabellingError.scoreOutOfRange(5)) { try dossier.record(Evaluation(expert: "e1", critere: "ancrage-economique", note: 5)) }
        #expect(throws: LabellingError.scoreOutOfRange(-1)) { try dossier.record(Evaluation(expert: "e1", critere: "ancrage-economique", note: -1)) }
        #expect(LabellingError.scoreOutOfRange(5).message == "La note 5 n'est pas valide : une note va de 0 à 4.")
        #expect(throws: LabellingError.unknownCriterion("organisation-partenariale", referentiel: "2019")) {
            try dossier.record(Evaluation(expert: "e1", critere: "organisation-partenariale", note: 2))
        }
        #expect(LabellingError.unknownCriterion("organisation-partenariale", referentiel: "2019").message
            == "Le critère « organisation-partenariale » ne fait pas partie de la grille du référentiel 2019.")
        #expect(throws: LabellingError.missingExpert) { try dossier.record(Evaluation(expert: "", critere: "ancrage-economique", note: 2)) }
        #expect(!LabellingError.scoreOutOfRange(5).isConflict)
        #expect(dossier.evaluations.count == 10 + 12 + 11)
    }
}
