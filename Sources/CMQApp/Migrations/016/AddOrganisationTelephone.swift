import Fluent

/// The telephone number of an organisation (the annuaire de l'éducation gives it for establishments).
struct AddOrganisationTelephone: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organisations").field("telephone", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organisations").deleteField("telephone").update()
    }
}
