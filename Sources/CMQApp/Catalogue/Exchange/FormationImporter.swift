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
/// transaction (reads only), then written in multi-row statements: on SQLite the new formations first, staged in
/// short transactions that no read sees, then a last transaction that writes the changes and shows them (`write`).
struct FormationImporter {
    let db: any Database
    let caller: Caller
    /// Past this many formations, an import does not list them in `catalogue_changes` (which PostgreSQL writes under the
    /// catalogue version's lock, the site's catalogue writes waiting): every instance's index reads the catalogue
    /// whole instead, as it does past a few thousand changes anyway.
    var changesListedAtMost = 20_000
    /// Run just before the last transaction, on the import's database or connection (tests: what is written at that
    /// moment).
    var beforeLastTransaction: (@Sendable (any Database) async throws -> Void)?

    struct Report: Equatable, Sendable {
        var created = 0
        var updated = 0
        /// Existing formations the file leaves as they are.
        var unchanged = 0
        var rejected: [LineError] = []
        var applied = false
        /// How long the writing lasted (staged, in several transactions: see `write`).
        var writeDuration: Duration?

        var summary: String {
            if !applied {
                return "Import annulé : \(rejected.count) formation(s) rejetée(s), aucune modification enregistrée."
            }
            var text = "Import terminé : \(created) formation(s) créée(s), \(updated) mise(s) à jour, \(unchanged) inchangée(s), \(rejected.count) rejetée(s)"
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
                report.created = plan.createdCount
                report.updated = plan.updatedCount
                report.unchanged = plan.unchangedCount
                report.applied = true
                return report
            } catch is ChangedMeanwhile where attempt < 3 {
                progress.message("Des formations du fichier ont changé pendant la préparation : nouvelle préparation.")
            } catch where error.isDeadlockVictim && attempt < 3 {
                // PostgreSQL undid the transaction to end a deadlock with a site's write: nothing of it was written.
                progress.message("L'écriture a croisé celle d'un autre utilisateur : nouvelle préparation.")
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
        /// The new formations with their lists, and every audit entry (the updates' too): staged before the last
        /// transaction when `batch` is set.
        var created: Rows
        /// The existing formations the file changes, with their lists: written in the last transaction.
        var updated: Rows
        /// The import's batch (`lots_import`) when it stages its new formations; nil when everything is written in one
        /// transaction.
        var batch: UUID?
        /// SQLite: the rows of the existing formations the file changes, as statements that write them into the
        /// import's temporary table (`changedTable`), which the last transaction copies into the catalogue (`write`).
        /// Those whose searched texts change are numbered (`searchRank`): their full-text entries are staged.
        var changedFormations: [SQLiteBulkStatement] = []
        /// Whether each existing formation the file changes (in the order of `updated.formations`) has new searched texts.
        var newTexts: [Bool] = []
        /// The columns the file changes in at least one existing formation: the only ones the copy writes.
        var changedColumns: Set<String> = []
        /// SQLite: the full-text entries staged (those of the changed formations with new texts, when the plan stages).
        var stagedSearchEntries: Int { batch == nil || changedFormations.isEmpty ? 0 : newTexts.filter { $0 }.count }
        /// The existing formations whose statuses, and whose ROME codes, the file replaces.
        var replacedStatuts: [UUID] = []
        var replacedRomes: [UUID] = []
        /// Every formation the plan writes, and the modification time of those that existed (as read).
        var identifiers: [UUID] = []
        var modifiedAt: [UUID: Date?] = [:]
        /// The catalogue's version before the formations were read: under the lock, only those written since are
        /// read again (nil: every formation the plan writes).
        var readAt: CatalogueIndex.CatalogueState?
        var createdCount = 0
        var updatedCount = 0
        /// The existing formations the file leaves as they are: nothing is written for them.
        var unchangedCount = 0

        /// The rows of some formations: theirs, their statuses', ROME codes' and audit entries'.
        struct Rows: Sendable {
            var formations: BulkRows
            var statuts: BulkRows
            var romes: BulkRows
            var audit: BulkRows
            /// SQLite: the statements of the four tables in that order, written ahead of the transaction (the rows above
            /// are then dropped): those of the changed formations' lists. The new formations' are built while they are
            /// staged (`buildSQLiteStatements`).
            var sqliteStatements: [SQLiteBulkStatement]?

            mutating func append(_ other: Rows) throws(BulkRows.UnsupportedValue) {
                try formations.append(other.formations)
                try statuts.append(other.statuts)
                try romes.append(other.romes)
                try audit.append(other.audit)
            }

            var isEmpty: Bool { formations.isEmpty && audit.isEmpty }

            var statementCount: Int {
                sqliteStatements?.count ?? formations.statementCount + statuts.statementCount + romes.statementCount + audit.statementCount
            }

            /// SQLite: every statement written and its values encoded now (`SQLiteBulkStatement`), so that the write
            /// transaction, during which the site's writes wait, only has SQLite run them. Each table's rows are dropped
            /// once written, before the next table's are.
            mutating func writeStatements(on sql: any SQLDatabase, updatingExcept kept: Set<String>) async throws {
                func written(_ rows: inout BulkRows, updatingExcept kept: Set<String>? = nil) async throws -> [SQLiteBulkStatement] {
                    defer { rows.removeAll() }
                    return try await rows.sqliteStatements(on: sql, updatingExcept: kept)
                }
                sqliteStatements = try await written(&formations, updatingExcept: kept) + written(&statuts) + written(&romes) + written(&audit)
            }

            /// SQLite: the statements of the four tables, in that order, built a few at a time on every processor but one
            /// (SQLite's writer takes it) and added to `feed` as they are ready (`stage` runs the first ones while the next
            /// are built).
            func buildSQLiteStatements(on sql: any SQLDatabase, updatingExcept kept: Set<String>, into feed: SQLiteStatementFeed) async throws {
                if let sqliteStatements { return feed.add(sqliteStatements) }
                let piece = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
                for (rows, kept) in [(formations, kept), (statuts, nil), (romes, nil), (audit, nil)] as [(BulkRows, Set<String>?)] {
                    let texts = rows.sqliteTexts(on: sql, updatingExcept: kept)
                    for first in stride(from: 0, to: rows.statementCount, by: piece) {
                        try await feed.waitForRoom(atMost: 2 * piece)
                        guard !feed.isStopped else { return }
                        feed.add(try await rows.sqliteStatements(on: sql, updatingExcept: kept, statements: first..<first + piece, texts: texts))
                    }
                }
            }

            /// Runs every statement, in order (PostgreSQL: `BulkRows.insert`, each statement sent before the previous
            /// one's answer), calling `afterEach` after each.
            func insert(on sql: any SQLDatabase, updatingExcept kept: Set<String>, afterEach: () -> Void) async throws {
                if let statements = sqliteStatements {
                    for statement in statements { try await statement.run(on: sql); afterEach() }
                    return
                }
                try await formations.insert(on: sql, updatingExcept: kept) { _ in afterEach() }
                for rows in [statuts, romes, audit] { try await rows.insert(on: sql) { _ in afterEach() } }
            }
        }

        /// An existing formation is updated in place, every column but these.
        static let keptOnUpdate: Set<String> = ["cree_le"]
        /// SQLite: the temporary table of the import's connection that holds the changed formations' rows.
        static let changedTable = "formations_a_jour"
        /// Its column that numbers the formations whose searched texts change, from 0 (NULL for the others).
        static let searchRank = "rang_recherche"
        /// Its column that holds each formation's rowid in the catalogue, read before the lock.
        static let catalogueRow = "ligne"

        /// Another slice's plan added after this one's.
        mutating func append(_ other: Plan) throws(BulkRows.UnsupportedValue) {
            try created.append(other.created)
            try updated.append(other.updated)
            newTexts += other.newTexts
            changedColumns.formUnion(other.changedColumns)
            replacedStatuts += other.replacedStatuts
            replacedRomes += other.replacedRomes
            identifiers += other.identifiers
            createdCount += other.createdCount
            updatedCount += other.updatedCount
            unchangedCount += other.unchangedCount
        }

        /// The statements of the last transaction (all of them when nothing is staged).
        var lastStatementCount: Int {
            (batch == nil ? created.statementCount : 0) + updated.statementCount + (changedFormations.isEmpty ? 0 : 1)
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
        let sql = try Self.sql(db)
        let readAt = try await CatalogueIndex.CatalogueState.read(on: sql)
        let existing = try await existingFormations(checked.compactMap(\.record.identifiant), progress: progress)
        // As read (the write checks them again under its lock).
        let modifiedAt = existing.mapValues(\.columns.updatedAt)
        try await authorize(checked, existing: existing)
        let now = Date()
        let audit = caller.audit
        let batch = stagesNewFormations(on: sql) ? UUID() : nil
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
            let part = Self.plan(slice, existing: existing, audit: audit, at: now, ids: OrderedIDs(at: now, range: number), batch: batch)
            done.withLockedValue { done in
                done += slice.count
                progress.step("Préparation", done: done, total: total)
            }
            return part
        }
        var plan = parts.first ?? Self.plan([], existing: [:], audit: audit, at: now, ids: OrderedIDs(at: now), batch: batch)
        for part in parts.dropFirst() { try plan.append(part) }
        // The formations the file leaves unchanged are not checked again: should someone change one meanwhile, the
        // import has simply come first.
        let written = Set(plan.identifiers)
        plan.modifiedAt = modifiedAt.filter { written.contains($0.key) }
        plan.readAt = readAt
        if plan.created.isEmpty { plan.batch = nil }
        if sql.dialect.name == "sqlite" {
            // (The new formations' statements are built while the first ones are written: `stage`.)
            var ranked: [[any SQLExpression]] = [], rank = 0
            ranked.reserveCapacity(plan.newTexts.count)
            for (row, newTexts) in zip(plan.updated.formations.rows, plan.newTexts) {
                ranked.append(row + [newTexts ? SQLLiteral.numeric(String(rank)) : SQLLiteral.null])
                if newTexts { rank += 1 }
            }
            plan.changedFormations = try await BulkRows(table: Plan.changedTable, columns: FormationColumns.columns + [Plan.searchRank], rows: ranked)
                .sqliteStatements(on: sql)
            plan.updated.formations.removeAll()
            try await plan.updated.writeStatements(on: sql, updatingExcept: Plan.keptOnUpdate)
        }
        return plan
    }

