import CMQDomain
import Fluent
import Foundation
import SQLKit

/// A campus's annual activity report: written by its team beside the school year's figures, transmitted to the
/// région (the figures are then frozen), acknowledged by the région with a comment. Each state change is a
/// conditional write: of two transmissions at once, one wins and the other gets a 409.
struct ActivityReportService {
    let db: any Database
    let caller: Caller

    /// A figure of the report, as shown and as frozen at transmission.
    struct Figure: Codable, Sendable, Equatable {
        var code: String
        var libelle: String
        var famille: String
        var unite: String
        var valeur: Double?
        var precedente: Double?
        var cible: Double?
        var echeance: String?
    }

    struct Report: Sendable {
        var campus: Campus
        var year: SchoolYear
        var status: ReportStatus?
        var texts: [ReportSection: String]
        var figures: [Figure]
        /// The figures are those frozen at transmission (not today's).
        var frozen: Bool
        var comment: String?
        var history: [ActivityReportEventRecord]
        var canWrite: Bool
        var canReview: Bool
    }

    func report(campusID: UUID, year: SchoolYear) async throws -> Report {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.read, .activityReport(campusID: campusID, regionCode: campus.regionCode))
        let record = try await find(campusID, year)
        var figures: [Figure] = []
        var frozen = false
        if let decoded = record?.frozenFigures {
            figures = decoded
            frozen = true
        } else {
            figures = try await liveFigures(campusID, year)
        }
        var history: [ActivityReportEventRecord] = []
        if let record {
            history = try await ActivityReportEventRecord.query(on: db).filter(\.$report.$id == record.requireID()).sort(\.$le).all()
        }
        return Report(campus: campus, year: year, status: record?.statut, texts: record?.texts ?? [:], figures: figures, frozen: frozen,
                      comment: record?.commentaire, history: history,
                      canWrite: caller.may(.update, .activityReport(campusID: campusID, regionCode: campus.regionCode)),
                      canReview: caller.may(.update, .activityReportReview(campusID: campusID, regionCode: campus.regionCode)))
    }

    /// Writes the sections given (the others keep their text); creates the draft on the first write.
    func saveTexts(campusID: UUID, year: SchoolYear, texts: [ReportSection: String]) async throws -> Report {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .activityReport(campusID: campusID, regionCode: campus.regionCode))
        let existing = try await find(campusID, year)
        do { try ReportRules.checkWriting(existing?.statut, year: year, today: caller.today) } catch { throw AppError.conflict(error.message) }
        let now = caller.clock.now()
        let author = caller.author.displayName
        try await retryingStaleState {
            try await db.writeTransaction { db in
                guard let sql = db as? any SQLDatabase else { return }
                // The draft exists once, whoever writes first.
                let created = try await sql.insert(into: ActivityReportRecord.schema)
                    .columns("id", "campus_id", "annee", "statut", "textes", "modifie_le")
                    .values(SQLBind(UUID()), SQLBind(campusID), SQLBind(year.startYear), SQLBind(ReportStatus.brouillon.rawValue), SQLBind("{}"), SQLBind(now))
                    .ignoringConflicts(with: ["campus_id", "annee"])
                    .returning("id").all()
                guard let record = try await ActivityReportRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$annee == year.startYear).first() else { return }
                let id = try record.requireID()
                if !created.isEmpty {
                    try await ActivityReportEventRecord(reportID: id, statut: .brouillon, le: now, auteur: author, commentaire: nil).create(on: db)
                }
                var merged = record.texts
                for (section, text) in texts { merged[section] = text }
                // Only a draft is written: a report transmitted meanwhile is left as it is.
                let written = try await sql.update(ActivityReportRecord.schema)
                    .set("textes", to: SQLBind(ActivityReportRecord.encode(merged))).set("modifie_le", to: SQLBind(now))
                    .where("id", .equal, SQLBind(id)).where("statut", .equal, SQLBind(ReportStatus.brouillon.rawValue))
                    .where("textes", .equal, SQLBind(record.textes))
                    .returning("id").all()
                if written.isEmpty {
                    let current = try await ActivityReportRecord.find(id, on: db)
                    if let status = current?.statut, status != .brouillon { throw AppError.conflict(ReportRules.Refusal.notDraft(status).message) }
                    throw StaleStateError()
                }
            }
        }
        return try await report(campusID: campusID, year: year)
    }

    /// Transmits the draft to the région and freezes its figures.
    func transmit(campusID: UUID, year: SchoolYear) async throws -> Report {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .activityReport(campusID: campusID, regionCode: campus.regionCode))
        let record = try await find(campusID, year)
        do { try ReportRules.checkTransmission(record?.statut, texts: record?.texts ?? [:]) } catch { throw AppError.conflict(error.message) }
        guard let record else { return try await report(campusID: campusID, year: year) }
        let figures = try await liveFigures(campusID, year)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let frozen = String(decoding: try encoder.encode(figures), as: UTF8.self)
        try await change(record, from: .brouillon, to: .transmis, values: frozen, comment: nil)
        return try await report(campusID: campusID, year: year)
    }

    /// The région acknowledges a transmitted report, with its comment.
    func acknowledge(campusID: UUID, year: SchoolYear, comment: String?) async throws -> Report {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .activityReportReview(campusID: campusID, regionCode: campus.regionCode))
        let record = try await find(campusID, year)
        do { try ReportRules.checkAcknowledgment(record?.statut) } catch { throw AppError.conflict(error.message) }
        guard let record else { return try await report(campusID: campusID, year: year) }
        try await change(record, from: .transmis, to: .prisEnCompte, values: nil, comment: comment)
        return try await report(campusID: campusID, year: year)
    }

    private func change(_ record: ActivityReportRecord, from: ReportStatus, to: ReportStatus, values: String?, comment: String?) async throws {
        let id = try record.requireID()
        let now = caller.clock.now()
        let author = caller.author.displayName
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            var update = sql.update(ActivityReportRecord.schema).set("statut", to: SQLBind(to.rawValue)).set("modifie_le", to: SQLBind(now))
            if let values { update = update.set("valeurs", to: SQLBind(values)) }
            if let comment { update = update.set("commentaire", to: SQLBind(comment)) }
            let won = try await update.where("id", .equal, SQLBind(id)).where("statut", .equal, SQLBind(from.rawValue)).returning("id").all()
            guard !won.isEmpty else {
                let status = try await ActivityReportRecord.find(id, on: db)?.statut ?? from
                throw AppError.conflict(to == .transmis ? ReportRules.Refusal.notDraft(status).message : ReportRules.Refusal.notTransmitted(status).message)
            }
            try await ActivityReportEventRecord(reportID: id, statut: to, le: now, auteur: author, commentaire: comment).create(on: db)
        }
    }

    private func find(_ campusID: UUID, _ year: SchoolYear) async throws -> ActivityReportRecord? {
        try await ActivityReportRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$annee == year.startYear).first()
    }

    /// Today's figures of the school year: every indicator of the catalogue (the report is not public).
    private func liveFigures(_ campusID: UUID, _ year: SchoolYear) async throws -> [Figure] {
        let board = try await IndicatorService(db: db, caller: caller).board(campusID: campusID, year: year, everything: true)
        return board.lines.map { line in
            Figure(code: line.indicator.code, libelle: line.indicator.libelle, famille: line.indicator.family.rawValue, unite: line.indicator.unit.rawValue,
                   valeur: line.value, precedente: line.previous, cible: line.target?.target, echeance: line.target?.deadline.iso)
        }
    }
}
