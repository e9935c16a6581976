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

@Suite("Catalogue vocabulary")
struct CatalogueVocabularyTests {
    @Test("LHEO dict-niveaux codes 13 to 18 are the levels 3 to 8")
    func lheoLevels() {
        #expect(Level.allCases.map(LHEOLevel.code(for:)) == [13, 14, 15, 16, 17, 18])
        #expect(LHEOLevel.level(forCode: 16) == .niveau6)
        #expect(LHEOLevel.level(forCode: 12) == nil)
    }

    @Test("ROME codes: a letter and four digits, real codes of rome.csv accepted")
    func rome() throws {
        #expect(try ROMECode("A1101").value == "A1101")
        #expect(try ROMECode(" h2903 ").value == "H2903")
        #expect(throws: IdentifierError.self) { try ROMECode("H290") }
        #expect(throws: IdentifierError.self) { try ROMECode("12903") }
    }
}
