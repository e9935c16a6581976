/// A bad line of a data file: its number (the header is line 1) and what is wrong, in French.
public struct DataLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "ligne \(line) : \(reason)" }
}

/// A file that cannot be read at all (not a table, a missing column): nothing is imported.
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// The way of training the figures are about.
public enum Voie: String, Sendable, Hashable, Codable, CaseIterable {
    case scolaire, apprentissage

    public var label: String { self == .scolaire ? "voie scolaire" : "apprentissage" }
}

/// One line of InserJeunes by région and formation (`ij_region_data.csv`): the voie scolaire is identified by
/// its MEFSTAT11, the apprenticeship by its CFD.
public struct RegionFormationRow: Sendable, Equatable {
    public var line: Int
    public var millesime: Millesime
    public var regionCode: String
    public var voie: Voie
    public var cfd: String?
    public var mefstat11: String?
    public var counts: InsertionCounts

    /// The code that identifies the formation in its voie: the MEFSTAT11 for the voie scolaire, the CFD for
    /// apprenticeship.
    public var code: String { (voie == .scolaire ? mefstat11 : cfd) ?? "" }
}

/// One line of the DEPP InserJeunes files by establishment: a lycée (three lines: ensemble, dont apprentis, dont
/// élèves en voie professionnelle scolaire) or a CFA (one line).
public struct EstablishmentRow: Sendable, Equatable {
    public enum Population: String, Sendable, Hashable, Codable, CaseIterable {
        case ensemble, apprentis, scolaires

        public var label: String {
            switch self {
            case .ensemble: "Ensemble"
            case .apprentis: "Dont apprentis"
            case .scolaires: "Dont élèves en voie professionnelle scolaire"
            }
        }
    }

    public var line: Int
    public var uai: String
    public var libelle: String
    public var region: String
    public var population: Population
    /// Percentages as published (integers), `nil` where the file says `nd` (masked).
    public var tauxPoursuite: Int?
    /// Taux d'emploi à 6 mois observed, the one the value added is about.
    public var tauxEmploi6: Int?
    public var tauxEmploi6Attendu: Int?
    public var valeurAjoutee: Int?
    public var partPoursuite: Int?
    public var partEmploi6: Int?
    public var partAutres: Int?
}

/// Reads the InserJeunes files, any millésime of their layout: every bad line is reported with its number.
public enum InserJeunesFiles {
    /// The upper bound of a count: more learners than France has in one cohort is an error, not a figure.
    public static let maximumCount = 5_000_000

    // MARK: - By région and formation

