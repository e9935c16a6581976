import CMQDomain
import Fluent
import Foundation

/// The place of an organisation in a campus network (pivot between campus and organisations).
final class Membership: Model, @unchecked Sendable {
    static let schema = "campus_membres"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "role") var role: MembershipRole
    @OptionalField(key: "depuis") var depuis: String?
    @OptionalField(key: "jusqu_a") var jusquA: String?

    // relationships
    @Parent(key: "campus_id") var campus: Campus
    @Parent(key: "organisation_id") var organisation: Organisation

    init() {}

    init(id: UUID? = nil, campusID: UUID, organisationID: UUID, role: MembershipRole, depuis: String? = nil, jusquA: String? = nil) {
        self.id = id
        self.$campus.id = campusID
        self.$organisation.id = organisationID
        self.role = role
        self.depuis = depuis
        self.jusquA = jusquA
    }
}
