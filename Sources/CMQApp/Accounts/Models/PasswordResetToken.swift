import Fluent
import Foundation

/// A request to set a password: kept for the rate limit; when the address has an account, the SHA-256 of the
/// single-use token sent to it.
final class PasswordResetToken: Model, @unchecked Sendable {
    static let schema = "jetons_reinitialisation"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "cree_le") var createdAt: Date

    // data fields
    @Field(key: "email") var email: String
    @Field(key: "adresse") var address: String
    @OptionalField(key: "utilisateur_id") var userID: UUID?
    @OptionalField(key: "empreinte") var hash: String?
    @Field(key: "expire_le") var expiresAt: Date
    @OptionalField(key: "utilise_le") var usedAt: Date?

    init() {}

    init(id: UUID? = nil, createdAt: Date, email: String, address: String, userID: UUID?, hash: String?, expiresAt: Date) {
        self.id = id
        self.createdAt = createdAt
        self.email = email
        self.address = address
        self.userID = userID
        self.hash = hash
        self.expiresAt = expiresAt
    }
}
