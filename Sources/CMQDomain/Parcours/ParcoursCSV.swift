import Foundation

/// The file a member establishment uploads once a year: one line per learner and formation followed that school
/// year, `;`-separated (or `,`), UTF-8 or Windows-1252, a header line naming the columns (in any order):
///
/// | column | content |
/// |---|---|
/// | `ine` | the learner's INE (11 characters, a national format: see `INE`) — replaced at import by its pseudonym |
/// | `annee_scolaire` | `2024-2025`: the same on every line (one file per school year) |
/// | `uai` | the establishment's UAI: the uploader's, on every line |
/// | `code_formation` | the formation's CFD (8 characters) or MEF (11 characters), digits and capital letters |
/// | `statut` | `scolaire`, `apprenti`, `etudiant` or `stagiaire` |
/// | `issue` | how the year ended: `diplome`, `poursuite`, `abandon`, `reorientation`, `rupture-contrat`, or empty (not known) |
///
/// No name, birth date or other column is read: a file with other columns is refused, so that nobody sends more
/// than is needed. A learner appears once per formation.
public enum ParcoursCSV {
    public static let columns = ["ine", "annee_scolaire", "uai", "code_formation", "statut", "issue"]
    /// The most lines read from one file (the largest establishments have a few thousand learners).
    public static let maximumLines = 50_000

    public struct Row: Sendable, Equatable {
        public var line: Int
        public var ine: INE
        public var year: SchoolYear
        public var uai: String
        public var formation: String
        public var statut: ParcoursStatut
        public var issue: ParcoursIssue?
    }

    /// A bad line: its number in the file (the header is line 1) and what is wrong, in French.
    public struct LineError: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }

        public var description: String { "ligne \(line) : \(message)" }
    }

    /// A file that cannot be read at all (no header, wrong columns, too long, badly quoted).
    public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The lines of the file, every fault found (the import applies nothing unless `errors` is empty).
    public struct Reading: Sendable {
        public var rows: [Row]
        public var errors: [LineError]

        /// The file's school year (that of its lines).
        public var year: SchoolYear? { rows.first?.year }
    }

    /// Reads the file of the establishment `uai`.
    public static func read(_ text: String, uai expected: String) throws(FileError) -> Reading {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        let delimiter: Character = firstLine.contains(";") || !firstLine.contains(",") ? ";" : ","
        let table: DelimitedText
        do { table = try DelimitedText(text, delimiter: delimiter) } catch {
            throw FileError(description: "le fichier n'est pas un CSV lisible (\(error)).")
        }
        let header = table.header.map { TextFolding.fold($0).trimmingCharacters(in: .whitespaces) }
        let missing = columns.filter { !header.contains($0) }
        let extra = header.filter { !columns.contains($0) && !$0.isEmpty }
        guard missing.isEmpty, extra.isEmpty else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("colonne(s) manquante(s) : \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { parts.append("colonne(s) non prévue(s) : \(extra.prefix(5).joined(separator: ", ")) (aucune autre donnée personnelle n'est acceptée)") }
            throw FileError(description: "l'en-tête doit être « \(columns.joined(separator: ";")) » ; \(parts.joined(separator: " ; ")).")
        }
        guard table.rows.count <= maximumLines else {
            throw FileError(description: "le fichier compte \(table.rows.count) lignes ; au plus \(maximumLines) par envoi.")
        }
        guard !table.rows.isEmpty else { throw FileError(description: "le fichier ne contient aucune ligne après l'en-tête.") }
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var reading = Reading(rows: [], errors: [])
        var seen: [String: Int] = [:]
        for (offset, cells) in table.rows.enumerated() {
            let line = offset + 2
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard cells.count == header.count else {
                reading.errors.append(LineError(line: line, message: "\(cells.count) colonne(s) au lieu de \(header.count)."))
                continue
            }
            func cell(_ name: String) -> String { cells[index[name]!].trimmingCharacters(in: .whitespaces) }
            var faults: [String] = []
            var ine: INE?
            do { ine = try INE(cell("ine")) } catch { faults.append(error.message) }
            let year = SchoolYear(cell("annee_scolaire"))
            if year == nil { faults.append("l'année scolaire doit s'écrire « 2024-2025 » (deux années qui se suivent, de 2000 à 2100).") }
            let uai = cell("uai").uppercased()
            if uai != expected {
                faults.append(uai.isEmpty ? "l'UAI est vide." : "l'UAI doit être celui de l'établissement qui envoie le fichier (\(expected)).")
            }
            let formation = cell("code_formation").uppercased()
            if !((formation.count == 8 || formation.count == 11) && formation.allSatisfy({ $0.isASCIIDigit || ("A"..."Z").contains($0) })) {
                faults.append("le code de formation doit être un CFD (8 caractères) ou un MEF (11 caractères), chiffres et lettres majuscules.")
            }
            let statut = ParcoursStatut(rawValue: TextFolding.fold(cell("statut")))
            if statut == nil { faults.append("le statut doit être scolaire, apprenti, etudiant ou stagiaire.") }
            let issueText = cell("issue")
            let issue = issueText.isEmpty ? nil : ParcoursIssue(word: issueText)
            if !issueText.isEmpty, issue == nil {
                faults.append("l'issue doit être diplome, poursuite, abandon, reorientation, rupture-contrat ou rester vide.")
            }
            if let year, let first = reading.rows.first?.year, year != first {
                faults.append("l'année scolaire \(year) diffère de celle des lignes précédentes (\(first)) : un fichier par année scolaire.")
            }
            if let ine, faults.isEmpty {
                let key = ine.value + "|" + formation
                if let earlier = seen[key] {
                    faults.append("cet apprenant est déjà inscrit dans cette formation à la ligne \(earlier).")
                } else {
                    seen[key] = line
                }
            }
            guard faults.isEmpty, let ine, let year, let statut else {
                reading.errors.append(LineError(line: line, message: faults.joined(separator: " ")))
                continue
            }
            reading.rows.append(Row(line: line, ine: ine, year: year, uai: uai, formation: formation, statut: statut, issue: issue))
        }
        if reading.rows.isEmpty, reading.errors.isEmpty { throw FileError(description: "le fichier ne contient aucune ligne après l'en-tête.") }
        return reading
    }

    /// A fictitious example file (valid INE-BEA check letters, the demo's Saint-Quentin lycée), offered for download.
    public static func example(uai: String = "0020079A") -> String {
        let lines = [
            (1, "40025214", "scolaire", "diplome"),
            (2, "40025214", "scolaire", "poursuite"),
            (3, "40025214", "apprenti", "rupture-contrat"),
            (4, "50025218", "scolaire", ""),
            (5, "50025218", "scolaire", "abandon"),
        ]
        var text = columns.joined(separator: ";") + "\n"
        for (number, formation, statut, issue) in lines {
            let digits = String(repeating: "0", count: 9) + String(number)
            text += "\(digits)\(INE.beaCheckLetter(forDigits: digits));2024-2025;\(uai);\(formation);\(statut);\(issue)\n"
        }
        return text
    }
}
