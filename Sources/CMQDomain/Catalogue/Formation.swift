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

/// The levels of the LHEO dictionary (dict-niveaux): codes 13 to 18 stand for the levels 3 to 8.
public enum LHEOLevel {
    public static func code(for level: Level) -> Int { level.number + 10 }

    public static func level(forCode code: Int) -> Level? { Level(number: code - 10) }
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
