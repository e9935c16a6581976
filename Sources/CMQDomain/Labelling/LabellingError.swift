/// What someone may try to do on a label dossier; the state machine says whether it is possible now.
public enum ProcedureAction: Sendable, Hashable {
    /// Change the sections, attachments, requested label or duration.
    case edition
    case depot
    case avis(Instance)
    /// An expert scores a criterion.
    case notation
    /// The expert body gives its collective opinion and closes the expertise.
    case clotureExpertise
    case decision
    /// The dossier is given up before any decision.
    case abandon

    /// How a refusal starts: "L'avis du CNEE ne peut pas être rendu".
    var cannotHappen: String {
        switch self {
        case .edition: "Le dossier ne peut pas être modifié"
        case .depot: "Le dossier ne peut pas être déposé"
        case .avis(let instance): "L'avis \(instance.withDu) ne peut pas être rendu"
        case .notation: "Les experts ne peuvent pas noter le dossier"
        case .clotureExpertise: "L'expertise ne peut pas être close"
        case .decision: "La décision ne peut pas être prise"
        case .abandon: "Le dossier ne peut pas être abandonné"
        }
    }
}

/// Why the labelling procedure refused something, with the French explanation shown to the person.
///
/// Every message of the labelling procedure is written here. `isConflict` separates what the state of the
/// dossier forbids (HTTP 409: too early, already done, frozen) from bad input (HTTP 422).
public enum LabellingError: Error, Equatable, Sendable, CustomStringConvertible {
    // The state of the dossier.
    case tooEarly(ProcedureAction, missing: [String])
    case notDeposited(ProcedureAction)
    case alreadyDeposited
    case frozenAfterDepot
    case decided
    case abandoned
    case instanceNotInProcedure(Instance, referentiel: String)
    case opinionGivenByClosingExpertise(Instance)
    case opinionAlreadyGiven(Instance)
    case noExpertise(referentiel: String)
    case expertiseClosed
    case renewalNotProvided(referentiel: String)
    // The input.
    case emptySections([DossierSection])
    case missingAuthor
    case missingOpinionText(Verdict)
    case wrongInstanceForExpertise(expected: Instance, given: Instance)
    case missingExpert
    case scoreOutOfRange(Int)
    case unknownCriterion(String, referentiel: String)
    case unscoredCriteria([String])
    case dateBeforePreviousStep(CalendarDay, previous: CalendarDay)
    case durationRequired
    case durationNotAllowed(years: Int, minimum: Int, maximum: Int, referentiel: String)
    case refusalWithLabelTerms
    case excellenceNotInReferentiel(String)
    case excellenceNotRequested
    case missingReason(ReasonKind)
    case alreadyWithdrawn
    case withdrawalOutsidePeriod(start: CalendarDay, end: CalendarDay)

    public enum ReasonKind: Sendable, Equatable {
        case abandon, retrait
    }

