import Fluent

/// A campus's indicators: the values its team enters for a school year, its targets, and the catalogue files
/// loaded with `cmq indicateurs charger` (the shipped catalogue is data of the package).
struct CreateIndicateurs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("indicateurs_valeurs")
            .id()
            .field("campus_id", .uuid, .required, .references("campus", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("annee", .int, .required)
            .field("valeur", .double, .required)
            .field("modifie_le", .datetime, .required)
            .field("modifie_par", .uuid)
            .unique(on: "campus_id", "code", "annee")
            .create()
        try await database.schema("indicateurs_cibles")
            .id()
            .field("campus_id", .uuid, .required, .references("campus", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("initiale", .double, .required)
            .field("cible", .double, .required)
            .field("echeance", .string, .required)
            .field("modifie_le", .datetime, .required)
            .unique(on: "campus_id", "code")
            .create()
        try await database.schema("indicateurs_catalogues")
            .id()
            .field("contenu", .string, .required)
            .field("codes", .string, .required)
            .field("charge_le", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("indicateurs_catalogues").delete()
        try await database.schema("indicateurs_cibles").delete()
        try await database.schema("indicateurs_valeurs").delete()
    }
}
