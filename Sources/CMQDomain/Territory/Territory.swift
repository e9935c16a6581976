import Foundation

/// One of the 18 régions académiques (13 in mainland France, 5 overseas), identified by its INSEE region code.
public struct RegionAcademique: Hashable, Sendable, Codable, Identifiable {
    public let code: String
    public let nom: String
    public let slug: String
    public let outreMer: Bool

    public var id: String { code }
}

/// One of the 30 académies.
public struct Academie: Hashable, Sendable, Codable, Identifiable {
    public let code: String
    public let nom: String
    public let slug: String
    public let regionCode: String

    public var id: String { code }
}

/// A département, with the two- or three-character code used by INSEE ("02", "2A", "974").
public struct Departement: Hashable, Sendable, Codable, Identifiable {
    public let code: String
    public let nom: String
    public let academieCode: String

    public var id: String { code }
}

/// Régions académiques → académies → départements, read from the ministry's correspondence table.
public struct TerritoryCatalog: Sendable {
    public let regions: [RegionAcademique]
    public let academies: [Academie]
    public let departements: [Departement]

    private let regionsByCode: [String: RegionAcademique]
    private let academiesByCode: [String: Academie]
    private let departementsByCode: [String: Departement]

    /// The catalogue shipped with cmq (`departements_academies_regions.csv`).
    public static let shared: TerritoryCatalog = {
        guard let url = Bundle.module.url(forResource: "departements_academies_regions", withExtension: "csv", subdirectory: "Data"),
              let text = try? String(contentsOf: url, encoding: .utf8),
              let catalog = try? TerritoryCatalog(csv: text)
        else {
            preconditionFailure("The shipped territory table Data/departements_academies_regions.csv cannot be read.")
        }
        return catalog
    }()

    static let overseasRegionCodes: Set<String> = ["01", "02", "03", "04", "06"]

    /// Reads the `;`-separated table (BOM tolerated). Lines whose région is "Sans objet" or an overseas
    /// collectivity, and académies without any département (the former Caen and Rouen), are left out.
    public init(csv: String) throws {
        let table = try DelimitedText(csv)
        let header = table.header
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else { throw TerritoryError.missingColumn(name) }
            return index
        }
        let iRegionName = try column("libelleRegion"), iAcademie = try column("codeAcademie"),
            iRegion = try column("codeRegion"), iDepartement = try column("codeDepartement"),
            iAcademieName = try column("libelleAcademie"), iDepartementName = try column("libelleDepartement")

        var regions: [String: RegionAcademique] = [:]
        var academies: [String: Academie] = [:]
        var departements: [String: Departement] = [:]
        for row in table.rows where row.count > iDepartementName {
            let regionCode = row[iRegion].trimmed, regionName = row[iRegionName].trimmed
            let departementRaw = row[iDepartement].trimmed
            guard regionCode != "99", regionCode != "00", !departementRaw.isEmpty else { continue }
            let academieCode = row[iAcademie].trimmed
            regions[regionCode] = RegionAcademique(
                code: regionCode, nom: regionName, slug: TextFolding.slug(regionName),
                outreMer: TerritoryCatalog.overseasRegionCodes.contains(regionCode))
            let academieName = row[iAcademieName].trimmed
            academies[academieCode] = Academie(
                code: academieCode, nom: academieName, slug: TextFolding.slug(academieName), regionCode: regionCode)
            let code = TerritoryCatalog.normaliseDepartementCode(departementRaw)
            departements[code] = Departement(code: code, nom: row[iDepartementName].trimmed, academieCode: academieCode)
        }
        let collator: (String, String) -> Bool = { TextFolding.fold($0) < TextFolding.fold($1) }
        self.regions = regions.values.sorted { collator($0.nom, $1.nom) }
        self.academies = academies.values.sorted { collator($0.nom, $1.nom) }
        self.departements = departements.values.sorted { $0.code < $1.code }
        regionsByCode = regions
        academiesByCode = academies
        departementsByCode = departements
    }

    /// "001" → "01", "02A" → "2A", "971" → "971", "2" → "02".
    public static func normaliseDepartementCode(_ raw: String) -> String {
        let code = raw.trimmed.uppercased()
        if code.count == 3, code.hasPrefix("0") { return String(code.dropFirst()) }
        if code.count == 1 { return "0" + code }
        return code
    }

    public func region(code: String) -> RegionAcademique? { regionsByCode[code] }

    /// A région by its code, its slug or its name in any case and with or without accents ("HAUTS-DE-FRANCE").
    public func region(matching text: String) -> RegionAcademique? {
        let key = TextFolding.slug(text)
        return regionsByCode[text.trimmed] ?? regions.first { $0.slug == key }
    }

    public func academie(code: String) -> Academie? { academiesByCode[code] }

    /// An académie by its code, its slug or its name.
    public func academie(matching text: String) -> Academie? {
        let key = TextFolding.slug(text)
        return academiesByCode[text.trimmed] ?? academies.first { $0.slug == key }
    }

    public func departement(code: String) -> Departement? {
        departementsByCode[TerritoryCatalog.normaliseDepartementCode(code)]
    }

    public func academies(inRegion regionCode: String) -> [Academie] {
        academies.filter { $0.regionCode == regionCode }
    }

    public func departements(inAcademie academieCode: String) -> [Departement] {
        departements.filter { $0.academieCode == academieCode }
    }

    public func region(ofAcademie academieCode: String) -> RegionAcademique? {
        academiesByCode[academieCode].flatMap { regionsByCode[$0.regionCode] }
    }
}

public enum TerritoryError: Error, Equatable {
    case missingColumn(String)
}
