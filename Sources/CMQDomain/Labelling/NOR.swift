/// The NOR of a legal text (numéro d'ordre normalisé), e.g. "MENE1317532A": 12 characters, the ministry
/// (3 letters) and its department (1 letter), the year (2 digits), a number (5 digits) and the kind of text
/// (1 letter: A arrêté, D décret, C circulaire…).
public struct NOR: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        guard !code.isEmpty else { throw IdentifierError(.empty, "Le NOR est vide.") }
        let chars = Array(code)
        guard chars.count == 12,
              chars[0..<4].allSatisfy(CharacterSetLite.isASCIIUpper),
              chars[4..<11].allSatisfy(CharacterSetLite.isASCIIDigit),
              CharacterSetLite.isASCIIUpper(chars[11])
        else {
            throw IdentifierError(.format, "Le NOR « \(raw.trimmed) » doit comporter 12 caractères : 4 lettres, 2 chiffres pour l'année, 5 chiffres et une lettre (par exemple MENE1317532A).")
        }
        value = code
    }

    /// "MEN": the ministry.
    public var ministere: String { String(value.prefix(3)) }

    /// The year of the text, from its two digits (a NOR of the 1990s reads as 19xx).
    public var year: Int {
        let twoDigits = Int(value.dropFirst(4).prefix(2))!
        return twoDigits >= 80 ? 1900 + twoDigits : 2000 + twoDigits
    }

    /// "A" for an arrêté.
    public var kindLetter: Character { value.last! }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(raw) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
