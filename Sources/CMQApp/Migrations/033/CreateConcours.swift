import Fluent

/// The contest of "Ma réussite pro": editions (their calendar, their scoring grid as data), categories, the
/// testimonies entered, the jurors (an account with a jury role for one edition, at académie or national level) and
/// each juror's marks.
struct CreateConcours: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("concours_editions")
            .id()
            .field("nom", .string, .required)
            .field("depots_ouverture", .datetime, .required)
            .field("depots_cloture", .datetime, .required)
            .field("jury_academique_cloture", .datetime, .required)
            .field("jury_national_cloture", .datetime, .required)
            .field("vote_ouverture", .datetime, .required)
            .field("vote_cloture", .datetime, .required)
            .field("resultats", .datetime, .required)
            // the scoring grid: JSON array of {code, label, weight, maximum}
            .field("grille", .string, .required)
            // how many entries of each académie's ranking go to the national round, per category
            .field("places_nationales", .int, .required)
            .field("cree_le", .datetime)
            .unique(on: "nom")
            .create()
        try await database.schema("concours_categories")
            .id()
            .field("edition_id", .uuid, .required, .references("concours_editions", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("nom", .string, .required)
            .unique(on: "edition_id", "code")
            .create()
        try await database.schema("concours_candidatures")
            .id()
            .field("categorie_id", .uuid, .required, .references("concours_categories", "id", onDelete: .cascade))
            .field("temoignage_id", .uuid, .required, .references("temoignages", "id", onDelete: .cascade))
            .field("academie_code", .string, .required)
            .field("cree_le", .datetime)
            .unique(on: "categorie_id", "temoignage_id")
            .create()
        try await database.schema("concours_jures")
            .id()
            .field("edition_id", .uuid, .required, .references("concours_editions", "id", onDelete: .cascade))
            .field("utilisateur_id", .uuid, .required, .references("utilisateurs", "id", onDelete: .cascade))
            // academique or national; an académie juror scores the entries of their académie
            .field("niveau", .string, .required)
            .field("academie_code", .string)
            .unique(on: "edition_id", "utilisateur_id")
            .create()
        try await database.schema("concours_notes")
            .id()
            .field("candidature_id", .uuid, .required, .references("concours_candidatures", "id", onDelete: .cascade))
            .field("jure_id", .uuid, .required, .references("concours_jures", "id", onDelete: .cascade))
            .field("niveau", .string, .required)
            // JSON object {criterion code: mark}
            .field("notes", .string, .required)
            .field("total", .double, .required)
            .field("modifie_le", .datetime)
            .unique(on: "candidature_id", "jure_id", "niveau")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["concours_notes", "concours_jures", "concours_candidatures", "concours_categories", "concours_editions"] {
            try await database.schema(table).delete()
        }
    }
}
