import Fluent
import SQLKit

/// A counter that every write to what a catalogue search reads (formations, their statuses and ROME codes,
/// campus attachments, memberships, organisations, campuses) moves forward, kept by triggers so that no
/// write path can forget it. Each cmq instance caches search results under the counter's value, so several
/// instances on one PostgreSQL never serve a stale result.
struct AddCatalogueVersion: AsyncMigration {
    static let tables = ["formations", "formation_statuts", "formation_romes", "campus_formations", "campus_membres", "organisations", "campus"]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE catalogue_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO catalogue_version (id, version) VALUES (1, 1)").run()
        if sql.dialect.name == "sqlite" {
            for table in Self.tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: "\(table)_\(event.lowercased())_version") AFTER \(unsafeRaw: event) ON \(ident: table)
                        BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END
                        """).run()
                }
            }
        } else {
            try await sql.raw("""
                CREATE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$
                """).run()
            for table in Self.tables {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: "\(table)_version") AFTER INSERT OR UPDATE OR DELETE ON \(ident: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version()
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for table in Self.tables {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "\(table)_\(event)_version")").run()
                }
            }
        } else {
            for table in Self.tables {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "\(table)_version") ON \(ident: table)").run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS bump_catalogue_version()").run()
        }
        try await sql.raw("DROP TABLE IF EXISTS catalogue_version").run()
    }
}
