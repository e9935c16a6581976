import Fluent

/// The public prize of "Ma réussite pro": one vote per signed-in account and per category. The unique index decides
/// between two votes sent at once (the insert is conditional on it).
struct CreateConcoursVotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("concours_votes")
            .id()
            .field("categorie_id", .uuid, .required, .references("concours_categories", "id", onDelete: .cascade))
            .field("candidature_id", .uuid, .required, .references("concours_candidatures", "id", onDelete: .cascade))
            .field("utilisateur_id", .uuid, .required, .references("utilisateurs", "id", onDelete: .cascade))
            .field("cree_le", .datetime, .required)
            .unique(on: "categorie_id", "utilisateur_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("concours_votes").delete()
    }
}
