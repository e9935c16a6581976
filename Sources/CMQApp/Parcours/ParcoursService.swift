import CMQDomain
import Crypto
import Fluent
import Foundation
import SQLKit

/// Pseudonymised pathways: the yearly upload of a member establishment, the erasure of a learner's steps, the
/// retention purge. Every change is checked against the caller's rights and recorded in the audit trail; no INE
/// is ever written anywhere (only its HMAC-SHA256 under `CMQ_PSEUDONYM_KEY`).
struct ParcoursService {
    let db: any Database
    let caller: Caller
    /// `CMQ_PSEUDONYM_KEY`; nil: imports and erasures by INE are refused.
    let key: String?

    /// The most line faults listed in one answer (the count of the others follows).
    static let listedFaults = 200

    struct ImportReport: Sendable {
        var envoiID: UUID
        var organisation: String
        var uai: String
        var year: SchoolYear
        var etapes: Int
        /// The number of steps the same establishment had sent for that school year, now replaced.
        var replaced: Int?

        var summary: String {
            let base = "\(etapes) étape(s) de parcours \(year) importée(s) pour \(organisation) (\(uai))"
            return replaced.map { base + ", en remplacement des \($0) étape(s) envoyée(s) auparavant." } ?? base + "."
        }
    }

    // MARK: - Rights

    /// The campuses an organisation's network memberships put it in (today's), with their régions.
    static func campusScopes(of organisationID: UUID, today: CalendarDay, on db: any Database) async throws -> [Resource.CampusScope] {
        let memberships = try await Membership.query(on: db).filter(\.$organisation.$id == organisationID).with(\.$campus).all()
        return memberships.filter { ($0.jusquA ?? "9999") >= today.iso }.map { Resource.CampusScope(id: $0.campus.id!, regionCode: $0.campus.regionCode) }
    }

    // MARK: - Import

    func pseudonymiser() throws -> Pseudonymiser {
        guard let key else {
            throw AppError.conflict("Les parcours ne peuvent pas être importés ni effacés par INE : la clé de pseudonymisation (CMQ_PSEUDONYM_KEY) n'est pas définie sur ce serveur. L'exploitant doit la définir (au moins 32 caractères, conservée avec les sauvegardes) puis redémarrer cmq.")
        }
        do { return try Pseudonymiser(secret: key) } catch { throw AppError.conflict(error.description) }
    }

