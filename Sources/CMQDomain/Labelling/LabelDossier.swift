import Foundation

/// A label dossier and its procedure, as a state machine: only the legal moves of its référentiel exist.
///
/// - The sections, attachments, requested label and duration can change until the dépôt, then are frozen.
/// - After the dépôt, the steps follow the référentiel's stages; the steps of one stage (the CAEN and the
///   CREFOP) come in any order, a stage opens when the previous one is complete.
/// - Each body gives one opinion. The expert body scores the criteria while its step is open, and closes
///   it with a collective opinion once every criterion has at least one score.
/// - The decision comes after every other step; a decided or abandoned dossier is frozen.
/// - Dates never go back: a step is not dated before the steps of the previous stages.
///
/// Every move goes through `apply(_:by:at:comment:)`, which returns the `Transition` to record.
public struct LabelDossier: Sendable, Equatable {
    public let referentiel: Referentiel
    public let kind: DossierKind
    public private(set) var requestedLabel: RequestedLabel
    public private(set) var requestedDurationYears: Int
    public private(set) var sections: [DossierSection: String] = [:]
    public private(set) var attachments: [Attachment] = []
    /// The date of the dépôt.
    public private(set) var depot: CalendarDay?
    /// The opinions of the bodies, in the order they were given.
    public private(set) var opinions: [Avis] = []
    /// One score per expert and criterion.
    public private(set) var evaluations: [Evaluation] = []
    /// The collective opinion that closed the expertise.
    public private(set) var collectiveOpinion: Avis?
    public private(set) var decision: Decision?
    public private(set) var abandon: Abandon?

    /// A new dossier in preparation; the requested duration defaults to the référentiel's maximum.
    public init(referentiel: Referentiel, kind: DossierKind, requestedLabel: RequestedLabel = .cmq, requestedDurationYears: Int? = nil) throws(LabellingError) {
        self.referentiel = referentiel
        self.kind = kind
        self.requestedLabel = .cmq
        self.requestedDurationYears = referentiel.dureeMaximaleAnnees
        try setRequest(label: requestedLabel, durationYears: requestedDurationYears ?? referentiel.dureeMaximaleAnnees)
    }

    // MARK: - State

    public var status: DossierStatus {
        if let decision { return decision.outcome == .labellise ? .labellise(excellence: decision.excellence) : .refuse }
        if abandon != nil { return .abandonne }
        if depot == nil { return .brouillon }
        return .enInstruction(etapes: currentSteps.map(\.code))
    }

    /// The steps under way: the dépôt while in preparation, the open steps of the first incomplete stage
    /// during instruction (the CAEN and the CREFOP together), none once decided or abandoned.
    public var currentSteps: [Etape] {
        guard decision == nil, abandon == nil else { return [] }
        return referentiel.stages.first { stage in stage.contains { !isDone($0) } }?.filter { !isDone($0) } ?? []
    }

    public func isDone(_ etape: Etape) -> Bool {
        date(of: etape) != nil
    }

    /// When a step was done.
    public func date(of etape: Etape) -> CalendarDay? {
        switch etape.kind {
        case .depot: depot
        case .avis(let instance): opinion(of: instance)?.date
        case .expertise: collectiveOpinion?.date
        case .decision: decision?.date
        }
    }

    public func opinion(of instance: Instance) -> Avis? {
        if let collectiveOpinion, collectiveOpinion.instance == instance { return collectiveOpinion }
        return opinions.first { $0.instance == instance }
    }

    /// Every step with its state, for the timeline.
    public var timeline: [StepProgress] {
        let current = Set(currentSteps.map(\.code))
        return referentiel.etapes.map { etape in
            let state: StepState =
                if isDone(etape) { .fait }
                else if current.contains(etape.code) { .enCours }
                else if abandon != nil { .nonRealise }
                else { .aVenir }
            return StepProgress(etape: etape, state: state, date: date(of: etape), verdict: etape.kind.instance.flatMap { opinion(of: $0)?.verdict })
        }
    }

    /// The synthesis of the experts' scores so far.
    public var synthesis: ExpertSynthesis {
        ExpertSynthesis(referentiel: referentiel, evaluations: evaluations)
    }

