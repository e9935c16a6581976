import CMQDomain
import Fluent
import Foundation

/// An organisation that can take part in campus networks: a lycée, a CFA, a university, a company, a lab…
final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "nom") var nom: String
    @Field(key: "nom_cle") var nomCle: String
    @Field(key: "type") var kind: OrganisationKind
    @Field(key: "public") var isPublic: Bool
    @Field(key: "lycee_des_metiers") var lyceeDesMetiers: Bool
    @OptionalField(key: "uai") var uai: String?
    @OptionalField(key: "siret") var siret: String?
    @OptionalField(key: "adresse") var adresse: String?
    @OptionalField(key: "code_postal") var codePostal: String?
    @OptionalField(key: "commune") var commune: String?
    @OptionalField(key: "departement_code") var departementCode: String?
    @OptionalField(key: "academie_code") var academieCode: String?
    @OptionalField(key: "region_code") var regionCode: String?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @OptionalField(key: "site_web") var siteWeb: String?
    @OptionalField(key: "telephone") var telephone: String?

    // relationships
    @Children(for: \.$organisation) var memberships: [Membership]

    init() {}

    init(id: UUID? = nil, nom: String, kind: OrganisationKind, isPublic: Bool, lyceeDesMetiers: Bool = false) {
        self.id = id
        self.nom = nom
        self.nomCle = ""
        self.kind = kind
        self.isPublic = isPublic
        self.lyceeDesMetiers = lyceeDesMetiers
    }
}
