import CMQDomain
import Testing

@Suite("Labelling: label periods, NOR, campus label status")
struct LabellingLabelTests {
    typealias F = LabellingFixtures

    @Test("a label runs from the decision date through the eve of its N-th anniversary", arguments: [
        ("2013-07-10", 4, "2017-07-09"),
        ("2020-01-01", 1, "2020-12-31"),
        ("2019-12-31", 2, "2021-12-30"),
        ("2022-09-01", 3, "2025-08-31"),
        ("2022-07-13", 5, "2027-07-12"),
        // Through a 29 February.
        ("2015-03-01", 1, "2016-02-29"),
        ("2023-03-01", 1, "2024-02-29"),
        ("2019-03-01", 5, "2024-02-29"),
        ("2024-02-28", 4, "2028-02-27"),
        ("1999-03-01", 1, "2000-02-29"),
        ("2099-03-01", 1, "2100-02-28"),
        // From a 29 February: always through 28 February.
        ("2016-02-29", 1, "2017-02-28"),
        ("2016-02-29", 2, "2018-02-28"),
        ("2016-02-29", 3, "2019-02-28"),
        ("2016-02-29", 4, "2020-02-28"),
        ("2016-02-29", 5, "2021-02-28"),
    ])
    func endDates(start: String, years: Int, end: String) {
        let period = LabelPeriod(start: F.day(start), durationYears: years)
        #expect(period.end == F.day(end))
        #expect(period.isValid(on: F.day(start)))
        #expect(period.isValid(on: F.day(end)))
        #expect(!period.isValid(on: F.day(end).nextDay))
        #expect(!period.isValid(on: F.day(start).previousDay))
    }

