import CMQDomain
import Fluent
import Vapor

/// A région académique: the map of its académies, their figures, and its campuses.
enum RegionPage {
    static func load(region: RegionAcademique, filiere: Filiere?, on db: any Database) async throws -> RegionPageContext {
        let territory = TerritoryCatalog.shared
        let query = Campus.query(on: db).filter(\.$regionCode == region.code)
        if let filiere { query.filter(\.$filiere == filiere) }
        let campuses = try await query.sort(\.$nomCle).all()
        var byAcademie: [String: Int] = [:]
        for campus in campuses { byAcademie[campus.academieCode, default: 0] += 1 }
        let academies = territory.academies(inRegion: region.code)
        let academieMax = max(1, byAcademie.values.max() ?? 1)
        let scope = filiere.map { " de la filière « \($0.label) »" } ?? ""
        let map = try await MapCatalog.shared.regions[region.code].asyncMap { view in
            let renderer = MapRenderer(
                view: view, counts: byAcademie,
                areaURL: { shape in territory.academie(code: shape.code).map { RegistryURL.campusList(academie: $0.slug, filiere: filiere?.slug) } },
                areaName: { shape in territory.academie(code: shape.code)?.nom ?? shape.name },
                markers: try await CampusLocations(db: db).markers(for: campuses),
                title: "Carte des académies de la région académique \(region.nom)",
                description: "Les académies de la région \(region.nom), colorées selon leur nombre de campus\(scope) ; les points situent les établissements supports. Les mêmes chiffres figurent dans le tableau « Campus par académie ».")
            return MapBlock(renderer, caption: "Nombre de campus par académie\(scope)", areasLabel: "Académies", placesLabel: "Campus")
        }
        return RegionPageContext(
            page: PageMeta(title: "Région académique \(region.nom)", section: "campus"),
            nom: region.nom, slug: region.slug, total: campuses.count, map: map,
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filiere) },
            filiere: filiere?.label,
            byAcademie: academies.map { academie in
                let count = byAcademie[academie.code] ?? 0
                return CountRow(key: academie.code, label: academie.nom, count: count,
                                url: RegistryURL.campusList(academie: academie.slug, filiere: filiere?.slug), share: count * 100 / academieMax)
            },
            campus: campuses.map { SiteController.row($0) },
            listURL: RegistryURL.campusList(region: region.slug, filiere: filiere?.slug))
    }
}
