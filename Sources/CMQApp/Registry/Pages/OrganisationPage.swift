import CMQDomain
import Fluent
import Vapor

/// An organisation: identity, address, the campuses whose networks it belongs to, its platforms, history.
enum OrganisationPage {
    static func load(id: UUID, caller: Caller, on db: any Database) async throws -> OrganisationPageContext {
        let organisation = try await OrganisationService(db: db, caller: caller).find(id)
        let memberships = try await Membership.query(on: db).filter(\.$organisation.$id == id).with(\.$campus).all()
        let territory = TerritoryCatalog.shared
        let departement = organisation.departementCode.flatMap { territory.departement(code: $0) }
        let resource = try await organisationResource(id, on: db)
        return OrganisationPageContext(
            page: PageMeta(title: organisation.nom, section: "organisations"),
            id: id.uuidString.lowercased(), nom: organisation.nom, type: organisation.kind.label,
            statut: organisation.isPublic ? "Public" : "Privé", lyceeDesMetiers: organisation.lyceeDesMetiers,
            uai: organisation.uai, siret: organisation.siret, adresse: organisation.adresse, codePostal: organisation.codePostal,
            commune: organisation.commune, departement: departement.map { "\($0.nom) (\($0.code))" },
            academie: organisation.academieCode.flatMap { territory.academie(code: $0)?.nom },
            region: organisation.regionCode.flatMap { territory.region(code: $0)?.nom },
            latitude: organisation.latitude, longitude: organisation.longitude, siteWeb: organisation.siteWeb,
            campus: memberships.map { membership in
                CampusLink(url: RegistryURL.campus(membership.campus.id!).path, nom: membership.campus.nom,
                           role: membership.role.label,
                           filiere: membership.campus.filiere.label)
            }.sorted { $0.nom < $1.nom },
            plateaux: try await OrganisationPlateauRow.list(organisationID: id, on: db),
            apiURL: RegistryURL.apiOrganisation(id).path,
            history: try await AuditController.history(
                of: id, includingMentions: false,
                visibleIf: caller.may(.update, resource),
                on: db),
            rights: Rights(caller, resource))
    }
}
