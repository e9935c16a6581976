import CMQDomain
import Fluent
import Foundation

/// A Campus des métiers et des qualifications: one filière on the territory of one académie.
final class Campus: Model, @unchecked Sendable {
    static let schema = "campus"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "nom") var nom: String
    /// The name folded for accent- and case-insensitive search.
    @Field(key: "nom_cle") var nomCle: String
    @Field(key: "filiere") var filiere: Filiere
    @Field(key: "academie_code") var academieCode: String
    @Field(key: "region_code") var regionCode: String
    @OptionalField(key: "description") var description: String?
    @OptionalField(key: "site_web") var siteWeb: String?
    @Field(key: "forme_juridique") var formeJuridique: LegalForm
    @OptionalField(key: "date_creation") var dateCreation: String?

    // relationships
    @Children(for: \.$campus) var memberships: [Membership]
    @Children(for: \.$campus) var team: [TeamMember]

    init() {}

    init(id: UUID? = nil, nom: String, filiere: Filiere, academieCode: String, regionCode: String,
         description: String? = nil, siteWeb: String? = nil, formeJuridique: LegalForm = .etablissementBudgetPropre, dateCreation: String? = nil) {
        self.id = id
        self.nom = nom
        self.nomCle = ""
        self.filiere = filiere
        self.academieCode = academieCode
        self.regionCode = regionCode
        self.description = description
        self.siteWeb = siteWeb
        self.formeJuridique = formeJuridique
        self.dateCreation = dateCreation
    }
}

/// A person of a campus team (directeur, directeur opérationnel, animateur, contact).
final class TeamMember: Model, @unchecked Sendable {
    static let schema = "campus_equipe"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "nom") var nom: String
    @Field(key: "role") var role: TeamRole
    @OptionalField(key: "email") var email: String?
    @Field(key: "position") var position: Int

    // relationships
    @Parent(key: "campus_id") var campus: Campus

    init() {}

    init(id: UUID? = nil, campusID: UUID, nom: String, role: TeamRole, email: String?, position: Int) {
        self.id = id
        self.$campus.id = campusID
        self.nom = nom
        self.role = role
        self.email = email
        self.position = position
    }
}
