import Fluent
import SQLKit

/// SQLite: the full-text index is rewritten for a formation only when its indexed texts change in value. Its trigger
/// fired on every update that named them (`AddFormationStatusMask`), and an import names every column of the rows it
/// updates: a yearly refresh that changes a capacity or dates rewrote each formation's entry of the index with its
/// prefixes. (PostgreSQL's `recherche` column is computed from the row itself.)
struct RefreshSearchOnChangedTextsOnly: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await replaceTrigger(on: database, when: "WHEN old.intitule_cle IS NOT new.intitule_cle OR old.texte_cle IS NOT new.texte_cle ")
    }

    func revert(on database: any Database) async throws {
        try await replaceTrigger(on: database, when: "")
    }

    private func replaceTrigger(on database: any Database, when condition: String) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("DROP TRIGGER formations_fts_update").run()
        try await sql.raw("""
            CREATE TRIGGER formations_fts_update AFTER UPDATE OF intitule_cle, texte_cle ON formations \(unsafeRaw: condition)BEGIN
              DELETE FROM formations_fts WHERE rowid = old.rowid;
              INSERT INTO formations_fts(rowid, intitule, texte) VALUES (new.rowid, new.intitule_cle, coalesce(new.texte_cle, ''));
            END
            """).run()
    }
}
