import Foundation

/// A telephone number as establishments publish it: a French number (`03 23 62 12 34`, `+33 3 23 62 12 34`,
/// `0323621234`) written the French way, or another international number kept as `+` and its digits.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(IdentifierError) {
        var digits = text.filter { !" .-/()\u{00A0}".contains($0) }
        guard digits.count <= 20, !digits.isEmpty else { throw IdentifierError(.empty, "« \(text) » n'est pas un numéro de téléphone.") }
        if digits.hasPrefix("+33") { digits = "0" + digits.dropFirst(3) }
        if digits.hasPrefix("0033") { digits = "0" + digits.dropFirst(4) }
        if digits.count == 10, digits.hasPrefix("0"), digits.dropFirst().first != "0", digits.allSatisfy(CharacterSetLite.isASCIIDigit) {
            var groups: [String] = []
            var rest = Substring(digits)
            while !rest.isEmpty { groups.append(String(rest.prefix(2))); rest = rest.dropFirst(2) }
            value = groups.joined(separator: " ")
            return
        }
        if digits.hasPrefix("+"), (7...16).contains(digits.count), digits.dropFirst().allSatisfy(CharacterSetLite.isASCIIDigit) {
            value = digits
            return
        }
        throw IdentifierError(.format, "« \(text) » n'est pas un numéro de téléphone : 10 chiffres commençant par 0 (par exemple 03 23 62 12 34), ou un numéro international commençant par +.")
    }

    /// The address of a `tel:` link.
    public var telURI: String {
        value.hasPrefix("+") ? "tel:" + value : "tel:+33" + String(value.filter(CharacterSetLite.isASCIIDigit).dropFirst())
    }

    public var description: String { value }
}
