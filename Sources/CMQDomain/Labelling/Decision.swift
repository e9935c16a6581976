/// The reference of the arrêté that publishes a decision: its NOR and where the Bulletin officiel printed it.
public struct ArreteReference: Sendable, Hashable, Codable {
    public var nor: NOR?
    /// Free text: "BO n° 30 du 25 juillet 2013".
    public var bulletinOfficiel: String?

    public init(nor: NOR? = nil, bulletinOfficiel: String? = nil) {
        self.nor = nor
        self.bulletinOfficiel = bulletinOfficiel?.trimmed.isEmpty == true ? nil : bulletinOfficiel?.trimmed
    }
}

/// The decision that ends the procedure: the campus is labelled (perhaps with the mention Excellence), for a
/// number of years from the decision date, or the label is refused.
public struct Decision: Sendable, Hashable, Codable {
    public enum Outcome: String, CaseIterable, Codable, Sendable, Hashable {
        case labellise
        case refuse

        public var label: String {
            switch self {
            case .labellise: "Labellisé"
            case .refuse: "Refusé"
            }
        }
    }

    public var outcome: Outcome
    public var excellence: Bool
    public var date: CalendarDay
    /// The duration of the label; nil for a refusal.
    public var durationYears: Int?
    public var arrete: ArreteReference?
    /// The reasons or remarks of the decision.
    public var texte: String

    public init(outcome: Outcome, excellence: Bool = false, date: CalendarDay, durationYears: Int?, arrete: ArreteReference? = nil, texte: String = "") {
        self.outcome = outcome
        self.excellence = excellence
        self.date = date
        self.durationYears = durationYears
        self.arrete = arrete
        self.texte = texte
    }

    public static func labellisation(date: CalendarDay, durationYears: Int, excellence: Bool = false, arrete: ArreteReference? = nil, texte: String = "") -> Decision {
        Decision(outcome: .labellise, excellence: excellence, date: date, durationYears: durationYears, arrete: arrete, texte: texte)
    }

    public static func refus(date: CalendarDay, arrete: ArreteReference? = nil, texte: String = "") -> Decision {
        Decision(outcome: .refuse, date: date, durationYears: nil, arrete: arrete, texte: texte)
    }

    /// A labelling has a duration the référentiel allows, and the mention Excellence only when the référentiel
    /// has one and the dossier asked for it; a refusal has neither duration nor Excellence.
    public func validate(against referentiel: Referentiel, requested: RequestedLabel) throws(LabellingError) {
        switch outcome {
        case .refuse:
            guard durationYears == nil, !excellence else { throw .refusalWithLabelTerms }
        case .labellise:
            guard let durationYears else { throw .durationRequired }
            try referentiel.checkDuration(durationYears)
            if excellence {
                guard referentiel.excellence else { throw .excellenceNotInReferentiel(referentiel.code) }
                guard requested == .cmqExcellence else { throw .excellenceNotRequested }
            }
        }
    }

    /// The label this decision grants, from its date; nil for a refusal.
    public var labelPeriod: LabelPeriod? {
        guard outcome == .labellise, let durationYears else { return nil }
        return LabelPeriod(start: date, durationYears: durationYears, excellence: excellence)
    }
}
