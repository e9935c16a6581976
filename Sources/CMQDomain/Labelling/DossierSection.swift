/// The sections of the project a label dossier presents, in the order of the dossier.
public enum DossierSection: String, CaseIterable, Codable, Sendable, Hashable {
    case strategieObjectifs = "strategie-et-objectifs"
    case offreFormation = "offre-de-formation"
    case partenariat
    case gouvernance
    case projetPedagogique = "projet-pedagogique"
    case ouvertureEuropeenneInternationale = "ouverture-europeenne-et-internationale"
    case plateauxTechniques = "plateaux-techniques"
    case indicateursEvaluation = "indicateurs-et-evaluation"

    public var slug: String { rawValue }

    public var titre: String {
        switch self {
        case .strategieObjectifs: "Stratégie et objectifs"
        case .offreFormation: "Offre de formation"
        case .partenariat: "Partenariat"
        case .gouvernance: "Gouvernance"
        case .projetPedagogique: "Projet pédagogique"
        case .ouvertureEuropeenneInternationale: "Ouverture européenne et internationale"
        case .plateauxTechniques: "Plateaux techniques"
        case .indicateursEvaluation: "Indicateurs de réussite et procédure d'évaluation"
        }
    }
}

/// A dossier asks for a first label or for the renewal of a label.
public enum DossierKind: String, CaseIterable, Codable, Sendable, Hashable {
    case creation
    case renouvellement

    public var label: String {
        switch self {
        case .creation: "Création"
        case .renouvellement: "Renouvellement"
        }
    }
}

/// The label a dossier asks for.
public enum RequestedLabel: String, CaseIterable, Codable, Sendable, Hashable {
    case cmq
    case cmqExcellence = "cmq-excellence"

    public var label: String {
        switch self {
        case .cmq: "CMQ"
        case .cmqExcellence: "CMQ Excellence"
        }
    }
}
