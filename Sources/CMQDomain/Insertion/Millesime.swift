/// An InserJeunes millésime: two consecutive years of leavers pooled, written "2022_2023".
public struct Millesime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The first of the two years.
    public let firstYear: Int

    public init(firstYear: Int) { self.firstYear = firstYear }

    /// "2022_2023" (also "2022-2023"); the two years must follow each other and be plausible (1990–2100).
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "_" || $0 == "-" })
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isASCII) }),
              let first = Int(parts[0]), let second = Int(parts[1]),
              second == first + 1, (1990...2100).contains(first) else { return nil }
        firstYear = first
    }

    /// The millésime a file's name carries, as the DEPP names them ("depp-2022-etablissements-2022_2023-pro.csv").
    public init?(fileName: String) {
        let characters = Array(fileName)
        guard characters.count >= 9 else { return nil }
        for start in stride(from: characters.count - 9, through: 0, by: -1) {
            let candidate = String(characters[start..<start + 9])
            let before = start > 0 ? characters[start - 1] : " "
            let after = start + 9 < characters.count ? characters[start + 9] : " "
            if !before.isNumber, !after.isNumber, let millesime = Millesime(candidate) {
                self = millesime
                return
            }
        }
        return nil
    }

    public var description: String { "\(firstYear)_\(firstYear + 1)" }

    /// As shown to people: "2022-2023".
    public var label: String { "\(firstYear)-\(firstYear + 1)" }

    public var previous: Millesime { Millesime(firstYear: firstYear - 1) }

    public static func < (lhs: Millesime, rhs: Millesime) -> Bool { lhs.firstYear < rhs.firstYear }
}
