import Fluent

/// Requests for an account ("demander un accès"), kept twelve months at most.
struct CreateDemandesAcces: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("demandes_acces")
            .id()
            .field("cree_le", .datetime, .required)
            .field("nom", .string, .required)
            .field("email", .string, .required)
            .field("organisation", .string, .required)
            .field("role_souhaite", .string, .required)
            .field("campus_id", .uuid, .references("campus", "id", onDelete: .setNull))
            .field("message", .string, .required)
            .field("adresse", .string, .required)
            .field("statut", .string, .required)
            .field("traitee_le", .datetime)
            .field("traitee_par", .string)
            .field("utilisateur_id", .uuid, .references("utilisateurs", "id", onDelete: .setNull))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("demandes_acces").delete()
    }
}
