import CMQDomain
import Vapor

/// One page of a list, with the total count of the whole list.
struct PageDTO<Item: Content>: Content {
    var items: [Item]
    var page: Int
    var per: Int
    var total: Int

    init(_ page: Page<Item>) {
        items = page.items
        self.page = page.page
        per = page.per
        total = page.total
    }
}

struct FiliereDTO: Content, Equatable {
    var slug: String
    var libelle: String

    init(slug: String, libelle: String) {
        self.slug = slug
        self.libelle = libelle
    }

    init(_ filiere: Filiere) {
        self.init(slug: filiere.slug, libelle: filiere.label)
    }
}

struct RegionDTO: Content, Equatable {
    var code: String
    var nom: String
    var slug: String
    var outreMer: Bool
    var academies: [String]
}

struct DepartementDTO: Content, Equatable {
    var code: String
    var nom: String
}

struct AcademieDTO: Content, Equatable {
    var code: String
    var nom: String
    var slug: String
    var region: String
    var regionNom: String
    var departements: [DepartementDTO]
}

struct TeamMemberDTO: Content, Equatable {
    var nom: String
    var role: String
    var roleLibelle: String
    var email: String?
}

struct CampusDTO: Content {
    var id: UUID
    var nom: String
    var filiere: String
    var filiereLibelle: String
    var academie: String
    var academieNom: String
    var region: String
    var regionNom: String
    var description: String?
    var siteWeb: String?
    var formeJuridique: String
    var formeJuridiqueLibelle: String
    var dateCreation: String?
    var equipe: [TeamMemberDTO]?
    var creeLe: Date?
    var modifieLe: Date?
}

struct OrganisationDTO: Content {
    var id: UUID
    var nom: String
    var type: String
    var typeLibelle: String
    var `public`: Bool
    var lyceeDesMetiers: Bool
    var uai: String?
    var siret: String?
    var adresse: String?
    var codePostal: String?
    var commune: String?
    var departement: String?
    var academie: String?
    var region: String?
    var latitude: Double?
    var longitude: Double?
    var siteWeb: String?
    var telephone: String?
    var creeLe: Date?
    var modifieLe: Date?
}

struct MembershipOrganisationDTO: Content {
    var id: UUID
    var nom: String
    var type: String
    var typeLibelle: String
    var `public`: Bool
    var uai: String?
    var siret: String?
    var commune: String? = nil
}

struct MembershipDTO: Content {
    var id: UUID
    var campusId: UUID
    var organisation: MembershipOrganisationDTO
    var role: String
    var roleLibelle: String
    var depuis: String?
    var jusquA: String?
}

struct ComplianceCheckDTO: Content, Equatable {
    var regle: String
    var libelle: String
    var respecte: Bool
    var explication: String
}

struct ComplianceDTO: Content, Equatable {
    var campusId: UUID
    var date: String
    var conforme: Bool
    var controles: [ComplianceCheckDTO]
}

// MARK: - Mapping from models

extension Campus {
    func toDTO(team: [TeamMember]? = nil) throws -> CampusDTO {
        let territory = TerritoryCatalog.shared
        let academie = territory.academie(code: academieCode)
        let region = territory.region(code: regionCode)
        let legalForm = formeJuridique
        return CampusDTO(
            id: try requireID(), nom: nom, filiere: filiere.slug, filiereLibelle: filiere.label,
            academie: academieCode, academieNom: academie?.nom ?? academieCode,
            region: regionCode, regionNom: region?.nom ?? regionCode,
            description: description, siteWeb: siteWeb,
            formeJuridique: legalForm.rawValue, formeJuridiqueLibelle: legalForm.label,
            dateCreation: dateCreation, equipe: team?.map { $0.toDTO() },
            creeLe: createdAt, modifieLe: updatedAt)
    }
}

extension TeamMember {
    func toDTO() -> TeamMemberDTO {
        TeamMemberDTO(nom: nom, role: role.rawValue, roleLibelle: role.label, email: email)
    }
}

extension Organisation {
    func toDTO() throws -> OrganisationDTO {
        OrganisationDTO(
            id: try requireID(), nom: nom, type: kind.rawValue, typeLibelle: kind.label, public: isPublic,
            lyceeDesMetiers: lyceeDesMetiers, uai: uai, siret: siret, adresse: adresse, codePostal: codePostal,
            commune: commune, departement: departementCode, academie: academieCode, region: regionCode,
            latitude: latitude, longitude: longitude, siteWeb: siteWeb, telephone: telephone, creeLe: createdAt, modifieLe: updatedAt)
    }
}

extension Membership {
    func toDTO() throws -> MembershipDTO {
        let organisation = self.organisation
        return MembershipDTO(
            id: try requireID(), campusId: $campus.id,
            organisation: MembershipOrganisationDTO(
                id: try organisation.requireID(), nom: organisation.nom, type: organisation.kind.rawValue,
                typeLibelle: organisation.kind.label, public: organisation.isPublic,
                uai: organisation.uai, siret: organisation.siret),
            role: role.rawValue, roleLibelle: role.label, depuis: depuis, jusquA: jusquA)
    }
}

extension NetworkCompliance {
    func toDTO(campusID: UUID, day: CalendarDay) -> ComplianceDTO {
        ComplianceDTO(campusId: campusID, date: day.iso, conforme: isCompliant,
                      controles: checks.map { ComplianceCheckDTO(regle: $0.rule.rawValue, libelle: $0.label, respecte: $0.passed, explication: $0.explanation) })
    }
}
