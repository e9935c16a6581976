import CMQDomain
import Fluent
import Foundation
import Vapor

/// An account: a person with a role and the scope of that role.
final class User: Model, @unchecked Sendable {
    static let schema = "utilisateurs"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "email") var email: String
    @Field(key: "nom") var nom: String
    @Field(key: "mot_de_passe") var passwordHash: String
    @Field(key: "role") var role: Role
    @OptionalField(key: "region_code") var regionCode: String?
    @OptionalField(key: "campus_id") var campusID: UUID?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "instance") var instance: Instance?
    @OptionalField(key: "academie_code") var academieCode: String?

    init() {}

    init(id: UUID? = nil, email: String, nom: String, passwordHash: String, role: Role,
         regionCode: String? = nil, campusID: UUID? = nil, organisationID: UUID? = nil, instance: Instance? = nil,
         academieCode: String? = nil) {
        self.id = id
        self.email = email.lowercased()
        self.nom = nom
        self.passwordHash = passwordHash
        self.role = role
        self.regionCode = regionCode
        self.campusID = campusID
        self.organisationID = organisationID
        self.instance = instance
        self.academieCode = academieCode
    }

    /// The account as the access rules see it.
    var actor: Actor? {
        guard let id else { return nil }
        return Actor(userID: id, role: role, regionCode: regionCode, campusID: campusID, organisationID: organisationID,
                     instance: instance, academieCode: academieCode)
    }
}

extension User: ModelSessionAuthenticatable {}

/// A token for programs (`Authorization: Bearer …`): only its SHA-256 is stored; the token is shown once.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "jetons_api"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "nom") var nom: String
    @Field(key: "empreinte") var hash: String
    @Field(key: "prefixe") var prefix: String
    @OptionalField(key: "utilise_le") var lastUsedAt: Date?
    @OptionalField(key: "revoque_le") var revokedAt: Date?

    // relationships
    @Parent(key: "utilisateur_id") var user: User

    init() {}

    init(id: UUID? = nil, userID: UUID, nom: String, hash: String, prefix: String) {
        self.id = id
        self.$user.id = userID
        self.nom = nom
        self.hash = hash
        self.prefix = prefix
    }
}

/// A sign-in attempt, kept to limit repeated failures per account and per address.
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "tentatives_connexion"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "email") var email: String
    @Field(key: "adresse") var address: String
    @Field(key: "reussie") var succeeded: Bool
    @Field(key: "le") var at: Date

    init() {}

    init(email: String, address: String, succeeded: Bool, at: Date = Date()) {
        self.email = email
        self.address = address
        self.succeeded = succeeded
        self.at = at
    }
}
