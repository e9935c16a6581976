import CMQDomain
import Fluent
import Foundation
import SQLKit

/// Imports the InserJeunes files (by région and formation, by establishment) and the BCN tables: all or nothing,
/// every bad line reported with its number; importing a millésime again replaces it, other millésimes stay.
struct InsertionImporter {
    let db: any Database

    /// Rows per INSERT statement: 500 rows of 13 values stay far under both databases' limits on parameters.
    static let batchSize = 500

    struct Report: Sendable, Equatable {
        var imported = 0
        var replaced = 0
        var millesimes: [String] = []
        var rejected: [DataLineError] = []
        var warnings: [DataLineError] = []
        var applied = false
        var what: String

        var summary: String {
            if !applied {
                return "Import annulé : \(rejected.count) ligne(s) rejetée(s), rien n'a été enregistré (\(what))."
            }
            let which = millesimes.isEmpty ? "" : " ; millésime(s) \(millesimes.joined(separator: ", "))"
            return "Import terminé : \(imported) ligne(s) enregistrée(s), \(replaced) remplacée(s) (\(what))\(which)."
        }
    }

    // MARK: - InserJeunes by région and formation

    func importRegions(_ text: String, only millesime: Millesime? = nil, progress: any ProgressReporter = SilentProgress()) async throws -> Report {
        let (rows, errors) = try InserJeunesFiles.readRegions(text, only: millesime)
        var report = Report(what: "InserJeunes par région et formation")
        report.millesimes = Array(Set(rows.map(\.millesime))).sorted().map(\.description)
        guard errors.isEmpty else {
            report.rejected = errors
            return report
        }
        guard !rows.isEmpty else { throw DataFileError("aucune ligne à importer\(millesime.map { " pour le millésime \($0)" } ?? "")") }
        let millesimes = report.millesimes
        report.replaced = try await db.transaction { db in
            let replaced = try await RegionFormationRecord.query(on: db).filter(\.$millesime ~~ millesimes).count()
            try await RegionFormationRecord.query(on: db).filter(\.$millesime ~~ millesimes).delete()
            try await Self.insertRegionRows(rows, on: db, progress: progress)
            return replaced
        }
        report.imported = rows.count
        report.applied = true
        return report
    }

    // MARK: - InserJeunes by establishment

    func importEstablishments(_ text: String, millesime: Millesime, progress: any ProgressReporter = SilentProgress()) async throws -> Report {
        let (file, rows, errors) = try InserJeunesFiles.readEstablishments(text)
        var report = Report(what: file == .cfa ? "InserJeunes par CFA" : "InserJeunes par lycée")
        report.millesimes = [millesime.description]
        guard errors.isEmpty else {
            report.rejected = errors
            return report
        }
        guard !rows.isEmpty else { throw DataFileError("aucune ligne à importer") }
        report.replaced = try await db.transaction { db in
            let existing = EstablishmentFigureRecord.query(on: db).filter(\.$millesime == millesime.description).filter(\.$fichier == file.rawValue)
            let replaced = try await existing.count()
            try await EstablishmentFigureRecord.query(on: db).filter(\.$millesime == millesime.description).filter(\.$fichier == file.rawValue).delete()
            try await Self.insert(rows.map { EstablishmentFigureRecord($0, millesime: millesime, file: file) }, label: "InserJeunes par établissement", on: db, progress: progress)
            return replaced
        }
        report.imported = rows.count
        report.applied = true
        return report
    }

    // MARK: - BCN

    func importBCN(_ text: String, progress: any ProgressReporter = SilentProgress()) async throws -> Report {
        let (table, errors, warnings) = try BCNFiles.read(text)
        switch table {
        case .mef(let links):
            var report = Report(what: "BCN N_MEF, MEFSTAT11 → CFD")
            guard errors.isEmpty else { report.rejected = errors; return report }
            report.replaced = try await db.transaction { db in
                let replaced = try await MefStatRecord.query(on: db).count()
                try await MefStatRecord.query(on: db).delete()
                try await Self.insert(links.map { MefStatRecord(mefstat11: $0.mefstat11, cfd: $0.cfd) }, label: "BCN N_MEF", on: db, progress: progress)
                return replaced
            }
            report.imported = links.count
            report.applied = true
            return report
        case .diplomes(let diplomas):
            var report = Report(what: "BCN N_FORMATION_DIPLOME, diplômes et renouvellements")
            report.warnings = warnings
            guard errors.isEmpty else { report.rejected = errors; return report }
            let links = diplomas.reduce(into: Set<[String]>()) { links, diploma in
                for former in diploma.anciens where former != diploma.cfd { links.insert([former, diploma.cfd]) }
                for next in diploma.nouveaux where next != diploma.cfd { links.insert([diploma.cfd, next]) }
            }
            report.replaced = try await db.transaction { db in
                let replaced = try await DiplomaRecord.query(on: db).count()
                try await DiplomaLinkRecord.query(on: db).delete()
                try await DiplomaRecord.query(on: db).delete()
                try await Self.insert(diplomas.map { DiplomaRecord(cfd: $0.cfd, niveau: $0.niveau, libelle: $0.libelle) }, label: "BCN diplômes", on: db, progress: progress)
                try await Self.insert(links.sorted { $0.lexicographicallyPrecedes($1) }.map { DiplomaLinkRecord(ancien: $0[0], nouveau: $0[1]) },
                                      label: "BCN renouvellements", on: db, progress: progress)
                return replaced
            }
            report.imported = diplomas.count
            report.applied = true
            return report
        }
    }

    /// The 40,000 lines of a national file go straight to SQL, `batchSize` rows per statement: the models'
    /// bookkeeping would triple the time.
    static func insertRegionRows(_ rows: [RegionFormationRow], on db: any Database, progress: any ProgressReporter) async throws {
        guard let sql = db as? any SQLDatabase else {
            return try await insert(rows.map(RegionFormationRecord.init), label: "InserJeunes par région", on: db, progress: progress)
        }
        let columns = ["id", "millesime", "region_code", "voie", "code", "cfd", "mefstat11", "nb_annee_term", "nb_poursuite_etudes", "nb_sortant",
                       "nb_en_emploi_6_mois", "nb_en_emploi_12_mois", "nb_en_emploi_18_mois", "nb_en_emploi_24_mois"]
        var start = 0
        while start < rows.count {
            let end = min(start + batchSize, rows.count)
            var insert = sql.insert(into: RegionFormationRecord.schema).columns(columns)
            for row in rows[start..<end] {
                let counts = row.counts
                insert = insert.values([
                    SQLBind(UUID()), SQLBind(row.millesime.description), SQLBind(row.regionCode), SQLBind(row.voie.rawValue), SQLBind(row.code),
                    SQLBind(row.cfd), SQLBind(row.mefstat11), SQLBind(counts.anneeTerminale), SQLBind(counts.poursuite), SQLBind(counts.sortantsPublies),
                    SQLBind(counts.emploi[6]), SQLBind(counts.emploi[12]), SQLBind(counts.emploi[18]), SQLBind(counts.emploi[24]),
                ])
            }
            try await insert.run()
            progress.step("InserJeunes par région", done: end, total: rows.count)
            start = end
        }
    }

    /// Inserts models `batchSize` at a time (one statement per batch), reporting progress.
    static func insert<M: Model>(_ models: [M], label: String, on db: any Database, progress: any ProgressReporter) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + batchSize, models.count)
            try await Array(models[start..<end]).create(on: db)
            progress.step(label, done: end, total: models.count)
            start = end
        }
    }
}
