import Fluent
import SQLKit

/// A bulk write (a formation import) records the catalogue's changes itself, once, at its end, on both databases.
///
/// - `catalogue_version.reload_version`: the version of the last bulk write too large to list its formations one
///   by one in `catalogue_changes` (on PostgreSQL that list was written under the version row's lock: 200,000 rows
///   held the site's catalogue writes for 1.5 s). An instance whose index is older reads the whole catalogue again
///   (`CatalogueIndex`), as it did already past a few thousand changes.
/// - SQLite: `catalogue_version.ecriture_groupee` is 1 only inside a bulk write's transaction (set at its start,
///   set back before its commit: never committed as 1). The per-row triggers of the formations and of their
///   statuses and ROME codes (the version, `catalogue_changes`, the statuses mask: migrations 006, 012 and 013) then
///   do nothing: an import of 200,000 formations ran them some 1,400,000 times. The importer writes the mask of every
///   row it writes, and moves the version once at its end. The full-text index's triggers still run. (PostgreSQL
///   skips the same work with its transaction-local setting: `DeferCatalogueVersionInBulkWrites`.)
struct AddCatalogueReloadVersion: AsyncMigration {
    /// A trigger as SQLite knows it: its name, what fires it (and the condition it had), its statements.
    private struct Trigger {
        let name: String
        let event: String
        let condition: String?
        let body: String
    }

    /// The condition every trigger below gains: not inside a bulk write.
    static let outsideBulkWrites = "NOT EXISTS (SELECT 1 FROM catalogue_version WHERE id = 1 AND ecriture_groupee = 1)"

    private static var triggers: [Trigger] {
        var triggers: [Trigger] = []
        for table in ["formations", "formation_statuts", "formation_romes"] {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                triggers.append(Trigger(name: "\(table)_\(event.lowercased())_version", event: "AFTER \(event) ON \"\(table)\"", condition: nil,
                                        body: "UPDATE catalogue_version SET version = version + 1 WHERE id = 1;"))
            }
        }
        func change(_ row: String) -> String {
            """
            INSERT INTO catalogue_changes (formation_id, version)
                VALUES (\(row).id, (SELECT version + 1 FROM catalogue_version WHERE id = 1))
                ON CONFLICT (formation_id) DO UPDATE SET version = excluded.version;
            """
        }
        for (event, row) in [("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")] {
            triggers.append(Trigger(name: "formations_\(event.lowercased())_changes", event: "AFTER \(event) ON formations", condition: nil, body: change(row)))
        }
        triggers.append(Trigger(name: "formations_update_id_changes", event: "AFTER UPDATE OF id ON formations", condition: "old.id IS NOT new.id",
                                body: change("old")))
        func mask(_ row: String) -> String {
            let mask = UpdateFormationStatusMaskStatementTrigger.mask(of: "\(row).formation_id")
            return "UPDATE formations SET statuts_masque = \(mask) WHERE id = \(row).formation_id AND statuts_masque <> \(mask);"
        }
        for (event, row) in [("INSERT", "new"), ("DELETE", "old")] {
            triggers.append(Trigger(name: "formation_statuts_masque_\(event.lowercased())", event: "AFTER \(event) ON formation_statuts",
                                    condition: nil, body: mask(row)))
        }
        triggers.append(Trigger(name: "formation_statuts_masque_update", event: "AFTER UPDATE ON formation_statuts", condition: nil,
                                body: mask("old") + "\n" + mask("new")))
        return triggers
    }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE catalogue_version ADD COLUMN reload_version BIGINT NOT NULL DEFAULT 0").run()
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("ALTER TABLE catalogue_version ADD COLUMN ecriture_groupee INTEGER NOT NULL DEFAULT 0").run()
        try await Self.replaceTriggers(on: sql, guarded: true)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await Self.replaceTriggers(on: sql, guarded: false)
            try await sql.raw("ALTER TABLE catalogue_version DROP COLUMN ecriture_groupee").run()
        }
        try await sql.raw("ALTER TABLE catalogue_version DROP COLUMN reload_version").run()
    }

    /// The triggers of migrations 006, 012 and 013 on SQLite, with (`guarded`) or without the bulk writes' condition.
    private static func replaceTriggers(on sql: any SQLDatabase, guarded: Bool) async throws {
        for trigger in triggers {
            let conditions = [trigger.condition, guarded ? outsideBulkWrites : nil].compactMap { $0 }
            let when = conditions.isEmpty ? "" : " WHEN " + conditions.joined(separator: " AND ")
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: trigger.name)").run()
            try await sql.raw("CREATE TRIGGER \(ident: trigger.name) \(unsafeRaw: trigger.event)\(unsafeRaw: when) BEGIN\n\(unsafeRaw: trigger.body)\nEND").run()
        }
    }
}
