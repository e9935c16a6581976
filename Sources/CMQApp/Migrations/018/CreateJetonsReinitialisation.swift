import Fluent

/// Requests to set a password ("mot de passe oublié", a new account): the SHA-256 of a single-use token sent by
/// e-mail, and every request (even for an unknown address) for the rate limit.
struct CreateJetonsReinitialisation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jetons_reinitialisation")
            .id()
            .field("cree_le", .datetime, .required)
            .field("email", .string, .required)
            .field("adresse", .string, .required)
            .field("utilisateur_id", .uuid, .references("utilisateurs", "id", onDelete: .cascade))
            .field("empreinte", .string)
            .field("expire_le", .datetime, .required)
            .field("utilise_le", .datetime)
            .unique(on: "empreinte")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jetons_reinitialisation").delete()
    }
}