    public static func readRegions(_ text: String, only millesime: Millesime? = nil) throws(DataFileError) -> (rows: [RegionFormationRow], errors: [DataLineError]) {
        let table = try open(text)
        let columns = table.columnIndex
        let required = ["millesime", "code_region", "voie", "cfd", "mefstat11", "nb_annee_term", "nb_poursuite_etudes", "nb_sortant"]
            + InsertionCounts.horizons.map { "nb_en_emploi_\($0)_mois" }
        try requireColumns(required, in: columns, file: "InserJeunes par région")
        var rows: [RegionFormationRow] = []
        var errors: [DataLineError] = []
        var seen: [String: Int] = [:]
        rows.reserveCapacity(table.rows.count)
        for (index, fields) in table.rows.enumerated() {
            let line = index + 2
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func field(_ name: String) -> String {
                guard let position = columns[name], position < fields.count else { return "" }
                return fields[position].trimmingCharacters(in: .whitespaces)
            }
            var problems: [String] = []
            guard fields.count >= table.header.count else {
                errors.append(DataLineError(line: line, reason: "\(fields.count) champs au lieu de \(table.header.count)"))
                continue
            }
            let millesimeText = field("millesime")
            let lineMillesime = Millesime(millesimeText)
            if lineMillesime == nil { problems.append("millésime « \(millesimeText) » invalide (attendu : AAAA_AAAA, deux années qui se suivent)") }
            if let millesime, let lineMillesime, lineMillesime != millesime { continue }
            let region = field("code_region")
            if !(region.count == 2 && region.allSatisfy { $0.isASCII && $0.isNumber }) {
                problems.append("code_region « \(region) » invalide (deux chiffres, code INSEE de la région)")
            }
            let voie = Voie(rawValue: field("voie"))
            if voie == nil { problems.append("voie « \(field("voie")) » inconnue (scolaire ou apprentissage)") }
            let cfd = optionalCode(field("cfd"))
            let mef = optionalCode(field("mefstat11"))
            if let cfd, !isCFD(cfd) { problems.append("cfd « \(cfd) » invalide (8 caractères, chiffres et lettres)") }
            if let mef, !isMefstat11(mef) {
                problems.append("mefstat11 « \(mef) » invalide (11 caractères, chiffres et lettres capitales)")
            }
            if voie == .scolaire, mef == nil { problems.append("mefstat11 manquant pour la voie scolaire") }
            if voie == .apprentissage, cfd == nil { problems.append("cfd manquant pour l'apprentissage") }
            var counts: [String: Int?] = [:]
            for name in ["nb_annee_term", "nb_poursuite_etudes", "nb_sortant"] + InsertionCounts.horizons.map({ "nb_en_emploi_\($0)_mois" }) {
                switch count(field(name)) {
                case .success(let value): counts[name] = value
                case .failure(let message): problems.append("\(name) : \(message)")
                }
            }
            let term = counts["nb_annee_term"] ?? nil
            if problems.isEmpty, term == nil { problems.append("nb_annee_term manquant") }
            if let term {
                for (name, value) in counts where name != "nb_annee_term" {
                    if let value, value > term { problems.append("\(name) (\(value)) dépasse nb_annee_term (\(term))") }
                }
            }
            guard problems.isEmpty, let lineMillesime, let voie, let term else {
                errors.append(DataLineError(line: line, reason: problems.joined(separator: " ; ")))
                continue
            }
            var emploi: [Int: Int] = [:]
            for mois in InsertionCounts.horizons { if let value = counts["nb_en_emploi_\(mois)_mois"] ?? nil { emploi[mois] = value } }
            let row = RegionFormationRow(line: line, millesime: lineMillesime, regionCode: region, voie: voie, cfd: cfd, mefstat11: mef,
                                         counts: InsertionCounts(anneeTerminale: term, poursuite: counts["nb_poursuite_etudes"] ?? nil,
                                                                 emploi: emploi, sortants: counts["nb_sortant"] ?? nil))
            let key = "\(lineMillesime) \(region) \(voie.rawValue) \(row.code)"
            if let first = seen[key] {
                errors.append(DataLineError(line: line, reason: "même millésime, région, voie et formation que la ligne \(first)"))
                continue
            }
            seen[key] = line
            rows.append(row)
        }
        return (rows, errors)
    }

    // MARK: - By establishment

    public enum EstablishmentFile: String, Sendable { case lycees, cfa }

