import CMQDomain
import Foundation
import Testing

/// Every action, for the tables of legal moves.
private let allActions: [ProcedureAction] = [
    .edition, .depot, .avis(.caen), .avis(.crefop), .avis(.groupeExperts), .avis(.cnee), .notation, .clotureExpertise, .decision, .abandon,
]

@Suite("Labelling procedure: the state machine")
struct LabellingProcedureTests {
    typealias F = LabellingFixtures

    // MARK: - Tables of legal moves

    /// The states a dossier goes through on the path of a référentiel, each with the actions it allows.
    static func path(_ referentiel: Referentiel) throws -> [(String, LabelDossier, Set<ProcedureAction>)] {
        var states: [(String, LabelDossier, Set<ProcedureAction>)] = []
        var dossier = try F.draft(referentiel)
        states.append(("brouillon", dossier, [.edition, .depot, .abandon]))
        try F.apply(&dossier, .depot(date: F.day("2020-01-06")))
        states.append(("déposé", dossier, [.avis(.caen), .avis(.crefop), .abandon]))
        var caenOnly = dossier
        try F.apply(&caenOnly, .avis(F.avis(.caen, "2020-02-01")))
        states.append(("avis du CAEN seul", caenOnly, [.avis(.crefop), .abandon]))
        try F.apply(&dossier, .avis(F.avis(.crefop, "2020-02-02")))
        states.append(("avis du CREFOP seul", dossier, [.avis(.caen), .abandon]))
        try F.apply(&dossier, .avis(F.avis(.caen, "2020-02-03")))
        states.append(("deux avis régionaux", dossier, [.notation, .clotureExpertise, .abandon]))
        try F.scoreAll(&dossier)
        try F.apply(&dossier, .clotureExpertise(F.avis(.groupeExperts, "2020-03-01")))
        if referentiel.etape(of: .cnee) != nil {
            states.append(("expertise close", dossier, [.avis(.cnee), .abandon]))
            try F.apply(&dossier, .avis(F.avis(.cnee, "2020-04-01")))
            states.append(("avis du CNEE", dossier, [.decision, .abandon]))
        } else {
            states.append(("expertise close", dossier, [.decision, .abandon]))
        }
        var abandoned = dossier
        try F.apply(&abandoned, .abandon(date: F.day("2020-05-01"), motif: "Le projet est retiré par la région."))
        states.append(("abandonné", abandoned, []))
        try F.apply(&dossier, .decision(.labellisation(date: F.day("2020-06-01"), durationYears: referentiel.dureeMaximaleAnnees)))
        states.append(("décidé", dossier, []))
        return states
    }

    @Test("each state of the 2014 and 2019 procedures allows exactly its legal moves", arguments: ["2014", "2019"])
    func legalMoves(code: String) throws {
        let referentiel = ReferentielCatalog.shipped.referentiel(code: code)!
        for (name, dossier, allowed) in try Self.path(referentiel) {
            for action in allActions {
                #expect(dossier.allows(action) == allowed.contains(action), "\(code), \(name): \(action)")
            }
        }
    }

