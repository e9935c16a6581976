import Fluent
import SQLKit

/// The actions and events of the campuses (issue 20): the action, its organisations (organisers and partners),
/// formations and platforms, and the registrations made in cmq.
///
/// `places_prises` counts the people on the list of an action registered for in cmq: a registration takes its
/// places by one conditional update (`places_prises + n <= capacite`), so that of two registrations racing for
/// the last place exactly one gets it, on both databases. Timings are wall-clock minutes in Europe/Paris
/// (`LocalDateTime.wallClockMinutes`); `premier_debut` and `dernier_fin` index the upcoming actions and the archive.
struct CreateActions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("actions")
            .id()
            .field("campus_id", .uuid, .required, .references("campus", "id", onDelete: .restrict))
            .field("titre", .string, .required)
            .field("resume", .string, .required)
            .field("description", .string, .required)
            .field("type", .string, .required)
            .field("audiences", .string, .required)
            .field("niveaux", .string, .required)
            .field("filiere", .string)
            .field("horaires", .string, .required)
            .field("premier_debut", .int, .required)
            .field("dernier_fin", .int, .required)
            .field("annee_scolaire", .int, .required)
            .field("lieu_type", .string, .required)
            .field("organisation_lieu_id", .uuid, .references("organisations", "id", onDelete: .restrict))
            .field("lieu_nom", .string)
            .field("adresse", .string)
            .field("code_postal", .string)
            .field("commune", .string)
            .field("code_insee", .string)
            .field("departement", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("lien_en_ligne", .string)
            .field("inscription", .string, .required)
            .field("inscription_lien", .string)
            .field("inscription_courriel", .string)
            .field("capacite", .int)
            .field("places_prises", .int, .required)
            .field("accessibilite", .string, .required)
            .field("image_url", .string)
            .field("image_alt", .string)
            .field("statut", .string, .required)
            .field("motif_statut", .string)
            .field("moderation", .string, .required)
            .field("publie_le", .datetime)
            .field("participants", .string)
            .field("participants_total", .int)
            .field("etablissements", .string)
            .field("entreprises", .string)
            .field("bilan", .string)
            .field("participation_le", .datetime)
            .field("inscrits_effaces_le", .datetime)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .create()
        try await database.schema("action_organisations")
            .id()
            .field("action_id", .uuid, .required, .references("actions", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .restrict))
            .field("role", .string, .required)
            .unique(on: "action_id", "organisation_id", name: "uq_action_organisations")
            .create()
        try await database.schema("action_formations")
            .id()
            .field("action_id", .uuid, .required, .references("actions", "id", onDelete: .cascade))
            .field("formation_id", .uuid, .required, .references("formations", "id", onDelete: .cascade))
            .unique(on: "action_id", "formation_id", name: "uq_action_formations")
            .create()
        try await database.schema("action_plateaux")
            .id()
            .field("action_id", .uuid, .required, .references("actions", "id", onDelete: .cascade))
            .field("plateau_id", .uuid, .required, .references("plateaux", "id", onDelete: .cascade))
            .unique(on: "action_id", "plateau_id", name: "uq_action_plateaux")
            .create()
        try await database.schema("action_inscriptions")
            .id()
            .field("action_id", .uuid, .required, .references("actions", "id", onDelete: .cascade))
            .field("nom", .string)
            .field("courriel", .string)
            .field("categorie", .string, .required)
            .field("personnes", .int, .required)
            .field("etat", .string, .required)
            .field("jeton_hash", .string, .required)
            .field("cree_le", .datetime, .required)
            .field("annule_le", .datetime)
            .field("efface_le", .datetime)
            .unique(on: "jeton_hash", name: "uq_action_inscriptions_jeton")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX ix_actions_campus_fin ON actions (campus_id, dernier_fin)").run()
            try await sql.raw("CREATE INDEX ix_actions_moderation_fin ON actions (moderation, dernier_fin)").run()
            try await sql.raw("CREATE INDEX ix_action_inscriptions_action ON action_inscriptions (action_id, etat, cree_le)").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["action_inscriptions", "action_plateaux", "action_formations", "action_organisations", "actions"] {
            try await database.schema(table).delete()
        }
    }
}
