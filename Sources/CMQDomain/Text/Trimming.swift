import Foundation

extension String {
    /// The text without the white space around it (and the line breaks, with `newlines`): what
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` (or `.whitespaces`) gives, scalar by scalar as Foundation
    /// trims, without Foundation's conversions (most of a large import's checking time).
    public func trimmingSpace(newlines: Bool = true) -> String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x21..<0x7F: return false
            case 0x09, 0x20, 0x200B: return true  // Foundation counts the zero-width space as a space
            case 0x0A...0x0D, 0x85: return newlines
            default:
                switch scalar.properties.generalCategory {
                case .spaceSeparator: return true
                case .lineSeparator, .paragraphSeparator: return newlines
                default: return false
                }
            }
        }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        if start == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[start...last])
    }
}

extension StringProtocol {
    /// The length JSON Schema's `maxLength` counts (RFC 8259 characters: Unicode code points), which the OpenAPI
    /// document promises; `count` counts user-perceived characters, fewer when accents are combined.
    public var codePointCount: Int { unicodeScalars.count }
}