    @Test("the statuses along the 2014 path name the steps under way")
    func statuses2014() throws {
        let states = try Self.path(F.r2014).map { $0.1.status }
        #expect(states == [
            .brouillon,
            .enInstruction(etapes: ["avis-caen", "avis-crefop"]),
            .enInstruction(etapes: ["avis-crefop"]),
            .enInstruction(etapes: ["avis-caen"]),
            .enInstruction(etapes: ["expertise"]),
            .enInstruction(etapes: ["avis-cnee"]),
            .enInstruction(etapes: ["decision"]),
            .abandonne,
            .labellise(excellence: false),
        ])
        #expect(F.r2014.describe(states[1]) == "En instruction : en attente de l'avis du CAEN et de l'avis du CREFOP")
        #expect(F.r2014.describe(states[8]) == "Labellisé")
    }

    // MARK: - Preparation and dépôt

    @Test("a draft can be edited; the dépôt needs the eight sections, then freezes them")
    func depot() throws {
        var dossier = try LabelDossier(referentiel: F.r2014, kind: .creation)
        try dossier.setSection(.gouvernance, text: "Comité de pilotage.")
        #expect(throws: LabellingError.self) { try F.apply(&dossier, .depot(date: F.day("2014-01-06"))) }
        #expect(dossier.emptySections.count == 7)
        for section in DossierSection.allCases where section != .partenariat {
            try dossier.setSection(section, text: "Rédigé.")
        }
        do {
            try F.apply(&dossier, .depot(date: F.day("2014-01-06")))
            Issue.record("a dossier with an empty section should not be deposited")
        } catch let error as LabellingError {
            #expect(error.message == "Le dossier ne peut pas être déposé : la section « Partenariat » est vide.")
        }
        try dossier.setSection(.partenariat, text: "Entreprises et laboratoires.")
        let transition = try dossier.apply(.depot(date: F.day("2014-01-06")), by: "Recteur de l'académie d'Amiens", at: F.now, comment: "Dossier complet")
        #expect(transition == Transition(event: "depot", etape: "depot", from: .brouillon, to: .enInstruction(etapes: ["avis-caen", "avis-crefop"]),
                                         actor: "Recteur de l'académie d'Amiens", at: F.now, comment: "Dossier complet"))
        #expect(throws: LabellingError.frozenAfterDepot) { try dossier.setSection(.gouvernance, text: "Changement") }
        #expect(throws: LabellingError.frozenAfterDepot) { try dossier.setRequest(label: .cmq, durationYears: 4) }
        #expect(throws: LabellingError.alreadyDeposited) { try F.apply(&dossier, .depot(date: F.day("2014-01-07"))) }
        #expect(LabellingError.frozenAfterDepot.message
            == "Le dossier a été déposé : ses sections, ses pièces jointes, le label et la durée demandés ne peuvent plus être modifiés.")
        #expect(LabellingError.emptySections([.gouvernance, .partenariat]).message
            == "Le dossier ne peut pas être déposé : les sections « Gouvernance » et « Partenariat » sont vides.")
    }

    @Test("the request: Excellence only where the référentiel has it, a duration it allows")
    func request() throws {
        #expect(throws: LabellingError.excellenceNotInReferentiel("2014")) {
            try LabelDossier(referentiel: F.r2014, kind: .creation, requestedLabel: .cmqExcellence)
        }
        #expect(LabellingError.excellenceNotInReferentiel("2014").message == "Le référentiel 2014 ne prévoit pas de mention Excellence.")
        #expect(throws: LabellingError.durationNotAllowed(years: 6, minimum: 1, maximum: 5, referentiel: "2019")) {
            try LabelDossier(referentiel: F.r2019, kind: .renouvellement, requestedDurationYears: 6)
        }
        var dossier = try LabelDossier(referentiel: F.r2019, kind: .renouvellement)
        #expect(dossier.requestedDurationYears == 5)
        try dossier.setRequest(label: .cmqExcellence, durationYears: 3)
        #expect(dossier.requestedLabel == .cmqExcellence)
        #expect(dossier.requestedDurationYears == 3)
    }

    @Test("attachments change with the dossier until the dépôt; a file with the same name replaces the former one")
    func dossierAttachments() throws {
        var dossier = try F.draft(F.r2019)
        let first = try Attachment(fileName: "conventions.pdf", size: 10, sha256: String(repeating: "0", count: 64))
        let second = try Attachment(fileName: "conventions.pdf", size: 20, sha256: String(repeating: "1", count: 64))
        try dossier.addAttachment(first)
        try dossier.addAttachment(second)
        #expect(dossier.attachments == [second])
        try F.apply(&dossier, .depot(date: F.day("2022-01-10")))
        #expect(throws: LabellingError.frozenAfterDepot) { try dossier.removeAttachment(named: "conventions.pdf") }
        #expect(dossier.attachments == [second])
    }

    @Test("before the dépôt no opinion, no score, no decision")
    func beforeDepot() throws {
        var dossier = try F.draft(F.r2014)
        #expect(throws: LabellingError.notDeposited(.avis(.caen))) { try F.apply(&dossier, .avis(F.avis(.caen, "2014-01-01"))) }
        #expect(LabellingError.notDeposited(.avis(.caen)).message == "L'avis du CAEN ne peut pas être rendu : le dossier n'a pas encore été déposé.")
        #expect(throws: LabellingError.notDeposited(.notation)) {
            try dossier.record(Evaluation(expert: "e", critere: "organisation-partenariale", note: 2))
        }
        #expect(throws: LabellingError.notDeposited(.decision)) {
            try F.apply(&dossier, .decision(.refus(date: F.day("2014-01-01"))))
        }
        #expect(dossier.timeline.map(\.state) == [.enCours, .aVenir, .aVenir, .aVenir, .aVenir, .aVenir])
    }

    // MARK: - Opinions

    @Test("CAEN then CREFOP and CREFOP then CAEN both lead to the expertise", arguments: [[Instance.caen, .crefop], [.crefop, .caen]])
    func eitherOrder(order: [Instance]) throws {
        for referentiel in [F.r2014, F.r2019] {
            var dossier = try F.draft(referentiel)
            try F.apply(&dossier, .depot(date: F.day("2020-01-06")))
            let first = try F.apply(&dossier, .avis(F.avis(order[0], "2020-02-10")))
            let other = order[1] == .caen ? "avis-caen" : "avis-crefop"
            #expect(first.to == .enInstruction(etapes: [other]))
            #expect(first.etape == (order[0] == .caen ? "avis-caen" : "avis-crefop"))
            // The second opinion may carry an earlier date: the two bodies sit independently.
            let second = try F.apply(&dossier, .avis(F.avis(order[1], "2020-02-01")))
            #expect(second.from == .enInstruction(etapes: [other]))
            #expect(second.to == .enInstruction(etapes: ["expertise"]))
            #expect(dossier.currentSteps.map(\.code) == ["expertise"])
        }
    }

    @Test("a body gives one opinion only")
    func duplicateOpinion() throws {
        var dossier = try F.draft(F.r2019)
        try F.apply(&dossier, .depot(date: F.day("2020-01-06")))
        try F.apply(&dossier, .avis(F.avis(.crefop, "2020-02-10")))
        #expect(throws: LabellingError.opinionAlreadyGiven(.crefop)) { try F.apply(&dossier, .avis(F.avis(.crefop, "2020-02-11"))) }
        #expect(LabellingError.opinionAlreadyGiven(.crefop).message == "Le CREFOP a déjà rendu son avis sur ce dossier.")
        #expect(LabellingError.opinionAlreadyGiven(.crefop).isConflict)
        #expect(dossier.opinions.count == 1)
    }

    @Test("the CNEE does not intervene in the 2019 procedure")
    func noCNEEIn2019() throws {
        var dossier = try LabellingFixtures.readyForDecision2019()
        #expect(throws: LabellingError.instanceNotInProcedure(.cnee, referentiel: "2019")) {
            try F.apply(&dossier, .avis(F.avis(.cnee, "2022-04-01")))
        }
        #expect(LabellingError.instanceNotInProcedure(.cnee, referentiel: "2019").message
            == "Le CNEE n'intervient pas dans la procédure du référentiel 2019.")
    }

    @Test("the CNEE gives its opinion after the expertise, in 2014")
    func cneeAfterExpertise() throws {
        var dossier = try F.draft(F.r2014)
        try F.apply(&dossier, .depot(date: F.day("2014-01-06")))
        try F.apply(&dossier, .avis(F.avis(.caen, "2014-02-01")))
        let error = LabellingError.tooEarly(.avis(.cnee), missing: ["l'avis du CREFOP", "l'expertise du groupe d'experts"])
        #expect(throws: error) { try F.apply(&dossier, .avis(F.avis(.cnee, "2014-03-01"))) }
        #expect(error.message == "L'avis du CNEE ne peut pas être rendu avant l'avis du CREFOP et l'expertise du groupe d'experts.")
    }

    @Test("the expert group does not give a plain opinion: it closes its expertise")
    func expertsCloseTheirStep() throws {
        var dossier = try F.draft(F.r2019)
        try F.apply(&dossier, .depot(date: F.day("2020-01-06")))
        #expect(throws: LabellingError.opinionGivenByClosingExpertise(.groupeExperts)) {
            try F.apply(&dossier, .avis(F.avis(.groupeExperts, "2020-02-01")))
        }
        #expect(LabellingError.opinionGivenByClosingExpertise(.groupeExperts).message
            == "Le groupe d'experts rend son avis collectif en clôturant l'expertise, après la notation des critères.")
    }

    @Test("an opinion is signed; a reserved or unfavourable one is explained, and does not stop the procedure")
    func opinionContent() throws {
        var dossier = try F.draft(F.r2014)
        try F.apply(&dossier, .depot(date: F.day("2014-01-06")))
        var unsigned = F.avis(.caen, "2014-02-01")
        unsigned.auteur = " "
        #expect(throws: LabellingError.missingAuthor) { try F.apply(&dossier, .avis(unsigned)) }
        #expect(throws: LabellingError.missingOpinionText(.defavorable)) { try F.apply(&dossier, .avis(F.avis(.caen, "2014-02-01", .defavorable))) }
        #expect(LabellingError.missingOpinionText(.favorableAvecReserves).message == "Un avis favorable avec réserves doit être motivé : son texte est vide.")
        try F.apply(&dossier, .avis(F.avis(.caen, "2014-02-01", .defavorable, texte: "L'offre de niveau 5 est absente.")))
        try F.apply(&dossier, .avis(F.avis(.crefop, "2014-02-02", .favorableAvecReserves, texte: "Associer les branches.")))
        #expect(dossier.status == .enInstruction(etapes: ["expertise"]))
        #expect(dossier.timeline.compactMap(\.verdict) == [.defavorable, .favorableAvecReserves])
    }

    @Test("dates never go back: an opinion is not dated before the dépôt, a decision not before the last opinion")
    func dates() throws {
        var dossier = try F.draft(F.r2014)
        try F.apply(&dossier, .depot(date: F.day("2014-01-06")))
        let error = LabellingError.dateBeforePreviousStep(F.day("2014-01-01"), previous: F.day("2014-01-06"))
        #expect(throws: error) { try F.apply(&dossier, .avis(F.avis(.caen, "2014-01-01"))) }
        #expect(error.message == "La date indiquée (1er janvier 2014) précède celle de l'étape précédente (6 janvier 2014).")
        var ready = try F.readyForDecision2014()
        #expect(throws: LabellingError.dateBeforePreviousStep(F.day("2013-05-01"), previous: F.day("2013-05-20"))) {
            try F.apply(&ready, .decision(.labellisation(date: F.day("2013-05-01"), durationYears: 4)))
        }
    }

    // MARK: - Expertise

    @Test("the experts score only after the CAEN and the CREFOP")
    func expertiseTooEarly() throws {
        var dossier = try F.draft(F.r2019)
        try F.apply(&dossier, .depot(date: F.day("2020-01-06")))
        let score = Evaluation(expert: "e1", critere: "gouvernance-partenariale", note: 3)
        let error = LabellingError.tooEarly(.notation, missing: ["l'avis du CAEN", "l'avis du CREFOP"])
        #expect(throws: error) { try dossier.record(score) }
        #expect(error.message == "Les experts ne peuvent pas noter le dossier avant l'avis du CAEN et l'avis du CREFOP.")
        try F.apply(&dossier, .avis(F.avis(.caen, "2020-02-01")))
        #expect(throws: LabellingError.tooEarly(.notation, missing: ["l'avis du CREFOP"])) { try dossier.record(score) }
        #expect(throws: LabellingError.tooEarly(.clotureExpertise, missing: ["l'avis du CREFOP"])) {
            try F.apply(&dossier, .clotureExpertise(F.avis(.groupeExperts, "2020-03-01")))
        }
        try F.apply(&dossier, .avis(F.avis(.crefop, "2020-02-01")))
        try dossier.record(score)
        #expect(dossier.evaluations == [score])
    }

    @Test("the expertise closes with the expert group's collective opinion once every criterion is scored; then scores are frozen")
    func closeExpertise() throws {
        var dossier = try F.draft(F.r2014)
        try F.apply(&dossier, .depot(date: F.day("2014-01-06")))
        try F.apply(&dossier, .avis(F.avis(.caen, "2014-02-01")))
        try F.apply(&dossier, .avis(F.avis(.crefop, "2014-02-01")))
        for critere in F.r2014.criteres.dropLast() {
            try dossier.record(Evaluation(expert: "e1", critere: critere.code, note: 2))
        }
        let collective = F.avis(.groupeExperts, "2014-03-01", .favorableAvecReserves, texte: "Renforcer la gouvernance.")
        let unscored = LabellingError.unscoredCriteria(["Mode d'organisation partenarial au sein du campus"])
        #expect(throws: unscored) { try F.apply(&dossier, .clotureExpertise(collective)) }
        #expect(unscored.message == "L'expertise ne peut pas être close : le critère « Mode d'organisation partenarial au sein du campus » n'a été noté par aucun expert.")
        try dossier.record(Evaluation(expert: "e2", critere: "organisation-partenariale", note: 1))
        #expect(throws: LabellingError.wrongInstanceForExpertise(expected: .groupeExperts, given: .caen)) {
            var byCAEN = collective
            byCAEN.instance = .caen
            try F.apply(&dossier, .clotureExpertise(byCAEN))
        }
        let transition = try F.apply(&dossier, .clotureExpertise(collective))
        #expect(transition.event == "cloture-expertise")
        #expect(transition.to == .enInstruction(etapes: ["avis-cnee"]))
        #expect(dossier.collectiveOpinion == collective)
        #expect(throws: LabellingError.expertiseClosed) { try dossier.record(Evaluation(expert: "e1", critere: "organisation-partenariale", note: 4)) }
        #expect(LabellingError.expertiseClosed.message == "L'expertise est close : les notes ne peuvent plus être modifiées.")
        #expect(throws: LabellingError.opinionAlreadyGiven(.groupeExperts)) { try F.apply(&dossier, .clotureExpertise(collective)) }
        #expect(LabellingError.opinionAlreadyGiven(.groupeExperts).message == "Le groupe d'experts a déjà rendu son avis sur ce dossier.")
    }

    // MARK: - Decision

    @Test("2014: no decision before the CNEE's opinion")
    func decisionBeforeCNEE() throws {
        var dossier = try F.draft(F.r2014)
        try F.apply(&dossier, .depot(date: F.day("2013-02-01")))
        try F.apply(&dossier, .avis(F.avis(.caen, "2013-03-01")))
        try F.apply(&dossier, .avis(F.avis(.crefop, "2013-03-05")))
        try F.scoreAll(&dossier)
        try F.apply(&dossier, .clotureExpertise(F.avis(.groupeExperts, "2013-04-15")))
        let error = LabellingError.tooEarly(.decision, missing: ["l'avis du CNEE"])
        #expect(throws: error) { try F.apply(&dossier, .decision(.labellisation(date: F.day("2013-07-10"), durationYears: 4))) }
        #expect(error.message == "La décision ne peut pas être prise avant l'avis du CNEE.")
        #expect(error.isConflict)
    }

    @Test("2019: no decision before the two opinions and the expertise")
    func decisionTooEarly2019() throws {
        var dossier = try F.draft(F.r2019)
        try F.apply(&dossier, .depot(date: F.day("2022-01-10")))
        let error = LabellingError.tooEarly(.decision, missing: ["l'avis du CAEN", "l'avis du CREFOP", "l'expertise du groupe d'experts"])
        #expect(throws: error) { try F.apply(&dossier, .decision(.refus(date: F.day("2022-06-01")))) }
        #expect(error.message == "La décision ne peut pas être prise avant l'avis du CAEN, l'avis du CREFOP et l'expertise du groupe d'experts.")
    }

    @Test("2014: the label is granted for four years exactly, without Excellence")
    func decision2014() throws {
        var dossier = try F.readyForDecision2014()
        #expect(throws: LabellingError.durationNotAllowed(years: 5, minimum: 4, maximum: 4, referentiel: "2014")) {
            try F.apply(&dossier, .decision(.labellisation(date: F.day("2013-07-10"), durationYears: 5)))
        }
        #expect(LabellingError.durationNotAllowed(years: 5, minimum: 4, maximum: 4, referentiel: "2014").message
            == "Dans le référentiel 2014, le label est accordé pour 4 ans : une durée de 5 ans n'est pas possible.")
        #expect(throws: LabellingError.excellenceNotInReferentiel("2014")) {
            try F.apply(&dossier, .decision(.labellisation(date: F.day("2013-07-10"), durationYears: 4, excellence: true)))
        }
        let arrete = ArreteReference(nor: try NOR("MENE1317532A"), bulletinOfficiel: "BO n° 30 du 25 juillet 2013")
        let transition = try F.apply(&dossier, .decision(.labellisation(date: F.day("2013-07-10"), durationYears: 4, arrete: arrete)))
        #expect(transition.from == .enInstruction(etapes: ["decision"]))
        #expect(transition.to == .labellise(excellence: false))
        #expect(dossier.labelPeriod?.end == F.day("2017-07-09"))
        #expect(dossier.decision?.arrete?.nor?.value == "MENE1317532A")
        #expect(dossier.timeline.allSatisfy { $0.state == .fait })
    }

    @Test("2019: one to five years, Excellence when asked for, or a refusal without terms")
    func decision2019() throws {
        var dossier = try F.readyForDecision2019()
        #expect(throws: LabellingError.durationNotAllowed(years: 6, minimum: 1, maximum: 5, referentiel: "2019")) {
            try F.apply(&dossier, .decision(.labellisation(date: F.day("2022-07-01"), durationYears: 6)))
        }
        #expect(LabellingError.durationNotAllowed(years: 6, minimum: 1, maximum: 5, referentiel: "2019").message
            == "La durée de 6 ans dépasse la durée maximale du référentiel 2019 (5 ans).")
        #expect(throws: LabellingError.durationNotAllowed(years: 0, minimum: 1, maximum: 5, referentiel: "2019")) {
            try F.apply(&dossier, .decision(.labellisation(date: F.day("2022-07-01"), durationYears: 0)))
        }
        #expect(throws: LabellingError.refusalWithLabelTerms) {
            try F.apply(&dossier, .decision(Decision(outcome: .refuse, date: F.day("2022-07-01"), durationYears: 3)))
        }
        #expect(throws: LabellingError.durationRequired) {
            try F.apply(&dossier, .decision(Decision(outcome: .labellise, date: F.day("2022-07-01"), durationYears: nil)))
        }
        var plain = try F.readyForDecision2019(label: .cmq)
        #expect(throws: LabellingError.excellenceNotRequested) {
            try F.apply(&plain, .decision(.labellisation(date: F.day("2022-07-01"), durationYears: 3, excellence: true)))
        }
        var refused = plain
        try F.apply(&refused, .decision(.refus(date: F.day("2022-07-01"), texte: "Réseau incomplet.")))
        #expect(refused.status == .refuse)
        #expect(refused.labelPeriod == nil)
        let transition = try F.apply(&dossier, .decision(.labellisation(date: F.day("2022-07-01"), durationYears: 3, excellence: true)))
        #expect(transition.to == .labellise(excellence: true))
        #expect(dossier.labelPeriod == LabelPeriod(start: F.day("2022-07-01"), durationYears: 3, excellence: true))
    }

    @Test("a decided dossier is frozen: every action is refused")
    func decidedIsFrozen() throws {
        var dossier = try F.readyForDecision2014()
        try F.apply(&dossier, .decision(.labellisation(date: F.day("2013-07-10"), durationYears: 4)))
        for action in allActions {
            #expect(throws: LabellingError.decided) { try dossier.check(action) }
        }
        #expect(throws: LabellingError.decided) { try F.apply(&dossier, .decision(.refus(date: F.day("2013-08-01")))) }
        #expect(throws: LabellingError.decided) { try F.apply(&dossier, .avis(F.avis(.cnee, "2013-08-01"))) }
        #expect(throws: LabellingError.decided) { try dossier.setSection(.gouvernance, text: "…") }
        #expect(throws: LabellingError.decided) { try F.apply(&dossier, .abandon(date: F.day("2013-08-01"), motif: "Erreur")) }
        #expect(LabellingError.decided.message == "Ce dossier est décidé : il ne peut plus être modifié.")
        #expect(dossier.currentSteps.isEmpty)
    }

    // MARK: - Abandon

    @Test("a dossier can be abandoned before its decision, for a reason; it is then frozen")
    func abandon() throws {
        var dossier = try F.draft(F.r2019)
        try F.apply(&dossier, .depot(date: F.day("2022-01-10")))
        try F.apply(&dossier, .avis(F.avis(.caen, "2022-02-01")))
        #expect(throws: LabellingError.missingReason(.abandon)) { try F.apply(&dossier, .abandon(date: F.day("2022-03-01"), motif: " ")) }
        #expect(LabellingError.missingReason(.abandon).message == "Le motif de l'abandon doit être indiqué.")
        #expect(throws: LabellingError.dateBeforePreviousStep(F.day("2022-01-20"), previous: F.day("2022-02-01"))) {
            try F.apply(&dossier, .abandon(date: F.day("2022-01-20"), motif: "Fusion avec un autre campus."))
        }
        let transition = try F.apply(&dossier, .abandon(date: F.day("2022-03-01"), motif: "Fusion avec un autre campus."))
        #expect(transition.from == .enInstruction(etapes: ["avis-crefop"]))
        #expect(transition.to == .abandonne)
        #expect(transition.etape == nil)
        #expect(dossier.timeline.map(\.state) == [.fait, .fait, .nonRealise, .nonRealise, .nonRealise])
        #expect(throws: LabellingError.abandoned) { try F.apply(&dossier, .avis(F.avis(.crefop, "2022-03-02"))) }
        #expect(LabellingError.abandoned.message == "Ce dossier a été abandonné : il ne peut plus être modifié.")
        var draft = try F.draft(F.r2014)
        try F.apply(&draft, .abandon(date: F.day("2014-01-01"), motif: "Projet reporté."))
        #expect(draft.status == .abandonne)
    }

    // MARK: - Référentiels as data

    @Test("a référentiel added as data drives the same machine: no expertise, no renewal")
    func customReferentiel() throws {
        var file = ReferentielFile(F.r2019)
        file.code = "essai"
        file.etapes = file.etapes!.filter { $0.kind != "expertise" }
        file.renouvelable = false
        let referentiel = try ReferentielCatalog.decode(try JSONEncoder().encode(file))
        var dossier = try F.draft(referentiel, kind: .renouvellement)
        #expect(throws: LabellingError.renewalNotProvided(referentiel: "essai")) { try F.apply(&dossier, .depot(date: F.day("2024-01-08"))) }
        dossier = try F.draft(referentiel)
        try F.apply(&dossier, .depot(date: F.day("2024-01-08")))
        try F.apply(&dossier, .avis(F.avis(.caen, "2024-02-01")))
        #expect(throws: LabellingError.noExpertise(referentiel: "essai")) { try dossier.record(Evaluation(expert: "e", critere: "ancrage-economique", note: 1)) }
        #expect(throws: LabellingError.instanceNotInProcedure(.groupeExperts, referentiel: "essai")) {
            try F.apply(&dossier, .avis(F.avis(.groupeExperts, "2024-02-01")))
        }
        try F.apply(&dossier, .avis(F.avis(.crefop, "2024-02-01")))
        #expect(dossier.currentSteps.map(\.code) == ["decision"])
    }

    // MARK: - Restoring from stored facts

    @Test("a dossier rebuilt from its stored facts equals the one built move by move")
    func restore() throws {
        let built = try F.readyForDecision2014()
        let restored = try LabelDossier.restore(
            referentiel: F.r2014, kind: .creation, requestedLabel: .cmq, requestedDurationYears: 4, sections: built.sections,
            depot: built.depot, opinions: built.opinions.reversed(), evaluations: built.evaluations, collectiveOpinion: built.collectiveOpinion)
        #expect(restored.status == built.status)
        #expect(restored.synthesis == built.synthesis)
        #expect(Set(restored.opinions) == Set(built.opinions))
    }

    @Test("stored facts the procedure would refuse are refused when rebuilding")
    func restoreInconsistent() throws {
        let built = try F.readyForDecision2014()
        #expect(throws: LabellingError.tooEarly(.decision, missing: ["l'avis du CNEE"])) {
            try LabelDossier.restore(
                referentiel: F.r2014, kind: .creation, requestedLabel: .cmq, requestedDurationYears: 4, sections: built.sections,
                depot: built.depot, opinions: built.opinions.filter { $0.instance != .cnee }, evaluations: built.evaluations,
                collectiveOpinion: built.collectiveOpinion, decision: .labellisation(date: F.day("2013-07-10"), durationYears: 4))
        }
        #expect(throws: LabellingError.instanceNotInProcedure(.cnee, referentiel: "2019")) {
            try LabelDossier.restore(
                referentiel: F.r2019, kind: .creation, requestedLabel: .cmq, requestedDurationYears: 5, sections: built.sections,
                depot: built.depot, opinions: built.opinions)
        }
    }
}
