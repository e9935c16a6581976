import Foundation

/// A place a person may type: a commune (by name or postcode), a département (by name or code) or a région
/// académique (by name).
public enum Place: Hashable, Sendable {
    case commune(Commune)
    case departement(Departement)
    case region(RegionAcademique)

    /// "Saint-Quentin (02)", "Aisne (02)", "Hauts-de-France".
    public var label: String {
        switch self {
        case .commune(let commune): commune.label
        case .departement(let departement): "\(departement.nom) (\(departement.code))"
        case .region(let region): region.nom
        }
    }
}

/// Finds a place in what was typed in a search box, alone ("Amiens", "80000", "Aisne", "02") or with words
/// before or after it ("cuisine Amiens", "Saint-Quentin mécanique"); the words are what remains.
public struct PlaceFinder: Sendable {
    public let territory: TerritoryCatalog
    public let communes: CommuneGazetteer

    public init(territory: TerritoryCatalog = .shared, communes: CommuneGazetteer = .shared) {
        self.territory = territory
        self.communes = communes
    }

    /// The place the whole text names, if any. A commune wins over a département of the same name; a
    /// number is a postcode (5 digits) or a département code (2 or 3 characters).
    public func place(_ text: String) -> Place? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 80 else { return nil }
        let folded = TextFolding.searchKey(trimmed)
        if trimmed.count == 5, trimmed.allSatisfy(\.isNumber) {
            return communes.communes(postcode: trimmed).first.map(Place.commune)
        }
        if (2...3).contains(trimmed.count), trimmed.first?.isNumber == true || trimmed.uppercased().hasPrefix("2A") || trimmed.uppercased().hasPrefix("2B"),
           let departement = territory.departement(code: trimmed) {
            return .departement(departement)
        }
        if let commune = communes.find(trimmed) { return .commune(commune) }
        if let departement = territory.departements.first(where: { TextFolding.searchKey($0.nom) == folded }) {
            return .departement(departement)
        }
        if let region = territory.regions.first(where: { TextFolding.searchKey($0.nom) == folded }) { return .region(region) }
        return nil
    }

    /// The place named at the end (or else at the start) of the text, and the other words: the longest
    /// match wins, up to six words for the place.
    public func split(_ text: String) -> (words: String, place: Place)? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init).filter { !$0.isEmpty }
        guard !words.isEmpty, words.count <= 16 else { return nil }
        let longest = min(6, words.count)
        for length in stride(from: longest, through: 1, by: -1) {
            if let place = place(words.suffix(length).joined(separator: " ")) {
                return (words.dropLast(length).joined(separator: " "), place)
            }
            if length < words.count, let place = place(words.prefix(length).joined(separator: " ")) {
                return (words.dropFirst(length).joined(separator: " "), place)
            }
        }
        return nil
    }
}
