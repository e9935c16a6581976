import CMQDomain
import Foundation

/// Reads the query string of a list, a search or an export: each parameter checked, every fault collected (a 422
/// lists them all), one wording per kind of value. An absent or empty parameter is no filter.
struct QueryReader {
    let query: [String: String]
    private(set) var errors: [FieldError] = []

    init(_ query: [String: String]) {
        self.query = query
    }

    mutating func fail(_ key: String, _ detail: String) {
        errors.append(FieldError(key, detail))
    }

    /// Throws the faults found.
    func finish() throws(AppError) {
        if !errors.isEmpty { throw .validation(errors) }
    }

    /// The raw value, nil when absent or blank.
    func raw(_ key: String) -> String? {
        guard let value = query[key], !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }

    /// Free text (words to search).
    func text(_ key: String) -> String? { raw(key) }

    mutating func uuid(_ key: String, of what: String) -> UUID? {
        guard let raw = raw(key) else { return nil }
        guard let id = UUID(canonical: raw) else { fail(key, "« \(raw) » n'est pas un identifiant \(what)."); return nil }
        return id
    }

    mutating func day(_ key: String) -> CalendarDay? {
        guard let raw = raw(key) else { return nil }
        guard let day = CalendarDay(iso: raw) else { fail(key, "« \(raw) » n'est pas une date au format AAAA-MM-JJ."); return nil }
        return day
    }

    /// `true`/`false` (also `1`/`0`, `oui`/`non`).
    mutating func bool(_ key: String) -> Bool? {
        guard let raw = raw(key) else { return nil }
        switch raw.lowercased() {
        case "1", "true", "oui": return true
        case "0", "false", "non": return false
        default:
            fail(key, "Le paramètre « \(key) » vaut true ou false (« \(raw) » n'est ni l'un ni l'autre).")
            return nil
        }
    }

    /// One of the values of a vocabulary; `what` names it in the refusal ("Le statut", "Le type").
    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, _ what: String) -> E? where E.RawValue == String {
        guard let raw = raw(key) else { return nil }
        guard let value = E(rawValue: raw) else {
            fail(key, "\(what) « \(raw) » n'existe pas ; valeurs possibles : \(E.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }
        return value
    }

    mutating func level(_ key: String = "niveau") -> Int? {
        guard let raw = raw(key) else { return nil }
        guard let number = Int(raw), Level(number: number) != nil else { fail(key, "Le niveau doit être un entier de 3 à 8."); return nil }
        return number
    }

    mutating func filiere(_ key: String = "filiere") -> Filiere? {
        choice(key, Filiere.self, "La filière")
    }

    mutating func region(_ key: String = "region") -> RegionAcademique? {
        place(key, TerritoryCatalog.shared.region(matching:)) { "La région académique « \($0) » n'existe pas ; donnez son code (par exemple 32) ou son nom." }
    }

    mutating func academie(_ key: String = "academie") -> Academie? {
        place(key, TerritoryCatalog.shared.academie(matching:)) { "L'académie « \($0) » n'existe pas ; donnez son code (par exemple 20) ou son nom." }
    }

    mutating func departement(_ key: String = "departement") -> Departement? {
        place(key, TerritoryCatalog.shared.departement(code:)) { "Le département « \($0) » n'existe pas (exemples de codes : 02, 2A, 974)." }
    }

    /// "Near a commune": `pres` names it (a name, « Saint-Quentin (02) » or a postcode), `rayon` gives the
    /// distance in km (30 by default, 1 to 200).
    mutating func nearby(_ key: String = "pres", radius radiusKey: String = "rayon") -> Nearby? {
        var radius = Nearby.defaultRadius
        if let raw = raw(radiusKey) {
            guard let number = Int(raw.trimmingCharacters(in: .whitespaces)), Nearby.radii.contains(number) else {
                fail(radiusKey, "Le rayon est un nombre entier de kilomètres, de \(Nearby.radii.lowerBound) à \(Nearby.radii.upperBound) (« \(raw.prefix(40)) » ne convient pas).")
                return nil
            }
            radius = number
        }
        guard let raw = raw(key) else { return nil }
        guard raw.codePointCount <= Nearby.maximumPlaceLength else {
            fail(key, "Le lieu tient en \(Nearby.maximumPlaceLength) caractères au plus : écrivez le nom d'une commune (par exemple Saint-Quentin) ou un code postal à cinq chiffres.")
            return nil
        }
        guard let commune = CommuneGazetteer.shared.find(raw) else {
            fail(key, "Aucune commune ni aucun code postal ne correspond à « \(raw.prefix(80)) » ; écrivez le nom d'une commune (par exemple Saint-Quentin) ou un code postal à cinq chiffres.")
            return nil
        }
        return Nearby(commune: commune, radius: radius)
    }

    /// A place of the territory found from what was typed, or the refusal `unknown` words.
    private mutating func place<Place>(_ key: String, _ find: (String) -> Place?, unknown: (String) -> String) -> Place? {
        guard let raw = raw(key) else { return nil }
        guard let found = find(raw) else { fail(key, unknown(raw)); return nil }
        return found
    }

    /// An identifier checked by its rules (UAI, SIRET…).
    mutating func code<Code>(_ key: String, parse: (String) throws(IdentifierError) -> Code) -> Code? {
        guard let raw = raw(key) else { return nil }
        do throws(IdentifierError) { return try parse(raw) } catch { fail(key, error.message); return nil }
    }
}
