/// What kind of organisation takes part in a campus network.
public enum OrganisationKind: String, CaseIterable, Codable, Sendable, Hashable {
    case lyceeProfessionnel = "lycee-professionnel"
    case lyceePolyvalent = "lycee-polyvalent"
    case lyceeGeneralTechnologique = "lycee-general-technologique"
    case lyceeAgricole = "lycee-agricole"
    case cfa
    case universite
    case iut
    case ecoleIngenieurs = "ecole-ingenieurs"
    case organismeFormationContinue = "organisme-formation-continue"
    case entreprise
    case brancheProfessionnelle = "branche-professionnelle"
    case laboratoireRecherche = "laboratoire-recherche"
    case poleCompetitivite = "pole-competitivite"
    case cluster
    case plateformeTechnologique = "plateforme-technologique"
    case association
    case collectiviteTerritoriale = "collectivite-territoriale"

    public var label: String {
        switch self {
        case .lyceeProfessionnel: "Lycée professionnel"
        case .lyceePolyvalent: "Lycée polyvalent"
        case .lyceeGeneralTechnologique: "Lycée général et technologique"
        case .lyceeAgricole: "Lycée agricole"
        case .cfa: "Centre de formation d'apprentis (CFA)"
        case .universite: "Université"
        case .iut: "Institut universitaire de technologie (IUT)"
        case .ecoleIngenieurs: "École d'ingénieurs"
        case .organismeFormationContinue: "Organisme de formation continue (GRETA…)"
        case .entreprise: "Entreprise"
        case .brancheProfessionnelle: "Branche professionnelle"
        case .laboratoireRecherche: "Laboratoire de recherche"
        case .poleCompetitivite: "Pôle de compétitivité"
        case .cluster: "Cluster"
        case .plateformeTechnologique: "Plateforme technologique"
        case .association: "Association"
        case .collectiviteTerritoriale: "Collectivité territoriale"
        }
    }

    /// The families used to group a network on a campus page.
    public enum Family: String, CaseIterable, Sendable {
        case secondaire, superieur, apprentissageFormationContinue, monde_economique, recherche, autres

        public var label: String {
            switch self {
            case .secondaire: "Lycées"
            case .superieur: "Enseignement supérieur"
            case .apprentissageFormationContinue: "Apprentissage et formation continue"
            case .monde_economique: "Monde économique"
            case .recherche: "Recherche et innovation"
            case .autres: "Associations et collectivités"
            }
        }
    }

    public var family: Family {
        switch self {
        case .lyceeProfessionnel, .lyceePolyvalent, .lyceeGeneralTechnologique, .lyceeAgricole: .secondaire
        case .universite, .iut, .ecoleIngenieurs: .superieur
        case .cfa, .organismeFormationContinue: .apprentissageFormationContinue
        case .entreprise, .brancheProfessionnelle, .poleCompetitivite, .cluster: .monde_economique
        case .laboratoireRecherche, .plateformeTechnologique: .recherche
        case .association, .collectiviteTerritoriale: .autres
        }
    }

    public var isLycee: Bool { family == .secondaire }

    /// Establishments that train learners and may therefore be a campus's établissement support.
    public var isTrainingEstablishment: Bool {
        switch family {
        case .secondaire, .superieur, .apprentissageFormationContinue: true
        default: false
        }
    }

    public var isHigherEducation: Bool { family == .superieur }
}

/// The part an organisation plays in a campus network.
public enum MembershipRole: String, CaseIterable, Codable, Sendable, Hashable {
    case etablissementSupport = "etablissement-support"
    case membre
    case partenaire

    public var label: String {
        switch self {
        case .etablissementSupport: "Établissement support"
        case .membre: "Membre"
        case .partenaire: "Partenaire"
        }
    }
}

/// The roles of the people in a campus team.
public enum TeamRole: String, CaseIterable, Codable, Sendable, Hashable {
    case directeur
    case directeurOperationnel = "directeur-operationnel"
    case animateur
    case contact

    public var label: String {
        switch self {
        case .directeur: "Directeur ou directrice"
        case .directeurOperationnel: "Directeur ou directrice opérationnel(le)"
        case .animateur: "Animateur ou animatrice"
        case .contact: "Contact"
        }
    }
}

/// How a campus is run legally.
public enum LegalForm: String, CaseIterable, Codable, Sendable, Hashable {
    case etablissementBudgetPropre = "etablissement-budget-propre"
    case association
    case gip

    public var label: String {
        switch self {
        case .etablissementBudgetPropre: "Dans un établissement, avec un budget propre"
        case .association: "Association"
        case .gip: "Groupement d'intérêt public (GIP)"
        }
    }
}
