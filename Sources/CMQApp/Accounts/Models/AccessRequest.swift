import CMQDomain
import Fluent
import Foundation

/// A request for an account, waiting in the queue of the national administrator (and of the campus team when it
/// names a campus) until it becomes an account or is refused.
final class AccessRequest: Model, @unchecked Sendable {
    static let schema = "demandes_acces"

    enum Status: String, Codable, Sendable {
        case pending = "en-attente"
        case accepted = "acceptee"
        case refused = "refusee"
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "cree_le") var createdAt: Date

    // data fields
    @Field(key: "nom") var nom: String
    @Field(key: "email") var email: String
    @Field(key: "organisation") var organisation: String
    @Field(key: "role_souhaite") var role: Role
    @OptionalField(key: "campus_id") var campusID: UUID?
    @Field(key: "message") var message: String
    @Field(key: "adresse") var address: String
    @Field(key: "statut") var status: Status
    @OptionalField(key: "traitee_le") var handledAt: Date?
    @OptionalField(key: "traitee_par") var handledBy: String?
    @OptionalField(key: "utilisateur_id") var userID: UUID?

    init() {}

    init(id: UUID? = nil, createdAt: Date, nom: String, email: String, organisation: String, role: Role, campusID: UUID?,
         message: String, address: String) {
        self.id = id
        self.createdAt = createdAt
        self.nom = nom
        self.email = email
        self.organisation = organisation
        self.role = role
        self.campusID = campusID
        self.message = message
        self.address = address
        self.status = .pending
    }
}
