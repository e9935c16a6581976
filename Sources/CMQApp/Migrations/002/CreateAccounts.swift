import Fluent
import SQLKit

struct CreateUtilisateurs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("nom", .string, .required)
            .field("mot_de_passe", .string, .required)
            .field("role", .string, .required)
            .field("region_code", .string)
            .field("campus_id", .uuid, .references(Campus.schema, "id", onDelete: .setNull))
            .field("organisation_id", .uuid, .references(Organisation.schema, "id", onDelete: .setNull))
            .field("instance", .string)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .unique(on: "email", name: "uq_utilisateurs_email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}

struct CreateJetonsAPI: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("utilisateur_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("nom", .string, .required)
            .field("empreinte", .string, .required)
            .field("prefixe", .string, .required)
            .field("cree_le", .datetime)
            .field("utilise_le", .datetime)
            .field("revoque_le", .datetime)
            .unique(on: "empreinte", name: "uq_jetons_api_empreinte")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
    }
}

struct CreateTentativesConnexion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema)
            .id()
            .field("email", .string, .required)
            .field("adresse", .string, .required)
            .field("reussie", .bool, .required)
            .field("le", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "ix_tentatives_email").on(LoginAttempt.schema).column("email").column("le").run()
            try await sql.create(index: "ix_tentatives_adresse").on(LoginAttempt.schema).column("adresse").column("le").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).delete()
    }
}

struct CreateJournal: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field("le", .datetime, .required)
            .field("auteur_id", .uuid)
            .field("auteur", .string, .required)
            .field("entite", .string, .required)
            .field("entite_id", .uuid, .required)
            .field("libelle", .string, .required)
            .field("action", .string, .required)
            .field("changements", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "ix_journal_entite").on(AuditEntry.schema).column("entite_id").column("le").run()
            try await sql.create(index: "ix_journal_auteur").on(AuditEntry.schema).column("auteur_id").run()
            try await sql.create(index: "ix_journal_le").on(AuditEntry.schema).column("le").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).delete()
    }
}
