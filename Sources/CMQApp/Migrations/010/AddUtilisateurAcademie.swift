import Fluent

/// The académie of a CAEN account: a CAEN gives its opinion on the dossiers of its own académie only.
struct AddUtilisateurAcademie: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("utilisateurs").field("academie_code", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("utilisateurs").deleteField("academie_code").update()
    }
}
