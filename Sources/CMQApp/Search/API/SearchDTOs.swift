import CMQDomain
import Vapor

/// `GET /api/v1/recherche`: the place understood, the words left, and each kind of answer with its exact total.
struct EverythingSearchDTO: Content {
    var q: String
    var lieu: SearchPlaceDTO?
    var mots: String?
    var formations: SearchFormationsDTO
    var campus: SearchCampusListDTO
    var organisations: SearchOrganisationListDTO
    var autresCommunes: [SearchPlaceDTO]
    /// The words as corrected when one matched nothing in the catalogue.
    var suggestion: String?

    init(_ result: EverythingSearch.Result) {
        q = result.query.text
        lieu = result.place.map { SearchPlaceDTO($0, radius: result.query.radius) }
        mots = result.words
        formations = SearchFormationsDTO(total: result.formationTotal, items: result.formations.map { item in
            var dto = item.dto
            dto.distanceKm = item.distance(from: result.criteria.near).map { ($0 * 10).rounded() / 10 }
            return dto
        })
        campus = SearchCampusListDTO(total: result.campusTotal, items: result.campus.map(SearchCampusDTO.init))
        organisations = SearchOrganisationListDTO(total: result.organisationTotal, items: result.organisations.map(SearchOrganisationDTO.init))
        autresCommunes = result.otherPlaces.map { SearchPlaceDTO(.commune($0), radius: result.query.radius) }
        suggestion = result.suggestion
    }
}

struct SearchPlaceDTO: Content {
    /// `commune`, `departement` or `region`.
    var type: String
    var libelle: String
    var code: String
    var codesPostaux: [String]?
    var latitude: Double?
    var longitude: Double?
    var rayonKm: Int?

    init(_ place: Place, radius: Int) {
        switch place {
        case .commune(let commune):
            type = "commune"; libelle = commune.label; code = commune.insee; codesPostaux = commune.codesPostaux
            latitude = commune.latitude; longitude = commune.longitude; rayonKm = radius
        case .departement(let departement):
            type = "departement"; libelle = "\(departement.nom) (\(departement.code))"; code = departement.code
        case .region(let region):
            type = "region"; libelle = region.nom; code = region.code
        }
    }
}

struct SearchFormationsDTO: Content {
    var total: Int
    var items: [FormationDTO]
}

struct SearchCampusListDTO: Content {
    var total: Int
    var items: [SearchCampusDTO]
}

struct SearchCampusDTO: Content {
    var id: UUID
    var nom: String
    var filiere: String
    var filiereLibelle: String
    var regionCode: String
    var distanceKm: Double?

    init(_ hit: EverythingSearch.CampusHit) {
        id = hit.campus.id!
        nom = hit.campus.nom
        filiere = hit.campus.filiere.slug
        filiereLibelle = hit.campus.filiere.label
        regionCode = hit.campus.regionCode
        distanceKm = hit.distance.map { ($0 * 10).rounded() / 10 }
    }
}

struct SearchOrganisationListDTO: Content {
    var total: Int
    var items: [SearchOrganisationDTO]
}

struct SearchOrganisationDTO: Content {
    var id: UUID
    var nom: String
    var type: String
    var typeLibelle: String
    var commune: String?
    var departement: String?
    var distanceKm: Double?

    init(_ hit: EverythingSearch.OrganisationHit) {
        let organisation = hit.organisation
        id = organisation.id!
        nom = organisation.nom
        type = organisation.kind.rawValue
        typeLibelle = organisation.kind.label
        commune = organisation.commune
        departement = organisation.departementCode
        distanceKm = hit.distance.map { ($0 * 10).rounded() / 10 }
    }
}
