import Fluent
import SQLKit

struct CreateFormations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Formation.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .restrict))
            .field("responsable_id", .uuid, .references(Organisation.schema, "id", onDelete: .setNull))
            .field("intitule", .string, .required)
            .field("intitule_cle", .string, .required)
            .field("filiere", .string)
            .field("type_diplome", .string)
            .field("niveau_entree", .int)
            .field("niveau_sortie", .int, .required)
            .field("cfd", .string)
            .field("rncp", .string)
            .field("duree", .string)
            .field("capacite", .int)
            .field("modalite", .string, .required)
            .field("dates_debut", .string)
            .field("description", .string)
            .field("lien", .string)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .create()
        try await database.schema(FormationStatut.schema)
            .id()
            .field("formation_id", .uuid, .required, .references(Formation.schema, "id", onDelete: .cascade))
            .field("statut", .string, .required)
            .unique(on: "formation_id", "statut", name: "uq_formation_statuts")
            .create()
        try await database.schema(FormationROME.schema)
            .id()
            .field("formation_id", .uuid, .required, .references(Formation.schema, "id", onDelete: .cascade))
            .field("code", .string, .required)
            .unique(on: "formation_id", "code", name: "uq_formation_romes")
            .create()
        try await database.schema(CampusFormation.schema)
            .id()
            .field("campus_id", .uuid, .required, .references(Campus.schema, "id", onDelete: .cascade))
            .field("formation_id", .uuid, .required, .references(Formation.schema, "id", onDelete: .cascade))
            .unique(on: "campus_id", "formation_id", name: "uq_campus_formations")
            .create()
        if let sql = database as? any SQLDatabase {
            for (name, table, columns) in [("ix_formations_organisation", Formation.schema, ["organisation_id"]),
                                           ("ix_formations_niveau", Formation.schema, ["niveau_sortie"]),
                                           ("ix_formation_statuts_statut", FormationStatut.schema, ["statut", "formation_id"]),
                                           ("ix_campus_formations_formation", CampusFormation.schema, ["formation_id"])] {
                var builder = sql.create(index: name).on(table)
                for column in columns { builder = builder.column(column) }
                try await builder.run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [CampusFormation.schema, FormationROME.schema, FormationStatut.schema, Formation.schema] {
            try await database.schema(schema).delete()
        }
    }
}
