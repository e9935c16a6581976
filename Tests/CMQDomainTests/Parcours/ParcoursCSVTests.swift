import CMQDomain
import Foundation
import Testing

@Suite("Pathways CSV")
struct ParcoursCSVTests {
    let header = "ine;annee_scolaire;uai;code_formation;statut;issue\n"

    @Test("the example file reads without a fault")
    func example() throws {
        let reading = try ParcoursCSV.read(ParcoursCSV.example(), uai: "0020079A")
        #expect(reading.errors.isEmpty)
        #expect(reading.rows.count == 5)
        #expect(reading.year == SchoolYear(start: 2024))
        #expect(reading.rows.map(\.issue) == [.diplome, .poursuite, .ruptureContrat, nil, .abandon])
    }

    @Test("columns in another order, a comma, French words for the issue")
    func lenient() throws {
        let text = "statut,ine,uai,annee_scolaire,code_formation,issue\nApprenti,123456789AB,0020079A,2023-2024,32033422,Rupture de contrat\n"
        let reading = try ParcoursCSV.read(text, uai: "0020079A")
        #expect(reading.errors.isEmpty)
        #expect(reading.rows.first?.statut == .apprenti)
        #expect(reading.rows.first?.issue == .ruptureContrat)
        #expect(reading.rows.first?.formation == "32033422")
    }

    @Test("every bad line is reported with its number")
    func badLines() throws {
        let text = header
            + "1234567890V;2024-2025;0020079A;40025214;scolaire;diplome\n"    // 2: fine
            + "1234567890A;2024-2025;0020079A;40025214;scolaire;\n"           // 3: wrong BEA key
            + "123456789AB;2024-2026;0020079A;40025214;scolaire;\n"           // 4: years that do not follow
            + "2019A12345K;2024-2025;0622801H;40025214;scolaire;\n"           // 5: another establishment
            + "01234567895;2024-2025;0020079A;4002;lyceen;parti\n"            // 6: formation, status, issue
            + "1234567890V;2024-2025;0020079A;40025214;apprenti;\n"           // 7: same learner, same formation
            + "0000000001B;2023-2024;0020079A;40025214;scolaire;\n"           // 8: another school year
            + "0000000023A;2024-2025;0020079A\n"                             // 9: short line
        let reading = try ParcoursCSV.read(text, uai: "0020079A")
        #expect(reading.rows.map(\.line) == [2])
        #expect(reading.errors.map(\.line) == [3, 4, 5, 6, 7, 8, 9])
        #expect(reading.errors[0].message.contains("lettre clé"))
        #expect(reading.errors[1].message.contains("année scolaire"))
        #expect(reading.errors[2].message.contains("0020079A"))
        #expect(reading.errors[3].message.contains("code de formation") && reading.errors[3].message.contains("statut") && reading.errors[3].message.contains("issue"))
        #expect(reading.errors[4].message.contains("ligne 2"))
        #expect(reading.errors[5].message.contains("un fichier par année"))
        #expect(reading.errors[6].message.contains("3 colonne(s) au lieu de 6"))
        // no INE in any message
        #expect(reading.errors.allSatisfy { !$0.message.contains("1234567890") })
    }

