import Fluent
import SQLKit

/// Shared technical platforms, their equipment and closures, and their bookings.
///
/// No double booking, enforced by the database itself so that several cmq instances cannot break it:
/// - PostgreSQL: an exclusion constraint (btree_gist) over the accepted bookings of a platform, on the item
///   range × the time range. Each item has a rank k ≥ 1 and takes the item range [k, k+1); a booking of the
///   whole platform takes [0, ∞), which overlaps every item: so the whole platform collides with everything,
///   two bookings of one item collide, two items don't.
/// - SQLite: triggers that abort an insert or an update making an accepted booking overlap another; SQLite
///   runs one writer at a time, so the check and the write are atomic.
/// Times are wall-clock minutes since 1970-01-01T00:00 in Europe/Paris (`LocalDateTime.wallClockMinutes`).
struct CreatePlateaux: AsyncMigration {
    /// The text of the SQLite trigger's abort, recognised by `BookingStore`.
    static let sqliteConflictMessage = "cmq: reservation en conflit"
    static let postgresConstraint = "reservations_sans_chevauchement"

    func prepare(on database: any Database) async throws {
        try await database.schema(PlateauRecord.schema)
            .id()
            .field("campus_id", .uuid, .required, .references(Campus.schema, "id", onDelete: .restrict))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .restrict))
            .field("nom", .string, .required)
            .field("description", .string, .required)
            .field("adresse", .string, .required)
            .field("horaires", .string, .required)
            .field("validation", .bool, .required)
            .field("preavis_heures", .int, .required)
            .field("duree_maximale_minutes", .int)
            .field("ouvert_a", .string, .required)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .create()
        try await database.schema(EquipementRecord.schema)
            .id()
            .field("plateau_id", .uuid, .required, .references(PlateauRecord.schema, "id", onDelete: .cascade))
            .field("rang", .int, .required)
            .field("nom", .string, .required)
            .field("categorie", .string, .required)
            .field("quantite", .int, .required)
            .field("formation_securite", .bool, .required)
            .field("retire_le", .datetime)
            .unique(on: "plateau_id", "rang", name: "uq_plateau_equipements_rang")
            .create()
        try await database.schema(FermetureRecord.schema)
            .id()
            .field("plateau_id", .uuid, .required, .references(PlateauRecord.schema, "id", onDelete: .cascade))
            .field("debut", .string, .required)
            .field("fin", .string, .required)
            .field("raison", .string, .required)
            .field("motif", .string)
            .create()
        try await database.schema(ReservationRecord.schema)
            .id()
            .field("plateau_id", .uuid, .required, .references(PlateauRecord.schema, "id", onDelete: .cascade))
            .field("equipement_id", .uuid, .references(EquipementRecord.schema, "id", onDelete: .restrict))
            .field("equipement_rang", .int)
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .restrict))
            .field("personne_id", .uuid, .required)
            .field("personne", .string, .required)
            .field("debut", .int64, .required)
            .field("fin", .int64, .required)
            .field("objet", .string, .required)
            .field("participants", .int, .required)
            .field("details", .string)
            .field("formation_securite_confirmee", .bool, .required)
            .field("statut", .string, .required)
            .field("motif", .string)
            .field("serie_id", .uuid)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_plateaux_campus").on(PlateauRecord.schema).column("campus_id").run()
        try await sql.create(index: "idx_plateaux_organisation").on(PlateauRecord.schema).column("organisation_id").run()
        try await sql.create(index: "idx_reservations_plateau_debut").on(ReservationRecord.schema).column("plateau_id").column("debut").run()
        try await sql.create(index: "idx_reservations_organisation").on(ReservationRecord.schema).column("organisation_id").column("debut").run()
        if sql.dialect.name == "sqlite" {
            // An accepted booking may not overlap another accepted booking of the platform that takes the same item or the whole platform.
            let overlap = """
                SELECT RAISE(ABORT, '\(Self.sqliteConflictMessage)') WHERE EXISTS (
                    SELECT 1 FROM reservations r
                    WHERE r.plateau_id = NEW.plateau_id AND r.id <> NEW.id AND r.statut = 'acceptee'
                      AND r.debut < NEW.fin AND NEW.debut < r.fin
                      AND (r.equipement_rang IS NULL OR NEW.equipement_rang IS NULL OR r.equipement_rang = NEW.equipement_rang));
                """
            try await sql.raw("""
                CREATE TRIGGER reservations_sans_chevauchement_insert BEFORE INSERT ON reservations
                WHEN NEW.statut = 'acceptee' BEGIN \(unsafeRaw: overlap) END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER reservations_sans_chevauchement_update BEFORE UPDATE ON reservations
                WHEN NEW.statut = 'acceptee' BEGIN \(unsafeRaw: overlap) END
                """).run()
        } else {
            try await Self.installBtreeGist(sql)
            try await sql.raw("""
                ALTER TABLE reservations ADD CONSTRAINT \(unsafeRaw: Self.postgresConstraint) EXCLUDE USING gist (
                    plateau_id WITH =,
                    int8range(COALESCE(equipement_rang, 0), COALESCE(equipement_rang + 1, 9223372036854775807)) WITH &&,
                    int8range(debut, fin) WITH &&
                ) WHERE (statut = 'acceptee')
                """).run()
        }
    }

    /// btree_gist (a trusted extension since PostgreSQL 13: the database owner may install it) goes to the
    /// schema `public`, which every cmq schema's search path ends with. Two instances migrating at once may
    /// race to install it: the loser finds it installed.
    static func installBtreeGist(_ sql: any SQLDatabase) async throws {
        struct Row: Decodable { let n: Int }
        do {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public").run()
        } catch {
            let installed = try await sql.raw("SELECT COUNT(*)::int AS n FROM pg_extension WHERE extname = 'btree_gist'").first(decoding: Row.self)
            guard (installed?.n ?? 0) > 0 else { throw error }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReservationRecord.schema).delete()
        try await database.schema(FermetureRecord.schema).delete()
        try await database.schema(EquipementRecord.schema).delete()
        try await database.schema(PlateauRecord.schema).delete()
    }
}
