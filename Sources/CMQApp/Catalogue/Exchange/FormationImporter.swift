import CMQDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Writes formation records (from cmq's CSV, ONISEP's Idéo CSV or LHEO XML) as the formation service would:
/// every record is checked as the API checks a body, organisations are found by UAI or SIRET, a record
/// whose identifier exists updates that formation. All or nothing unless asked otherwise.
///
/// The live site must not wait for an import: the file is checked and every row built outside any write
/// transaction (reads only), then written in one short transaction of multi-row statements.
struct FormationImporter {
    let db: any Database
    let caller: Caller
    /// Past this many formations, an import does not list them in `catalogue_changes` (which PostgreSQL writes under the
    /// catalogue version's lock, the site's catalogue writes waiting): every instance's index reads the catalogue
    /// whole instead, as it does past a few thousand changes anyway.
    var changesListedAtMost = 20_000

    struct Report: Equatable, Sendable {
        var created = 0
        var updated = 0
        var rejected: [LineError] = []
        var applied = false
        /// How long the write transaction lasted (what other writers may have waited).
        var writeDuration: Duration?

        var summary: String {
            if !applied {
                return "Import annulé : \(rejected.count) formation(s) rejetée(s), aucune modification enregistrée."
            }
            var text = "Import terminé : \(created) formation(s) créée(s), \(updated) mise(s) à jour, \(rejected.count) rejetée(s)"
            if let writeDuration {
                let seconds = Double(writeDuration.components.seconds) + Double(writeDuration.components.attoseconds) / 1e18
                text += ", écrites en \(String(format: "%.2f", seconds).replacingOccurrences(of: ".", with: ",")) s"
            }
            return text + "."
        }
    }

    /// - Parameters:
    ///   - parseErrors: the lines the file reader could not turn into records.
    func run(_ records: [FormationRecord], parseErrors: [LineError] = [], skipInvalid: Bool = false,
             progress: any ProgressReporter = SilentProgress()) async throws -> Report {
        var report = Report(rejected: parseErrors)
        let checked = try await check(records, rejecting: &report.rejected, progress: progress)
        report.rejected.sort { $0.line < $1.line }
        guard report.rejected.isEmpty || skipInvalid else { return report }

        // Everything is read and built outside any write transaction; the transaction only sends the rows. Should
        // a formation of the file change in between, the preparation is done again.
        for attempt in 1...3 {
            let plan = try await prepare(checked, progress: progress)
            do {
                let clock = ContinuousClock()
                report.writeDuration = try await clock.measure { try await write(plan, progress: progress) }
                report.created = plan.created
                report.updated = plan.updated
                report.applied = true
                return report
            } catch is ChangedMeanwhile where attempt < 3 {
                progress.message("Des formations du fichier ont changé pendant la préparation : nouvelle préparation.")
            }
        }
        throw ChangedMeanwhile()
    }

    // MARK: - Checking the records (reads only)