    @Test("every duration the 2019 référentiel allows is accepted, the others refused", arguments: 0...6)
    func durations2019(years: Int) {
        let decision = Decision.labellisation(date: F.day("2022-07-13"), durationYears: years)
        if (1...5).contains(years) {
            #expect(throws: Never.self) { try decision.validate(against: F.r2019, requested: .cmq) }
            #expect(decision.labelPeriod?.end == F.day("2022-07-12").adding(years: years))
        } else {
            #expect(throws: LabellingError.durationNotAllowed(years: years, minimum: 1, maximum: 5, referentiel: "2019")) {
                try decision.validate(against: F.r2019, requested: .cmq)
            }
        }
    }

    @Test("duration messages: over the maximum, under the minimum, other than the fixed duration")
    func durationMessages() {
        #expect(LabellingError.durationNotAllowed(years: 0, minimum: 1, maximum: 5, referentiel: "2019").message
            == "Dans le référentiel 2019, la durée de labellisation va de 1 an à 5 ans : une durée de 0 an n'est pas possible.")
        #expect(throws: LabellingError.durationNotAllowed(years: 3, minimum: 4, maximum: 4, referentiel: "2014")) {
            try F.r2014.checkDuration(3)
        }
    }

    @Test("a NOR is 4 letters, 2 digits of year, 5 digits and a letter")
    func nor() throws {
        let nor = try NOR("MENE1317532A")
        #expect(nor.value == "MENE1317532A")
        #expect(nor.ministere == "MEN")
        #expect(nor.year == 2013)
        #expect(nor.kindLetter == "A")
        #expect(try NOR(" mene 1317532 a ").value == "MENE1317532A")
        for bad in ["MEN1317532A", "MENE13175321", "1ENE1317532A", "MENE13X7532A", "MENE1317532AB", "MENÉ1317532A"] {
            #expect(throws: IdentifierError.self, "\(bad)") { try NOR(bad) }
        }
        #expect(throws: IdentifierError(.empty, "Le NOR est vide.")) { try NOR(" ") }
        do {
            _ = try NOR("MEN1317532A")
            Issue.record("an 11-character NOR should be refused")
        } catch {
            #expect(error.message == "Le NOR « MEN1317532A » doit comporter 12 caractères : 4 lettres, 2 chiffres pour l'année, 5 chiffres et une lettre (par exemple MENE1317532A).")
        }
    }

    @Test("a label is withdrawn during its validity, for a reason, once")
    func withdrawal() throws {
        let period = LabelPeriod(start: F.day("2013-07-10"), durationYears: 4)
        #expect(throws: LabellingError.missingReason(.retrait)) { try period.withdrawn(on: F.day("2015-01-01"), motif: "") }
        let outside = LabellingError.withdrawalOutsidePeriod(start: F.day("2013-07-10"), end: F.day("2017-07-09"))
        #expect(throws: outside) { try period.withdrawn(on: F.day("2017-07-10"), motif: "Inactivité") }
        #expect(outside.message == "Le retrait doit intervenir pendant la validité du label, du 10 juillet 2013 au 9 juillet 2017.")
        let withdrawn = try period.withdrawn(on: F.day("2015-01-01"), motif: " Inactivité du réseau ")
        #expect(withdrawn.withdrawal == Withdrawal(date: F.day("2015-01-01"), motif: "Inactivité du réseau"))
        #expect(withdrawn.isValid(on: F.day("2014-12-31")))
        #expect(!withdrawn.isValid(on: F.day("2015-01-01")))
        #expect(throws: LabellingError.alreadyWithdrawn) { try withdrawn.withdrawn(on: F.day("2015-02-01"), motif: "Encore") }
    }

    // MARK: - Campus label status

    let label2013 = LabelPeriod(start: LabellingFixtures.day("2013-07-10"), durationYears: 4)

    @Test("without a label: en projet, or dossier en instruction once submitted")
    func withoutLabel() {
        let today = F.day("2014-01-01")
        #expect(LabelStatus.of(labels: [], openDossier: nil, on: today) == .enProjet)
        #expect(LabelStatus.of(labels: [], openDossier: .brouillon, on: today) == .enProjet)
        #expect(LabelStatus.of(labels: [], openDossier: .refuse, on: today) == .enProjet)
        let instruction = LabelStatus.of(labels: [], openDossier: .enInstruction(etapes: ["avis-caen"]), on: today)
        #expect(instruction == .enInstruction)
        #expect(instruction.label == "dossier en instruction")
        #expect(instruction.slug == "en-instruction")
        #expect(LabelStatus.enProjet.label == "en projet")
    }

    @Test("labelled through the end date, with a renewal in progress when a dossier is open")
    func labelled() {
        let status = LabelStatus.of(labels: [label2013], openDossier: nil, on: F.day("2017-07-09"))
        #expect(status == .labellise(until: F.day("2017-07-09"), excellence: false, renewalInProgress: false))
        #expect(status.label == "labellisé jusqu'au 9 juillet 2017")
        #expect(status.slug == "labellise")
        let renewing = LabelStatus.of(labels: [label2013], openDossier: .enInstruction(etapes: ["expertise"]), on: F.day("2017-03-01"))
        #expect(renewing == .labellise(until: F.day("2017-07-09"), excellence: false, renewalInProgress: true))
        let excellence = LabelStatus.of(labels: [LabelPeriod(start: F.day("2022-07-13"), durationYears: 5, excellence: true)], openDossier: nil, on: F.day("2023-01-01"))
        #expect(excellence.slug == "excellence")
        #expect(excellence.label == "labellisé Excellence jusqu'au 12 juillet 2027")
    }

    @Test("a renewal decided before expiry runs on: the latest end is shown")
    func renewed() {
        let renewal = LabelPeriod(start: F.day("2017-06-01"), durationYears: 4)
        let status = LabelStatus.of(labels: [label2013, renewal], openDossier: nil, on: F.day("2017-07-01"))
        #expect(status == .labellise(until: F.day("2021-05-31"), excellence: false, renewalInProgress: false))
    }

    @Test("after the end: expired, unless a new dossier is in instruction")
    func expired() {
        let status = LabelStatus.of(labels: [label2013], openDossier: nil, on: F.day("2017-07-10"))
        #expect(status == .expire(on: F.day("2017-07-09")))
        #expect(status.label == "label expiré le 9 juillet 2017")
        #expect(status.slug == "expire")
        #expect(LabelStatus.of(labels: [label2013], openDossier: .brouillon, on: F.day("2018-01-01")) == .expire(on: F.day("2017-07-09")))
        #expect(LabelStatus.of(labels: [label2013], openDossier: .enInstruction(etapes: ["depot"]), on: F.day("2018-01-01")) == .enInstruction)
    }

    @Test("withdrawn from the withdrawal date; before it, still labelled")
    func withdrawn() throws {
        let withdrawn = try label2013.withdrawn(on: F.day("2015-03-03"), motif: "Réseau dissous")
        #expect(LabelStatus.of(labels: [withdrawn], openDossier: nil, on: F.day("2015-03-02")).kind == .labellise)
        let status = LabelStatus.of(labels: [withdrawn], openDossier: nil, on: F.day("2015-03-03"))
        #expect(status == .retire(on: F.day("2015-03-03"), motif: "Réseau dissous"))
        #expect(status.label == "label retiré le 3 mars 2015")
        #expect(status.slug == "retire")
    }

    @Test("the status kinds for filters")
    func kinds() {
        #expect(LabelStatus.Kind.allCases.map(\.rawValue) == ["en-projet", "en-instruction", "labellise", "excellence", "expire", "retire"])
        #expect(LabelStatus.Kind.enInstruction.label == "Dossier en instruction")
    }
}
