import Foundation

/// The roles of cmq's accounts. Each role acts within a scope (a région, a campus, an organisation, a body).
public enum Role: String, CaseIterable, Codable, Sendable, Hashable {
    case administrateurNational = "administrateur-national"
    case regionAcademique = "region-academique"
    case equipeCampus = "equipe-campus"
    case membre
    case instance

    public var label: String {
        switch self {
        case .administrateurNational: "Administrateur national"
        case .regionAcademique: "Région académique"
        case .equipeCampus: "Équipe campus"
        case .membre: "Membre"
        case .instance: "Instance"
        }
    }
}

/// The bodies that give opinions on label dossiers.
public enum Instance: String, CaseIterable, Codable, Sendable, Hashable {
    case caen
    case crefop
    case groupeExperts = "groupe-experts"
    case cnee

    /// Where a body sits: a CAEN is academic, a CREFOP regional; the expert group and the CNEE are national.
    public enum Territory: Sendable, Equatable {
        case academie, region, national
    }

    public var territory: Territory {
        switch self {
        case .caen: .academie
        case .crefop: .region
        case .groupeExperts, .cnee: .national
        }
    }

    public var label: String {
        switch self {
        case .caen: "CAEN (conseil académique de l'éducation nationale)"
        case .crefop: "CREFOP (comité régional de l'emploi, de la formation et de l'orientation professionnelles)"
        case .groupeExperts: "Groupe d'experts"
        case .cnee: "CNEE (Conseil national éducation économie)"
        }
    }
}

/// Who is acting: a role and its scope. `nil` actor means the public (no account).
public struct Actor: Sendable, Equatable {
    public var userID: UUID
    public var role: Role
    /// For a région académique: its INSEE region code.
    public var regionCode: String?
    /// For an équipe campus: its campus.
    public var campusID: UUID?
    /// For a membre: its organisation.
    public var organisationID: UUID?
    /// For an instance: which body (a CAEN also has its académie, a CREFOP its région académique).
    public var instance: Instance?
    /// For a CAEN: its académie's code.
    public var academieCode: String?

    public init(userID: UUID, role: Role, regionCode: String? = nil, campusID: UUID? = nil, organisationID: UUID? = nil, instance: Instance? = nil,
                academieCode: String? = nil) {
        self.userID = userID
        self.role = role
        self.regionCode = regionCode
        self.campusID = campusID
        self.organisationID = organisationID
        self.instance = instance
        self.academieCode = academieCode
    }

    /// Whether the scope a role needs is given: a région for the région académique, a campus for the équipe…
    public var scopeProblem: String? {
        switch role {
        case .administrateurNational: nil
        case .regionAcademique: regionCode == nil ? "un compte « région académique » doit être rattaché à une région académique" : nil
        case .equipeCampus: campusID == nil ? "un compte « équipe campus » doit être rattaché à un campus" : nil
        case .membre: organisationID == nil ? "un compte « membre » doit être rattaché à une organisation" : nil
        case .instance:
            switch instance?.territory {
            case nil: "un compte « instance » doit indiquer son instance (CAEN, CREFOP, groupe d'experts, CNEE)"
            case .academie?: academieCode == nil ? "un compte de CAEN doit être rattaché à son académie" : nil
            case .region?: regionCode == nil ? "un compte de CREFOP doit être rattaché à sa région académique" : nil
            case .national?: nil
            }
        }
    }
}
