import CMQDomain
import Foundation
import Testing

@Suite("Ma réussite pro: the contest's calendar, scoring grid, ranking, medals, national round and public prize")
struct ContestRulesTests {
    static func day(_ text: String) -> Date { ISO8601DateFormatter().date(from: text + "T12:00:00Z")! }
    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }

    static let grid = try! ScoringGrid([
        ScoringCriterion(code: "message", label: "Force du message", weight: 3, maximum: 20),
        ScoringCriterion(code: "realisation", label: "Réalisation", weight: 1, maximum: 10),
    ])

    @Test("the calendar's dates come in order, and say the phase and whether the vote is open")
    func calendar() throws {
        let calendar = try ContestCalendar(submissionsOpen: Self.day("2027-01-04"), submissionsClose: Self.day("2027-03-15"),
                                           academieJuryClose: Self.day("2027-04-15"), nationalJuryClose: Self.day("2027-05-15"),
                                           voteOpen: Self.day("2027-04-01"), voteClose: Self.day("2027-05-01"), results: Self.day("2027-05-20"))
        #expect(calendar.phase(at: Self.day("2027-01-01")) == .avantDepots)
        #expect(calendar.phase(at: Self.day("2027-02-01")) == .depots)
        #expect(calendar.phase(at: Self.day("2027-04-01")) == .juryAcademique)
        #expect(calendar.phase(at: Self.day("2027-05-01")) == .juryNational)
        #expect(calendar.phase(at: Self.day("2027-05-17")) == .deliberation)
        #expect(calendar.phase(at: Self.day("2027-05-20")) == .resultats)
        #expect(calendar.voteIsOpen(at: Self.day("2027-04-10")) && !calendar.voteIsOpen(at: Self.day("2027-05-01")))
        #expect(throws: ContestError.invalidCalendar("Le jury académique siège après la clôture des dépôts.")) {
            try ContestCalendar(submissionsOpen: Self.day("2027-01-04"), submissionsClose: Self.day("2027-03-15"),
                                academieJuryClose: Self.day("2027-03-01"), nationalJuryClose: Self.day("2027-05-15"),
                                voteOpen: Self.day("2027-04-01"), voteClose: Self.day("2027-05-01"), results: Self.day("2027-05-20"))
        }
        #expect(throws: ContestError.self) {
            try ContestCalendar(submissionsOpen: Self.day("2027-01-04"), submissionsClose: Self.day("2027-03-15"),
                                academieJuryClose: Self.day("2027-04-15"), nationalJuryClose: Self.day("2027-05-15"),
                                voteOpen: Self.day("2027-04-01"), voteClose: Self.day("2027-06-01"), results: Self.day("2027-05-20"))
        }
    }

    @Test("a juror's total is the weighted mean of their marks brought to 20; every criterion marked, within its range")
    func scoring() throws {
        // (3 × 16/20 + 1 × 5/10) / 4 × 20 = (2.4 + 0.5) / 4 × 20 = 14.5
        #expect(try Self.grid.total(["message": 16, "realisation": 5]) == 14.5)
        #expect(try Self.grid.total(["message": 20, "realisation": 10]) == 20)
        #expect(try Self.grid.total(["message": 0, "realisation": 0]) == 0)
        #expect(throws: ContestError.invalidScore("Notez le critère « Réalisation ».")) { try Self.grid.total(["message": 16]) }
        #expect(throws: ContestError.invalidScore("La note du critère « Réalisation » va de 0 à 10.")) { try Self.grid.total(["message": 16, "realisation": 11]) }
        #expect(throws: ContestError.invalidScore("La note du critère « Force du message » va de 0 à 20.")) { try Self.grid.total(["message": -1, "realisation": 1]) }
        #expect(throws: ContestError.invalidScore("« humour » n'est pas un critère de la grille.")) {
            try Self.grid.total(["message": 1, "realisation": 1, "humour": 3])
        }
    }

    @Test("a grid has 1 to 20 criteria with distinct codes, weights 1 to 10 and maxima 1 to 100")
    func gridRules() {
        #expect(throws: ContestError.self) { try ScoringGrid([]) }
        #expect(throws: ContestError.invalidGrid("Deux critères de la grille ont le même code.")) {
            try ScoringGrid([ScoringCriterion(code: "a", label: "A", weight: 1, maximum: 10), ScoringCriterion(code: "a", label: "B", weight: 1, maximum: 10)])
        }
        #expect(throws: ContestError.self) { try ScoringGrid([ScoringCriterion(code: "a", label: "A", weight: 0, maximum: 10)]) }
        #expect(throws: ContestError.self) { try ScoringGrid([ScoringCriterion(code: "a", label: "A", weight: 11, maximum: 10)]) }
        #expect(throws: ContestError.self) { try ScoringGrid([ScoringCriterion(code: "a", label: "A", weight: 1, maximum: 0)]) }
    }

    @Test("the ranking takes each entry's mean of its jurors' totals; equal means share their rank and medal; Or, Argent, Bronze")
    func ranking() {
        let (a, b, c, d, e) = (Self.id(1), Self.id(2), Self.id(3), Self.id(4), Self.id(5))
        let (j1, j2) = (Self.id(101), Self.id(102))
        let scores = [
            ContestRanking.Score(entry: a, juror: j1, total: 15), ContestRanking.Score(entry: a, juror: j2, total: 17),   // 16
            ContestRanking.Score(entry: b, juror: j1, total: 18), ContestRanking.Score(entry: b, juror: j2, total: 14),   // 16
            ContestRanking.Score(entry: c, juror: j1, total: 12),                                                         // 12
            ContestRanking.Score(entry: d, juror: j1, total: 10), ContestRanking.Score(entry: d, juror: j2, total: 9),    // 9.5
        ]
        let ranked = ContestRanking.rank(scores)
        #expect(ranked.map(\.entry) == [a, b, c, d])
        #expect(ranked.map(\.rank) == [1, 1, 3, 4])
        #expect(ranked.map(\.medal) == [.or, .or, .bronze, nil])
        #expect(ranked.map(\.mean) == [16, 16, 12, 9.5])
        #expect(ranked[0].jurors == 2 && ranked[2].jurors == 1)
        #expect(!ranked.contains { $0.entry == e })
        // the first two ranks of an académie go to the national round; a tie at the last place goes too
        #expect(ContestRanking.qualified(ranked, places: 1) == [a, b])
        #expect(ContestRanking.qualified(ranked, places: 3) == [a, b, c])
        #expect(Medal.allCases.map(\.label) == ["Or", "Argent", "Bronze"])
    }

    @Test("the public prize goes to the most votes (all of them if tied), to nobody without a vote")
    func publicPrize() {
        let (a, b, c) = (Self.id(1), Self.id(2), Self.id(3))
        #expect(ContestRanking.publicPrize([a: 12, b: 30, c: 4]) == [b])
        #expect(ContestRanking.publicPrize([a: 30, b: 30, c: 4]) == [a, b])
        #expect(ContestRanking.publicPrize([a: 0]).isEmpty)
        #expect(ContestRanking.publicPrize([:]).isEmpty)
    }
}
