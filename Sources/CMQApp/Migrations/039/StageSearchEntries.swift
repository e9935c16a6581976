import Fluent
import SQLKit

/// SQLite: an import writes the full-text entries of the formations whose texts it changes before its last
/// transaction, as it stages its new formations, so that the site's writes do not wait for them (`sqlite3`: 200,000
/// changed formations copied in 3.9 s with their entries, 1.5 s without).
///
/// - `formations.cle_recherche`: the rowid of the formation's entry in `formations_fts` when it is not the formation's
///   own rowid (NULL). An import writes its entries under keys below zero that it reserved
///   (`lots_import.recherche_de` to `recherche_a`: no other import takes them), and its last transaction points its
///   formations to them.
/// - The triggers keep the entry `coalesce(cle_recherche, rowid)`; an update that moves `cle_recherche` leaves the
///   index to the import, which wrote the entry. The search reads only the entry a formation points to
///   (`ResolvedQuery.Term.condition`); the entries nothing points to any more (a formation's former one, those of a
///   stopped import) are removed after the import (`FormationImporter.removeFormerSearchEntries`).
/// (PostgreSQL's `recherche` column is computed from the row itself.)
struct StageSearchEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("ALTER TABLE formations ADD COLUMN cle_recherche INTEGER").run()
        try await sql.raw("CREATE INDEX ix_formations_cle_recherche ON formations (cle_recherche) WHERE cle_recherche IS NOT NULL").run()
        try await sql.raw("ALTER TABLE lots_import ADD COLUMN recherche_de INTEGER").run()
        try await sql.raw("ALTER TABLE lots_import ADD COLUMN recherche_a INTEGER").run()
        try await replaceTriggers(on: sql, key: { "coalesce(\($0).cle_recherche, \($0).rowid)" },
                                  deleted: "rowid IN (old.rowid, old.cle_recherche)", unmoved: " AND old.cle_recherche IS new.cle_recherche")
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await replaceTriggers(on: sql, key: { "\($0).rowid" }, deleted: "rowid = old.rowid", unmoved: "")
        // Every entry back under its formation's rowid.
        try await sql.raw("DELETE FROM formations_fts").run()
        try await sql.raw("INSERT INTO formations_fts(rowid, intitule, texte) SELECT rowid, intitule_cle, coalesce(texte_cle, '') FROM formations").run()
        try await sql.raw("DROP INDEX ix_formations_cle_recherche").run()
        try await sql.raw("ALTER TABLE formations DROP COLUMN cle_recherche").run()
        try await sql.raw("ALTER TABLE lots_import DROP COLUMN recherche_de").run()
        try await sql.raw("ALTER TABLE lots_import DROP COLUMN recherche_a").run()
    }

    /// The three triggers of `AddFormationSearch` as `RefreshSearchOnChangedTextsOnly` left them, the entry's key
    /// given by `key` (of `new` or `old`).
    private func replaceTriggers(on sql: any SQLDatabase, key: (String) -> String, deleted: String, unmoved: String) async throws {
        for trigger in ["formations_fts_insert", "formations_fts_delete", "formations_fts_update"] {
            try await sql.raw("DROP TRIGGER \(ident: trigger)").run()
        }
        try await sql.raw("""
            CREATE TRIGGER formations_fts_insert AFTER INSERT ON formations BEGIN
              INSERT INTO formations_fts(rowid, intitule, texte) VALUES (\(unsafeRaw: key("new")), new.intitule_cle, coalesce(new.texte_cle, ''));
            END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER formations_fts_delete AFTER DELETE ON formations BEGIN
              DELETE FROM formations_fts WHERE \(unsafeRaw: deleted);
            END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER formations_fts_update AFTER UPDATE OF intitule_cle, texte_cle ON formations
            WHEN (old.intitule_cle IS NOT new.intitule_cle OR old.texte_cle IS NOT new.texte_cle)\(unsafeRaw: unmoved) BEGIN
              DELETE FROM formations_fts WHERE rowid = \(unsafeRaw: key("old"));
              INSERT INTO formations_fts(rowid, intitule, texte) VALUES (\(unsafeRaw: key("new")), new.intitule_cle, coalesce(new.texte_cle, ''));
            END
            """).run()
    }
}
