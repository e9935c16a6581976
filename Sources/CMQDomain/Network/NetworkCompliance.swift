import Foundation

/// What the compliance rules need to know about one organisation of a campus network.
public struct NetworkMember: Sendable, Equatable {
    public var name: String
    public var kind: OrganisationKind
    public var isPublic: Bool
    public var role: MembershipRole
    public var since: CalendarDay?
    public var until: CalendarDay?

    public init(name: String, kind: OrganisationKind, isPublic: Bool, role: MembershipRole, since: CalendarDay? = nil, until: CalendarDay? = nil) {
        self.name = name
        self.kind = kind
        self.isPublic = isPublic
        self.role = role
        self.since = since
        self.until = until
    }

    /// A member counts on a date when it had joined by then and had not yet left.
    public func isActive(on date: CalendarDay) -> Bool {
        if let since, since > date { return false }
        if let until, until < date { return false }
        return true
    }

    /// An établissement public local d'enseignement: a public lycée.
    public var isEPLE: Bool { kind.isLycee && isPublic }
}

/// One rule of the cahier des charges, checked against a network, with the reason in French.
public struct ComplianceCheck: Sendable, Equatable, Codable {
    public enum Rule: String, CaseIterable, Sendable, Codable {
        case etablissementSupport = "etablissement-support"
        case eple
        case entreprise
        case enseignementSuperieur = "enseignement-superieur"
        case laboratoireRecherche = "laboratoire-recherche"
        case offre = "offre-niveaux-3-a-6"

        public var label: String {
            switch self {
            case .etablissementSupport: "Un seul établissement support, qui est un établissement de formation"
            case .eple: "Au moins un établissement public local d'enseignement (lycée public)"
            case .entreprise: "Au moins une entreprise"
            case .enseignementSuperieur: "Au moins un établissement d'enseignement supérieur"
            case .laboratoireRecherche: "Au moins un laboratoire de recherche"
            case .offre: "Une offre de formation du niveau 3 au niveau 6 ou plus"
            }
        }
    }

    public let rule: Rule
    public let passed: Bool
    public let explanation: String

    public var label: String { rule.label }
}

/// The compliance of a campus network with the national requirements (cahier des charges).
public struct NetworkCompliance: Sendable, Equatable {
    public let checks: [ComplianceCheck]

    public var isCompliant: Bool { checks.allSatisfy(\.passed) }

    /// - Parameter coverage: the campus's training offer; when given, the offer from level 3 to level 6 is checked too.
    public init(members allMembers: [NetworkMember], coverage: CoverageMatrix? = nil, on date: CalendarDay = .today) {
        let members = allMembers.filter { $0.isActive(on: date) }
        checks = [
            Self.supportCheck(members),
            Self.presenceCheck(.eple, members, where: \.isEPLE,
                               found: "lycée public", missing: "Le réseau ne compte aucun lycée public (EPLE) : il en faut au moins un."),
            Self.presenceCheck(.entreprise, members, where: { $0.kind == .entreprise },
                               found: "entreprise", missing: "Le réseau ne compte aucune entreprise : il en faut au moins une."),
            Self.presenceCheck(.enseignementSuperieur, members, where: { $0.kind.isHigherEducation },
                               found: "établissement d'enseignement supérieur",
                               missing: "Le réseau ne compte aucun établissement d'enseignement supérieur (université, IUT, école d'ingénieurs) : il en faut au moins un."),
            Self.presenceCheck(.laboratoireRecherche, members, where: { $0.kind == .laboratoireRecherche },
                               found: "laboratoire de recherche", missing: "Le réseau ne compte aucun laboratoire de recherche : il en faut au moins un."),
        ] + (coverage.map { [Self.offerCheck($0)] } ?? [])
    }

    static func offerCheck(_ coverage: CoverageMatrix) -> ComplianceCheck {
        let missing = coverage.missingLevelsUpTo6
        guard missing.isEmpty else {
            let levels = missing.map { String($0.number) }
            let list = levels.count == 1 ? "de niveau \(levels[0])" : "des niveaux " + levels.dropLast().joined(separator: ", ") + " et " + levels.last!
            return ComplianceCheck(rule: .offre, passed: false, explanation: "L'offre ne compte aucune formation \(list) : elle doit aller du niveau 3 (CAP) au niveau 6 au moins.")
        }
        let top = Level.allCases.last { coverage.total($0) > 0 } ?? .niveau6
        return ComplianceCheck(rule: .offre, passed: true, explanation: "L'offre va du niveau 3 au niveau \(top.number).")
    }

    static func supportCheck(_ members: [NetworkMember]) -> ComplianceCheck {
        let supports = members.filter { $0.role == .etablissementSupport }
        switch supports.count {
        case 0:
            return ComplianceCheck(rule: .etablissementSupport, passed: false,
                                   explanation: "Aucun établissement support n'est désigné.")
        case 1:
            let support = supports[0]
            guard support.kind.isTrainingEstablishment else {
                return ComplianceCheck(rule: .etablissementSupport, passed: false,
                                       explanation: "L'établissement support « \(support.name) » est de type « \(support.kind.label) » : ce doit être un établissement de formation.")
            }
            return ComplianceCheck(rule: .etablissementSupport, passed: true,
                                   explanation: "L'établissement support est « \(support.name) » (\(support.kind.label.lowercasedFirst)).")
        default:
            let names = supports.map { "« \($0.name) »" }.joined(separator: ", ")
            return ComplianceCheck(rule: .etablissementSupport, passed: false,
                                   explanation: "\(supports.count) établissements supports sont désignés (\(names)) : il en faut un seul.")
        }
    }

    static func presenceCheck(_ rule: ComplianceCheck.Rule, _ members: [NetworkMember], where predicate: (NetworkMember) -> Bool,
                              found noun: String, missing: String) -> ComplianceCheck {
        let matching = members.filter(predicate)
        guard let first = matching.first else {
            return ComplianceCheck(rule: rule, passed: false, explanation: missing)
        }
        let others = matching.count - 1
        let suffix = others == 0 ? "" : (others == 1 ? " et 1 autre" : " et \(others) autres")
        return ComplianceCheck(rule: rule, passed: true, explanation: "\(noun.capitalisedFirst) : « \(first.name) »\(suffix).")
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
