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

/// A school year, "2024-2025", known by the calendar year it starts in.
public struct SchoolYear: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let start: Int

    public init(start: Int) { self.start = start }

    /// "2024-2025" (the second year must follow the first); years 2000 to 2100.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isASCIIDigit) }),
              let first = Int(parts[0]), let second = Int(parts[1]), second == first + 1, (2000...2100).contains(first) else { return nil }
        start = first
    }

    public var description: String { "\(start)-\(start + 1)" }
    public var next: SchoolYear { SchoolYear(start: start + 1) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.start < rhs.start }
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
