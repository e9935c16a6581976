import Vapor

/// The national reference lists (filières, territory, diplomas, levels, ROME, ONISEP formations).
struct ReferentielsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        let api = doors.api(routes)
        let referentiels = ReferentielsAPIController()
        api.get("referentiels", "filieres", use: referentiels.filieres)
        api.get("referentiels", "regions", use: referentiels.regions)
        api.get("referentiels", "academies", use: referentiels.academies)
        api.get("referentiels", "diplomes", use: referentiels.diplomes)
        api.get("referentiels", "diplomes", ":cfd", use: referentiels.diplome)
        api.get("referentiels", "niveaux-diplome", use: referentiels.niveauxDiplome)
        api.get("referentiels", "rome", use: referentiels.romes)
        api.get("referentiels", "formations-onisep", use: referentiels.formationsOnisep)
    }
}
