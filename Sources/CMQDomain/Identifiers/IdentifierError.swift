/// Why a code (UAI, SIRET, RNCP, CFD) was refused, in French, for the person who typed it.
public struct IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable, Equatable {
        case empty, format, checksum
    }

    public let reason: Reason
    public let message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}

/// Removes what people type around a code: surrounding blanks and inner spaces, lower case.
func normalisedCode(_ raw: String) -> String {
    String(raw.unicodeScalars.filter { !CharacterSetLite.isBlank($0) }).uppercased()
}

enum CharacterSetLite {
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\u{00A0}" || scalar == "\u{202F}" || scalar == "\n" || scalar == "\r"
    }

    static func isASCIIDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }
    static func isASCIIUpper(_ c: Character) -> Bool { c >= "A" && c <= "Z" }
}
