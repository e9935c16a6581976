import Foundation

/// A learner's status during one step of a pathway.
public enum ParcoursStatut: String, Sendable, CaseIterable, Codable, Comparable {
    case scolaire, apprenti, etudiant, stagiaire

    public var label: String {
        switch self {
        case .scolaire: "scolaire"
        case .apprenti: "apprenti"
        case .etudiant: "étudiant"
        case .stagiaire: "stagiaire de la formation continue"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
}

/// How a step ended, as the establishment knows it at the end of the school year (empty in the file: not known yet).
public enum ParcoursIssue: String, Sendable, CaseIterable, Codable {
    case diplome
    case poursuite
    case abandon
    case reorientation
    case ruptureContrat = "rupture-contrat"

    public var label: String {
        switch self {
        case .diplome: "diplômé"
        case .poursuite: "poursuite d'études"
        case .abandon: "abandon"
        case .reorientation: "réorientation"
        case .ruptureContrat: "rupture de contrat"
        }
    }

    /// Reads the file's word: the code or the French label, accents and case ignored ("Diplômé", "rupture de contrat").
    public init?(word: String) {
        let folded = TextFolding.fold(word).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "-")
        switch folded {
        case "diplome", "diplomee": self = .diplome
        case "poursuite", "poursuite-d'etudes", "poursuite-detudes": self = .poursuite
        case "abandon": self = .abandon
        case "reorientation": self = .reorientation
        case "rupture-contrat", "rupture-de-contrat", "rupture": self = .ruptureContrat
        default: return nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}

/// One step of a pseudonymised pathway: a learner (by pseudonym) in a formation of an establishment, for a school year.
public struct ParcoursStep: Hashable, Sendable {
    public var learner: String
    public var year: SchoolYear
    public var uai: String
    public var formation: String
    public var statut: ParcoursStatut
    public var issue: ParcoursIssue?

    public init(learner: String, year: SchoolYear, uai: String, formation: String, statut: ParcoursStatut, issue: ParcoursIssue?) {
        self.learner = learner
        self.year = year
        self.uai = uai
        self.formation = formation
        self.statut = statut
        self.issue = issue
    }

    /// Where the step stands in the network: establishment, formation, status.
    public var node: ParcoursNode { ParcoursNode(uai: uai, formation: formation, statut: statut) }
}

/// A place in the network for one school year: an establishment, a formation (CFD or MEF), a status.
public struct ParcoursNode: Hashable, Sendable, Comparable {
    public var uai: String
    public var formation: String
    public var statut: ParcoursStatut

    public init(uai: String, formation: String, statut: ParcoursStatut) {
        self.uai = uai
        self.formation = formation
        self.statut = statut
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.uai, lhs.formation, lhs.statut.rawValue) < (rhs.uai, rhs.formation, rhs.statut.rawValue)
    }
}
