import CMQDomain
import Fluent
import Foundation
import SQLKit

/// A campus's international mobilities, school year by school year: the lines its team records (direction, public,
/// country, number of people), whose sums are the indicators INT-01 (outgoing) and INT-02 (incoming). The readers
/// of the campus's activity report read them; those who enter its indicator values write them.
struct MobilityService {
    let db: any Database
    let caller: Caller

    struct YearLines: Sendable {
        var campus: Campus
        var year: SchoolYear
        var lines: [MobilityLine]
        var canEdit: Bool
    }

    func lines(campusID: UUID, year: SchoolYear) async throws -> YearLines {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        // The lines are the activity report's material (a line may count one person): its readers read them; the
        // public reads the totals (INT-01, INT-02).
        try caller.authorize(.read, .activityReport(campusID: campusID, regionCode: campus.regionCode))
        let records = try await Self.records(campusID, year, on: db)
        return YearLines(campus: campus, year: year, lines: records.map(\.line),
                         canEdit: caller.may(.update, .campus(id: campusID, regionCode: campus.regionCode)))
    }

    /// Replaces the school year's lines by `lines` (all of them, or none if one is refused). Two writers at once:
    /// one after the other, the last one's lines stay.
    func replace(campusID: UUID, year: SchoolYear, lines: [MobilityLine]) async throws -> YearLines {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .campus(id: campusID, regionCode: campus.regionCode))
        try Self.check(lines, year: year, today: caller.today)
        let audit = caller.audit
        try await db.writeTransaction { db in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                // The campus's row is the lock of its mobilities: a second writer waits for the first to commit.
                try await sql.raw("SELECT id FROM campus WHERE id = \(bind: campusID) FOR UPDATE").run()
            }
            let before = try await Self.records(campusID, year, on: db)
            let wanted = Dictionary(lines.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            for record in before {
                if let line = wanted[record.line.key] {
                    guard line.count != record.nombre else { continue }
                    let snapshot = record.auditSnapshot
                    record.nombre = line.count
                    try await record.save(on: db)
                    try await audit.record(.update, record, id: try record.requireID(), before: snapshot, on: db)
                } else {
                    try await record.delete(on: db)
                    try await audit.record(.delete, record, id: try record.requireID(), before: record.auditSnapshot, on: db)
                }
            }
            let kept = Set(before.map(\.line.key))
            for line in lines where !kept.contains(line.key) {
                let record = MobilityRecord(campusID: campusID, year: year, line: line)
                try await record.create(on: db)
                try await audit.record(.create, record, id: try record.requireID(), on: db)
            }
        }
        return try await self.lines(campusID: campusID, year: year)
    }

    /// Adds one line to the school year's (or changes its number when the same direction, public and country is
    /// there), keeping the others: the page's form.
    func set(campusID: UUID, year: SchoolYear, line: MobilityLine) async throws -> YearLines {
        var lines = try await Self.records(campusID, year, on: db).map(\.line).filter { $0.key != line.key }
        lines.append(line)
        return try await replace(campusID: campusID, year: year, lines: lines)
    }

    /// Removes the line of a direction, public and country.
    func remove(campusID: UUID, year: SchoolYear, key: String) async throws -> YearLines {
        let lines = try await Self.records(campusID, year, on: db).map(\.line).filter { $0.key != key }
        return try await replace(campusID: campusID, year: year, lines: lines)
    }

    static func check(_ lines: [MobilityLine], year: SchoolYear, today: CalendarDay) throws {
        guard year.firstDay <= today else {
            throw AppError.validation([FieldError("annee", "L'année scolaire \(year) n'a pas commencé : ses mobilités ne peuvent pas encore être saisies.")])
        }
        let faults = MobilityRules.faults(lines)
        guard faults.isEmpty else {
            throw AppError.validation(faults.map { FieldError($0.index == 0 ? "mobilites" : "mobilites[\($0.index - 1)]", $0.index == 0 ? $0.message : "Ligne \($0.index) : \($0.message)") })
        }
    }

    static func records(_ campusID: UUID, _ year: SchoolYear, on db: any Database) async throws -> [MobilityRecord] {
        try await MobilityRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$annee == year.startYear)
            .sort(\.$sens).sort(\.$pays).sort(\.$audience).all()
    }
}
