import CMQDomain
import Crypto
import Foundation

/// One formation as an import or export file carries it: the organisations by their identifiers, every
/// other field as text, checked later by the same reader as the API (`FormationInput.read`).
struct FormationRecord: Sendable, Equatable {
    enum OrganisationKey: Sendable, Hashable, CustomStringConvertible {
        case uai(String)
        case siret(String)
        /// cmq's own identifier, for an organisation that has neither UAI nor SIRET.
        case id(UUID)

        var description: String {
            switch self {
            case .uai(let code): "l'UAI \(code)"
            case .siret(let code): "le SIRET \(code)"
            case .id(let id): "l'identifiant \(id.uuidString.lowercased())"
            }
        }
    }

    /// Where the record is in its file: its line, or for a file without lines to count (LHEO XML) its rank
    /// with the name `place` gives it ("formation 3").
    var line: Int
    var place: String?
    var identifiant: UUID?
    var organisation: OrganisationKey?
    var responsable: OrganisationKey?
    var intitule: String?
    var filiere: String?
    var typeDiplome: String?
    var niveauEntree: String?
    var niveauSortie: String?
    var cfd: String?
    var rncp: String?
    var romes: [String] = []
    var duree: String?
    var statuts: [String] = []
    var capacite: String?
    var modalite: String?
    var datesDebut: [String] = []
    var description: String?
    var lien: String?

    init(line: Int, place: String? = nil) {
        self.line = line
        self.place = place
    }

    /// A refusal of this record, located as its file locates it.
    func error(_ reason: String) -> LineError {
        LineError(line: line, reason: reason, place: place)
    }

    /// The fields as a submitted form, for `FormationInput.read` (lists separated by commas).
    func form(organisationID: UUID, responsableID: UUID?) -> [String: String] {
        var form: [String: String] = ["organisationId": organisationID.uuidString]
        form["organisationResponsableId"] = responsableID?.uuidString ?? ""
        form["intitule"] = intitule ?? ""
        form["filiere"] = filiere ?? ""
        form["typeDiplome"] = typeDiplome ?? ""
        form["niveauEntree"] = niveauEntree ?? ""
        form["niveauSortie"] = niveauSortie ?? ""
        form["cfd"] = cfd ?? ""
        form["rncp"] = rncp ?? ""
        form["romes"] = romes.joined(separator: ",")
        form["duree"] = duree ?? ""
        form["statuts"] = statuts.joined(separator: ",")
        form["capacite"] = capacite ?? ""
        form["modalite"] = modalite ?? ""
        form["datesDebut"] = datesDebut.joined(separator: ",")
        form["description"] = description ?? ""
        form["lien"] = lien ?? ""
        return form
    }
}

