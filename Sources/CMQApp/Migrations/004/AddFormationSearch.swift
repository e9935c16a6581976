import Fluent
import SQLKit

/// French full-text search on formations, per dialect. Both index the folded texts cmq computes
/// (`intitule_cle`, `texte_cle`: lower case, no accents, œ → oe, æ → ae), so that both databases find the
/// same formations for the same words.
/// - SQLite: an FTS5 table (unicode61, remove_diacritics 2, prefix index) kept in step by triggers.
/// - PostgreSQL: a generated tsvector column (title weighted A, text B) with a GIN index.
struct AddFormationSearch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Formation.schema).field("texte_cle", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        switch sql.dialect.name {
        case "sqlite":
            try await sql.raw("""
                CREATE VIRTUAL TABLE formations_fts USING fts5(intitule, texte, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')
                """).run()
            try await sql.raw("""
                CREATE TRIGGER formations_fts_insert AFTER INSERT ON formations BEGIN
                  INSERT INTO formations_fts(rowid, intitule, texte) VALUES (new.rowid, new.intitule_cle, coalesce(new.texte_cle, ''));
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER formations_fts_delete AFTER DELETE ON formations BEGIN
                  DELETE FROM formations_fts WHERE rowid = old.rowid;
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER formations_fts_update AFTER UPDATE ON formations BEGIN
                  DELETE FROM formations_fts WHERE rowid = old.rowid;
                  INSERT INTO formations_fts(rowid, intitule, texte) VALUES (new.rowid, new.intitule_cle, coalesce(new.texte_cle, ''));
                END
                """).run()
            try await sql.raw("INSERT INTO formations_fts(rowid, intitule, texte) SELECT rowid, intitule_cle, coalesce(texte_cle, '') FROM formations").run()
        default:
            try await sql.raw("""
                ALTER TABLE formations ADD COLUMN recherche tsvector GENERATED ALWAYS AS (
                  setweight(to_tsvector('simple', intitule_cle), 'A') || setweight(to_tsvector('simple', coalesce(texte_cle, '')), 'B')
                ) STORED
                """).run()
            try await sql.raw("CREATE INDEX ix_formations_recherche ON formations USING gin (recherche)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for trigger in ["formations_fts_insert", "formations_fts_delete", "formations_fts_update"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(ident: trigger)").run()
            }
            try await sql.raw("DROP TABLE IF EXISTS formations_fts").run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS ix_formations_recherche").run()
            try await sql.raw("ALTER TABLE formations DROP COLUMN IF EXISTS recherche").run()
        }
        try await database.schema(Formation.schema).deleteField("texte_cle").update()
    }
}
