import Foundation

/// Where a label dossier stands.
public enum DossierStatus: Sendable, Hashable {
    /// Being written by the académie and the région; sections and attachments can change.
    case brouillon
    /// Submitted; `etapes` are the codes of the steps under way (several when they may happen in any order).
    case enInstruction(etapes: [String])
    case labellise(excellence: Bool)
    case refuse
    /// Given up before any decision.
    case abandonne

    /// The status without its details, for lists and filters (stored as its slug).
    public enum Kind: String, CaseIterable, Sendable, Hashable {
        case brouillon
        case enInstruction = "en-instruction"
        case labellise
        case refuse
        case abandonne

        public var label: String {
            switch self {
            case .brouillon: "En préparation"
            case .enInstruction: "En instruction"
            case .labellise: "Labellisé"
            case .refuse: "Refusé"
            case .abandonne: "Abandonné"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .brouillon: .brouillon
        case .enInstruction: .enInstruction
        case .labellise: .labellise
        case .refuse: .refuse
        case .abandonne: .abandonne
        }
    }

    /// "brouillon", "en-instruction", "labellise", "refuse", "abandonne": for the API and filters.
    public var slug: String { kind.rawValue }

    public var label: String {
        if case .labellise(true) = self { return "Labellisé Excellence" }
        return kind.label
    }

    /// Still in preparation or in instruction.
    public var isOpen: Bool {
        switch self {
        case .brouillon, .enInstruction: true
        case .labellise, .refuse, .abandonne: false
        }
    }
}

extension DossierStatus: Codable {
    private enum CodingKeys: String, CodingKey {
        case statut, etapes, excellence
    }

    /// `{"statut": "en-instruction", "etapes": ["avis-caen", "avis-crefop"]}`, `{"statut": "labellise", "excellence": true}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let slug = try container.decode(String.self, forKey: .statut)
        switch slug {
        case "brouillon": self = .brouillon
        case "en-instruction": self = .enInstruction(etapes: try container.decodeIfPresent([String].self, forKey: .etapes) ?? [])
        case "labellise": self = .labellise(excellence: try container.decodeIfPresent(Bool.self, forKey: .excellence) ?? false)
        case "refuse": self = .refuse
        case "abandonne": self = .abandonne
        default:
            throw DecodingError.dataCorruptedError(forKey: .statut, in: container, debugDescription: "Statut de dossier inconnu « \(slug) ».")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slug, forKey: .statut)
        switch self {
        case .enInstruction(let etapes): try container.encode(etapes, forKey: .etapes)
        case .labellise(let excellence): try container.encode(excellence, forKey: .excellence)
        case .brouillon, .refuse, .abandonne: break
        }
    }
}

extension Referentiel {
    /// "En instruction : en attente de l'avis du CAEN et de l'avis du CREFOP".
    public func describe(_ status: DossierStatus) -> String {
        guard case .enInstruction(let codes) = status, !codes.isEmpty else { return status.label }
        let waiting = codes.compactMap { etape(code: $0) }.map { etape in
            etape.kind == .depot ? "du dépôt du dossier" : "de \(etape.designation)"
        }
        return "En instruction : en attente \(LabellingError.list(waiting))"
    }
}

/// A step of the procedure as the timeline of a dossier shows it.
public enum StepState: String, Codable, Sendable, Hashable {
    case fait
    case enCours = "en-cours"
    case aVenir = "a-venir"
    /// The dossier was given up before this step.
    case nonRealise = "non-realise"

    public var label: String {
        switch self {
        case .fait: "fait"
        case .enCours: "en cours"
        case .aVenir: "à venir"
        case .nonRealise: "non réalisé"
        }
    }
}

/// One line of a dossier's timeline.
public struct StepProgress: Sendable, Hashable, Identifiable {
    public let etape: Etape
    public let state: StepState
    /// When the step was done.
    public let date: CalendarDay?
    /// The verdict of an opinion or of the expertise's collective opinion.
    public let verdict: Verdict?

    public var id: String { etape.code }
}

/// What moves a dossier forward in its procedure.
public enum LabellingEvent: Sendable, Hashable {
    case depot(date: CalendarDay)
    case avis(Avis)
    /// The collective opinion of the expert body, which closes the expertise.
    case clotureExpertise(Avis)
    case decision(Decision)
    case abandon(date: CalendarDay, motif: String)

    /// "depot", "avis", "cloture-expertise", "decision", "abandon".
    public var slug: String {
        switch self {
        case .depot: "depot"
        case .avis: "avis"
        case .clotureExpertise: "cloture-expertise"
        case .decision: "decision"
        case .abandon: "abandon"
        }
    }

    public var action: ProcedureAction {
        switch self {
        case .depot: .depot
        case .avis(let avis): .avis(avis.instance)
        case .clotureExpertise: .clotureExpertise
        case .decision: .decision
        case .abandon: .abandon
        }
    }
}

/// The record of one move of a dossier: what happened, who did it, when, from which status to which.
/// The domain produces it; the application stores it.
public struct Transition: Sendable, Hashable, Codable {
    /// The event's slug ("avis").
    public let event: String
    /// The step concerned ("avis-caen"); nil for an abandon.
    public let etape: String?
    public let from: DossierStatus
    public let to: DossierStatus
    /// Who did it, as the application describes the person ("Marie Durand (CAEN)").
    public let actor: String
    public let at: Date
    public let comment: String?

    public init(event: String, etape: String?, from: DossierStatus, to: DossierStatus, actor: String, at: Date, comment: String?) {
        self.event = event
        self.etape = etape
        self.from = from
        self.to = to
        self.actor = actor
        self.at = at
        self.comment = comment
    }
}

/// A dossier given up before its decision.
public struct Abandon: Sendable, Hashable, Codable {
    public let date: CalendarDay
    public let motif: String

    public init(date: CalendarDay, motif: String) {
        self.date = date
        self.motif = motif
    }
}
