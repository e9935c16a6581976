import Foundation

/// An international mobility line of a campus's school year: so many people of one public went abroad to, or came
/// from, one country. The indicators INT-01 and INT-02 are the sums of these lines.
public struct MobilityLine: Hashable, Sendable, Codable {
    public var direction: MobilityDirection
    public var audience: MobilityAudience
    /// ISO 3166-1 alpha-2 code of the country (`DE`).
    public var country: String
    public var count: Int

    public init(direction: MobilityDirection, audience: MobilityAudience, country: String, count: Int) {
        self.direction = direction
        self.audience = audience
        self.country = country
        self.count = count
    }

    /// What makes a line unique in a school year.
    public var key: String { "\(direction.rawValue)|\(audience.rawValue)|\(country)" }
}

public enum MobilityDirection: String, Sendable, Codable, CaseIterable {
    case sortante, entrante

    public var label: String {
        switch self {
        case .sortante: "sortante (vers l'étranger)"
        case .entrante: "entrante (accueillie dans le réseau)"
        }
    }
}

/// Who moved: learners by status, or staff.
public enum MobilityAudience: String, Sendable, Codable, CaseIterable {
    case scolaire, apprenti, etudiant, stagiaire, personnel

    public var label: String {
        switch self {
        case .scolaire: "élèves (statut scolaire)"
        case .apprenti: "apprentis"
        case .etudiant: "étudiants"
        case .stagiaire: "stagiaires de la formation continue"
        case .personnel: "enseignants et personnels"
        }
    }
}

/// The countries a mobility goes to or comes from, named in French: every ISO 3166-1 country Foundation knows,
/// except France and its overseas territories (a mobility there is not international).
public enum MobilityCountries {
    /// France and the overseas collectivities, departments and territories that have their own ISO code.
    static let france: Set<String> = ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF"]
    /// Groupings and codes that are not countries.
    static let notCountries: Set<String> = ["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AQ"]

    /// Code → French name, sorted by name.
    public static let all: [(code: String, name: String)] = {
        let french = Locale(identifier: "fr_FR")
        return Locale.Region.isoRegions.map(\.identifier)
            .filter { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isUppercase } && !france.contains($0) && !notCountries.contains($0) }
            .compactMap { code in french.localizedString(forRegionCode: code).map { (code: code, name: $0) } }
            .sorted { $0.name.compare($1.name, locale: french) == .orderedAscending }
    }()

    private static let names: [String: String] = Dictionary(all.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })

    public static func name(_ code: String) -> String? { names[code] }
}

/// The rules of a school year's mobility lines.
public enum MobilityRules {
    /// At most this many lines a school year, and this many people a line.
    public static let maximumLines = 500
    public static let maximumCount = 100_000

    /// The faults of `lines`, each with its position (1-based) in French; empty when they may be recorded.
    public static func faults(_ lines: [MobilityLine]) -> [(index: Int, message: String)] {
        var faults: [(Int, String)] = []
        if lines.count > maximumLines { faults.append((0, "Au plus \(maximumLines) lignes de mobilités par année scolaire.")) }
        var seen: Set<String> = []
        for (offset, line) in lines.enumerated() {
            let position = offset + 1
            if MobilityCountries.name(line.country) == nil {
                let why = MobilityCountries.france.contains(line.country) ? "une mobilité en France n'est pas internationale" : "code pays ISO 3166-1 à deux lettres attendu, comme DE ou ES"
                faults.append((position, "Pays « \(line.country) » refusé : \(why)."))
            }
            if !(1...maximumCount).contains(line.count) {
                faults.append((position, "Le nombre de personnes doit être compris entre 1 et \(maximumCount)."))
            }
            if !seen.insert(line.key).inserted {
                faults.append((position, "Cette ligne répète le même sens, le même public et le même pays qu'une ligne précédente : additionnez-les."))
            }
        }
        return faults
    }

    /// The totals by direction (the indicators INT-01 and INT-02).
    public static func totals(_ lines: [MobilityLine]) -> [MobilityDirection: Int] {
        lines.reduce(into: [:]) { $0[$1.direction, default: 0] += $1.count }
    }
}
