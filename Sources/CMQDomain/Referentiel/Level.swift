/// A level of the national framework of certifications (cadre national des certifications, 2019), 3 to 8.
public enum Level: Int, CaseIterable, Codable, Sendable, Comparable, Hashable {
    case niveau3 = 3, niveau4, niveau5, niveau6, niveau7, niveau8

    public init?(number: Int) { self.init(rawValue: number) }

    public var number: Int { rawValue }

    public var label: String {
        switch self {
        case .niveau3: "Niveau 3 (CAP, BEP)"
        case .niveau4: "Niveau 4 (baccalauréat, brevet professionnel)"
        case .niveau5: "Niveau 5 (BTS, DEUST, bac + 2)"
        case .niveau6: "Niveau 6 (licence, licence professionnelle, BUT, bac + 3)"
        case .niveau7: "Niveau 7 (master, diplôme d'ingénieur, bac + 5)"
        case .niveau8: "Niveau 8 (doctorat)"
        }
    }

    /// The numbering of 1969 still used in older documents: V = 3, IV = 4, III = 5, II = 6, I = 7 and 8.
    public var oldNumbering: String {
        switch self {
        case .niveau3: "V"
        case .niveau4: "IV"
        case .niveau5: "III"
        case .niveau6: "II"
        case .niveau7, .niveau8: "I"
        }
    }

    /// Reads an old-numbering level. "I" maps to level 7, the lower of the two levels it covered.
    public init?(oldNumbering: String) {
        switch oldNumbering.uppercased().trimmingCharacters(in: .whitespaces) {
        case "V": self = .niveau3
        case "IV": self = .niveau4
        case "III": self = .niveau5
        case "II": self = .niveau6
        case "I": self = .niveau7
        default: return nil
        }
    }

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Diploma types and the level of the national framework they certify.
public enum DiplomaType: String, CaseIterable, Codable, Sendable, Hashable {
    case cap
    case bacPro = "bac-pro"
    case bp
    case bts
    case deust
    case but
    case licence
    case licencePro = "licence-pro"
    case master
    case diplomeIngenieur = "diplome-ingenieur"
    case doctorat

    public var label: String {
        switch self {
        case .cap: "CAP"
        case .bacPro: "Baccalauréat professionnel"
        case .bp: "Brevet professionnel"
        case .bts: "BTS"
        case .deust: "DEUST"
        case .but: "BUT"
        case .licence: "Licence"
        case .licencePro: "Licence professionnelle"
        case .master: "Master"
        case .diplomeIngenieur: "Diplôme d'ingénieur"
        case .doctorat: "Doctorat"
        }
    }

    public var level: Level {
        switch self {
        case .cap: .niveau3
        case .bacPro, .bp: .niveau4
        case .bts, .deust: .niveau5
        case .but, .licence, .licencePro: .niveau6
        case .master, .diplomeIngenieur: .niveau7
        case .doctorat: .niveau8
        }
    }
}

/// The status under which a learner follows a training.
public enum LearnerStatus: String, CaseIterable, Codable, Sendable, Hashable {
    case scolaire
    case etudiant
    case apprenti
    case formationContinue = "formation-continue"

    public var label: String {
        switch self {
        case .scolaire: "Scolaire"
        case .etudiant: "Étudiant"
        case .apprenti: "Apprenti"
        case .formationContinue: "Stagiaire de la formation continue"
        }
    }
}

import Foundation
