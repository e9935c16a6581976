import Fluent

/// The annual activity reports of the campuses, and the history of their states.
struct CreateRapportsActivite: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("rapports_activite")
            .id()
            .field("campus_id", .uuid, .required, .references("campus", "id", onDelete: .cascade))
            .field("annee", .int, .required)
            .field("statut", .string, .required)
            // The sections' texts, as a JSON object keyed by section.
            .field("textes", .string, .required)
            // The figures frozen at transmission (JSON), absent before.
            .field("valeurs", .string)
            .field("commentaire", .string)
            .field("modifie_le", .datetime, .required)
            .unique(on: "campus_id", "annee")
            .create()
        try await database.schema("rapports_activite_historique")
            .id()
            .field("rapport_id", .uuid, .required, .references("rapports_activite", "id", onDelete: .cascade))
            .field("statut", .string, .required)
            .field("le", .datetime, .required)
            .field("auteur", .string, .required)
            .field("commentaire", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rapports_activite_historique").delete()
        try await database.schema("rapports_activite").delete()
    }
}
