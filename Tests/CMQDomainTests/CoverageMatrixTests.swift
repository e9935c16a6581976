import CMQDomain
import Testing

@Suite("Coverage of the training offer")
struct CoverageMatrixTests {
    @Test("each formation counts in the cell of its exit level for each status it is offered under")
    func counts() {
        let matrix = CoverageMatrix(offers: [
            .init(level: .niveau3, statuses: [.scolaire, .apprenti]),
            .init(level: .niveau3, statuses: [.scolaire]),
            .init(level: .niveau5, statuses: [.etudiant]),
        ])
        #expect(matrix.count(.niveau3, .scolaire) == 2)
        #expect(matrix.count(.niveau3, .apprenti) == 1)
        #expect(matrix.count(.niveau4, .scolaire) == 0)
        #expect(matrix.total(.niveau3) == 3)
    }

    @Test("gaps are named in French; an empty level is named once")
    func gaps() {
        let matrix = CoverageMatrix(offers: [.init(level: .niveau6, statuses: [.etudiant, .scolaire, .formationContinue])])
        #expect(matrix.gaps.contains("aucune formation de niveau 6 en apprentissage"))
        #expect(matrix.gaps.contains("aucune formation de niveau 3"))
        #expect(!matrix.gaps.contains("aucune formation de niveau 6 sous statut étudiant"))
        #expect(matrix.gaps.count == 5 + 1)
    }

    @Test("an offer from level 3 to level 6 needs each of the levels 3, 4, 5 and 6")
    func levels3To6() {
        let full = CoverageMatrix(offers: [Level.niveau3, .niveau4, .niveau5, .niveau6].map { .init(level: $0, statuses: [.scolaire]) })
        #expect(full.coversLevel3To6)
        let hole = CoverageMatrix(offers: [Level.niveau3, .niveau4, .niveau6, .niveau7].map { .init(level: $0, statuses: [.apprenti]) })
        #expect(!hole.coversLevel3To6)
        #expect(hole.missingLevelsUpTo6 == [.niveau5])
    }
}
