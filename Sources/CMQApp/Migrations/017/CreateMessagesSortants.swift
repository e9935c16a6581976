import Fluent
import SQLKit

/// The outbox: e-mails written in the transaction of the change that causes them, sent by the worker.
struct CreateMessagesSortants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("messages_sortants")
            .id()
            .field("cree_le", .datetime, .required)
            .field("utilisateur_id", .uuid, .references("utilisateurs", "id", onDelete: .setNull))
            .field("destinataire", .string, .required)
            .field("genre", .string, .required)
            .field("sujet", .string, .required)
            .field("texte", .string, .required)
            .field("html", .string, .required)
            .field("lien_desabonnement", .string)
            .field("statut", .string, .required)
            .field("tentatives", .int, .required)
            .field("prochain_essai", .datetime, .required)
            .field("reserve_jusqu_a", .datetime)
            .field("reserve_par", .string)
            .field("derniere_erreur", .string)
            .field("envoye_le", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX ix_messages_sortants_a_envoyer ON messages_sortants (statut, prochain_essai)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("messages_sortants").delete()
    }
}