    /// The label the decision granted, if any.
    public var labelPeriod: LabelPeriod? { decision?.labelPeriod }

    // MARK: - What is possible now

    /// Whether the state of the dossier allows an action now (the content of the request is checked by `apply`).
    public func check(_ action: ProcedureAction) throws(LabellingError) {
        if decision != nil { throw .decided }
        if abandon != nil { throw .abandoned }
        switch action {
        case .edition:
            guard depot == nil else { throw .frozenAfterDepot }
        case .depot:
            guard depot == nil else { throw .alreadyDeposited }
        case .abandon:
            break
        case .avis(let instance):
            guard let etape = referentiel.etape(of: instance) else { throw .instanceNotInProcedure(instance, referentiel: referentiel.code) }
            guard case .avis = etape.kind else { throw .opinionGivenByClosingExpertise(instance) }
            guard depot != nil else { throw .notDeposited(action) }
            guard !isDone(etape) else { throw .opinionAlreadyGiven(instance) }
            try checkPreviousStages(of: etape, for: action)
        case .notation, .clotureExpertise:
            guard let etape = referentiel.expertise, case .expertise(let instance) = etape.kind else { throw .noExpertise(referentiel: referentiel.code) }
            guard depot != nil else { throw .notDeposited(action) }
            guard !isDone(etape) else { throw action == .notation ? .expertiseClosed : .opinionAlreadyGiven(instance) }
            try checkPreviousStages(of: etape, for: action)
        case .decision:
            guard depot != nil else { throw .notDeposited(action) }
            try checkPreviousStages(of: referentiel.decision, for: action)
        }
    }

    /// `check` as a yes or no, for showing or hiding a button.
    public func allows(_ action: ProcedureAction) -> Bool {
        (try? check(action)) != nil
    }

    private func checkPreviousStages(of etape: Etape, for action: ProcedureAction) throws(LabellingError) {
        let missing = referentiel.stages[..<referentiel.stageIndex(of: etape)].joined().filter { !isDone($0) }
        guard missing.isEmpty else { throw .tooEarly(action, missing: missing.map(\.designation)) }
    }

    /// The latest date of the steps before the stage of `etape` (all steps when nil): no later step may precede it.
    private func latestDate(before etape: Etape?) -> CalendarDay? {
        let stages = etape.map { referentiel.stages[..<referentiel.stageIndex(of: $0)] } ?? referentiel.stages[...]
        return stages.joined().compactMap { date(of: $0) }.max()
    }

    private func checkDate(_ date: CalendarDay, before etape: Etape?) throws(LabellingError) {
        if let previous = latestDate(before: etape), date < previous {
            throw .dateBeforePreviousStep(date, previous: previous)
        }
    }

    // MARK: - The content, until the dépôt

    public mutating func setSection(_ section: DossierSection, text: String) throws(LabellingError) {
        try check(.edition)
        sections[section] = text
    }

    /// The requested label must exist in the référentiel and the duration be one it allows.
    public mutating func setRequest(label: RequestedLabel, durationYears: Int) throws(LabellingError) {
        try check(.edition)
        if label == .cmqExcellence, !referentiel.excellence { throw .excellenceNotInReferentiel(referentiel.code) }
        try referentiel.checkDuration(durationYears)
        requestedLabel = label
        requestedDurationYears = durationYears
    }

    /// Adds an attachment; one with the same file name is replaced.
    public mutating func addAttachment(_ attachment: Attachment) throws(LabellingError) {
        try check(.edition)
        attachments.removeAll { $0.fileName == attachment.fileName }
        attachments.append(attachment)
    }

    public mutating func removeAttachment(named fileName: String) throws(LabellingError) {
        try check(.edition)
        attachments.removeAll { $0.fileName == fileName }
    }

    /// The sections still empty: the dépôt needs all eight.
    public var emptySections: [DossierSection] {
        DossierSection.allCases.filter { sections[$0]?.trimmed.isEmpty ?? true }
    }

    // MARK: - The procedure

    /// An expert scores a criterion while the expertise is open; scoring it again replaces the score.
    public mutating func record(_ evaluation: Evaluation) throws(LabellingError) {
        try check(.notation)
        try evaluation.validate(against: referentiel)
        evaluations.removeAll { $0.expert == evaluation.expert && $0.critere == evaluation.critere }
        evaluations.append(evaluation)
    }