    /// The plan of some records (a slice of the file), its rows built as plain values (`FormationColumns`). The new
    /// formations and their audit entries carry `batch` (`lot_import`).
    private static func plan(_ checked: [(id: UUID, record: FormationRecord, input: FormationInput)], existing: [UUID: ExistingFormation],
                             audit: AuditLog, at now: Date, ids: OrderedIDs, batch: UUID?) -> Plan {
        var ids = ids
        // Indexed by "is new": 1 for the new formations, 0 for the existing ones.
        var formations: [[[any SQLExpression]]] = [[], []], statuts: [[[any SQLExpression]]] = [[], []], romes: [[[any SQLExpression]]] = [[], []]
        var entries: [[any SQLExpression]] = []
        var unchanged = 0
        var newTexts: [Bool] = []
        var changedColumns: Set<String> = []
        var replacedStatuts: [UUID] = [], replacedRomes: [UUID] = [], identifiers: [UUID] = []
        identifiers.reserveCapacity(checked.count)
        let stems = StemMemo()
        for item in checked {
            var formation: FormationColumns
            let current = item.record.identifiant.flatMap { existing[$0] }
            if let current {
                formation = current.columns
            } else {
                guard case .set(let organisationID?) = item.input.organisationID else { continue }
                formation = FormationColumns(id: item.id, organisationID: organisationID, createdAt: now)
                formation.importBatch = batch
            }
            let new = current == nil ? 1 : 0
            formation.applyInput(item.input, stems: stems)
            let id = formation.id
            let statusValues = item.input.statusValues, romeValues = item.input.romeValues
            // A list is written when it changes (a new formation's, when the file gives it).
            let newStatuts = statusValues.flatMap { values in current.map { values.sorted() == $0.statuts.sorted() } == true ? nil : values }
            let newRomes = romeValues.flatMap { codes in current.map { codes == $0.romes.sorted() } == true ? nil : codes }
            // A line that changes nothing writes nothing (as the service's `save` of an unchanged model): the yearly
            // refresh of a national file mostly repeats what the catalogue holds.
            if let current, formation == current.columns, newStatuts == nil, newRomes == nil {
                unchanged += 1
                continue
            }
            formation.updatedAt = now
            if let values = newStatuts {
                statuts[new] += values.map { FormationListValue(id: ids.next(), value: $0, formationID: id).bulkValues }
                if current != nil { replacedStatuts.append(id) }
            }
            if let codes = newRomes {
                romes[new] += codes.map { FormationListValue(id: ids.next(), value: $0, formationID: id).bulkValues }
                if current != nil { replacedRomes.append(id) }
            }
            formations[new].append(formation.bulkValues)
            if let current {
                newTexts.append(formation.intituleCle != current.columns.intituleCle || formation.texteCle != current.columns.texteCle)
                changedColumns.formUnion(formation.columnsChanged(from: current.columns))
            }
            identifiers.append(id)
            // An update's audit entry compares the lists as they are after the write; a creation's leaves them out.
            let after = AuditedFormation(columns: formation, statuts: current.map { statusValues ?? $0.statuts },
                                         romes: current.map { romeValues ?? $0.romes })
            // Every audit entry is staged with the new formations: unseen until the batch is shown.
            if var entry = audit.entry(current == nil ? .create : .update, after, id: id, before: current?.auditSnapshot, at: now) {
                entry.id = ids.next()
                entry.importBatch = batch
                entries.append(entry.bulkValues)
            }
        }
        func rows(_ new: Int) -> Plan.Rows {
            Plan.Rows(formations: BulkRows(table: Formation.schema, columns: FormationColumns.columns, rows: formations[new]),
                      statuts: BulkRows(table: FormationStatut.schema, columns: FormationListValue.columns(valueColumn: "statut"), rows: statuts[new]),
                      romes: BulkRows(table: FormationROME.schema, columns: FormationListValue.columns(valueColumn: "code"), rows: romes[new]),
                      audit: BulkRows(table: AuditEntry.schema, columns: AuditEntryValues.columns, rows: new == 1 ? entries : []))
        }
        return Plan(created: rows(1), updated: rows(0), batch: batch, newTexts: newTexts, changedColumns: changedColumns,
                    replacedStatuts: replacedStatuts, replacedRomes: replacedRomes,
                    identifiers: identifiers, createdCount: formations[1].count, updatedCount: formations[0].count, unchangedCount: unchanged)
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

    /// The formations of the file that exist, with their statuses and ROME codes (for the audit trail), as plain rows
    /// packed in one text (`FormationColumns.packedSelect`): 200,000 Fluent models took half a minute, and Fluent's
    /// eager loading of their lists, which matches every child to every parent, five minutes.
    private func existingFormations(_ ids: [UUID], progress: any ProgressReporter) async throws -> [UUID: ExistingFormation] {
        let sql = try Self.sql(db)
        let select = "SELECT \(FormationColumns.packedSelect(postgres: sql.dialect.name == "postgresql")) FROM formations f WHERE \(Formation.visibleCondition("f")) AND f.id IN "
        var found: [UUID: ExistingFormation] = [:]
        found.reserveCapacity(ids.count)
        var done = 0
        // In the order of the index on the ids: each query reads its part of the table, not pages all over it.
        for chunk in ids.sorted(by: { $0.precedes($1) }).chunked(Plan.idsPerStatement) {
            done += chunk.count
            progress.step("Lecture du catalogue", done: done, total: ids.count)
            for row in try await sql.raw("\(unsafeRaw: select)(\(binds: chunk))").all() {
                let (columns, statuts, romes) = try FormationColumns.read(row)
                found[columns.id] = ExistingFormation(columns: columns, statuts: statuts, romes: romes)
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

    // MARK: - Writing (short transactions)

    /// Thrown under the lock when a formation of the file was created, changed or deleted since it was read.
    struct ChangedMeanwhile: Error, CustomStringConvertible, LocalizedError {
        var description: String { "Des formations du fichier ont été modifiées par ailleurs pendant l'import : relancez-le." }
        var errorDescription: String? { description }
    }

    /// Whether the new formations are staged (`stage`); nil: on SQLite, whose one writer at a time would
    /// otherwise make the site's writes wait for the whole import (PostgreSQL's do not wait for it).
    var stagesNewFormations: Bool?

    func stagesNewFormations(on sql: any SQLDatabase) -> Bool { stagesNewFormations ?? (sql.dialect.name == "sqlite") }

    /// How long one staging transaction writes before it commits: about what the site's writes wait.
    static let stagingSlice = Duration.milliseconds(400)
    /// SQLite: the pause between two staging transactions. A writer waiting for the lock sleeps in SQLite's busy
    /// handler and tries again every 50 to 100 ms: without a pause the next transaction took the lock first, again and
    /// again (site writes waited up to 1.2 s with 250 ms transactions).
    static let stagingPause = Duration.milliseconds(100)
    /// A batch not seen for this long was stopped (its process ended): the next import removes what it staged.
    static let abandonedAfter: TimeInterval = 600

    /// Writes the plan, all or nothing. The new formations of a staged plan are written first, in transactions of
    /// about `stagingSlice`, with their batch in `lot_import`: no read of the catalogue sees them (`Formation.visible`).
    /// The last transaction writes the changes to existing formations and shows the new ones (one row of
    /// `lots_import`); should anything fail, what was staged is removed. On SQLite each transaction takes the write lock at its start (see
    /// `writeTransaction`); on PostgreSQL the catalogue's version is taken only at the end of the last one, so that
    /// the site's writes do not wait for it (`DeferCatalogueVersionInBulkWrites`).
    ///
    /// On SQLite the changed formations are first written into a temporary table of one connection, which locks nothing
    /// the site writes, and the last transaction, on that connection, copies them into the catalogue with one statement
    /// (200,000 rows sent there held the lock 6.1 s, copied 4.7 s; their full-text entries, staged before, were 2.4 s of it).
    func write(_ plan: Plan, progress: any ProgressReporter) async throws {
        // A file that changes nothing writes nothing (its formations were as it says when read).
        guard plan.createdCount + plan.updatedCount > 0 else { return }
        let searchStatements = (plan.stagedSearchEntries + Self.searchEntriesPerStatement - 1) / Self.searchEntriesPerStatement
        let total = plan.lastStatementCount + (plan.batch == nil ? 0 : plan.created.statementCount) + plan.changedFormations.count + searchStatements
        let done = NIOLockedValueBox(0)
        let step: @Sendable () -> Void = {
            done.withLockedValue { done in
                done += 1
                progress.step("Écriture", done: done, total: total)
            }
        }
        guard !plan.changedFormations.isEmpty else { return try await write(plan, on: db, progress: progress, step: step) }
        let importer = self
        try await db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                let sql = try Self.sql(connection)
                let table = SQLIdentifier(Plan.changedTable)
                @Sendable func drop() async throws { try await sql.raw("DROP TABLE IF EXISTS temp.\(table)").run() }
                try await drop()
                let columns = SQLList(FormationColumns.columns.map { SQLIdentifier($0) })
                try await sql.raw("""
                    CREATE TEMP TABLE \(table) AS SELECT \(columns), NULL AS \(ident: Plan.searchRank), NULL AS \(ident: Plan.catalogueRow) FROM formations WHERE 0
                    """).run()
                do {
                    for statement in plan.changedFormations {
                        try await statement.run(on: sql)
                        step()
                    }
                    // Each formation's rowid, read outside the lock: the copy finds the rows by it rather than through the
                    // index of their ids.
                    try await sql.raw("""
                        UPDATE temp.\(table) SET \(ident: Plan.catalogueRow) = (SELECT rowid FROM main.formations f WHERE f.id = \(table).id)
                        """).run()
                    try await sql.raw("CREATE INDEX temp.ix_formations_a_jour_rang ON \(table) (\(ident: Plan.searchRank))").run()
                    try await importer.write(plan, on: connection, progress: progress, step: step)
                } catch {
                    try? await drop()
                    throw error
                }
                try await drop()
            }
        }.get()
    }

    /// `write` on `db` (on SQLite, the connection of the temporary table when there is one).
    private func write(_ plan: Plan, on db: any Database, progress: any ProgressReporter, step: @escaping @Sendable () -> Void) async throws {
        let listed = changesListedAtMost, beforeLast = beforeLastTransaction
        @Sendable func last(searchKey: Int64? = nil) async throws {
            try await beforeLast?(db)
            try await db.writeTransaction { db in
                let sql = try Self.sql(db)
                try await Self.withWriteCache(on: sql) {
                    try await Self.writeLast(plan, searchKey: searchKey, on: sql, changesListedAtMost: listed, step: step)
                }
            }
        }
        guard let batch = plan.batch else { return try await last() }
        try await Self.discardAbandonedBatches(on: db)
        // SQLite: the full-text entries of the changed formations' new texts are staged too (from the temporary table).
        let searchEntries = plan.stagedSearchEntries
        do {
            let searchKey = try await Self.stage(plan.created, batch: batch, searchEntries: searchEntries, on: db, step: step)
            try await last(searchKey: searchKey)
        } catch {
            try? await Self.discard(batch, on: db)
            throw error
        }
        // (Should this fail, the search never reads the entries left, and the next import that stages entries removes them.)
        if searchEntries > 0 {
            try? await Self.removeFormerSearchEntries(on: db) { progress.step("Nettoyage de l'index de recherche", done: $0, total: $1) }
        }
    }

    /// The new formations, their lists and audit entries written with their batch, unseen: on SQLite in transactions
    /// of about `stagingSlice` each, `stagingPause` apart (the site's writes take their turn in between), on PostgreSQL
    /// in one. SQLite: `searchEntries` full-text entries are written too, from the import's temporary table, under keys
    /// reserved below zero (`StageSearchEntries`); the key of rank 0 is returned, each next rank's is one more (FTS5
    /// writes what it holds in memory to the file whenever a key is not above the last: 200,000 entries under
    /// decreasing keys took three times as long).
    @discardableResult
    static func stage(_ rows: Plan.Rows, batch: UUID, searchEntries: Int = 0, on db: any Database,
                      step: @escaping @Sendable () -> Void) async throws -> Int64? {
        let now = Date()
        let searchKey: Int64? = try await db.writeTransaction { db in
            let sql = try sql(db)
            guard searchEntries > 0 else {
                try await sql.raw("INSERT INTO lots_import (id, commence_le, vu_le) VALUES (\(bind: batch), \(bind: now), \(bind: now))").run()
                return nil
            }
            // Below every key taken: the index's lowest (`ORDER BY rowid`: FTS5 reads it first) and every reservation.
            struct Reserved: Decodable { let recherche_de: Int64 }
            return try await sql.raw("""
                INSERT INTO lots_import (id, commence_le, vu_le, recherche_a, recherche_de)
                SELECT \(bind: batch), \(bind: now), \(bind: now), m - 1, m - \(bind: searchEntries) FROM (SELECT min(0,
                  coalesce((SELECT rowid FROM formations_fts ORDER BY rowid LIMIT 1), 0),
                  coalesce((SELECT min(recherche_de) FROM lots_import), 0)) AS m)
                RETURNING recherche_de
                """).first(decoding: Reserved.self)?.recherche_de
        }
        let database = try Self.sql(db)
        guard database.dialect.name == "sqlite" else {
            // PostgreSQL (when a test has it stage): one transaction.
            try await db.writeTransaction { db in
                let sql = try Self.sql(db)
                try await beginBulkWrite(on: sql)
                try await rows.insert(on: sql, updatingExcept: Plan.keptOnUpdate, afterEach: step)
                try await seen(batch, on: sql)
                try await endBulkWriteUnrecorded(on: sql)
            }
            return searchKey
        }
        // SQLite: the statements are built by a task of their own (`buildSQLiteStatements`) while the first ones are
        // written (200,000 new formations: built in 3 s, then written in 12 s; now 0.4 s pass before the writing starts).
        let feed = SQLiteStatementFeed()
        let searchStatements = searchKey.map { searchKey in
            stride(from: 0, to: searchEntries, by: searchEntriesPerStatement).map { first in
                SQLiteBulkStatement(text: """
                    INSERT INTO formations_fts (rowid, intitule, texte)
                    SELECT ? + \(Plan.searchRank), intitule_cle, coalesce(texte_cle, '') FROM temp.\(Plan.changedTable)
                    WHERE \(Plan.searchRank) >= ? AND \(Plan.searchRank) < ?
                    """, binds: [.integer(Int(searchKey)), .integer(first), .integer(first + searchEntriesPerStatement)])
            }
        } ?? []
        let builder = Task {
            do {
                try await rows.buildSQLiteStatements(on: database, updatingExcept: Plan.keptOnUpdate, into: feed)
                feed.add(searchStatements)
                feed.finish()
            } catch {
                feed.finish(error)
            }
        }
        do {
            var first = true
            while true {
                if !first { try await Task.sleep(for: stagingPause) }
                guard try await feed.waitForNext() else { break }
                first = false
                try await db.writeTransaction { db in
                    let sql = try Self.sql(db)
                    try await withWriteCache(on: sql) {
                        try await beginBulkWrite(on: sql)
                        let clock = ContinuousClock(), end = clock.now.advanced(by: stagingSlice)
                        var ran = 0
                        while ran == 0 || clock.now < end, let statement = feed.next() {
                            try await statement.run(on: sql)
                            ran += 1
                            step()
                        }
                        try await seen(batch, on: sql)
                        try await endBulkWriteUnrecorded(on: sql)
                    }
                }
            }
        } catch {
            feed.stop()
            await builder.value
            throw error
        }
        await builder.value
        return searchKey
    }

    /// The batch marked as seen now, under the write lock; should it be gone (its import taken for stopped and removed),
    /// the import stops.
    private static func seen(_ batch: UUID, on sql: any SQLDatabase) async throws {
        struct Seen: Decodable { let id: UUID }
        guard try await sql.raw("UPDATE lots_import SET vu_le = \(bind: Date()) WHERE id = \(bind: batch) AND publie_le IS NULL RETURNING id")
            .first(decoding: Seen.self) != nil else {
            throw CommandFailure("L'import a été interrompu trop longtemps : ce qu'il avait écrit a été retiré. Relancez-le.")
        }
    }

    /// SQLite: staged full-text entries per statement (about 30 ms).
    static let searchEntriesPerStatement = 2_000

    /// The last transaction: the changes to existing formations (and, when nothing was staged, the new formations),
    /// the staged formations shown, the catalogue's version moved. `searchKey`: that of the staged full-text entries.
    private static func writeLast(_ plan: Plan, searchKey: Int64?, on sql: any SQLDatabase, changesListedAtMost: Int, step: () -> Void) async throws {
        try await beginBulkWrite(on: sql)
        try await checkUnchanged(plan, on: sql)
        // The lists the file replaces, then every row; existing formations are updated in place (their campus
        // attachments stay), every column but the creation time.
        for (table, ids) in [(FormationStatut.schema, plan.replacedStatuts), (FormationROME.schema, plan.replacedRomes)] {
            for chunk in ids.chunked(Plan.idsPerStatement) {
                try await sql.delete(from: table).where("formation_id", .in, chunk).run()
                step()
            }
        }
        if plan.batch == nil { try await plan.created.insert(on: sql, updatingExcept: Plan.keptOnUpdate, afterEach: step) }
        try await plan.updated.insert(on: sql, updatingExcept: Plan.keptOnUpdate, afterEach: step)
        if !plan.changedFormations.isEmpty {
            try await copyChangedFormations(plan, searchKey: searchKey, on: sql)
            step()
        }
        if let batch = plan.batch { try await show(batch, on: sql) }
        try await endBulkWrite(plan.identifiers, listingAtMost: changesListedAtMost, on: sql)
    }

    /// SQLite: the changed formations copied from the import's temporary table into the catalogue, found by the rowids
    /// read before the lock, and only the columns the file changes in at least one of them (but `Plan.keptOnUpdate`):
    /// 200,000 rows whose descriptions change, every column written and found by id, took twice as long (2.2 s against
    /// 1.1 s in Python's `sqlite3`). Those with new texts point
    /// to their staged full-text entry (`searchKey` plus their rank), the others keep theirs. A formation whose row
    /// moved since (deleted and written again by id: then it changed, and `checkUnchanged` stopped the write first) is
    /// not copied: the write stops.
    private static func copyChangedFormations(_ plan: Plan, searchKey: Int64?, on sql: any SQLDatabase) async throws {
        let table = Plan.changedTable
        let updated = SQLList(FormationColumns.columns.filter { plan.changedColumns.contains($0) && !Plan.keptOnUpdate.contains($0) }.map {
            SQLBinaryExpression(SQLIdentifier($0), .equal, SQLColumn($0, table: table))
        })
        struct Changes: Decodable { let n: Int }
        let copied = try await withoutIdleTriggers(searchEntriesStaged: searchKey != nil, on: sql) {
            try await sql.raw("""
                UPDATE formations SET \(updated), cle_recherche = coalesce(\(bind: searchKey) + \(ident: table).\(ident: Plan.searchRank), formations.cle_recherche)
                FROM temp.\(ident: table) WHERE formations.rowid = \(ident: table).\(ident: Plan.catalogueRow) AND formations.id = \(ident: table).id
                """).run()
            return try await sql.raw("SELECT changes() AS n").first(decoding: Changes.self)?.n
        }
        guard copied == plan.updatedCount else { throw ChangedMeanwhile() }
    }

    /// SQLite: the per-row triggers on formations' updates that the copy runs for nothing: the catalogue's version and
    /// changes are the bulk write's (`beginBulkWrite`), and, when the new texts' entries are staged, every formation
    /// copied either keeps its texts or points to its new entry (the full-text trigger's condition is false).
    static let triggersIdleInCopy = ["formations_update_version", "formations_update_changes"]
    static let searchTriggerIdleInCopy = "formations_fts_update"

    /// A trigger as SQLite keeps it: its name and the text that created it.
    private struct StoredTrigger: Decodable { let name: String; let sql: String }

    /// Runs `body` with `triggersIdleInCopy` (and the full-text trigger when the entries are staged) taken off, then
    /// written back from their own text, in the caller's transaction: no other connection sees them gone, and should
    /// anything fail, the rollback keeps them. SQLite runs a trigger as a sub-program for each row even when its
    /// condition is false: a copy of 200,000 rows took 0.60 s with them, 0.40 s without (Python's `sqlite3`,
    /// `Benchmarks/sqlite_copy.py`).
    static func withoutIdleTriggers<T>(searchEntriesStaged: Bool, on sql: any SQLDatabase, _ body: () async throws -> T) async throws -> T {
        let names = triggersIdleInCopy + (searchEntriesStaged ? [searchTriggerIdleInCopy] : [])
        let triggers = try await sql.raw("""
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'formations' AND name IN (\(binds: names))
            """).all(decoding: StoredTrigger.self)
        for trigger in triggers { try await sql.raw("DROP TRIGGER \(ident: trigger.name)").run() }
        let result = try await body()
        for trigger in triggers { try await sql.raw("\(unsafeRaw: trigger.sql)").run() }
        return result
    }

    /// SQLite: the full-text entries no formation points to any more, removed in transactions of about
    /// `stagingSlice`: a formation's former entry once an import pointed it to a new one (`StageSearchEntries`), the
    /// entries of an import stopped or discarded (its reservation gone). Each is checked again under the lock; they go
    /// in the order of their keys (see `stage`).
    static func removeFormerSearchEntries(on db: any Database, progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) async throws {
        let sql = try sql(db)
        guard sql.dialect.name == "sqlite" else { return }
        // (Each key looked up by its index: a list of every formation's key, built for each statement, took 20 s
        // for 200,000 entries.)
        let former = """
            ((k > 0 AND EXISTS (SELECT 1 FROM formations f WHERE f.rowid = k AND f.cle_recherche IS NOT NULL))
             OR (k < 0 AND NOT EXISTS (SELECT 1 FROM formations f WHERE f.cle_recherche = k)
                 AND NOT EXISTS (SELECT 1 FROM lots_import l WHERE l.publie_le IS NULL AND k BETWEEN l.recherche_de AND l.recherche_a)))
            """
        struct Key: Decodable { let k: Int64 }
        let keys = try await sql.raw("""
            SELECT f.rowid AS k FROM formations f WHERE f.cle_recherche IS NOT NULL AND EXISTS (SELECT 1 FROM formations_fts s WHERE s.rowid = f.rowid)
            UNION ALL SELECT k FROM (SELECT rowid AS k FROM formations_fts WHERE rowid < 0) WHERE \(unsafeRaw: former)
            """).all(decoding: Key.self).map(\.k).sorted()
        var next = 0
        while next < keys.count {
            if next > 0 { try await Task.sleep(for: stagingPause) }
            let start = next
            next = try await db.writeTransaction { db in
                let sql = try Self.sql(db)
                let clock = ContinuousClock(), end = clock.now.advanced(by: stagingSlice)
                var next = start
                repeat {
                    let chunk = keys[next..<min(next + Plan.idsPerStatement, keys.count)]
                    try await sql.raw("""
                        DELETE FROM formations_fts WHERE rowid IN (SELECT k FROM (SELECT value AS k FROM json_each(\(bind: "[" + chunk.map(String.init).joined(separator: ",") + "]"))) WHERE \(unsafeRaw: former))
                        """).run()
                    next += chunk.count
                } while next < keys.count && clock.now < end
                return next
            }
            progress(next, keys.count)
        }
    }

    /// Shows the formations of a batch and its audit entries: one row changed, inside the last transaction. Should the
    /// batch be gone (taken for stopped and removed meanwhile), nothing is shown and the import starts again.
    private static func show(_ batch: UUID, on sql: any SQLDatabase) async throws {
        struct Shown: Decodable { let id: UUID }
        guard try await sql.raw("UPDATE lots_import SET publie_le = \(bind: Date()) WHERE id = \(bind: batch) AND publie_le IS NULL RETURNING id")
            .first(decoding: Shown.self) != nil else { throw ChangedMeanwhile() }
    }

    /// Removes a batch that was not shown, then what it staged, in short transactions. Its row goes first: what it
    /// staged is then unseen for good (`ImportBatch.shown`), and cannot be shown any more, while it is removed.
    static func discard(_ batch: UUID, on db: any Database) async throws {
        try await db.writeTransaction { db in
            try await sql(db).raw("DELETE FROM lots_import WHERE id = \(bind: batch) AND publie_le IS NULL").run()
        }
        try await removeStaged(by: batch, on: db)
        try await removeFormerSearchEntries(on: db)
    }

    /// The rows of a batch whose own row is gone: formations with their lists, then audit entries, a thousand at a time.
    private static func removeStaged(by batch: UUID, on db: any Database) async throws {
        struct Row: Decodable { let id: UUID }
        var removed = 0
        repeat {
            removed = try await db.writeTransaction { db in
                let sql = try Self.sql(db)
                try await beginBulkWrite(on: sql)
                let ids = try await sql.raw("SELECT id FROM formations WHERE lot_import = \(bind: batch) LIMIT \(unsafeRaw: String(Plan.idsPerStatement))")
                    .all(decoding: Row.self).map(\.id)
                if !ids.isEmpty {
                    for table in [FormationStatut.schema, FormationROME.schema] {
                        try await sql.delete(from: table).where("formation_id", .in, ids).run()
                    }
                    try await sql.delete(from: Formation.schema).where("id", .in, ids).run()
                }
                try await endBulkWriteUnrecorded(on: sql)
                return ids.count
            }
        } while removed > 0
        repeat {
            removed = try await db.writeTransaction { db in
                try await sql(db).raw("""
                    DELETE FROM journal WHERE id IN (SELECT id FROM journal WHERE lot_import = \(bind: batch) LIMIT \(unsafeRaw: String(Plan.idsPerStatement * 5)))
                    RETURNING id
                    """).all(decoding: Row.self).count
            }
        } while removed > 0
    }

    /// The batches of imports stopped before their end (not seen for `abandonedAfter`) removed with what they staged,
    /// and what is left of a removal that was itself stopped.
    static func discardAbandonedBatches(on db: any Database) async throws {
        struct Row: Decodable { let id: UUID }
        let sql = try sql(db)
        let before = Date().addingTimeInterval(-abandonedAfter)
        for batch in try await sql.raw("SELECT id FROM lots_import WHERE publie_le IS NULL AND vu_le < \(bind: before)").all(decoding: Row.self) {
            try await discard(batch.id, on: db)
        }
        for table in [Formation.schema, AuditEntry.schema] {
            let left = try await sql.raw("""
                SELECT DISTINCT lot_import AS id FROM \(ident: table)
                WHERE lot_import IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lots_import l WHERE l.id = \(ident: table).lot_import)
                """).all(decoding: Row.self)
            for batch in left { try await removeStaged(by: batch.id, on: db) }
        }
    }

    /// SQLite: the page cache of the import's connection while it writes, in KiB (SQLite's default is 2 MB, in which
    /// a large import's indexes do not fit: their pages were read again from the file over and over).
    static let sqliteWriteCacheKiB = 131_072

    /// Runs `body` with the SQLite connection's page cache enlarged, then set back to what it was (PostgreSQL: as is).
    static func withWriteCache<T>(on sql: any SQLDatabase, _ body: () async throws -> T) async throws -> T {
        guard sql.dialect.name == "sqlite" else { return try await body() }
        let usual = try await sql.raw("PRAGMA cache_size").first(decoding: SQLiteCacheSize.self)?.cache_size ?? -2000
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(-sqliteWriteCacheKiB))").run()
        let result: T
        do {
            result = try await body()
        } catch {
            try? await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(usual))").run()
            throw error
        }
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(usual))").run()
        return result
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

