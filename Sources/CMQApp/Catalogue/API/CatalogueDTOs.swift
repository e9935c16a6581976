import CMQDomain
import Fluent
import Vapor

struct FormationDTO: Content {
    var id: UUID
    var intitule: String
    var organisation: MembershipOrganisationDTO
    var organisationResponsableId: UUID?
    var filiere: String?
    var typeDiplome: String?
    var typeDiplomeLibelle: String?
    var niveauEntree: Int?
    var niveauSortie: Int
    var niveauSortieLibelle: String
    var cfd: String?
    var rncp: String?
    var romes: [String]
    var duree: String?
    var statuts: [String]
    var capacite: Int?
    var modalite: String
    var datesDebut: [String]
    var description: String?
    var lien: String?
    var creeLe: Date?
    var modifieLe: Date?
    /// Only in a search near a commune: how far the organisation is from it.
    var distanceKm: Double? = nil
}

struct CoverageCellDTO: Content, Equatable {
    var statut: String
    var libelle: String
    var nombre: Int
}

struct CoverageLevelDTO: Content, Equatable {
    var niveau: Int
    var libelle: String
    var statuts: [CoverageCellDTO]
}

struct CoverageDTO: Content, Equatable {
    var campusId: UUID
    var nombreFormations: Int
    var niveaux: [CoverageLevelDTO]
    var lacunes: [String]
    var offreNiveau3A6: Bool
}

extension Formation {
    func toDTO() throws -> FormationDTO {
        let organisation = self.organisation
        return FormationDTO(
            id: try requireID(), intitule: intitule,
            organisation: MembershipOrganisationDTO(id: try organisation.requireID(), nom: organisation.nom, type: organisation.kind.rawValue,
                                                    typeLibelle: organisation.kind.label, public: organisation.isPublic,
                                                    uai: organisation.uai, siret: organisation.siret),
            organisationResponsableId: $responsable.id, filiere: filiere, typeDiplome: typeDiplome,
            typeDiplomeLibelle: typeDiplome.flatMap(DiplomaType.init(rawValue:))?.label,
            niveauEntree: niveauEntree, niveauSortie: niveauSortie, niveauSortieLibelle: Level(number: niveauSortie)?.label ?? "",
            cfd: cfd, rncp: rncp, romes: ($romes.value ?? []).map(\.code).sorted(), duree: duree,
            statuts: learnerStatuses.map(\.rawValue), capacite: capacite, modalite: modalite,
            datesDebut: datesDebut?.split(separator: ",").map(String.init) ?? [], description: description, lien: lien,
            creeLe: createdAt, modifieLe: updatedAt)
    }
}

extension CoverageMatrix {
    func toDTO(campusID: UUID, formations: Int) -> CoverageDTO {
        CoverageDTO(
            campusId: campusID, nombreFormations: formations,
            niveaux: Level.allCases.map { level in
                CoverageLevelDTO(niveau: level.number, libelle: level.label,
                                 statuts: LearnerStatus.allCases.map { CoverageCellDTO(statut: $0.rawValue, libelle: $0.label, nombre: count(level, $0)) })
            },
            lacunes: gaps, offreNiveau3A6: coversLevel3To6)
    }
}

struct FacetValueDTO: Content, Equatable {
    var valeur: String
    var libelle: String
    var nombre: Int
}

/// The facet counts of a search, each with French labels.
struct FacetsDTO: Content, Equatable {
    var niveau: [FacetValueDTO]
    var typeDiplome: [FacetValueDTO]
    var statut: [FacetValueDTO]
    var filiere: [FacetValueDTO]
    var region: [FacetValueDTO]
    var academie: [FacetValueDTO]
    var departement: [FacetValueDTO]
    var campus: [FacetValueDTO]
}

extension FacetsDTO {
    init(_ result: CatalogueSearch.Result, on db: any Database) async throws {
        try await self.init(result.facets, campusNames: result.campusNames, on: db)
    }

    /// The labels of the facets; the campuses' names are read from the database unless given.
    init(_ facets: [CatalogueSearch.Dimension: [CatalogueSearch.FacetValue]], campusNames: [String: String]? = nil, on db: any Database) async throws {
        let territory = TerritoryCatalog.shared
        func values(_ dimension: CatalogueSearch.Dimension, _ label: (String) -> String?) -> [FacetValueDTO] {
            (facets[dimension] ?? []).map { FacetValueDTO(valeur: $0.value, libelle: label($0.value) ?? $0.value, nombre: $0.count) }
        }
        niveau = values(.niveau) { Int($0).flatMap(Level.init(number:))?.label }
        typeDiplome = values(.typeDiplome) { DiplomaType(rawValue: $0)?.label }
        statut = values(.statut) { LearnerStatus(rawValue: $0)?.label }
        filiere = values(.filiere) { Filiere(slug: $0)?.label }
        region = values(.region) { territory.region(code: $0)?.nom }
        academie = values(.academie) { territory.academie(code: $0)?.nom }
        departement = values(.departement) { territory.departement(code: $0).map { "\($0.nom) (\($0.code))" } }
        let campusIDs = (facets[.campus] ?? []).compactMap { UUID(canonical: $0.value) }
        var names = campusNames ?? [:]
        if campusNames == nil, !campusIDs.isEmpty {
            names = Dictionary(try await Campus.query(on: db).filter(\.$id ~~ campusIDs).all().map { ($0.id!.uuidString.lowercased(), $0.nom) },
                               uniquingKeysWith: { a, _ in a })
        }
        campus = values(.campus) { names[$0] }
    }
}

/// One page of a catalogue search, its total and its facets.
struct FormationSearchDTO: Content {
    var items: [FormationDTO]
    var page: Int
    var per: Int
    var total: Int
    var facettes: FacetsDTO
    /// The query as corrected, when a word of `q` matched nothing and the search used the catalogue's nearest word
    /// instead (absent otherwise).
    var suggestion: String?
    /// The place of a search near a commune, as understood.
    var pres: NearbyPlaceDTO? = nil
}

/// The commune and radius of a search by place.
struct NearbyPlaceDTO: Content {
    var commune: String
    var codeInsee: String
    var departement: String
    var codesPostaux: [String]
    var latitude: Double
    var longitude: Double
    var rayonKm: Int
}

extension NearbyPlaceDTO {
    init(_ near: Nearby) {
        commune = near.commune.nom
        codeInsee = near.commune.insee
        departement = near.commune.departementCode
        codesPostaux = near.commune.codesPostaux
        latitude = near.commune.latitude
        longitude = near.commune.longitude
        rayonKm = near.radius
    }
}