extension UUID {
    /// A stable identifier derived from a text (SHA-256, shaped as a version-5-like UUID): importing the same
    /// ONISEP formation for the same organisation twice updates it instead of adding a copy.
    init(derivedFrom text: String) {
        var bytes = Array(SHA256.hash(data: Data(text.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        self = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

/// cmq's own CSV format for formations: what the CSV export writes and `cmq import formations --format csv`
/// reads back (`;`-separated, UTF-8, lists separated by `|`).
enum FormationCSV {
    static let columns = [
        "identifiant", "intitule", "organisation_uai", "organisation_siret", "organisation_id", "organisation_nom", "responsable_uai",
        "responsable_siret", "responsable_id",
        "filiere", "type_diplome", "niveau_entree", "niveau_sortie", "cfd", "rncp", "romes", "duree", "statuts", "capacite", "modalite",
        "dates_debut", "description", "lien",
    ]

    struct FileError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the records; a line that cannot become a record (wrong number of fields, bad identifier) is
    /// returned as an error with its number.
    static func read(_ text: String) throws(FileError) -> (records: [FormationRecord], errors: [LineError]) {
        let table: DelimitedText
        do { table = try DelimitedText(text) } catch { throw FileError(description: "Le fichier CSV est illisible, \(error).") }
        guard !table.header.isEmpty, table.header != [""] else { throw FileError(description: "Le fichier est vide.") }
        if table.header.count == 1, table.header[0].contains(",") {
            throw FileError(description: "Le fichier n'utilise pas le séparateur « ; » attendu.")
        }
        let index = table.columnIndex
        let missing = ["intitule"].filter { index[$0] == nil }
        guard missing.isEmpty else { throw FileError(description: "Colonne(s) obligatoire(s) absente(s) de l'en-tête : \(missing.joined(separator: ", ")).") }
        guard index["organisation_uai"] != nil || index["organisation_siret"] != nil || index["organisation_id"] != nil else {
            throw FileError(description: "L'en-tête doit avoir une colonne organisation_uai, organisation_siret ou organisation_id.")
        }
        return TableLines.records(of: table) { row -> Result<FormationRecord, LineError> in
            let line = row.number
            let value = row.value, list = row.list
            var record = FormationRecord(line: line)
            if let raw = value("identifiant") {
                guard let id = UUID(canonical: raw) else {
                    return .failure(LineError(line: line, reason: "identifiant : « \(raw) » n'est pas un identifiant de formation."))
                }
                record.identifiant = id
            }
            func key(_ prefix: String) -> FormationRecord.OrganisationKey? {
                if let uai = value(prefix + "_uai") { return .uai(uai) }
                if let siret = value(prefix + "_siret") { return .siret(siret) }
                if let raw = value(prefix + "_id") { return UUID(canonical: raw).map { .id($0) } ?? .uai(raw) }
                return nil
            }
            record.organisation = key("organisation")
            record.responsable = key("responsable")
            record.intitule = value("intitule")
            record.filiere = value("filiere")
            record.typeDiplome = value("type_diplome")
            record.niveauEntree = value("niveau_entree")
            record.niveauSortie = value("niveau_sortie")
            record.cfd = value("cfd")
            record.rncp = value("rncp")
            record.romes = list("romes")
            record.duree = value("duree")
            record.statuts = list("statuts")
            record.capacite = value("capacite")
            record.modalite = value("modalite")
            record.datesDebut = list("dates_debut")
            record.description = value("description")
            record.lien = value("lien")
            return .success(record)
        }
    }

    /// One CSV field, quoted when it holds the separator, a quote or a line break. A text that a spreadsheet
    /// would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) is written after a
    /// `'`, which spreadsheets show as text and cmq's importer removes.
    static func field(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "" }
        let safe = startsLikeFormula(value) ? "'" + value : value
        // Looked for in the UTF-8 bytes (";", the quote, line feed, carriage return): the same test as on the
        // characters, much cheaper on a large export.
        if safe.utf8.contains(where: { $0 == 0x3B || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return safe
    }

    static func startsLikeFormula(_ value: String) -> Bool {
        guard let first = value.utf8.first else { return false }
        // "=", "+", "-", "@", tab, carriage return
        return first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
    }

    /// A field as written by `field`: the `'` put before a formula-like text removed.
    static func unneutralised(_ value: String) -> String {
        value.hasPrefix("'") && startsLikeFormula(String(value.dropFirst())) ? String(value.dropFirst()) : value
    }

    static var headerLine: String { columns.joined(separator: ";") + "\r\n" }

    static func line(_ formation: Formation, responsable: Organisation?) -> String {
        let organisation = formation.organisation
        return line(Values(
            id: formation.id, intitule: formation.intitule,
            organisation: .init(id: organisation.id, uai: organisation.uai, siret: organisation.siret, nom: organisation.nom),
            responsable: responsable.map { .init(id: $0.id, uai: $0.uai, siret: $0.siret, nom: $0.nom) },
            filiere: formation.filiere, typeDiplome: formation.typeDiplome, niveauEntree: formation.niveauEntree, niveauSortie: formation.niveauSortie,
            cfd: formation.cfd, rncp: formation.rncp, romes: romeCodes(formation), duree: formation.duree,
            statuts: formation.learnerStatuses, capacite: formation.capacite, modalite: formation.modalite, datesDebut: formation.datesDebut,
            description: formation.description, lien: formation.lien))
    }

    /// What a line holds, however it was read (from models, or straight from the tables for large exports).
    struct Values {
        struct Party {
            var id: UUID?
            var uai: String?
            var siret: String?
            var nom: String
        }

        var id: UUID?
        var intitule: String
        var organisation: Party
        var responsable: Party?
        var filiere, typeDiplome: String?
        var niveauEntree: Int?
        var niveauSortie: Int
        var cfd, rncp: String?
        /// Sorted.
        var romes: [String]
        var duree: String?
        /// Sorted by their codes.
        var statuts: [LearnerStatus]
        var capacite: Int?
        var modalite: String
        /// As stored: days separated by commas.
        var datesDebut: String?
        var description, lien: String?
    }

    static func line(_ v: Values) -> String {
        // An organisation's own identifier only when it has neither UAI nor SIRET.
        func ownID(_ party: Values.Party?) -> String? {
            party.flatMap { $0.uai == nil && $0.siret == nil ? $0.id?.uuidString.lowercased() : nil }
        }
        let values: [String?] = [
            v.id?.uuidString.lowercased(), v.intitule, v.organisation.uai, v.organisation.siret, ownID(v.organisation), v.organisation.nom,
            v.responsable?.uai, v.responsable?.siret, ownID(v.responsable), v.filiere, v.typeDiplome,
            v.niveauEntree.map(String.init), String(v.niveauSortie), v.cfd, v.rncp,
            v.romes.joined(separator: "|"), v.duree, v.statuts.map(\.rawValue).joined(separator: "|"),
            v.capacite.map(String.init), v.modalite, v.datesDebut?.replacingOccurrences(of: ",", with: "|"),
            v.description, v.lien,
        ]
        return values.map(field).joined(separator: ";") + "\r\n"
    }

    private static func romeCodes(_ formation: Formation) -> [String] {
        (formation.$romes.value ?? []).map(\.code).sorted()
    }
}

/// A line of an import file that was refused, with its number and the reason, in French.
struct LineError: Error, Equatable, Sendable, CustomStringConvertible {
    var line: Int
    var reason: String
    /// Where the record is when the file has no lines to count ("formation 3" of an XML file).
    var place: String?

    init(line: Int, reason: String, place: String? = nil) {
        self.line = line
        self.reason = reason
        self.place = place
    }

    var description: String { "\(place ?? "ligne \(line)") : \(reason)" }
}

/// The ONISEP "Idéo-Formations initiales en France" CSV as formations of one organisation.
///
/// The file describes formations without saying where they are given: the organisation is named by the
/// importer (`--organisation UAI|SIRET`). ONISEP's "niveau RNCP" uses the old numbering (5 = CAP … 1 =
/// bac + 5, 8 = doctorate); a formation that is not registered in the RNCP has no level and is refused. The
/// statuses are those of initial training: scolaire up to level 4, étudiant above.
enum OnisepFormations {
    static func read(_ text: String, organisation: FormationRecord.OrganisationKey) throws(FormationCSV.FileError) -> (records: [FormationRecord], errors: [LineError]) {
        let table: DelimitedText
        do { table = try DelimitedText(text) } catch { throw FormationCSV.FileError(description: "Le fichier CSV est illisible, \(error).") }
        let index = table.columnIndex
        let missing = ReferenceFiles.onisepColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw FormationCSV.FileError(description: "Ce n'est pas un fichier Idéo-Formations de l'ONISEP : colonne(s) absente(s) : \(missing.joined(separator: ", ")).")
        }
        return TableLines.records(of: table) { row -> Result<FormationRecord, LineError> in
            let line = row.number
            let value = row.value
            guard let lien = value("lien site onisep.fr"), let identifiant = ReferenceFiles.onisepIdentifier(lien) else {
                return .failure(LineError(line: line, reason: "lien site onisep.fr : le lien ne donne pas l'identifiant ONISEP de la formation (FOR.…)."))
            }
            guard let level = value("niveau RNCP").flatMap(ReferenceFiles.onisepLevel) else {
                let label = value("libellé niveau RNCP") ?? "non renseigné"
                return .failure(LineError(line: line, reason: "niveau RNCP : « \(label) » ne place pas la formation sur les niveaux 3 à 8."))
            }
            var record = FormationRecord(line: line)
            record.identifiant = UUID(derivedFrom: "onisep|\(organisation)|\(identifiant)")
            record.organisation = organisation
            record.intitule = value("libellé formation principal")
            record.typeDiplome = ReferenceFiles.diplomaType(sigle: value("sigle type formation"), libelle: value("libellé type formation"))?.rawValue
            record.niveauSortie = String(level.number)
            record.rncp = value("code RNCP")
            record.duree = value("durée")
            record.statuts = [level.number <= 4 ? LearnerStatus.scolaire.rawValue : LearnerStatus.etudiant.rawValue]
            record.lien = lien
            record.description = value("domaine/sous-domaine").map { "Domaines : " + $0.replacingOccurrences(of: "| ", with: " ; ").replacingOccurrences(of: "|", with: " ; ") }
            return .success(record)
        }
    }
}

/// The data lines of a `;` table, each read by `make`: blank lines are skipped, a line with another number of
/// fields than the header is reported with its number (the header is line 1).
enum TableLines {
    struct Row {
        let number: Int
        let fields: [String]
        let index: [String: Int]

        /// A cell by column name, trimmed; nil when absent or empty.
        func value(_ column: String) -> String? {
            guard let position = index[column], position < fields.count else { return nil }
            let value = FormationCSV.unneutralised(fields[position].trimmingSpace(newlines: false)).trimmingSpace(newlines: false)
            return value.isEmpty ? nil : value
        }

        /// A cell holding a list separated by `|`.
        func list(_ column: String) -> [String] {
            (value(column) ?? "").split(separator: "|").map { String($0).trimmingSpace(newlines: false) }.filter { !$0.isEmpty }
        }
    }

    static func records(of table: DelimitedText, _ make: (Row) -> Result<FormationRecord, LineError>) -> (records: [FormationRecord], errors: [LineError]) {
        let index = table.columnIndex
        var records: [FormationRecord] = []
        var errors: [LineError] = []
        for (offset, fields) in table.rows.enumerated() {
            let line = offset + 2
            if fields.count == 1, fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard fields.count == table.header.count else {
                errors.append(LineError(line: line, reason: "la ligne compte \(fields.count) champ(s) au lieu de \(table.header.count)."))
                continue
            }
            switch make(Row(number: line, fields: fields, index: index)) {
            case .success(let record): records.append(record)
            case .failure(let error): errors.append(error)
            }
        }
        return (records, errors)
    }
}
