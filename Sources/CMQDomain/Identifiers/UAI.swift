/// Unité administrative immatriculée: the national identifier of an establishment, 7 digits and a check letter.
///
/// The check letter is the 7-digit number modulo 23, read in the alphabet without I, O and Q.
public struct UAI: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    static let checkAlphabet = Array("ABCDEFGHJKLMNPRSTUVWXYZ")

    public init(_ raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        guard !code.isEmpty else { throw IdentifierError(.empty, "L'UAI est vide.") }
        let chars = Array(code)
        guard chars.count == 8, chars[0..<7].allSatisfy(CharacterSetLite.isASCIIDigit), CharacterSetLite.isASCIIUpper(chars[7]) else {
            throw IdentifierError(.format, "L'UAI « \(raw.trimmed) » doit comporter 7 chiffres suivis d'une lettre (par exemple 0010001W).")
        }
        let expected = UAI.checkLetter(forDigits: String(chars[0..<7]))
        guard chars[7] == expected else {
            throw IdentifierError(.checksum, "La lettre de contrôle de l'UAI « \(code) » est incorrecte : pour \(String(chars[0..<7])), la lettre attendue est \(expected).")
        }
        value = code
    }

    /// The check letter for seven digits.
    public static func checkLetter(forDigits digits: String) -> Character {
        let number = Int(digits) ?? 0
        return checkAlphabet[number % 23]
    }

    /// The département the UAI was registered in, from its first three digits ("002" → "02", "620" → "2A", "974" → "974").
    public var departementCode: String? {
        let prefix = String(value.prefix(3))
        switch prefix {
        case "620": return "2A"
        case "720": return "2B"
        default:
            guard let number = Int(prefix) else { return nil }
            if number >= 1, number <= 95 { return String(format2: number) }
            if number >= 971, number <= 976 { return prefix }
            return nil
        }
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

extension String {
    init(format2 number: Int) {
        self = number < 10 ? "0\(number)" : "\(number)"
    }

    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

import Foundation
