import Foundation

extension UUID {
    /// The identifier written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hexadecimal digits in either case), or nil.
    ///
    /// The same identifiers as `UUID(uuidString:)` for that form, read byte by byte: on Linux Foundation parses
    /// them with `sscanf`, a visible share of reading one formation. Anything else (spaces, signs, braces,
    /// another length) is refused.
    public init?(canonical text: some StringProtocol) {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let read = withUnsafeMutableBytes(of: &value) { bytes -> Bool in
            var count = 0, high: UInt8? = nil, position = 0
            for unit in text.utf8 {
                defer { position += 1 }
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard unit == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard position < 36, let digit = Self.hexValue(unit) else { return false }
                if let first = high {
                    bytes[count] = first << 4 | digit
                    count += 1
                    high = nil
                } else {
                    high = digit
                }
            }
            return position == 36
        }
        guard read else { return nil }
        self.init(uuid: value)
    }

    private static func hexValue(_ unit: UInt8) -> UInt8? {
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): unit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): unit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): unit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
