import Foundation

/// Contrast between two colours as WCAG 2 defines it (relative luminance of sRGB), for the map's colour classes.
public enum Contrast {
    /// The relative luminance of a `#rrggbb` colour (0 black, 1 white); nil for anything else.
    public static func luminance(_ hex: String) -> Double? {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        func channel(_ shift: UInt32) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    /// The contrast ratio of two `#rrggbb` colours, from 1 (same) to 21 (black on white); nil for anything else.
    public static func ratio(_ first: String, _ second: String) -> Double? {
        guard let a = luminance(first), let b = luminance(second) else { return nil }
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// WCAG 2.1 (1.4.11, non-text contrast): what tells apart two neighbouring parts of a graphic.
    public static let graphicMinimum = 3.0
}
