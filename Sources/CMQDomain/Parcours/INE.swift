/// The *identifiant national élève* (INE): 11 characters, digits and capital letters, in one of the national
/// formats below. cmq only reads it at import, to compute the learner's pseudonym (`Pseudonymiser`); it is
/// never stored.
///
/// | format | layout | check | given by |
/// |---|---|---|---|
/// | INE-RNIE | 9 digits + 2 letters (`123456789AB`) | none published | the *répertoire national des identifiants élèves, étudiants et apprentis* (arrêté du 16 février 2012), since the 2018 school year |
/// | INE-BEA | 10 digits + 1 check letter (`0000000001B`) | the 10 digits as a number, modulo 23, in the alphabet without I, O and Q (`ABCDEFGHJKLMNPRSTUVWXYZ`, 0 → A) | *Base élèves académique*, secondary schools, 1995–2018 |
/// | INE-Base 36 | 10 base-36 characters + 1 check digit (`ABCDEFGHIJ5`) | the last digit of 6 × (sum of the values of the first 9 characters) + the value of the 10th, each character read in base 36 (0–9 → 0–9, A–Z → 10–35) | universities (Apogée), for students without an INE from school |
/// | INE-SIFA | 4 digits + `A` + 5 digits + 1 letter (`2019A12345K`) | none published | the apprenticeship survey SIFA, for apprentices |
///
/// Sources: the arrêté of 16 February 2012 creating the RNIE (Légifrance); the formats checked by the
/// apprenticeship dashboard of the *Mission interministérielle pour l'apprentissage* (RNIE, BEA, apprentissage
/// patterns); the check keys of BEA and Base 36 as the universities' ESUP-Portail tools compute them for Apogée
/// (`esup-transferts`, classes `CheckBEA23` and `CheckNNE36`). Where no check is published (RNIE, SIFA) only the
/// layout is checked.
public struct INE: Hashable, Sendable, CustomStringConvertible {
    public enum Format: String, Sendable, CaseIterable {
        case rnie = "INE-RNIE"
        case bea = "INE-BEA"
        case base36 = "INE-Base 36"
        case sifa = "INE-SIFA"
    }

    public let value: String
    public let format: Format

    /// Reads an INE; blanks around and inside are removed and lower case is raised, as people type it. The
    /// messages never quote the value: they go back to the uploader with the line's number, never to a log.
    public init(_ raw: String) throws(IdentifierError) {
        let code = normalisedCode(raw)
        guard !code.isEmpty else { throw IdentifierError(.empty, "L'INE est vide.") }
        let chars = Array(code)
        guard chars.count == 11 else {
            throw IdentifierError(.format, "L'INE a \(chars.count) caractères au lieu de 11.")
        }
        guard chars.allSatisfy({ CharacterSetLite.isASCIIDigit($0) || CharacterSetLite.isASCIIUpper($0) }) else {
            throw IdentifierError(.format, "L'INE ne doit contenir que des chiffres et des lettres majuscules sans accent.")
        }
        let digit = CharacterSetLite.isASCIIDigit, letter = CharacterSetLite.isASCIIUpper
        if chars[0..<10].allSatisfy(digit), letter(chars[10]) {
            let expected = Self.beaCheckLetter(forDigits: String(chars[0..<10]))
            guard chars[10] == expected else {
                throw IdentifierError(.checksum, "L'INE (format INE-BEA, 10 chiffres et une lettre) n'a pas la bonne lettre clé.")
            }
            format = .bea
        } else if chars[0..<9].allSatisfy(digit), letter(chars[9]), letter(chars[10]) {
            format = .rnie
        } else if chars[0..<4].allSatisfy(digit), chars[4] == "A", chars[5..<10].allSatisfy(digit), letter(chars[10]) {
            format = .sifa
        } else if digit(chars[10]) {
            let expected = Self.base36CheckDigit(for: String(chars[0..<10]))
            guard chars[10] == expected else {
                throw IdentifierError(.checksum, "L'INE (format INE-Base 36, 10 caractères et un chiffre) n'a pas le bon chiffre clé.")
            }
            format = .base36
        } else {
            throw IdentifierError(.format, "L'INE ne suit aucun format national (INE-RNIE : 9 chiffres et 2 lettres ; INE-BEA : 10 chiffres et une lettre clé ; INE-Base 36 : 10 caractères et un chiffre clé ; INE-SIFA : 4 chiffres, A, 5 chiffres et une lettre).")
        }
        value = code
    }

    public var description: String { value }

    /// The INE-BEA check letter: the 10 digits modulo 23 in the alphabet without I, O and Q.
    public static func beaCheckLetter(forDigits digits: String) -> Character {
        let alphabet = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
        let remainder = digits.reduce(0) { ($0 * 10 + Int(String($1))!) % 23 }
        return alphabet[remainder]
    }

    /// The INE-Base 36 check digit: the units of 6 × (the first 9 characters' values) + the 10th's value.
    public static func base36CheckDigit(for ten: String) -> Character {
        let values = ten.map { Int(String($0), radix: 36)! }
        let sum = values.prefix(9).reduce(0) { $0 + 6 * $1 } + values[9]
        return Character(String(sum % 10))
    }
}
