import CMQDomain
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
            organisation: MembershipOrganisationDTO(id: try organisation.requireID(), nom: organisation.nom, type: organisation.type,
                                                    typeLibelle: organisation.kind?.label ?? organisation.type, public: organisation.isPublic,
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
