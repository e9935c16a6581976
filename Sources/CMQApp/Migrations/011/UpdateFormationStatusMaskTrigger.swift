import Fluent
import SQLKit

/// PostgreSQL: the trigger that keeps `formations.statuts_masque` in step with `formation_statuts` writes the
/// formation only when its mask really changes. The service and the importer already write the mask with the
/// formation, so the trigger's UPDATE was almost always a no-op, yet each one fired the statement trigger that
/// bumps the catalogue's version: an import of 6,000 formations spent two of its three locked seconds there.
/// (On SQLite triggers are per row: an UPDATE that matches no row fires nothing; its triggers stay as they are.)
struct UpdateFormationStatusMaskTrigger: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION refresh_statuts_masque() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              target uuid;
              mask integer;
            BEGIN
              FOREACH target IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.formation_id]
                                                  WHEN 'DELETE' THEN ARRAY[OLD.formation_id]
                                                  ELSE ARRAY[OLD.formation_id, NEW.formation_id] END) LOOP
                SELECT COALESCE(SUM(CASE s.statut WHEN 'scolaire' THEN 1 WHEN 'etudiant' THEN 2 WHEN 'apprenti' THEN 4
                                                  WHEN 'formation-continue' THEN 8 ELSE 0 END), 0)
                  INTO mask FROM formation_statuts s WHERE s.formation_id = target;
                IF EXISTS (SELECT 1 FROM formations WHERE id = target AND statuts_masque <> mask) THEN
                  UPDATE formations SET statuts_masque = mask WHERE id = target;
                END IF;
              END LOOP;
              RETURN NULL;
            END $$
            """).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION refresh_statuts_masque() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP <> 'INSERT' THEN
                UPDATE formations SET statuts_masque = (\(unsafeRaw: AddFormationStatusMask.sumOfBits) OLD.formation_id) WHERE id = OLD.formation_id;
              END IF;
              IF TG_OP <> 'DELETE' THEN
                UPDATE formations SET statuts_masque = (\(unsafeRaw: AddFormationStatusMask.sumOfBits) NEW.formation_id) WHERE id = NEW.formation_id;
              END IF;
              RETURN NULL;
            END $$
            """).run()
    }
}
