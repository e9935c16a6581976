import Fluent
import SQLKit

/// On PostgreSQL, a bulk write (a formation import) takes the catalogue's version at its end instead of at its first
/// statement, so that the site's own catalogue writes do not wait for the whole import.
///
/// Every statement on the catalogue's tables takes the version row's lock (`AddCatalogueVersion`,
/// `AddCatalogueChanges`) and holds it until commit: that is what hands versions out in commit order. An import's
/// transaction of several seconds held it from its first row, and every formation the site wrote meanwhile waited
/// for it. Inside a transaction that sets `cmq.ecriture_groupee` to `on` (`set_config(…, true)`: that transaction
/// only), the two trigger functions do nothing; the import then moves the version and records its formations in
/// `catalogue_changes` itself, as its last statements (`FormationImporter.endBulkWrite`): the lock is held from
/// there to the commit only, and versions are still handed out in commit order.
///
/// SQLite writes one transaction at a time whatever the triggers do: nothing changes there.
struct DeferCatalogueVersionInBulkWrites: AsyncMigration {
    /// The transaction-local setting a bulk write turns on.
    static let setting = "cmq.ecriture_groupee"
    static let skip = "IF current_setting('\(setting)', true) = 'on' THEN RETURN NULL; END IF;"

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await Self.replaceFunctions(on: sql, skip: Self.skip)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await Self.replaceFunctions(on: sql, skip: "")
    }

    /// The functions of migrations 006 and 012, with `skip` at the start of their bodies.
    private static func replaceFunctions(on sql: any SQLDatabase, skip: String) async throws {
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN \(unsafeRaw: skip) UPDATE catalogue_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$
            """).run()
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION record_formation_changes() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              v bigint;
            BEGIN
              \(unsafeRaw: skip)
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
    }
}