    public static func readEstablishments(_ text: String) throws(DataFileError) -> (kind: EstablishmentFile, rows: [EstablishmentRow], errors: [DataLineError]) {
        let table = try open(text)
        // Headers as the DEPP writes them, matched without case, accents or trailing spaces.
        var columns: [String: Int] = [:]
        for (position, name) in table.header.enumerated() {
            let key = TextFolding.searchKey(name)
            if columns[key] == nil { columns[key] = position }
        }
        let names: [(key: String, label: String)] = [
            ("n uai de l etablissement", "n°UAI de l'établissement"), ("libelle de l etablissement", "Libellé de l'établissement"),
            ("region", "Région"), ("taux de poursuite d etudes", "Taux de poursuite d'études"), ("taux", "Taux"),
            ("taux attendu", "Taux attendu"), ("valeur ajoutee", "Valeur ajoutée"), ("part en poursuite d etudes", "Part en poursuite d'études"),
            ("part en emploi 6 mois apres la sortie", "Part en emploi 6 mois après la sortie"), ("part des autres situations", "Part des autres situations"),
        ]
        let missing = names.filter { columns[$0.key] == nil }.map { "« \($0.label) »" }
        guard missing.isEmpty else {
            throw DataFileError("colonne(s) manquante(s) dans le fichier InserJeunes par établissement : \(missing.joined(separator: ", "))")
        }
        let populationColumn = columns["dont apprentis en eple"]
        let kind: EstablishmentFile = populationColumn == nil ? .cfa : .lycees
        var rows: [EstablishmentRow] = []
        var errors: [DataLineError] = []
        var seen: [String: Int] = [:]
        for (index, fields) in table.rows.enumerated() {
            let line = index + 2
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count >= table.header.count else {
                errors.append(DataLineError(line: line, reason: "\(fields.count) champs au lieu de \(table.header.count)"))
                continue
            }
            func field(_ key: String) -> String { fields[columns[key]!].trimmingCharacters(in: .whitespaces) }
            var problems: [String] = []
            let rawUAI = field("n uai de l etablissement").uppercased()
            if (try? UAI(rawUAI)) == nil { problems.append("UAI « \(rawUAI) » invalide") }
            let libelle = field("libelle de l etablissement")
            if libelle.isEmpty { problems.append("libellé de l'établissement manquant") }
            var population = EstablishmentRow.Population.ensemble
            if let populationColumn {
                let raw = fields[populationColumn].trimmingCharacters(in: .whitespaces)
                switch TextFolding.searchKey(raw) {
                case "ensemble": population = .ensemble
                case "dont apprentis": population = .apprentis
                case let key where key.hasPrefix("dont eleves"): population = .scolaires
                default: problems.append("« Dont apprentis en EPLE » : « \(raw) » inconnu (ensemble, dont apprentis, dont élèves en voie pro sco)")
                }
            }
            var values: [String: Int?] = [:]
            for (key, label) in names.dropFirst(3) {
                let range = key == "valeur ajoutee" ? -100...100 : 0...100
                switch percent(field(key), range: range) {
                case .success(let value): values[key] = value
                case .failure(let message): problems.append("« \(label) » : \(message)")
                }
            }
            guard problems.isEmpty else {
                errors.append(DataLineError(line: line, reason: problems.joined(separator: " ; ")))
                continue
            }
            let key = "\(rawUAI) \(population.rawValue)"
            if let first = seen[key] {
                errors.append(DataLineError(line: line, reason: "même établissement et même population que la ligne \(first)"))
                continue
            }
            seen[key] = line
            rows.append(EstablishmentRow(line: line, uai: rawUAI, libelle: libelle, region: field("region"), population: population,
                                         tauxPoursuite: values["taux de poursuite d etudes"] ?? nil, tauxEmploi6: values["taux"] ?? nil,
                                         tauxEmploi6Attendu: values["taux attendu"] ?? nil, valeurAjoutee: values["valeur ajoutee"] ?? nil,
                                         partPoursuite: values["part en poursuite d etudes"] ?? nil,
                                         partEmploi6: values["part en emploi 6 mois apres la sortie"] ?? nil,
                                         partAutres: values["part des autres situations"] ?? nil))
        }
        return (kind, rows, errors)
    }

    // MARK: - Fields

    static func open(_ text: String) throws(DataFileError) -> DelimitedText {
        do { return try DelimitedText(text) } catch let error as DelimitedText.ParseError {
            throw DataFileError(error.description)
        } catch {
            throw DataFileError("le texte n'a pas pu être lu comme un tableau séparé par « ; »")
        }
    }

    static func requireColumns(_ names: [String], in columns: [String: Int], file: String) throws(DataFileError) {
        let missing = names.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw DataFileError("colonne(s) manquante(s) dans le fichier \(file) : \(missing.joined(separator: ", "))")
        }
    }

    static func optionalCode(_ raw: String) -> String? {
        let value = raw.uppercased()
        return value.isEmpty || value == "ND" ? nil : value
    }

    /// A MEFSTAT11: 11 characters, digits and capital letters (the BCN has codes such as 23A10099999).
    public static func isMefstat11(_ code: String) -> Bool {
        code.count == 11 && code.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) }
    }

    public static func isCFD(_ code: String) -> Bool {
        code.count == 8 && code.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) }
    }

    /// A count: empty or `nd` is "not published", otherwise a whole number from 0 to `maximumCount`.
    static func count(_ raw: String) -> Result<Int?, DataFileError> {
        if raw.isEmpty || raw.lowercased() == "nd" { return .success(nil) }
        guard raw.count <= 9, raw.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(raw), value <= maximumCount else {
            return .failure(DataFileError("« \(raw) » n'est pas un effectif (nombre entier de 0 à \(maximumCount), vide ou nd)"))
        }
        return .success(value)
    }

    /// A published percentage: `nd` (or empty) is masked, otherwise a whole number in `range`.
    static func percent(_ raw: String, range: ClosedRange<Int>) -> Result<Int?, DataFileError> {
        if raw.isEmpty || raw.lowercased() == "nd" { return .success(nil) }
        guard raw.count <= 4, let value = Int(raw), range.contains(value) else {
            return .failure(DataFileError("« \(raw) » n'est pas un pourcentage entier de \(range.lowerBound) à \(range.upperBound) (ou nd)"))
        }
        return .success(value)
    }
}
