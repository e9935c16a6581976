import CMQDomain
import Vapor

/// The national reference lists: filières, régions académiques, académies.
struct ReferentielsAPIController {
    @Sendable func filieres(req: Request) async throws -> [FiliereDTO] {
        Filiere.allCases.map(FiliereDTO.init)
    }

    @Sendable func regions(req: Request) async throws -> [RegionDTO] {
        let territory = TerritoryCatalog.shared
        return territory.regions.map { region in
            RegionDTO(code: region.code, nom: region.nom, slug: region.slug, outreMer: region.outreMer,
                      academies: territory.academies(inRegion: region.code).map(\.code))
        }
    }

    @Sendable func academies(req: Request) async throws -> [AcademieDTO] {
        let territory = TerritoryCatalog.shared
        return territory.academies.map { academie in
            AcademieDTO(code: academie.code, nom: academie.nom, slug: academie.slug, region: academie.regionCode,
                        regionNom: territory.region(code: academie.regionCode)?.nom ?? academie.regionCode,
                        departements: territory.departements(inAcademie: academie.code).map { DepartementDTO(code: $0.code, nom: $0.nom) })
        }
    }
}
