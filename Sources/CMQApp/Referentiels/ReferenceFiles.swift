import CMQDomain
import Foundation

/// The national reference files shipped with cmq (`Resources/Data/referentiels`), read into plain rows:
/// the vocational diplomas of the Éducation nationale, the BCN diploma levels, the ROME job codes and the
/// ONISEP catalogue of initial formations. Each reader checks the header and reads every line; the files are
/// parsed once per process.
enum ReferenceFiles {
    struct Diplome: Sendable, Equatable {
        var cfd: String
        var rncp: String?
        /// "CAP", "BAC PRO", "BTS"…, as the file says.
        var sigle: String
        var typeDiplome: DiplomaType?
        var intitule: String
        var niveau: Int
        var cpc: String
        var secteur: String
        var premiereSession: Int?
        var derniereSession: Int?
    }

    struct NiveauDiplome: Sendable, Equatable {
        /// The first three characters of a CFD ("400" for the bac pro).
        var code: String
        var niveauInterministeriel: String
        var libelleCourt: String
        var libelle: String
        var niveauRNCP: Int?
    }

    struct ROME: Sendable, Equatable {
        var code: String
        var libelle: String
        var parent: String?
    }

    struct Onisep: Sendable, Equatable {
        /// "FOR.6913", from the formation's address on onisep.fr.
        var identifiant: String
        var sigleType: String?
        var libelleType: String
        var intitule: String
        var duree: String?
        var rncp: String?
        var niveau: Int?
        var typeDiplome: DiplomaType?
        var lien: String
        var domaines: String?
    }

    struct FormatError: Error, CustomStringConvertible {
        var file: String
        var reason: String
        var description: String { "\(file) : \(reason)" }
    }

    static let directory = "referentiels/"

    static let diplomes: [Diplome] = loadShipped("diplomesProfessionnels.csv", readDiplomes)
    static let niveaux: [NiveauDiplome] = loadShipped("nNiveauFormationDiplome_.csv", readNiveaux)
    static let romes: [ROME] = loadShipped("rome.csv", readROME)
    static let onisep: [Onisep] = loadShipped("ideo-formations_initiales_en_france.csv", readOnisep)

