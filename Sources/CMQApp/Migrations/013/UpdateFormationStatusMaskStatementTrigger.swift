import Fluent
import SQLKit

/// The statuses mask kept by one statement per write instead of one per status row.
/// - PostgreSQL: the row trigger of `UpdateFormationStatusMaskTrigger` ran a query and a check per status row
///   (an import of 200,000 formations writes some 400,000); three statement triggers now read the statement's
///   transition table and write, in one UPDATE, only the formations whose mask really changes.
/// - SQLite: the per-row triggers write a formation only when its mask changes (an UPDATE that leaves the row
///   as it was still fired the formation's own triggers: the catalogue version and its changes).
struct UpdateFormationStatusMaskStatementTrigger: AsyncMigration {
    /// The mask of a formation from its statuses, for the formation named by `formation` (SQL).
    static func mask(of formation: String) -> String {
        "(\(AddFormationStatusMask.sumOfBits) \(formation))"
    }

    /// PostgreSQL's statement trigger function; `skippingBulkWrites`: doing nothing inside a bulk write
    /// (`SkipStatusMaskInBulkWrites`).
    static func postgresFunction(skippingBulkWrites: Bool = false) -> String {
        """
            CREATE OR REPLACE FUNCTION refresh_statuts_masque_statement() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              \(skippingBulkWrites ? DeferCatalogueVersionInBulkWrites.skip : "")
              IF TG_OP = 'INSERT' THEN
                UPDATE formations f SET statuts_masque = m.mask
                  FROM (SELECT t.formation_id, \(mask(of: "t.formation_id")) AS mask
                        FROM (SELECT DISTINCT formation_id FROM nouveaux) t) m
                  WHERE f.id = m.formation_id AND f.statuts_masque <> m.mask;
              ELSIF TG_OP = 'DELETE' THEN
                UPDATE formations f SET statuts_masque = m.mask
                  FROM (SELECT t.formation_id, \(mask(of: "t.formation_id")) AS mask
                        FROM (SELECT DISTINCT formation_id FROM anciens) t) m
                  WHERE f.id = m.formation_id AND f.statuts_masque <> m.mask;
              ELSE
                UPDATE formations f SET statuts_masque = m.mask
                  FROM (SELECT t.formation_id, \(mask(of: "t.formation_id")) AS mask
                        FROM (SELECT formation_id FROM nouveaux UNION SELECT formation_id FROM anciens) t) m
                  WHERE f.id = m.formation_id AND f.statuts_masque <> m.mask;
              END IF;
              RETURN NULL;
            END $$
            """
    }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for name in ["formation_statuts_masque_insert", "formation_statuts_masque_delete", "formation_statuts_masque_update"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: name)").run()
            }
            for (event, row) in [("INSERT", "new"), ("DELETE", "old")] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: "formation_statuts_masque_\(event.lowercased())") AFTER \(unsafeRaw: event) ON formation_statuts BEGIN
                      UPDATE formations SET statuts_masque = \(unsafeRaw: Self.mask(of: "\(row).formation_id"))
                        WHERE id = \(unsafeRaw: row).formation_id AND statuts_masque <> \(unsafeRaw: Self.mask(of: "\(row).formation_id"));
                    END
                    """).run()
            }
            try await sql.raw("""
                CREATE TRIGGER formation_statuts_masque_update AFTER UPDATE ON formation_statuts BEGIN
                  UPDATE formations SET statuts_masque = \(unsafeRaw: Self.mask(of: "old.formation_id"))
                    WHERE id = old.formation_id AND statuts_masque <> \(unsafeRaw: Self.mask(of: "old.formation_id"));
                  UPDATE formations SET statuts_masque = \(unsafeRaw: Self.mask(of: "new.formation_id"))
                    WHERE id = new.formation_id AND statuts_masque <> \(unsafeRaw: Self.mask(of: "new.formation_id"));
                END
                """).run()
            return
        }
        try await sql.raw("DROP TRIGGER IF EXISTS formation_statuts_masque ON formation_statuts").run()
        try await sql.raw(SQLQueryString(Self.postgresFunction())).run()
        try await sql.raw("""
            CREATE TRIGGER formation_statuts_masque_insert AFTER INSERT ON formation_statuts REFERENCING NEW TABLE AS nouveaux
            FOR EACH STATEMENT EXECUTE FUNCTION refresh_statuts_masque_statement()
            """).run()
        try await sql.raw("""
            CREATE TRIGGER formation_statuts_masque_update AFTER UPDATE ON formation_statuts REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
            FOR EACH STATEMENT EXECUTE FUNCTION refresh_statuts_masque_statement()
            """).run()
        try await sql.raw("""
            CREATE TRIGGER formation_statuts_masque_delete AFTER DELETE ON formation_statuts REFERENCING OLD TABLE AS anciens
            FOR EACH STATEMENT EXECUTE FUNCTION refresh_statuts_masque_statement()
            """).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            // Back to the triggers of `AddFormationStatusMask`.
            for name in ["formation_statuts_masque_insert", "formation_statuts_masque_delete", "formation_statuts_masque_update"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: name)").run()
            }
            for (event, row) in [("INSERT", "new"), ("DELETE", "old")] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: "formation_statuts_masque_\(event.lowercased())") AFTER \(unsafeRaw: event) ON formation_statuts BEGIN
                      UPDATE formations SET statuts_masque = \(unsafeRaw: Self.mask(of: "\(row).formation_id")) WHERE id = \(unsafeRaw: row).formation_id;
                    END
                    """).run()
            }
            try await sql.raw("""
                CREATE TRIGGER formation_statuts_masque_update AFTER UPDATE ON formation_statuts BEGIN
                  UPDATE formations SET statuts_masque = \(unsafeRaw: Self.mask(of: "old.formation_id")) WHERE id = old.formation_id;
                  UPDATE formations SET statuts_masque = \(unsafeRaw: Self.mask(of: "new.formation_id")) WHERE id = new.formation_id;
                END
                """).run()
            return
        }
        for event in ["insert", "update", "delete"] {
            try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "formation_statuts_masque_\(event)") ON formation_statuts").run()
        }
        try await sql.raw("DROP FUNCTION IF EXISTS refresh_statuts_masque_statement()").run()
        try await sql.raw("""
            CREATE TRIGGER formation_statuts_masque AFTER INSERT OR UPDATE OR DELETE ON formation_statuts
            FOR EACH ROW EXECUTE FUNCTION refresh_statuts_masque()
            """).run()
    }
}