    @Test("a file with other columns (a name, a birth date) is refused as a whole")
    func extraColumns() {
        let text = "ine;nom;date_naissance;annee_scolaire;uai;code_formation;statut;issue\n1234567890V;Dupont;2007-01-02;2024-2025;0020079A;40025214;scolaire;\n"
        #expect(throws: ParcoursCSV.FileError.self) { try ParcoursCSV.read(text, uai: "0020079A") }
        do { _ = try ParcoursCSV.read(text, uai: "0020079A") } catch { #expect(error.description.contains("nom, date_naissance")) }
    }

    @Test("a file without lines or without the columns is refused")
    func emptyOrWrong() {
        #expect(throws: ParcoursCSV.FileError.self) { try ParcoursCSV.read(header, uai: "0020079A") }
        #expect(throws: ParcoursCSV.FileError.self) { try ParcoursCSV.read("a;b\n1;2\n", uai: "0020079A") }
    }

    @Test("school years")
    func schoolYears() {
        #expect(SchoolYear("2024-2025")?.start == 2024)
        #expect(SchoolYear("2024-2024") == nil)
        #expect(SchoolYear("1999-2000") == nil)
        #expect(SchoolYear("24-25") == nil)
        #expect(SchoolYear(start: 2024).description == "2024-2025")
    }
}

@Suite("Pathway flows")
struct ParcoursFlowsTests {
    let a = ParcoursNode(uai: "0020079A", formation: "40025214", statut: .scolaire)
    let b = ParcoursNode(uai: "0021234B", formation: "32033422", statut: .apprenti)

    func step(_ learner: String, _ year: Int, _ node: ParcoursNode, _ issue: ParcoursIssue?) -> ParcoursStep {
        ParcoursStep(learner: learner, year: SchoolYear(start: year), uai: node.uai, formation: node.formation, statut: node.statut, issue: issue)
    }

    var steps: [ParcoursStep] {
        [
            step("a", 2022, a, .poursuite), step("a", 2023, b, nil),               // bac pro scolaire at A → BTS apprenti at B, then lost
            step("b", 2022, a, .diplome),                                          // graduated and left
            step("c", 2022, a, nil),                                               // lost from sight
            step("d", 2022, a, .poursuite),                                        // continues outside the network
            step("e", 2022, a, .abandon), step("e", 2022, b, nil), step("e", 2023, b, .diplome), // two steps in 2022: placed at B
            step("f", 2023, b, nil),                                               // entrant in 2023
            step("g", 2023, a, .poursuite), step("g", 2024, a, nil),               // continues at A
        ]
    }

    @Test("places, transitions, continuation in and outside the network, status changes, losses (counted by hand)")
    func flows() {
        let flows = ParcoursFlows(steps: steps)
        #expect(flows.years.map(\.start) == [2022, 2023, 2024])
        #expect(flows.nodes[SchoolYear(start: 2022)] == [a: 4, b: 1])
        #expect(flows.nodes[SchoolYear(start: 2023)] == [b: 3, a: 1])
        #expect(flows.transitions.count == 2)

        let first = flows.transitions[0]
        #expect(first.learners == 5)
        #expect(first.continuingInNetwork == 2)     // a (A → B), e (B → B)
        #expect(first.continuingOutside == 1)       // d
        #expect(first.exits == [.diplome: 1, .perduDeVue: 1, .poursuiteHorsReseau: 1])
        #expect(first.statusChanges == [ParcoursFlows.StatusChange(from: .scolaire, to: .apprenti): 1])
        #expect(first.entrants == [b: 1, a: 1])     // f, g
        #expect(first.lossesByUAI == ["0020079A": 1]) // c
        #expect(first.links.contains(ParcoursFlows.Link(from: a, to: .node(b), count: 1)))
        #expect(first.links.contains(ParcoursFlows.Link(from: b, to: .node(b), count: 1)))

        let second = flows.transitions[1]
        #expect(second.learners == 4)               // a, e, f at B; g at A
        #expect(second.continuingInNetwork == 1)    // g
        #expect(second.exits == [.perduDeVue: 2, .diplome: 1])
        #expect(second.lossesByUAI == ["0021234B": 2])
    }

    @Test("the last school year has no transition; one year alone has none")
    func lastYear() {
        #expect(ParcoursFlows(steps: [step("a", 2024, a, nil)]).transitions.isEmpty)
        #expect(ParcoursFlows(steps: []).years.isEmpty)
    }