    private static func loadShipped<Row>(_ name: String, _ read: (String) throws -> [Row]) -> [Row] {
        let url = Resources.dataURL(directory + name)
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            fatalError("The reference file \(name) is missing from the cmq resources.")
        }
        do { return try read(text) } catch { fatalError("The shipped reference file \(name) is unreadable: \(error)") }
    }

    /// A table with the columns it needs, and a way to read a cell by column name.
    private struct Table {
        let name: String
        let table: DelimitedText
        let index: [String: Int]

        init(_ text: String, name: String, required: [String]) throws {
            self.name = name
            table = try DelimitedText(text)
            index = table.columnIndex
            let missing = required.filter { index[$0] == nil }
            guard missing.isEmpty else { throw FormatError(file: name, reason: "colonnes absentes : \(missing.joined(separator: ", "))") }
        }

        func value(_ row: [String], _ column: String) -> String? {
            guard let position = index[column], position < row.count else { return nil }
            let value = row[position].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
    }

    static func readDiplomes(_ text: String) throws -> [Diplome] {
        let table = try Table(text, name: "diplomesProfessionnels.csv", required: ["Niveau", "Code diplôme", "Diplôme", "Intitulé de la spécialité (et options)"])
        var result: [Diplome] = []
        var seen = Set<String>()
        for row in table.table.rows {
            guard let code = table.value(row, "Code diplôme"), let cfd = cfd(fromDiplomaCode: code),
                  let intitule = table.value(row, "Intitulé de la spécialité (et options)"),
                  let niveau = table.value(row, "Niveau").flatMap({ Int($0.filter(\.isNumber)) }), Level(number: niveau) != nil,
                  seen.insert(cfd.value).inserted else { continue }
            let sigle = table.value(row, "Diplôme") ?? ""
            result.append(Diplome(
                cfd: cfd.value, rncp: table.value(row, "Code RNCP").flatMap { try? RNCP(lenient: $0).value }, sigle: sigle,
                typeDiplome: diplomaType(sigle: sigle, libelle: nil), intitule: intitule, niveau: niveau,
                cpc: table.value(row, "Commission professionnelle consultative") ?? "", secteur: table.value(row, "Secteur") ?? "",
                premiereSession: table.value(row, "Première session").flatMap { Int($0) },
                derniereSession: table.value(row, "Dernière session").flatMap { Int($0) }))
        }
        return result
    }

    /// "400-24202 V", "50025224R" → the 8-character CFD (the trailing letter is a key, not part of the code).
    static func cfd(fromDiplomaCode code: String) -> CFD? {
        let characters = code.filter { $0.isLetter || $0.isNumber }
        return try? CFD(String(characters.prefix(8)))
    }

    static func readNiveaux(_ text: String) throws -> [NiveauDiplome] {
        let table = try Table(text, name: "nNiveauFormationDiplome_.csv", required: ["NIVEAU_FORMATION_DIPLOME", "NIVEAU_INTERMINISTERIEL", "LIBELLE_COURT", "LIBELLE_100"])
        return table.table.rows.compactMap { row in
            guard let code = table.value(row, "NIVEAU_FORMATION_DIPLOME") else { return nil }
            return NiveauDiplome(
                code: code, niveauInterministeriel: table.value(row, "NIVEAU_INTERMINISTERIEL") ?? "",
                libelleCourt: table.value(row, "LIBELLE_COURT") ?? "", libelle: table.value(row, "LIBELLE_100") ?? "",
                niveauRNCP: table.value(row, "NIVEAU_QUALIFICATION_RNCP").flatMap { Int($0) }.flatMap { (3...8).contains($0) ? $0 : nil })
        }
    }

    static func readROME(_ text: String) throws -> [ROME] {
        let table = try Table(text, name: "rome.csv", required: ["code_rome", "libelle_rome"])
        var seen = Set<String>()
        return table.table.rows.compactMap { row in
            guard let code = table.value(row, "code_rome").flatMap({ try? ROMECode($0).value }), let libelle = table.value(row, "libelle_rome"),
                  seen.insert(code).inserted else { return nil }
            let parent = table.value(row, "code_rome_parent")
            return ROME(code: code, libelle: libelle, parent: parent == code ? nil : parent)
        }
    }

    static let onisepColumns = ["sigle type formation", "libellé type formation", "libellé formation principal", "durée", "code RNCP",
                                "niveau RNCP", "lien site onisep.fr"]

    static func readOnisep(_ text: String) throws -> [Onisep] {
        let table = try Table(text, name: "ideo-formations_initiales_en_france.csv", required: onisepColumns)
        var seen = Set<String>()
        return table.table.rows.compactMap { row in
            guard let lien = table.value(row, "lien site onisep.fr"), let identifiant = onisepIdentifier(lien), seen.insert(identifiant).inserted,
                  let intitule = table.value(row, "libellé formation principal") else { return nil }
            let sigle = table.value(row, "sigle type formation"), libelleType = table.value(row, "libellé type formation") ?? ""
            return Onisep(
                identifiant: identifiant, sigleType: sigle, libelleType: libelleType, intitule: intitule, duree: table.value(row, "durée"),
                rncp: table.value(row, "code RNCP").flatMap { try? RNCP(lenient: $0).value },
                niveau: table.value(row, "niveau RNCP").flatMap(onisepLevel)?.number,
                typeDiplome: diplomaType(sigle: sigle, libelle: libelleType), lien: lien, domaines: table.value(row, "domaine/sous-domaine"))
        }
    }

    /// "http://www.onisep.fr/http/redirection/formation/slug/FOR.6913" → "FOR.6913".
    static func onisepIdentifier(_ link: String) -> String? {
        guard let last = link.split(separator: "/").last, last.hasPrefix("FOR.") else { return nil }
        return String(last)
    }

    /// ONISEP's "niveau RNCP" uses the old numbering (5 = CAP … 1 = bac + 5) except 8 for the doctorate;
    /// 0 means "not registered in the RNCP".
    static func onisepLevel(_ raw: String) -> Level? {
        switch raw.trimmingCharacters(in: .whitespaces) {
        case "5": .niveau3
        case "4": .niveau4
        case "3": .niveau5
        case "2": .niveau6
        case "1": .niveau7
        case "8": .niveau8
        default: nil
        }
    }

    /// The diploma type of cmq for a sigle ("BAC PRO", "BTSA"…) or, failing that, the French name of the type.
    static func diplomaType(sigle: String?, libelle: String?) -> DiplomaType? {
        switch TextFolding.searchKey(sigle ?? "") {
        case "cap", "cap agricole", "capa": return .cap
        case "bac pro", "bac pro agricole": return .bacPro
        case "bp", "bpa": return .bp
        case "bts", "btsa": return .bts
        case "deust": return .deust
        case "but": return .but
        default: break
        }
        switch TextFolding.searchKey(libelle ?? "") {
        case "certificat d aptitude professionnelle": return .cap
        case "baccalaureat professionnel": return .bacPro
        case "brevet professionnel": return .bp
        case "brevet de technicien superieur", "brevet de technicien superieur agricole": return .bts
        case "licence professionnelle": return .licencePro
        case "licence": return .licence
        case "master": return .master
        case "diplome d ingenieur": return .diplomeIngenieur
        case "doctorat": return .doctorat
        default: return nil
        }
    }
}
