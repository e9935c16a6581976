import Vapor

/// The national reference lists (filières, territory, diplomas, levels, ROME, ONISEP formations).
struct ReferentielsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = ReferentielsURL
        let api = doors.api(routes)
        let referentiels = ReferentielsAPIController()
        api.get(U.filieres, use: referentiels.filieres)
        api.get(U.regions, use: referentiels.regions)
        api.get(U.academies, use: referentiels.academies)
        api.get(U.diplomes, use: referentiels.diplomes)
        api.get(U.diplome(cfd: nil), use: referentiels.diplome)
        api.get(U.niveauxDiplome, use: referentiels.niveauxDiplome)
        api.get(U.rome, use: referentiels.romes)
        api.get(U.formationsOnisep, use: referentiels.formationsOnisep)
    }
}
