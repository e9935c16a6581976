import CMQDomain
import Fluent
import Vapor

/// An organisation: identity, address, the campuses whose networks it belongs to, its platforms, history.
enum OrganisationPage {
    static func load(id: UUID, caller: Caller, base: String, on db: any Database) async throws -> OrganisationPageContext {
        let organisation = try await OrganisationService(db: db, caller: caller).find(id)
        let memberships = try await Membership.query(on: db).filter(\.$organisation.$id == id).with(\.$campus).all()
        let territory = TerritoryCatalog.shared
        let departement = organisation.departementCode.flatMap { territory.departement(code: $0) }
        let resource = try await organisationResource(id, on: db)
        let formations = try await Formation.visible(on: db).filter(\.$organisation.$id == id).with(\.$organisation).with(\.$statuts)
            .sort(\.$niveauSortie, .descending).sort(\.$intitule).range(..<200).all()
        return OrganisationPageContext(
            page: PageMeta(title: organisation.nom, section: "organisations", jsonLD: StructuredData.organisation(organisation, base: base)),
            id: id.uuidString.lowercased(), nom: organisation.nom, type: organisation.kind.label,
            statut: organisation.isPublic ? "Public" : "Privé", lyceeDesMetiers: organisation.lyceeDesMetiers,
            uai: organisation.uai, siret: organisation.siret, adresse: organisation.adresse, codePostal: organisation.codePostal,
            commune: organisation.commune, departement: departement.map { "\($0.nom) (\($0.code))" },
            academie: organisation.academieCode.flatMap { territory.academie(code: $0)?.nom },
            region: organisation.regionCode.flatMap { territory.region(code: $0)?.nom },
            latitude: organisation.latitude, longitude: organisation.longitude, siteWeb: organisation.siteWeb,
            telephone: organisation.telephone, telephoneURI: organisation.telephone.flatMap { try? PhoneNumber($0).telURI },
            formations: formations.map(FormationRow.init),
            map: Self.map(of: organisation),
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
            rights: Rights(caller, resource),
            insertion: try await EstablishmentInsertionBlock.load(uai: organisation.uai, on: db))
    }

    /// The organisation on the map of its région académique, its académie coloured (nil without coordinates).
    static func map(of organisation: Organisation) -> MapBlock? {
        guard let latitude = organisation.latitude, let longitude = organisation.longitude, let regionCode = organisation.regionCode,
              let view = MapCatalog.shared.regions[regionCode] else { return nil }
        let territory = TerritoryCatalog.shared
        let academie = organisation.academieCode.flatMap { territory.academie(code: $0) }
        let renderer = MapRenderer(
            view: view, counts: organisation.academieCode.map { [$0: 1] } ?? [:], areaURL: { _ in nil },
            areaName: { shape in territory.academie(code: shape.code)?.nom ?? shape.name },
            markers: [MapMarker(label: organisation.nom, url: RegistryURL.organisation(organisation.id).path,
                                geo: GeoPoint(longitude: longitude, latitude: latitude), regionCode: regionCode, highlighted: true)],
            title: "Situation de \(organisation.nom)",
            description: "Carte de la région académique \(territory.region(code: regionCode)?.nom ?? "") ; le point situe l'établissement\(academie.map { ", dans l'académie de \($0.nom)" } ?? "").",
            compact: true)
        return MapBlock(renderer, caption: organisation.commune.map { "\(organisation.nom), \($0)" } ?? organisation.nom, legend: false,
                        areasLabel: "Académies", placesLabel: "Établissement")
    }
}