    /// The French explanation.
    public var message: String {
        switch self {
        case .tooEarly(let action, let missing):
            "\(action.cannotHappen) avant \(LabellingError.list(missing))."
        case .notDeposited(let action):
            "\(action.cannotHappen) : le dossier n'a pas encore été déposé."
        case .alreadyDeposited:
            "Le dossier a déjà été déposé."
        case .frozenAfterDepot:
            "Le dossier a été déposé : ses sections, ses pièces jointes, le label et la durée demandés ne peuvent plus être modifiés."
        case .decided:
            "Ce dossier est décidé : il ne peut plus être modifié."
        case .abandoned:
            "Ce dossier a été abandonné : il ne peut plus être modifié."
        case .instanceNotInProcedure(let instance, let referentiel):
            "\(instance.capitalisedWithArticle) n'intervient pas dans la procédure du référentiel \(referentiel)."
        case .opinionGivenByClosingExpertise(let instance):
            "\(instance.capitalisedWithArticle) rend son avis collectif en clôturant l'expertise, après la notation des critères."
        case .opinionAlreadyGiven(let instance):
            "\(instance.capitalisedWithArticle) a déjà rendu son avis sur ce dossier."
        case .noExpertise(let referentiel):
            "Le référentiel \(referentiel) ne prévoit pas d'expertise notée."
        case .expertiseClosed:
            "L'expertise est close : les notes ne peuvent plus être modifiées."
        case .renewalNotProvided(let referentiel):
            "Le référentiel \(referentiel) ne prévoit pas de renouvellement du label."
        case .emptySections(let sections):
            sections.count == 1
                ? "Le dossier ne peut pas être déposé : la section « \(sections[0].titre) » est vide."
                : "Le dossier ne peut pas être déposé : les sections \(LabellingError.list(sections.map { "« \($0.titre) »" })) sont vides."
        case .missingAuthor:
            "L'auteur de l'avis doit être indiqué."
        case .missingOpinionText(let verdict):
            "Un avis \(verdict.label.lowercased()) doit être motivé : son texte est vide."
        case .wrongInstanceForExpertise(let expected, _):
            "L'avis collectif qui clôt l'expertise est rendu par \(expected.withDefiniteArticle)."
        case .missingExpert:
            "L'expert qui note doit être indiqué."
        case .scoreOutOfRange(let score):
            "La note \(score) n'est pas valide : une note va de 0 à 4."
        case .unknownCriterion(let code, let referentiel):
            "Le critère « \(code) » ne fait pas partie de la grille du référentiel \(referentiel)."
        case .unscoredCriteria(let libelles):
            libelles.count == 1
                ? "L'expertise ne peut pas être close : le critère « \(libelles[0]) » n'a été noté par aucun expert."
                : "L'expertise ne peut pas être close : les critères \(LabellingError.list(libelles.map { "« \($0) »" })) n'ont été notés par aucun expert."
        case .dateBeforePreviousStep(let date, let previous):
            "La date indiquée (\(date.frenchLong)) précède celle de l'étape précédente (\(previous.frenchLong))."
        case .durationRequired:
            "La durée de labellisation doit être indiquée."
        case .durationNotAllowed(let years, let minimum, let maximum, let referentiel):
            if minimum == maximum {
                "Dans le référentiel \(referentiel), le label est accordé pour \(LabellingError.years(maximum)) : une durée de \(LabellingError.years(years)) n'est pas possible."
            } else if years > maximum {
                "La durée de \(LabellingError.years(years)) dépasse la durée maximale du référentiel \(referentiel) (\(LabellingError.years(maximum)))."
            } else {
                "Dans le référentiel \(referentiel), la durée de labellisation va de \(LabellingError.years(minimum)) à \(LabellingError.years(maximum)) : une durée de \(LabellingError.years(years)) n'est pas possible."
            }
        case .refusalWithLabelTerms:
            "Un refus ne comporte ni durée ni mention Excellence."
        case .excellenceNotInReferentiel(let referentiel):
            "Le référentiel \(referentiel) ne prévoit pas de mention Excellence."
        case .excellenceNotRequested:
            "Le dossier ne demandait pas la mention Excellence : elle ne peut pas être accordée."
        case .missingReason(.abandon):
            "Le motif de l'abandon doit être indiqué."
        case .missingReason(.retrait):
            "Le motif du retrait doit être indiqué."
        case .alreadyWithdrawn:
            "Ce label a déjà été retiré."
        case .withdrawalOutsidePeriod(let start, let end):
            "Le retrait doit intervenir pendant la validité du label, du \(start.frenchLong) au \(end.frenchLong)."
        }
    }

    /// Whether the state of the dossier forbids the request (HTTP 409) rather than the request being malformed (422).
    public var isConflict: Bool {
        switch self {
        case .tooEarly, .notDeposited, .alreadyDeposited, .frozenAfterDepot, .decided, .abandoned, .instanceNotInProcedure,
             .opinionGivenByClosingExpertise, .opinionAlreadyGiven, .noExpertise, .expertiseClosed, .renewalNotProvided,
             .unscoredCriteria, .alreadyWithdrawn:
            true
        case .emptySections, .missingAuthor, .missingOpinionText, .wrongInstanceForExpertise, .missingExpert, .scoreOutOfRange,
             .unknownCriterion, .dateBeforePreviousStep, .durationRequired, .durationNotAllowed, .refusalWithLabelTerms,
             .excellenceNotInReferentiel, .excellenceNotRequested, .missingReason, .withdrawalOutsidePeriod:
            false
        }
    }

    public var description: String { message }

    /// "a", "a et b", "a, b et c".
    public static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " et " + items.last!
    }

    /// "0 an", "1 an", "4 ans" (French takes the plural from two).
    static func years(_ count: Int) -> String {
        abs(count) < 2 ? "\(count) an" : "\(count) ans"
    }
}
