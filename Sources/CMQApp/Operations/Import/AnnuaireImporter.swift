import CMQDomain
import Fluent
import Foundation

/// Imports the ministry's "annuaire de l'éducation" CSV (`;`-separated, as on data.education.gouv.fr) into
/// the organisations: upsert by UAI, all-or-nothing unless asked otherwise, every bad line reported.
///
/// Only lycées become organisations; the other kinds of the annuaire (écoles, collèges, services…) are
/// counted as ignored. The annuaire repeats some UAIs on several lines and gives one SIRET to several
/// establishments: the first line of a UAI is kept, and a SIRET stays with the first establishment that has it.
struct AnnuaireImporter {
    let db: any Database

    struct LineError: Equatable, Sendable, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "ligne \(line) : \(reason)" }
    }

    struct Report: Equatable, Sendable {
        var created = 0
        var updated = 0
        var unchanged = 0
        var ignored = 0
        var duplicates = 0
        var rejected: [LineError] = []
        var warnings: [LineError] = []
        /// False when bad lines made the import stop before writing anything.
        var applied = false

        var summary: String {
            if !applied {
                return "Import annulé : \(rejected.count) ligne(s) rejetée(s), aucune modification enregistrée."
            }
            return "Import terminé : \(created) créé(s), \(updated) mis à jour, \(unchanged) inchangé(s), \(rejected.count) rejeté(s), \(ignored) ignoré(s) (hors lycées), \(duplicates) doublon(s)."
        }
    }

    enum FileError: Error, Equatable, CustomStringConvertible {
        case empty
        case wrongSeparator
        case missingColumns([String])
        case unreadable(String)

        var description: String {
            switch self {
            case .empty: "Le fichier est vide."
            case .wrongSeparator: "Le fichier n'utilise pas le séparateur « ; » de l'annuaire de l'éducation."
            case .missingColumns(let names): "Colonne(s) obligatoire(s) absente(s) de l'en-tête : \(names.joined(separator: ", "))."
            case .unreadable(let reason): "Le fichier CSV est illisible, \(reason)."
            }
        }
    }

    struct Options: Sendable {
        /// Import the good lines even when some are rejected.
        var skipInvalid = false
    }

    /// A checked line, ready to be written.
    struct Candidate: Sendable {
        var line: Int
        var uai: UAI
        var nom: String
        var kind: OrganisationKind
        var isPublic: Bool
        var lyceeDesMetiers: Bool
        var siret: SIRET?
        var adresse: String?
        var codePostal: String?
        var commune: String?
        var departement: String?
        var latitude: Double?
        var longitude: Double?
        var siteWeb: String?
        var telephone: String?
    }

    static let requiredColumns = ["Identifiant_de_l_etablissement", "Nom_etablissement", "Type_etablissement"]

    /// Reads and checks every line without touching the database.
    static func parse(_ raw: String) throws(FileError) -> (candidates: [Candidate], report: Report) {
        let text = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : raw
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .empty }
        let headerLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        guard headerLine.contains(";") else { throw .wrongSeparator }
        let table: DelimitedText
        do {
            table = try DelimitedText(text)
        } catch {
            throw .unreadable(String(describing: error))
        }
        let header = table.header
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else { throw .missingColumns(missing) }
        let index = table.columnIndex

        var report = Report()
        var candidates: [Candidate] = []
        var seenUAI = Set<String>()
        for (offset, fields) in table.rows.enumerated() {
            let line = offset + 2
            if fields.count == 1, fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard fields.count == header.count else {
                report.rejected.append(LineError(line: line, reason: "la ligne compte \(fields.count) champ(s) au lieu de \(header.count)."))
                continue
            }
            func value(_ column: String) -> String? {
                guard let i = index[column] else { return nil }
                let text = fields[i].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            var reasons: [String] = []
            var uai: UAI?
            do { uai = try UAI(value("Identifiant_de_l_etablissement") ?? "") } catch { reasons.append(error.message) }
            let nom = value("Nom_etablissement")
            if nom == nil { reasons.append("le nom de l'établissement est vide.") }
            var siret: SIRET?
            if let raw = value("SIREN_SIRET"), raw.count != 9 {
                do { siret = try SIRET(raw) } catch { reasons.append(error.message) }
            }
            var departement: String?
            if let raw = value("Code_departement") {
                if let found = TerritoryCatalog.shared.departement(code: raw) { departement = found.code } else {
                    reasons.append("le département « \(raw) » n'existe pas.")
                }
            }
            var latitude: Double?, longitude: Double?
            if let raw = value("latitude") {
                if let number = Double(raw.replacingOccurrences(of: ",", with: ".")), (-90...90).contains(number) { latitude = number } else {
                    reasons.append("la latitude « \(raw) » n'est pas un nombre entre -90 et 90.")
                }
            }
            if let raw = value("longitude") {
                if let number = Double(raw.replacingOccurrences(of: ",", with: ".")), (-180...180).contains(number) { longitude = number } else {
                    reasons.append("la longitude « \(raw) » n'est pas un nombre entre -180 et 180.")
                }
            }
            if (latitude == nil) != (longitude == nil), reasons.isEmpty {
                reasons.append("la latitude et la longitude vont ensemble : l'une manque.")
            }
            guard reasons.isEmpty, let uai, let nom else {
                report.rejected.append(LineError(line: line, reason: reasons.joined(separator: " ")))
                continue
            }
            guard let kind = kind(type: value("Type_etablissement"), nature: value("libelle_nature"), agricole: value("Lycee_Agricole") == "1") else {
                report.ignored += 1
                continue
            }
            guard !seenUAI.contains(uai.value) else {
                report.duplicates += 1
                report.warnings.append(LineError(line: line, reason: "l'UAI \(uai.value) figure déjà plus haut dans le fichier ; cette ligne est ignorée."))
                continue
            }
            seenUAI.insert(uai.value)
            let web = value("Web").flatMap { URL(string: $0)?.scheme?.hasPrefix("http") == true ? $0 : nil }
            candidates.append(Candidate(
                line: line, uai: uai, nom: nom, kind: kind, isPublic: value("Statut_public_prive") == "Public",
                lyceeDesMetiers: value("Lycee_des_metiers") == "1", siret: siret,
                adresse: value("Adresse_1"), codePostal: value("Code postal"), commune: value("Nom_commune"),
                departement: departement ?? uai.departementCode, latitude: latitude, longitude: longitude, siteWeb: web,
                telephone: value("Telephone").flatMap { try? PhoneNumber($0).value }))
        }
        return (candidates, report)
    }

    /// The organisation kind of an annuaire line, or nil for what is not a lycée.
    static func kind(type: String?, nature: String?, agricole: Bool) -> OrganisationKind? {
        guard type == "Lycée" else { return nil }
        if agricole { return .lyceeAgricole }
        switch nature ?? "" {
        case "LYCEE POLYVALENT": return .lyceePolyvalent
        case "LYCEE PROFESSIONNEL", "SECTION D ENSEIGNEMENT PROFESSIONNEL": return .lyceeProfessionnel
        default: return .lyceeGeneralTechnologique
        }
    }

    /// Reads, checks and, when every line is good (or `skipInvalid` is set), writes in one transaction.
    func importFile(_ text: String, options: Options = Options(), progress: any ProgressReporter = SilentProgress()) async throws -> Report {
        let (parsed, parseReport) = try Self.parse(text)
        guard parseReport.rejected.isEmpty || options.skipInvalid else { return parseReport }

        var report = try await db.writeTransaction { db -> Report in
            var report = parseReport
            var candidates = parsed
            // The organisations already known by these UAIs, and who holds each SIRET.
            var existing: [String: Organisation] = [:]
            let uais = candidates.map(\.uai.value)
            for chunk in stride(from: 0, to: uais.count, by: 500).map({ Array(uais[$0..<min($0 + 500, uais.count)]) }) {
                for organisation in try await Organisation.query(on: db).filter(\.$uai ~~ chunk).all() {
                    existing[organisation.uai!] = organisation
                }
            }
            var siretHolders: [String: String] = [:]  // SIRET → UAI (or "id:…" for an organisation without UAI)
            let sirets = Array(Set(candidates.compactMap { $0.siret?.value }))
            for chunk in stride(from: 0, to: sirets.count, by: 500).map({ Array(sirets[$0..<min($0 + 500, sirets.count)]) }) {
                for organisation in try await Organisation.query(on: db).filter(\.$siret ~~ chunk).all() {
                    siretHolders[organisation.siret!] = organisation.uai ?? "id:\(organisation.id!.uuidString)"
                }
            }

            var toCreate: [Organisation] = []
            for (index, candidate) in candidates.enumerated() {
                if let siret = candidate.siret?.value, let holder = siretHolders[siret], holder != candidate.uai.value {
                    report.warnings.append(LineError(line: candidate.line, reason: "le SIRET \(siret) est déjà porté par \(holder.hasPrefix("id:") ? "une autre organisation" : "l'UAI \(holder)") ; il n'est pas repris pour \(candidate.uai.value)."))
                    candidates[index].siret = nil
                } else if let siret = candidate.siret?.value {
                    siretHolders[siret] = candidate.uai.value
                }
                let candidate = candidates[index]
                let organisation = existing[candidate.uai.value] ?? Organisation(nom: "", kind: candidate.kind, isPublic: false)
                let before = organisation.snapshot
                organisation.nom = candidate.nom
                organisation.kind = candidate.kind
                organisation.isPublic = candidate.isPublic
                organisation.lyceeDesMetiers = candidate.lyceeDesMetiers
                organisation.uai = candidate.uai.value
                if let siret = candidate.siret { organisation.siret = siret.value }
                organisation.adresse = candidate.adresse
                organisation.codePostal = candidate.codePostal
                organisation.commune = candidate.commune
                organisation.departementCode = candidate.departement
                organisation.latitude = candidate.latitude
                organisation.longitude = candidate.longitude
                organisation.siteWeb = candidate.siteWeb ?? organisation.siteWeb
                organisation.telephone = candidate.telephone ?? organisation.telephone
                organisation.refreshDerivedFields()
                if organisation.id == nil {
                    toCreate.append(organisation)
                    report.created += 1
                } else if organisation.snapshot != before {
                    try await organisation.save(on: db)
                    report.updated += 1
                } else {
                    report.unchanged += 1
                }
                if toCreate.count == 250 {
                    try await toCreate.create(on: db)
                    toCreate.removeAll(keepingCapacity: true)
                }
                progress.step("Établissements", done: index + 1, total: candidates.count)
            }
            if !toCreate.isEmpty { try await toCreate.create(on: db) }
            return report
        }
        report.applied = true
        return report
    }
}

extension Organisation {
    /// The imported fields, to tell an update from an unchanged line.
    var snapshot: [String?] {
        [nom, kind.rawValue, String(isPublic), String(lyceeDesMetiers), uai, siret, adresse, codePostal, commune, departementCode,
         latitude.map { String($0) }, longitude.map { String($0) }, siteWeb, telephone]
    }
}
