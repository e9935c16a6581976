/// The 14-digit identifier of an establishment of a company (SIREN + NIC), checked with the Luhn algorithm.
///
/// La Poste (SIREN 356000000) registered more establishments than Luhn keys allow: its SIRETs are valid
/// when the sum of their digits is a multiple of 5 *or* when they pass Luhn, as the official validators
/// accept them (the head office, 35600000000048, passes Luhn only).
public struct SIRET: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    static let laPosteSIREN = "356000000"

    public init(_ raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        guard !code.isEmpty else { throw IdentifierError(.empty, "Le SIRET est vide.") }
        guard code.allSatisfy(CharacterSetLite.isASCIIDigit) else {
            throw IdentifierError(.format, "Le SIRET « \(raw.trimmed) » ne doit contenir que des chiffres.")
        }
        guard code.count == 14 else {
            throw IdentifierError(.format, "Le SIRET doit comporter exactement 14 chiffres ; « \(code) » en compte \(code.count).")
        }
        let digits = code.map { Int(String($0))! }
        if code.hasPrefix(SIRET.laPosteSIREN) {
            guard digits.reduce(0, +) % 5 == 0 || SIRET.luhnIsValid(digits) else {
                throw IdentifierError(.checksum, "Le SIRET « \(code) » de La Poste n'est pas valide : ni la somme de ses chiffres n'est un multiple de 5, ni sa clé de contrôle (algorithme de Luhn) n'est correcte.")
            }
        } else {
            guard SIRET.luhnIsValid(digits) else {
                throw IdentifierError(.checksum, "Le SIRET « \(code) » n'est pas valide : sa clé de contrôle (algorithme de Luhn) est incorrecte.")
            }
        }
        value = code
    }

    public var siren: String { String(value.prefix(9)) }

    static func luhnIsValid(_ digits: [Int]) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

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
