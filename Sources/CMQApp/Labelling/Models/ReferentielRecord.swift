import Fluent
import Foundation

/// A référentiel added as data (`cmq referentiels charger FICHIER`), kept in the database.
final class ReferentielRecord: Model, @unchecked Sendable {
    static let schema = "referentiels_labellisation"

    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "contenu") var contenu: String
    @Timestamp(key: "charge_le", on: .create) var loadedAt: Date?

    init() {}

    init(code: String, contenu: String) {
        self.id = code
        self.contenu = contenu
    }
}