    /// Last in a bulk write's transaction that shows nothing (staging, removing a batch): the triggers back on, the
    /// version left as it is.
    static func endBulkWriteUnrecorded(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.raw("UPDATE catalogue_version SET ecriture_groupee = 0 WHERE id = 1").run()
        } else {
            try await sql.raw("SELECT set_config(\(bind: DeferCatalogueVersionInBulkWrites.setting), 'off', true)").run()
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

    /// Under the lock: the formations the plan writes are as they were read (none created, changed or deleted since).
    /// A staged plan's new formations are in the table already, under their batch: their ids are taken. Only those
    /// written since the read are read again, when every write since listed its formations (`catalogue_changes`;
    /// reading all 200,000 again held the lock 2.3 s).
    private static func checkUnchanged(_ plan: Plan, on sql: any SQLDatabase) async throws {
        var checked = plan.batch == nil ? plan.identifiers : Array(plan.modifiedAt.keys)
        if let readAt = plan.readAt, try await CatalogueIndex.CatalogueState.read(on: sql).reload_version <= readAt.version {
            struct Changed: Decodable { let formation_id: UUID }
            let changed = Set(try await sql.raw("SELECT formation_id FROM catalogue_changes WHERE version > \(bind: readAt.version)")
                .all(decoding: Changed.self).map(\.formation_id))
            checked = checked.filter(changed.contains)
        }
        let checkedSet = Set(checked)
        let expected = plan.modifiedAt.filter { checkedSet.contains($0.key) }
        var found: [UUID: Date?] = [:]
        for chunk in checked.chunked(Plan.idsPerStatement) {
            let rows = try await sql.select().column("id").column("modifie_le").from(Formation.schema).where("id", .in, chunk)
                .where(SQLRaw(Formation.visibleCondition())).all()
            for row in rows {
                found[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "modifie_le", as: Date?.self)
            }
        }
        guard found == expected else { throw ChangedMeanwhile() }
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

/// What `PRAGMA cache_size` answers.
private struct SQLiteCacheSize: Decodable { let cache_size: Int }

private extension UUID {
    /// In the order of the bytes: that of the databases' indexes (SQLite's text form, PostgreSQL's uuid).
    func precedes(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in withUnsafeBytes(of: other.uuid) { b in memcmp(a.baseAddress!, b.baseAddress!, 16) < 0 } }
    }
}
