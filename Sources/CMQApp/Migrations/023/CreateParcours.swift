import Fluent
import SQLKit

/// Pseudonymised pathways: each establishment's yearly file (one per establishment and school year) and its steps.
struct CreateParcours: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("parcours_envois")
            .id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("uai", .string, .required)
            .field("annee", .int, .required)
            .field("etapes", .int, .required)
            .field("auteur", .string, .required)
            .field("cree_le", .datetime)
            .unique(on: "organisation_id", "annee")
            .create()
        try await database.schema("parcours_etapes")
            .id()
            .field("envoi_id", .uuid, .required, .references("parcours_envois", "id", onDelete: .cascade))
            .field("pseudonyme", .string, .required)
            .field("annee", .int, .required)
            .field("uai", .string, .required)
            .field("code_formation", .string, .required)
            .field("statut", .string, .required)
            .field("issue", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "idx_parcours_etapes_pseudonyme").on("parcours_etapes").column("pseudonyme").run()
            try await sql.create(index: "idx_parcours_etapes_uai_annee").on("parcours_etapes").column("uai").column("annee").run()
            try await sql.create(index: "idx_parcours_etapes_envoi").on("parcours_etapes").column("envoi_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("parcours_etapes").delete()
        try await database.schema("parcours_envois").delete()
    }
}