    /// The records that pass the checks, each with its input; the others are added to `rejected`. (Tests also
    /// use it to import the same inputs one by one through the service.)
    func check(_ records: [FormationRecord], rejecting rejected: inout [LineError],
                       progress: any ProgressReporter) async throws -> [(record: FormationRecord, input: FormationInput)] {
        // The organisations named by the records.
        let keys = Set(records.flatMap { [$0.organisation, $0.responsable].compactMap { $0 } })
        let organisations = try await resolve(keys)
        // The national diplomas named by CFD, to fill in a title, a type or a level left out.
        let cfds = Set(records.compactMap { $0.cfd.flatMap { try? CFD($0).value } })
        var found: [String: DiplomeReferenceDTO] = [:]
        for cfd in cfds { found[cfd] = try await ReferenceLookup(db: db).diplome(cfd: cfd) }
        let diplomas = found

        // An identifier given twice: the second line is refused (in the file's order).
        var firstPlace: [UUID: String] = [:]
        var unique: [FormationRecord] = []
        unique.reserveCapacity(records.count)
        for record in records {
            if let id = record.identifiant {
                if let first = firstPlace[id] {
                    rejected.append(record.error("identifiant : \(id.uuidString.lowercased()) est déjà celui de \(first)."))
                    continue
                }
                firstPlace[id] = record.place.map { "la \($0)" } ?? "la ligne \(record.line)"
            }
            unique.append(record)
        }
        // Each record is checked on its own: side by side, one slice per processor.
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))
        let done = NIOLockedValueBox(0)
        let total = unique.count
        let slices = try await unique.chunked(max(256, (unique.count + workers * 4 - 1) / (workers * 4))).parallelMap { slice in
            let outcomes = slice.map { Self.check($0, organisations: organisations, diplomas: diplomas) }
            done.withLockedValue { done in
                done += slice.count
                progress.step("Vérification", done: done, total: total)
            }
            return outcomes
        }
        var checked: [(record: FormationRecord, input: FormationInput)] = []
        checked.reserveCapacity(unique.count)
        for outcome in slices.joined() {
            switch outcome {
            case .success(let item): checked.append(item)
            case .failure(let error): rejected.append(error)
            }
        }
        return checked
    }

    /// One record checked as the API checks a body, its organisations found, what its national diploma says filled in.
    private static func check(_ record: FormationRecord, organisations: [FormationRecord.OrganisationKey: UUID],
                              diplomas: [String: DiplomeReferenceDTO]) -> Result<(record: FormationRecord, input: FormationInput), LineError> {
        var record = record
        guard let key = record.organisation else {
            return .failure(record.error("organisation : ni UAI ni SIRET n'indique l'organisation qui donne la formation."))
        }
        guard let organisationID = organisations[key] else {
            return .failure(record.error("organisation : aucune organisation n'a \(key)."))
        }
        var responsableID: UUID?
        if let key = record.responsable {
            guard let id = organisations[key] else {
                return .failure(record.error("organisation responsable : aucune organisation n'a \(key)."))
            }
            responsableID = id == organisationID ? nil : id
        }
        if let cfd = record.cfd.flatMap({ try? CFD($0).value }), let diploma = diplomas[cfd] {
            if record.intitule == nil { record.intitule = "\(diploma.sigle) \(diploma.intitule)" }
            if record.typeDiplome == nil { record.typeDiplome = diploma.typeDiplome }
            if record.niveauSortie == nil, record.typeDiplome == nil { record.niveauSortie = String(diploma.niveau) }
            if record.rncp == nil { record.rncp = diploma.rncp }
        }
        var reader = InputReader(form: record.form(organisationID: organisationID, responsableID: responsableID), mode: .create)
        let input = FormationInput.read(&reader)
        if reader.hasErrors {
            return .failure(record.error(reader.errors.map { "\($0.field) : \($0.detail)" }.joined(separator: " ; ")))
        }
        return .success((record, input))
    }

    // MARK: - Preparing the rows (reads only)

    /// What an import writes, built before its transaction: the rows of every table, and what the file's
    /// formations looked like when they were read.
    struct Plan: Sendable {
        var formations: BulkRows
        var statuts: BulkRows
        var romes: BulkRows
        var audit: BulkRows
        /// The existing formations whose statuses, and whose ROME codes, the file replaces.
        var replacedStatuts: [UUID] = []
        var replacedRomes: [UUID] = []
        /// Every formation of the file, and the modification time of those that existed.
        var identifiers: [UUID] = []
        var modifiedAt: [UUID: Date?] = [:]
        var created = 0
        var updated = 0
        /// SQLite: the statements of the four tables, written ahead of the transaction (the rows above are then dropped).
        var sqliteStatements: SQLiteStatements?

        struct SQLiteStatements: Sendable {
            var formations: [SQLiteBulkStatement]
            var statuts: [SQLiteBulkStatement]
            var romes: [SQLiteBulkStatement]
            var audit: [SQLiteBulkStatement]

            var count: Int { formations.count + statuts.count + romes.count + audit.count }
        }

        /// An existing formation is updated in place, every column but these.
        static let keptOnUpdate: Set<String> = ["cree_le"]

        /// SQLite: every statement written and its values encoded now (`SQLiteBulkStatement`), so that the write
        /// transaction, during which the site's writes wait, only has SQLite run them.
        mutating func writeStatements(on sql: any SQLDatabase) async throws {
            // Each table's rows are dropped once written, before the next table's are.
            func written(_ rows: inout BulkRows, updatingExcept kept: Set<String>? = nil) async throws -> [SQLiteBulkStatement] {
                defer { rows.removeAll() }
                return try await rows.sqliteStatements(on: sql, updatingExcept: kept)
            }
            sqliteStatements = SQLiteStatements(formations: try await written(&formations, updatingExcept: Self.keptOnUpdate),
                                                statuts: try await written(&statuts), romes: try await written(&romes),
                                                audit: try await written(&audit))
        }

        /// Another slice's plan added after this one's.
        mutating func append(_ other: Plan) throws(BulkRows.UnsupportedValue) {
            try formations.append(other.formations)
            try statuts.append(other.statuts)
            try romes.append(other.romes)
            try audit.append(other.audit)
            replacedStatuts += other.replacedStatuts
            replacedRomes += other.replacedRomes
            identifiers += other.identifiers
            created += other.created
            updated += other.updated
        }

        var statementCount: Int {
            (sqliteStatements?.count ?? formations.statementCount + statuts.statementCount + romes.statementCount + audit.statementCount)
                + (replacedStatuts.count + Self.idsPerStatement - 1) / Self.idsPerStatement
                + (replacedRomes.count + Self.idsPerStatement - 1) / Self.idsPerStatement
        }

        /// Ids per `IN (…)` list.
        static let idsPerStatement = 1000
        /// Rows of `catalogue_changes` per statement: two bound values a row, 20,000 in all (PostgreSQL binds at most 65,535).
        static let changesPerStatement = 10_000
    }

    /// The rows `FormationService.create` and `update` would write for these inputs, built by the same code
    /// (`FormationFields.applyInput`, `FormationInput.statusValues` and `romeValues`) on plain values rather than
    /// models, and the same audit entries. The file is cut into one slice per
    /// processor, whose rows are built side by side (the search text of each formation is most of the work), then
    /// joined in the file's order.
    func prepare(_ checked: [(record: FormationRecord, input: FormationInput)], progress: any ProgressReporter) async throws -> Plan {
        let existing = try await existingFormations(checked.compactMap(\.record.identifiant))
        // As read (the write checks them again under its lock).
        let modifiedAt = existing.mapValues(\.columns.updatedAt)
        try await authorize(checked, existing: existing)
        let now = Date()
        let audit = caller.audit
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))
        // Every formation's id (a new one's drawn here), the rows then written in the order of their ids: the tables'
        // indexes on them (the formations', their statuses', ROME codes' and audit entries') take them one after the
        // other rather than scattered over their pages (`sqlite3`, 200,000 formations with their lists: a third less time).
        let ordered = checked.map { (id: $0.record.identifiant ?? UUID(), record: $0.record, input: $0.input) }.sorted { $0.id.precedes($1.id) }
        let slices = ordered.chunked(max(1, (ordered.count + workers - 1) / workers))
        let done = NIOLockedValueBox(0)
        let total = ordered.count
        let parts = try await Array(slices.enumerated()).parallelMap { number, slice in
            // The rows of the lists and the audit entries take ids in increasing order, slice after slice.
            let part = Self.plan(slice, existing: existing, audit: audit, at: now, ids: OrderedIDs(at: now, range: number))
            done.withLockedValue { done in
                done += slice.count
                progress.step("Préparation", done: done, total: total)
            }
            return part
        }
        var plan = parts.first ?? Self.plan([], existing: [:], audit: audit, at: now, ids: OrderedIDs(at: now))
        for part in parts.dropFirst() { try plan.append(part) }
        plan.modifiedAt = modifiedAt
        let sql = try Self.sql(db)
        if sql.dialect.name == "sqlite" { try await plan.writeStatements(on: sql) }
        return plan
    }

    /// The plan of some records (a slice of the file), its rows built as plain values (`FormationColumns`).
    private static func plan(_ checked: [(id: UUID, record: FormationRecord, input: FormationInput)], existing: [UUID: ExistingFormation],
                             audit: AuditLog, at now: Date, ids: OrderedIDs) -> Plan {
        var ids = ids
        var formations: [FormationColumns] = [], statuts: [[any SQLExpression]] = [], romes: [[any SQLExpression]] = []
        var entries: [AuditEntryValues] = []
        var replacedStatuts: [UUID] = [], replacedRomes: [UUID] = []
        var created = 0, updated = 0
        formations.reserveCapacity(checked.count)
        entries.reserveCapacity(checked.count)
        let stems = StemMemo()
        for item in checked {
            var formation: FormationColumns
            let current = item.record.identifiant.flatMap { existing[$0] }
            if let current {
                formation = current.columns
                updated += 1
            } else {
                guard case .set(let organisationID?) = item.input.organisationID else { continue }
                formation = FormationColumns(id: item.id, organisationID: organisationID, createdAt: now)
                created += 1
            }
            formation.updatedAt = now
            formation.applyInput(item.input, stems: stems)
            let id = formation.id
            let statusValues = item.input.statusValues, romeValues = item.input.romeValues
            if let values = statusValues {
                statuts += values.map { FormationListValue(id: ids.next(), value: $0, formationID: id).bulkValues }
                if current != nil { replacedStatuts.append(id) }
            }
            if let codes = romeValues {
                romes += codes.map { FormationListValue(id: ids.next(), value: $0, formationID: id).bulkValues }
                if current != nil { replacedRomes.append(id) }
            }
            formations.append(formation)
            // An update's audit entry compares the lists as they are after the write; a creation's leaves them out.
            let after = AuditedFormation(columns: formation, statuts: current.map { statusValues ?? $0.statuts },
                                         romes: current.map { romeValues ?? $0.romes })
            if var entry = audit.entry(current == nil ? .create : .update, after, id: id, before: current?.auditSnapshot, at: now) {
                entry.id = ids.next()
                entries.append(entry)
            }
        }
        var plan = Plan(formations: BulkRows(values: formations),
                        statuts: BulkRows(table: FormationStatut.schema, columns: FormationListValue.columns(valueColumn: "statut"), rows: statuts),
                        romes: BulkRows(table: FormationROME.schema, columns: FormationListValue.columns(valueColumn: "code"), rows: romes),
                        audit: BulkRows(values: entries), replacedStatuts: replacedStatuts, replacedRomes: replacedRomes,
                        created: created, updated: updated)
        plan.identifiers = formations.map(\.id)
        return plan
    }

    /// A formation of the file that exists, as read before the import: its row and its lists.
    struct ExistingFormation: Sendable {
        var columns: FormationColumns
        var statuts: [String]
        var romes: [String]

        var auditSnapshot: [String: String] { columns.auditValues(statuts: statuts, romes: romes) }
    }

    /// A formation's row as the audit trail records it.
    private struct AuditedFormation: Audited {
        static var auditEntity: String { Formation.auditEntity }
        let columns: FormationColumns
        let statuts: [String]?
        let romes: [String]?

        var auditLabel: String { columns.intitule }
        var auditSnapshot: [String: String] { columns.auditValues(statuts: statuts, romes: romes) }
    }

    /// The formations of the file that exist, with their statuses and ROME codes (for the audit trail).
    private func existingFormations(_ ids: [UUID]) async throws -> [UUID: ExistingFormation] {
        var found: [UUID: ExistingFormation] = [:]
        for chunk in ids.chunked(Plan.idsPerStatement) {
            for formation in try await Formation.query(on: db).filter(\.$id ~~ chunk).with(\.$statuts).with(\.$romes).all() {
                found[try formation.requireID()] = ExistingFormation(columns: try FormationColumns(formation), statuts: formation.statuts.map(\.statut),
                                                                    romes: formation.romes.map(\.code))
            }
        }
        return found
    }

    /// The caller's rights over every organisation the import writes formations of (the service's rules;
    /// the command line may do everything).
    private func authorize(_ checked: [(record: FormationRecord, input: FormationInput)], existing: [UUID: ExistingFormation]) async throws {
        guard !caller.isOperator else { return }
        let service = FormationService(db: db, caller: caller)
        var asked: Set<String> = []
        for item in checked {
            guard case .set(let organisationID?) = item.input.organisationID else { continue }
            var rights: [(Action, UUID)] = [(.create, organisationID)]
            if let id = item.record.identifiant, let current = existing[id] {
                rights = [(.update, current.columns.organisationID), (.update, organisationID)]
            }
            for (action, organisation) in rights where asked.insert("\(action) \(organisation)").inserted {
                try caller.authorize(action, try await service.resource(forOrganisation: organisation))
            }
        }
    }

    // MARK: - Writing (one short transaction)

    /// Thrown under the lock when a formation of the file was created, changed or deleted since it was read.
    struct ChangedMeanwhile: Error, CustomStringConvertible, LocalizedError {
        var description: String { "Des formations du fichier ont été modifiées par ailleurs pendant l'import : relancez-le." }
        var errorDescription: String? { description }
    }

    /// Writes the plan in one write transaction of multi-row statements, all or nothing (on SQLite it takes the
    /// write lock at its start: see `writeTransaction`; on PostgreSQL the catalogue's version only at its end, so
    /// that the site's writes do not wait for it: see `DeferCatalogueVersionInBulkWrites`).
    func write(_ plan: Plan, progress: any ProgressReporter) async throws {
        let listed = changesListedAtMost
        try await db.writeTransaction { db in
            let sql = try Self.sql(db)
            try await Self.withWriteCache(on: sql) { try await Self.write(plan, on: sql, changesListedAtMost: listed, progress: progress) }
        }
    }

    /// The plan's statements, inside the write transaction.
    private static func write(_ plan: Plan, on sql: any SQLDatabase, changesListedAtMost: Int, progress: any ProgressReporter) async throws {
        let total = plan.statementCount
        try await beginBulkWrite(on: sql)
        try await checkUnchanged(plan, on: sql)
        var done = 0
        func step(_: Int = 0) {
            done += 1
            progress.step("Écriture", done: done, total: total)
        }
        // Existing formations are updated in place (their campus attachments stay), every column but the creation time.
        if let statements = plan.sqliteStatements {
            for statement in statements.formations { try await statement.run(on: sql); step() }
        } else {
            try await plan.formations.insert(on: sql, updatingExcept: Plan.keptOnUpdate, afterEach: step)
        }
        for (table, ids) in [(FormationStatut.schema, plan.replacedStatuts), (FormationROME.schema, plan.replacedRomes)] {
            for chunk in ids.chunked(Plan.idsPerStatement) {
                try await sql.delete(from: table).where("formation_id", .in, chunk).run()
                step()
            }
        }
        if let statements = plan.sqliteStatements {
            for statement in statements.statuts + statements.romes + statements.audit { try await statement.run(on: sql); step() }
        } else {
            try await plan.statuts.insert(on: sql, afterEach: step)
            try await plan.romes.insert(on: sql, afterEach: step)
            try await plan.audit.insert(on: sql, afterEach: step)
        }
        try await endBulkWrite(plan.identifiers, listingAtMost: changesListedAtMost, on: sql)
    }

    /// SQLite: the page cache of the import's connection while it writes, in KiB (SQLite's default is 2 MB, in which
    /// a large import's indexes do not fit: their pages were read again from the file over and over).
    static let sqliteWriteCacheKiB = 131_072

    /// Runs `body` with the SQLite connection's page cache enlarged, then set back to what it was (PostgreSQL: as is).
    static func withWriteCache(on sql: any SQLDatabase, _ body: () async throws -> Void) async throws {
        guard sql.dialect.name == "sqlite" else { return try await body() }
        struct CacheSize: Decodable { let cache_size: Int }
        let usual = try await sql.raw("PRAGMA cache_size").first(decoding: CacheSize.self)?.cache_size ?? -2000
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(-sqliteWriteCacheKiB))").run()
        do {
            try await body()
        } catch {
            try? await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(usual))").run()
            throw error
        }
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(usual))").run()
    }

    /// First in a bulk write's transaction: the per-row catalogue triggers leave the version, the changes and (SQLite)
    /// the statuses mask to the writer (`DeferCatalogueVersionInBulkWrites`, `AddCatalogueReloadVersion`).
    static func beginBulkWrite(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.raw("UPDATE catalogue_version SET ecriture_groupee = 1 WHERE id = 1").run()
        } else {
            try await sql.raw("SELECT set_config(\(bind: DeferCatalogueVersionInBulkWrites.setting), 'on', true)").run()
        }
    }

    /// Last in a bulk write's transaction: the catalogue's version moved once, and the formations written recorded as
    /// changed at that version, or, past `limit` formations, that version marked as one every index reads whole
    /// (`reload_version`). On PostgreSQL the version row is locked from here to the commit only: the site's catalogue
    /// writes wait for these statements, not for the import.
    static func endBulkWrite(_ ids: [UUID], listingAtMost limit: Int, on sql: any SQLDatabase) async throws {
        let sqlite = sql.dialect.name == "sqlite"
        if !sqlite { try await sql.raw("SELECT set_config(\(bind: DeferCatalogueVersionInBulkWrites.setting), 'off', true)").run() }
        let listed = ids.count <= limit
        struct Version: Decodable { let version: Int64 }
        guard let version = try await sql.raw("""
            UPDATE catalogue_version SET version = version + 1\(unsafeRaw: listed ? "" : ", reload_version = version + 1")\(unsafeRaw: sqlite ? ", ecriture_groupee = 0" : "")
            WHERE id = 1 RETURNING version
            """).first(decoding: Version.self)?.version else { throw CommandFailure("La version du catalogue est introuvable.") }
        guard listed else { return }
        for chunk in ids.chunked(Plan.changesPerStatement) {
            var insert = sql.insert(into: "catalogue_changes").columns("formation_id", "version")
            for id in chunk { insert = insert.values(SQLBind(id), SQLBind(version)) }
            try await insert.onConflict(with: ["formation_id"]) { $0.set(excludedValueOf: "version") }.run()
        }
    }

    /// cmq's databases (SQLite, PostgreSQL) all speak SQL.
    private static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw CommandFailure("L'import demande une base SQL (SQLite ou PostgreSQL).") }
        return sql
    }

    /// Under the lock: the formations of the file are as they were read (none created, changed or deleted since).
    private static func checkUnchanged(_ plan: Plan, on sql: any SQLDatabase) async throws {
        var found: [UUID: Date?] = [:]
        for chunk in plan.identifiers.chunked(Plan.idsPerStatement) {
            let rows = try await sql.select().column("id").column("modifie_le").from(Formation.schema).where("id", .in, chunk).all()
            for row in rows {
                found[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "modifie_le", as: Date?.self)
            }
        }
        guard found == plan.modifiedAt else { throw ChangedMeanwhile() }
    }

    private func resolve(_ keys: Set<FormationRecord.OrganisationKey>) async throws -> [FormationRecord.OrganisationKey: UUID] {
        var result: [FormationRecord.OrganisationKey: UUID] = [:]
        var uais: [String: FormationRecord.OrganisationKey] = [:], sirets: [String: FormationRecord.OrganisationKey] = [:]
        for key in keys {
            switch key {
            case .uai(let raw): if let uai = try? UAI(raw) { uais[uai.value] = key }
            case .siret(let raw): if let siret = try? SIRET(raw) { sirets[siret.value] = key }
            case .id: break
            }
        }
        for chunk in Array(uais.keys).chunked(500) {
            for organisation in try await Organisation.query(on: db).filter(\.$uai ~~ chunk).all() {
                if let uai = organisation.uai, let key = uais[uai] { result[key] = organisation.id }
            }
        }
        for chunk in Array(sirets.keys).chunked(500) {
            for organisation in try await Organisation.query(on: db).filter(\.$siret ~~ chunk).all() {
                if let siret = organisation.siret, let key = sirets[siret] { result[key] = organisation.id }
            }
        }
        let ids = keys.compactMap { if case .id(let id) = $0 { id } else { nil } }
        for chunk in ids.chunked(500) {
            for id in try await Organisation.query(on: db).filter(\.$id ~~ chunk).all(\.$id) { result[.id(id)] = id }
        }
        return result
    }
}

private extension UUID {
    /// In the order of the bytes: that of the databases' indexes (SQLite's text form, PostgreSQL's uuid).
    func precedes(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in withUnsafeBytes(of: other.uuid) { b in memcmp(a.baseAddress!, b.baseAddress!, 16) < 0 } }
    }
}
