/// How a formation is taught.
public enum Modality: String, CaseIterable, Codable, Sendable, Hashable {
    case presentiel
    case distance
    case mixte

    public var label: String {
        switch self {
        case .presentiel: "Présentiel"
        case .distance: "À distance"
        case .mixte: "Mixte (présentiel et à distance)"
        }
    }
}

/// The levels of the LHEO dictionary (dict-niveaux), which LHEO 2.3 still lists in both numberings:
/// - the 2019 levels, codes 11 to 18 for the levels 1 to 8 (cmq knows 3 to 8 and writes these);
/// - the 1969 levels of LHEO 2.2, still found in real feeds: 0 information non communiquée,
///   1 sans niveau spécifique, 2 niveau VI, 3 niveau V bis (préqualification), 4 niveau V (CAP, BEP),
///   5 niveau IV (bac, BP, BT), 6 niveau III (BTS, DUT), 7 niveau II (licence, maîtrise), 8 niveau I
///   (au-delà de la maîtrise).
/// The codes that name no level from 3 to 8 (0 to 3, 11, 12) read as "no level".
public enum LHEOLevel {
    public static func code(for level: Level) -> Int { level.number + 10 }

    public static func level(forCode code: Int) -> Level? {
        switch code {
        case 4: .niveau3
        case 5: .niveau4
        case 6: .niveau5
        case 7: .niveau6
        case 8: .niveau7
        case 13...18: Level(number: code - 10)
        default: nil
        }
    }

    /// Every code the dictionary lists (what the schema accepts).
    public static let codes: [Int] = Array(0...8) + Array(11...18)
}

/// A ROME code (répertoire opérationnel des métiers et des emplois): a letter and four digits, e.g. H2903.
public struct ROMECode: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        guard !code.isEmpty else { throw IdentifierError(.empty, "Le code ROME est vide.") }
        let chars = Array(code)
        guard chars.count == 5, CharacterSetLite.isASCIIUpper(chars[0]), chars[1...].allSatisfy(CharacterSetLite.isASCIIDigit) else {
            throw IdentifierError(.format, "Le code ROME « \(raw.trimmed) » doit être une lettre suivie de 4 chiffres (par exemple H2903).")
        }
        value = code
    }

    public var description: String { value }
}