    @Test("a gap year counts as an exit, the return as an entrant")
    func gap() {
        let flows = ParcoursFlows(steps: [step("a", 2022, a, nil), step("z", 2023, b, nil), step("a", 2024, a, nil)])
        #expect(flows.transitions[0].exits == [.perduDeVue: 1])
        #expect(flows.transitions[1].entrants == [a: 1])
    }
}

@Suite("Statistical masking")
struct StatisticalMaskingTests {
    @Test("thresholds: 5 inside, 20 in public")
    func thresholds() {
        #expect(DisclosureAudience.interne.threshold == 5)
        #expect(DisclosureAudience.public_.threshold == 20)
    }

    @Test("a row total minus the one small cell would give it back: the next smallest cell of the row is masked too")
    func rowComplement() {
        // row total 18, column totals 2, 7, 9: the 2 is small; 18 − 7 − 9 would give it back
        let table = MaskedTable([[2, 7, 9]], threshold: 5)
        #expect(table.cells == [[.primary, .secondary, .shown]])
        // the column total of the 7 would give the 7 back: masked too, and the small column total is primary
        #expect(table.columnTotals == [.primary, .secondary, .shown])
        #expect(table.rowTotals == [.shown])
        #expect(table.grandTotal == .shown)
    }

    @Test("rows and columns: masking spreads until no sum has a single masked member")
    func spreads() {
        // [[3, 10], [6, 8]]: totals 13, 14 / 9, 18 / 27
        let table = MaskedTable([[3, 10], [6, 8]], threshold: 5)
        #expect(table.cells == [[.primary, .secondary], [.secondary, .secondary]])
        #expect(table.rowTotals == [.shown, .shown])
        #expect(table.columnTotals == [.shown, .shown])
    }

    @Test("nothing small, nothing masked; zeros are shown")
    func nothingMasked() {
        let table = MaskedTable([[0, 10], [6, 8]], threshold: 5)
        #expect(table.cells.allSatisfy { $0.allSatisfy { $0 == .shown } })
    }

    @Test("a lone small count: the cell and its totals are primary, nothing else to hide")
    func lone() {
        let table = MaskedTable([[3, 0]], threshold: 5)
        #expect(table.cells == [[.primary, .shown]])
        #expect(table.rowTotals == [.primary])
        #expect(table.grandTotal == .primary)
    }

    @Test("the public threshold masks what the internal one shows")
    func publicThreshold() {
        #expect(MaskedTable([[12, 30]], threshold: 5).cells == [[.shown, .shown]])
        #expect(MaskedTable([[12, 30]], threshold: 20).cells == [[.primary, .secondary]])
    }

    @Test("a total another table masks is masked here too, and its row is complemented")
    func forcedTotals() {
        // nothing small: all shown; the first row's total masked elsewhere → masked here, and the row total and grand
        // total would give it back: the margin sum masks the smallest other row total (12)
        let table = MaskedTable([[10, 20], [5, 7]], threshold: 5, maskedRowTotals: [0])
        #expect(table.rowTotals == [.secondary, .secondary])
        #expect(table.cells.flatMap { $0 }.filter(\.isMasked).count >= 2)
        #expect(MaskedTable([[10, 20], [5, 7]], threshold: 5).rowTotals == [.shown, .shown])
    }

    @Test("a table without rows still has its columns' totals")
    func noRows() {
        let table = MaskedTable([], columnCount: 3, threshold: 5)
        #expect(table.columnTotals == [.shown, .shown, .shown])
        #expect(table.cells.isEmpty && table.grandTotal == .shown)
    }

    @Test("a masked count is text, never its number")
    func text() {
        #expect(PublishedCount(3, state: .primary, threshold: 5).text == "< 5")
        #expect(PublishedCount(3, state: .primary, threshold: 5).value == nil)
        #expect(PublishedCount(12, state: .secondary, threshold: 5).text == "secret")
        #expect(PublishedCount(alone: 19, threshold: 20).text == "< 20")
        #expect(PublishedCount(alone: 0, threshold: 20).text == "0")
    }
}
