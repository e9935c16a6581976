import Fluent
import Foundation

/// Secrets shared by every instance on one database: the key that signs the unsubscription links, made here once.
struct CreateClesApplication: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cles_application")
            .field("nom", .string, .identifier(auto: false))
            .field("valeur", .string, .required)
            .create()
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        try await ApplicationKey(nom: "desabonnement", valeur: Data(bytes).base64EncodedString()).create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cles_application").delete()
    }
}
