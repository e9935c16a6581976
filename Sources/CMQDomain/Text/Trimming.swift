import Foundation

extension String {
    /// The text without the white space around it (and the line breaks, with `newlines`): `trimmingCharacters(in:)`,
    /// without Foundation's work when the text begins and ends with a visible ASCII character (most fields of a file).
    public func trimmingSpace(newlines: Bool = true) -> String {
        func visibleASCII(_ scalar: Unicode.Scalar?) -> Bool { scalar.map { $0.value > 0x20 && $0.value < 0x7F } ?? false }
        if visibleASCII(unicodeScalars.first) && visibleASCII(unicodeScalars.last) { return self }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