    /// Imports an establishment's file: all or nothing; every bad line is reported with its number (422). A file
    /// for a school year the establishment already sent replaces it.
    func importFile(_ text: String, organisationID: UUID) async throws -> ImportReport {
        guard let organisation = try await Organisation.find(organisationID, on: db) else {
            throw AppError.notFound("Aucune organisation n'a l'identifiant \(organisationID.uuidString.lowercased()).")
        }
        let campuses = try await Self.campusScopes(of: organisationID, today: caller.today, on: db)
        try caller.authorize(.create, .parcoursEtablissement(organisationID: organisationID, campuses: campuses))
        let pseudonymiser = try pseudonymiser()
        guard let uai = organisation.uai, !uai.isEmpty else {
            throw AppError.validation([FieldError("organisation", "« \(organisation.nom) » n'a pas d'UAI : seuls les établissements (lycées, CFA, universités) envoient des parcours.")])
        }
        guard !campuses.isEmpty else {
            throw AppError.validation([FieldError("organisation", "« \(organisation.nom) » ne fait partie d'aucun réseau de campus : ses parcours ne seraient montrés nulle part.")])
        }
        let reading: ParcoursCSV.Reading
        do { reading = try ParcoursCSV.read(text, uai: uai) } catch {
            throw AppError.validation([FieldError("fichier", "Fichier refusé : \(error.description)")])
        }
        guard reading.errors.isEmpty, let year = reading.year else {
            var faults = reading.errors.prefix(Self.listedFaults).map { FieldError("fichier", $0.description) }
            if reading.errors.count > Self.listedFaults {
                faults.append(FieldError("fichier", "… et \(reading.errors.count - Self.listedFaults) autre(s) ligne(s) en erreur."))
            }
            faults.insert(FieldError("fichier", "Rien n'a été importé : \(reading.errors.count) ligne(s) en erreur sur \(reading.errors.count + reading.rows.count)."), at: 0)
            throw AppError.validation(faults)
        }
        let fingerprint = Self.fingerprint(pseudonymiser)
        let pseudonyms = reading.rows.map { pseudonymiser.pseudonym($0.ine) }
        let author = caller.author.label, audit = caller.audit
        // Of two uploads for one establishment and school year at once, both succeed, the later replacing the
        // earlier: the unique (organisation, year) makes the second wait (PostgreSQL) and fail, and it runs again.
        for attempt in 1...3 {
            do {
                return try await db.writeTransaction { db in
                    if let stored = try await ApplicationKey.find(Self.fingerprintName, on: db) {
                        guard stored.valeur == fingerprint else {
                            throw AppError.conflict("La clé CMQ_PSEUDONYM_KEY n'est pas celle qui a pseudonymisé les parcours déjà enregistrés : importer avec une autre clé couperait chaque parcours en deux. Rétablissez la clé d'origine.")
                        }
                    } else {
                        try await ApplicationKey(nom: Self.fingerprintName, valeur: fingerprint).create(on: db)
                    }
                    let existing = try await ParcoursEnvoi.query(on: db).filter(\.$organisation.$id == organisationID).filter(\.$annee == year.start).first()
                    let envoi = existing ?? ParcoursEnvoi(organisationID: organisationID, uai: uai, annee: year.start, etapes: 0, auteur: author)
                    let before = existing?.auditSnapshot
                    let replaced = existing?.etapes
                    if let existing {
                        try await ParcoursEtape.query(on: db).filter(\.$envoi.$id == existing.requireID()).delete()
                    }
                    envoi.etapes = reading.rows.count
                    envoi.auteur = author
                    envoi.uai = uai
                    try await envoi.save(on: db)
                    let envoiID = try envoi.requireID()
                    let steps = zip(reading.rows, pseudonyms).map { row, pseudonym in
                        ParcoursEtape(envoiID: envoiID, pseudonyme: pseudonym, annee: row.year.start, uai: row.uai,
                                      codeFormation: row.formation, statut: row.statut, issue: row.issue)
                    }
                    guard let sql = db as? any SQLDatabase else { throw AppError.conflict("Base de données sans SQL.") }
                    try await BulkRows(reflecting: steps).insert(on: sql)
                    if existing == nil {
                        try await audit.record(.create, envoi, id: envoiID, on: db)
                    } else {
                        try await audit.record(.update, envoi, id: envoiID, before: before, on: db)
                    }
                    return ImportReport(envoiID: envoiID, organisation: organisation.nom, uai: uai, year: year, etapes: steps.count, replaced: replaced)
                }
            } catch where error.isConstraintFailure && attempt < 3 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...30)))
                continue
            }
        }
        throw AppError.conflict("Un autre envoi des parcours de cet établissement pour la même année est en cours : recommencez.")
    }

    static let fingerprintName = "parcours-empreinte-cle"

    /// What tells whether the key changed: a pseudonym of a fixed text, which reveals nothing of the key.
    static func fingerprint(_ pseudonymiser: Pseudonymiser) -> String {
        pseudonymiser.digest("cmq : empreinte de la clé des parcours")
    }

    /// At `cmq serve`: with pathways stored, a missing key gives a warning (the flows show, nothing is imported),
    /// and a key other than the one that made the stored pseudonyms stops the start.
    static func startupCheck(key: String?, on db: any Database) async throws -> String? {
        let stored = try await ApplicationKey.find(fingerprintName, on: db)
        guard let key else {
            let steps = try await ParcoursEtape.query(on: db).count()
            guard stored != nil || steps > 0 else { return nil }
            return "Des parcours sont enregistrés mais CMQ_PSEUDONYM_KEY n'est pas définie : les flux restent consultables, mais aucun import ni effacement par INE n'est possible tant que la clé d'origine n'est pas rétablie."
        }
        if let stored, stored.valeur != fingerprint(try Pseudonymiser(secret: key)) {
            throw AppConfig.Invalid(description: "CMQ_PSEUDONYM_KEY n'est pas la clé qui a pseudonymisé les parcours enregistrés : rétablissez la clé d'origine (les nouveaux imports couperaient chaque parcours en deux).")
        }
        return nil
    }

    // MARK: - Erasure and retention

    /// Deletes every step of the learner with this INE (the right to erasure); the operator's command only.
    func eraseLearner(ine raw: String) async throws -> Int {
        guard caller.isOperator || caller.actor?.role == .administrateurNational else {
            throw AppError.forbidden("L'effacement des parcours d'un apprenant est fait par l'administrateur national ou l'exploitant.")
        }
        let ine: INE
        do { ine = try INE(raw) } catch { throw AppError.validation([FieldError("ine", error.message)]) }
        let pseudonym = try pseudonymiser().pseudonym(ine)
        let audit = caller.audit
        return try await db.writeTransaction { db in
            let count = try await ParcoursEtape.query(on: db).filter(\.$pseudonyme == pseudonym).count()
            try await ParcoursEtape.query(on: db).filter(\.$pseudonyme == pseudonym).delete()
            try await audit.record(.delete, ParcoursErasure(kind: .apprenant, etapes: count), id: UUID(), on: db)
            return count
        }
    }

    /// Deletes the steps of school years older than the `years` latest (today's school year counted), and the
    /// files that held them. Returns the number of steps deleted and the first school year kept.
    func purge(keepingYears years: Int) async throws -> (etapes: Int, keptFrom: SchoolYear) {
        guard caller.isOperator else { throw AppError.forbidden("La purge des parcours est faite par l'exploitant (cmq rgpd purge-parcours).") }
        let current = Self.schoolYear(of: caller.today)
        let keptFrom = SchoolYear(start: current.start - max(years, 1) + 1)
        let audit = caller.audit
        let count = try await db.writeTransaction { db in
            let count = try await ParcoursEtape.query(on: db).filter(\.$annee < keptFrom.start).count()
            try await ParcoursEtape.query(on: db).filter(\.$annee < keptFrom.start).delete()
            try await ParcoursEnvoi.query(on: db).filter(\.$annee < keptFrom.start).delete()
            try await audit.record(.delete, ParcoursErasure(kind: .purge, etapes: count, keptFrom: keptFrom), id: UUID(), on: db)
            return count
        }
        return (count, keptFrom)
    }

    /// The school year a day belongs to: from 1 September.
    static func schoolYear(of day: CalendarDay) -> SchoolYear {
        SchoolYear(start: day.month >= 9 ? day.year : day.year - 1)
    }
}
