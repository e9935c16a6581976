import Fluent
import SQLKit

/// The notifications shown in the application, one row per person and event.
struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("notifications")
            .id()
            .field("cree_le", .datetime, .required)
            .field("utilisateur_id", .uuid, .required, .references("utilisateurs", "id", onDelete: .cascade))
            .field("genre", .string, .required)
            .field("titre", .string, .required)
            .field("texte", .string, .required)
            .field("lien", .string, .required)
            .field("lue_le", .datetime)
            .field("cle", .string)
            .field("resume", .string)
            .unique(on: "utilisateur_id", "cle")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX ix_notifications_utilisateur ON notifications (utilisateur_id, cree_le)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notifications").delete()
    }
}