    /// Moves the dossier on if the référentiel allows it now, and returns the record of the move.
    @discardableResult
    public mutating func apply(_ event: LabellingEvent, by actor: String, at time: Date, comment: String? = nil) throws(LabellingError) -> Transition {
        try check(event.action)
        let before = status
        let etape: Etape?
        switch event {
        case .depot(let date):
            let empty = emptySections
            guard empty.isEmpty else { throw .emptySections(empty) }
            if kind == .renouvellement, !referentiel.renouvelable { throw .renewalNotProvided(referentiel: referentiel.code) }
            etape = referentiel.depot
            depot = date
        case .avis(let avis):
            try avis.validate()
            let step = referentiel.etape(of: avis.instance)!
            try checkDate(avis.date, before: step)
            etape = step
            opinions.append(avis)
        case .clotureExpertise(let avis):
            let step = referentiel.expertise!
            if let expected = step.kind.instance, avis.instance != expected {
                throw .wrongInstanceForExpertise(expected: expected, given: avis.instance)
            }
            try avis.validate()
            let unscored = synthesis.unscoredCriteria
            guard unscored.isEmpty else { throw .unscoredCriteria(unscored.map(\.libelle)) }
            try checkDate(avis.date, before: step)
            etape = step
            collectiveOpinion = avis
        case .decision(let decision):
            try decision.validate(against: referentiel, requested: requestedLabel)
            try checkDate(decision.date, before: referentiel.decision)
            etape = referentiel.decision
            self.decision = decision
        case .abandon(let date, let motif):
            guard !motif.trimmed.isEmpty else { throw .missingReason(.abandon) }
            try checkDate(date, before: nil)
            etape = nil
            abandon = Abandon(date: date, motif: motif.trimmed)
        }
        return Transition(event: event.slug, etape: etape?.code, from: before, to: status, actor: actor, at: time, comment: comment)
    }

    /// Rebuilds a dossier from its stored facts by replaying them through the same rules, step after step:
    /// facts that the procedure would not have accepted are refused.
    public static func restore(
        referentiel: Referentiel, kind: DossierKind, requestedLabel: RequestedLabel, requestedDurationYears: Int,
        sections: [DossierSection: String], attachments: [Attachment] = [], depot: CalendarDay?, opinions: [Avis] = [],
        evaluations: [Evaluation] = [], collectiveOpinion: Avis? = nil, decision: Decision? = nil, abandon: Abandon? = nil
    ) throws(LabellingError) -> LabelDossier {
        var dossier = try LabelDossier(referentiel: referentiel, kind: kind, requestedLabel: requestedLabel, requestedDurationYears: requestedDurationYears)
        for (section, text) in sections { try dossier.setSection(section, text: text) }
        for attachment in attachments { try dossier.addAttachment(attachment) }
        let replay = Date(timeIntervalSince1970: 0)
        if let depot { try dossier.apply(.depot(date: depot), by: "", at: replay) }
        for etape in referentiel.etapes {
            switch etape.kind {
            case .depot, .decision:
                break
            case .avis(let instance):
                if let avis = opinions.first(where: { $0.instance == instance }) { try dossier.apply(.avis(avis), by: "", at: replay) }
            case .expertise:
                for evaluation in evaluations { try dossier.record(evaluation) }
                if let collectiveOpinion { try dossier.apply(.clotureExpertise(collectiveOpinion), by: "", at: replay) }
            }
        }
        // Opinions the steps did not take (a body outside the procedure, a second opinion): the rules say why.
        for avis in opinions where !dossier.opinions.contains(avis) {
            try dossier.apply(.avis(avis), by: "", at: replay)
        }
        if !evaluations.isEmpty, referentiel.expertise == nil { throw .noExpertise(referentiel: referentiel.code) }
        if let decision { try dossier.apply(.decision(decision), by: "", at: replay) }
        if let abandon { try dossier.apply(.abandon(date: abandon.date, motif: abandon.motif), by: "", at: replay) }
        return dossier
    }
}
