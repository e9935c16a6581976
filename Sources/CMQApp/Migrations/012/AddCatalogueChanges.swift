import Fluent
import SQLKit

/// Which formations changed since a version of the catalogue, so that each instance's in-memory catalogue
/// index (`CatalogueIndex`) reads only those rows instead of the whole catalogue after a write.
///
/// - `catalogue_changes` holds one row per formation ever written: its id and the catalogue version of its
///   last insert, update or delete (a deleted formation keeps its row: the index learns of the deletion by
///   not finding the formation any more).
/// - `catalogue_version.structure_version` is the version of the last write to the small tables the search
///   also reads (organisations, campus, memberships, campus attachments): the index reloads those whole.
///
/// A version recorded here is always greater than every version already committed, and is committed with
/// the write itself, so "every change with a version greater than N" misses nothing once version N was read:
/// - SQLite has one writer at a time; the triggers record the current version plus one, and the per-row
///   triggers of `AddCatalogueVersion` move the version at least that far in the same transaction.
/// - PostgreSQL: each statement first takes the version row's lock (`UPDATE … RETURNING`), which it holds
///   until commit, so versions are handed out in commit order; one statement records all its rows at once
///   from its transition table.
struct AddCatalogueChanges: AsyncMigration {
    static let smallTables = ["organisations", "campus", "campus_membres", "campus_formations"]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE catalogue_version ADD COLUMN structure_version BIGINT NOT NULL DEFAULT 0").run()
        if sql.dialect.name == "sqlite" {
            try await sql.raw("CREATE TABLE catalogue_changes (formation_id BLOB NOT NULL PRIMARY KEY, version BIGINT NOT NULL)").run()
            try await sql.raw("CREATE INDEX ix_catalogue_changes_version ON catalogue_changes (version)").run()
            for (event, row) in [("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: "formations_\(event.lowercased())_changes") AFTER \(unsafeRaw: event) ON formations BEGIN
                      INSERT INTO catalogue_changes (formation_id, version)
                        VALUES (\(unsafeRaw: row).id, (SELECT version + 1 FROM catalogue_version WHERE id = 1))
                        ON CONFLICT (formation_id) DO UPDATE SET version = excluded.version;
                    END
                    """).run()
            }
            // An update that changes the id is also a deletion of the old id.
            try await sql.raw("""
                CREATE TRIGGER formations_update_id_changes AFTER UPDATE OF id ON formations WHEN old.id IS NOT new.id BEGIN
                  INSERT INTO catalogue_changes (formation_id, version)
                    VALUES (old.id, (SELECT version + 1 FROM catalogue_version WHERE id = 1))
                    ON CONFLICT (formation_id) DO UPDATE SET version = excluded.version;
                END
                """).run()
            for table in Self.smallTables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: "\(table)_\(event.lowercased())_structure") AFTER \(unsafeRaw: event) ON \(ident: table) BEGIN
                          UPDATE catalogue_version SET structure_version = version + 1 WHERE id = 1;
                        END
                        """).run()
                }
            }
        } else {
            try await sql.raw("CREATE TABLE catalogue_changes (formation_id uuid NOT NULL PRIMARY KEY, version BIGINT NOT NULL)").run()
            try await sql.raw("CREATE INDEX ix_catalogue_changes_version ON catalogue_changes (version)").run()
            try await sql.raw("""
                CREATE FUNCTION record_formation_changes() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                  v bigint;
                BEGIN
                  UPDATE catalogue_version SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
                  IF TG_OP = 'DELETE' THEN
                    INSERT INTO catalogue_changes (formation_id, version) SELECT id, v FROM anciennes
                      ON CONFLICT (formation_id) DO UPDATE SET version = EXCLUDED.version;
                  ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO catalogue_changes (formation_id, version)
                      SELECT id, v FROM nouvelles UNION SELECT id, v FROM anciennes
                      ON CONFLICT (formation_id) DO UPDATE SET version = EXCLUDED.version;
                  ELSE
                    INSERT INTO catalogue_changes (formation_id, version) SELECT id, v FROM nouvelles
                      ON CONFLICT (formation_id) DO UPDATE SET version = EXCLUDED.version;
                  END IF;
                  RETURN NULL;
                END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER formations_insert_changes AFTER INSERT ON formations REFERENCING NEW TABLE AS nouvelles
                FOR EACH STATEMENT EXECUTE FUNCTION record_formation_changes()
                """).run()
            try await sql.raw("""
                CREATE TRIGGER formations_update_changes AFTER UPDATE ON formations REFERENCING OLD TABLE AS anciennes NEW TABLE AS nouvelles
                FOR EACH STATEMENT EXECUTE FUNCTION record_formation_changes()
                """).run()
            try await sql.raw("""
                CREATE TRIGGER formations_delete_changes AFTER DELETE ON formations REFERENCING OLD TABLE AS anciennes
                FOR EACH STATEMENT EXECUTE FUNCTION record_formation_changes()
                """).run()
            try await sql.raw("""
                CREATE FUNCTION record_structure_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE catalogue_version SET version = version + 1, structure_version = version + 1 WHERE id = 1;
                  RETURN NULL;
                END $$
                """).run()
            for table in Self.smallTables {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: "\(table)_structure") AFTER INSERT OR UPDATE OR DELETE ON \(ident: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION record_structure_change()
                    """).run()
            }
        }
        // Every formation already there is a change of the first version.
        try await sql.raw("INSERT INTO catalogue_changes (formation_id, version) SELECT id, (SELECT version FROM catalogue_version WHERE id = 1) FROM formations").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for event in ["insert", "update", "delete", "update_id"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "formations_\(event)_changes")").run()
            }
            for table in Self.smallTables {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "\(table)_\(event)_structure")").run()
                }
            }
        } else {
            for event in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "formations_\(event)_changes") ON formations").run()
            }
            for table in Self.smallTables {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "\(table)_structure") ON \(ident: table)").run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS record_formation_changes()").run()
            try await sql.raw("DROP FUNCTION IF EXISTS record_structure_change()").run()
        }
        try await sql.raw("DROP TABLE IF EXISTS catalogue_changes").run()
        try await sql.raw("ALTER TABLE catalogue_version DROP COLUMN structure_version").run()
    }
}
