import Fluent

/// How each person receives each kind of notification (in the application only, by e-mail, in a daily digest).
struct CreatePreferencesNotification: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("preferences_notification")
            .id()
            .field("utilisateur_id", .uuid, .required, .references("utilisateurs", "id", onDelete: .cascade))
            .field("genre", .string, .required)
            .field("mode", .string, .required)
            .unique(on: "utilisateur_id", "genre")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("preferences_notification").delete()
    }
}
