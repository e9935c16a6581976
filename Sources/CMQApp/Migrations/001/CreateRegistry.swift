import Fluent

struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Organisation.schema)
            .id()
            .field("nom", .string, .required)
            .field("nom_cle", .string, .required)
            .field("type", .string, .required)
            .field("public", .bool, .required)
            .field("lycee_des_metiers", .bool, .required)
            .field("uai", .string)
            .field("siret", .string)
            .field("adresse", .string)
            .field("code_postal", .string)
            .field("commune", .string)
            .field("departement_code", .string)
            .field("academie_code", .string)
            .field("region_code", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("site_web", .string)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .unique(on: "uai", name: "uq_organisations_uai")
            .unique(on: "siret", name: "uq_organisations_siret")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).delete()
    }
}

struct CreateCampus: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campus.schema)
            .id()
            .field("nom", .string, .required)
            .field("nom_cle", .string, .required)
            .field("filiere", .string, .required)
            .field("academie_code", .string, .required)
            .field("region_code", .string, .required)
            .field("description", .string)
            .field("site_web", .string)
            .field("forme_juridique", .string, .required)
            .field("date_creation", .string)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Campus.schema).delete()
    }
}

struct CreateCampusMembres: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Membership.schema)
            .id()
            .field("campus_id", .uuid, .required, .references(Campus.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .restrict))
            .field("role", .string, .required)
            .field("depuis", .string)
            .field("jusqu_a", .string)
            .field("cree_le", .datetime)
            .unique(on: "campus_id", "organisation_id", name: "uq_campus_membres")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Membership.schema).delete()
    }
}

struct CreateCampusEquipe: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TeamMember.schema)
            .id()
            .field("campus_id", .uuid, .required, .references(Campus.schema, "id", onDelete: .cascade))
            .field("nom", .string, .required)
            .field("role", .string, .required)
            .field("email", .string)
            .field("position", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TeamMember.schema).delete()
    }
}

/// Indexes for the registry's filters (filière, académie, département, kind, folded names).
struct CreateRegistryIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let indexes = [
            ("ix_campus_filiere", Campus.schema, ["filiere"]),
            ("ix_campus_academie", Campus.schema, ["academie_code"]),
            ("ix_organisations_type", Organisation.schema, ["type"]),
            ("ix_organisations_departement", Organisation.schema, ["departement_code"]),
            ("ix_organisations_nom_cle", Organisation.schema, ["nom_cle"]),
            ("ix_campus_membres_organisation", Membership.schema, ["organisation_id"]),
            ("ix_campus_equipe_campus", TeamMember.schema, ["campus_id"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for name in ["ix_campus_filiere", "ix_campus_academie", "ix_organisations_type", "ix_organisations_departement",
                     "ix_organisations_nom_cle", "ix_campus_membres_organisation", "ix_campus_equipe_campus"] {
            try await sql.drop(index: name).run()
        }
    }
}

import SQLKit
