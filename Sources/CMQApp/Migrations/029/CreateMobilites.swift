import Fluent

/// The international mobilities a campus records for a school year: one line per direction, public and country.
struct CreateMobilites: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mobilites")
            .id()
            .field("campus_id", .uuid, .required, .references("campus", "id", onDelete: .cascade))
            .field("annee", .int, .required)
            .field("sens", .string, .required)
            .field("public", .string, .required)
            .field("pays", .string, .required)
            .field("nombre", .int, .required)
            .unique(on: "campus_id", "annee", "sens", "public", "pays")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mobilites").delete()
    }
}
