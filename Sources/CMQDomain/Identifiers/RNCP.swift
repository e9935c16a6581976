/// The code of a certification in the Répertoire national des certifications professionnelles: "RNCP" and digits.
public struct RNCP: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        guard !code.isEmpty else { throw IdentifierError(.empty, "Le code RNCP est vide.") }
        guard code.hasPrefix("RNCP") else {
            throw IdentifierError(.format, "Le code RNCP « \(raw.trimmed) » doit commencer par « RNCP » suivi de chiffres (par exemple RNCP35190).")
        }
        let number = code.dropFirst(4)
        guard !number.isEmpty, number.count <= 6, number.allSatisfy(CharacterSetLite.isASCIIDigit) else {
            throw IdentifierError(.format, "Le code RNCP « \(raw.trimmed) » doit être « RNCP » suivi de 1 à 6 chiffres (par exemple RNCP35190).")
        }
        value = code
    }

    /// Reads the bare number some files give ("35190") as well as the full code ("RNCP35190").
    public init(lenient raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        if !code.isEmpty, code.allSatisfy(CharacterSetLite.isASCIIDigit) {
            try self.init("RNCP" + code)
        } else {
            try self.init(code)
        }
    }

    public var description: String { value }
}

/// The code formation diplôme of the Banque centrale des nomenclatures: 8 characters (digits and capital letters).
public struct CFD: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(_ raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        guard !code.isEmpty else { throw IdentifierError(.empty, "Le code formation diplôme (CFD) est vide.") }
        guard code.count == 8 else {
            throw IdentifierError(.format, "Le code formation diplôme (CFD) « \(raw.trimmed) » doit comporter exactement 8 caractères (par exemple 40025214) ; il en compte \(code.count).")
        }
        guard code.allSatisfy({ CharacterSetLite.isASCIIDigit($0) || CharacterSetLite.isASCIIUpper($0) }) else {
            throw IdentifierError(.format, "Le code formation diplôme (CFD) « \(raw.trimmed) » ne doit contenir que des chiffres et des lettres majuscules.")
        }
        value = code
    }

    public var description: String { value }
}
