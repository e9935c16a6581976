import Foundation

/// The kinds of action a campus runs (the seeds' list, after OpenAgenda's event model).
public enum ActionType: String, CaseIterable, Codable, Sendable, Hashable {
    case decouverteCollegiens = "decouverte-collegiens"
    case portesOuvertes = "portes-ouvertes"
    case salonForum = "salon-forum"
    case visiteEntreprise = "visite-entreprise"
    case miniStage = "mini-stage"
    case moduleComplementaire = "module-complementaire"
    case projetPedagogique = "projet-pedagogique"
    case prototype
    case mobiliteInternationale = "mobilite-internationale"
    case conference
    case concours
    case formationFormateurs = "formation-formateurs"
    case autre

    public var label: String {
        switch self {
        case .decouverteCollegiens: "Découverte des métiers pour collégiens"
        case .portesOuvertes: "Journée portes ouvertes"
        case .salonForum: "Salon / forum"
        case .visiteEntreprise: "Visite d'entreprise"
        case .miniStage: "Mini-stage"
        case .moduleComplementaire: "Module complémentaire"
        case .projetPedagogique: "Projet pédagogique"
        case .prototype: "Prototype / projet d'entreprise"
        case .mobiliteInternationale: "Mobilité internationale"
        case .conference: "Conférence"
        case .concours: "Concours"
        case .formationFormateurs: "Formation de formateurs"
        case .autre: "Autre"
        }
    }

    /// schema.org type: an open day or a module is an `EducationEvent`, the rest an `Event`.
    public var schemaOrgType: String {
        switch self {
        case .decouverteCollegiens, .portesOuvertes, .miniStage, .moduleComplementaire, .formationFormateurs, .projetPedagogique:
            "EducationEvent"
        default:
            "Event"
        }
    }
}

/// Who an action is for (and the categories participants are counted by).
public enum ActionAudience: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    case collegiens
    case lyceens
    case apprentis
    case etudiants
    case adultes
    case parents
    case enseignants
    case entreprises

    public var label: String {
        switch self {
        case .collegiens: "Collégiens"
        case .lyceens: "Lycéens"
        case .apprentis: "Apprentis"
        case .etudiants: "Étudiants"
        case .adultes: "Adultes / demandeurs d'emploi"
        case .parents: "Parents"
        case .enseignants: "Enseignants"
        case .entreprises: "Entreprises"
        }
    }

    public static func < (lhs: ActionAudience, rhs: ActionAudience) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where an action takes place.
public enum ActionPlaceKind: String, CaseIterable, Codable, Sendable, Hashable {
    /// At a member organisation of the network (its address).
    case organisation
    /// At another address, with its commune's INSEE code and coordinates.
    case adresse
    /// Online, with a link.
    case enLigne = "en-ligne"

    public var label: String {
        switch self {
        case .organisation: "Chez un membre du réseau"
        case .adresse: "À une autre adresse"
        case .enLigne: "En ligne"
        }
    }
}

/// How one registers for an action.
public enum RegistrationMode: String, CaseIterable, Codable, Sendable, Hashable {
    case aucune
    case lien
    case courriel
    /// In cmq, with a capacity and a waiting list.
    case cmq

    public var label: String {
        switch self {
        case .aucune: "Sans inscription"
        case .lien: "Inscription par un lien"
        case .courriel: "Inscription par courriel"
        case .cmq: "Inscription sur cmq"
        }
    }
}

/// The five disabilities OpenAgenda lists for an event's accessibility.
public enum Disability: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    case moteur
    case visuel
    case auditif
    case mental
    case psychique

    public var label: String {
        switch self {
        case .moteur: "Handicap moteur"
        case .visuel: "Handicap visuel"
        case .auditif: "Handicap auditif"
        case .mental: "Handicap mental"
        case .psychique: "Handicap psychique"
        }
    }

    /// OpenAgenda's accessibility codes.
    public var openAgendaCode: String {
        switch self {
        case .moteur: "mi"
        case .visuel: "vi"
        case .auditif: "hi"
        case .mental: "ii"
        case .psychique: "pi"
        }
    }

    public static func < (lhs: Disability, rhs: Disability) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What happens to an action (OpenAgenda's statuses); all but `programme` carry a reason.
public enum ActionStatus: String, CaseIterable, Codable, Sendable, Hashable {
    case programme
    case reporte
    case deplaceEnLigne = "deplace-en-ligne"
    case complet
    case annule

    public var label: String {
        switch self {
        case .programme: "Programmé"
        case .reporte: "Reporté"
        case .deplaceEnLigne: "Déplacé en ligne"
        case .complet: "Complet"
        case .annule: "Annulé"
        }
    }

    public var needsReason: Bool { self != .programme }

    /// OpenAgenda's status codes: 1 scheduled, 2 rescheduled, 3 moved online, 4 postponed, 5 full, 6 cancelled.
    public var openAgendaCode: Int {
        switch self {
        case .programme: 1
        case .reporte: 4
        case .deplaceEnLigne: 3
        case .complet: 5
        case .annule: 6
        }
    }

    /// schema.org `eventStatus`.
    public var schemaOrgStatus: String {
        switch self {
        case .programme, .complet: "https://schema.org/EventScheduled"
        case .reporte: "https://schema.org/EventPostponed"
        case .deplaceEnLigne: "https://schema.org/EventMovedOnline"
        case .annule: "https://schema.org/EventCancelled"
        }
    }
}

/// The moderation state: only a published action is seen by the public.
public enum Moderation: String, CaseIterable, Codable, Sendable, Hashable {
    case brouillon
    case publie
    case retire

    public var label: String {
        switch self {
        case .brouillon: "Brouillon"
        case .publie: "Publié"
        case .retire: "Retiré"
        }
    }

    /// Publish from a draft or a withdrawn action; withdraw a published one. Nothing goes back to draft.
    public func mayBecome(_ next: Moderation) -> Bool {
        switch (self, next) {
        case (.brouillon, .publie), (.retire, .publie), (.publie, .retire): true
        default: false
        }
    }
}
