import CMQDomain
import Fluent
import Vapor

/// The home page: the map of campuses by région, counts by filière and région, the latest labels.
enum HomePage {
    static func load(filiere: Filiere?, today: CalendarDay, on db: any Database) async throws -> HomeContext {
        let statistics = RegistryStatistics(db: db)
        let byFiliere = try await statistics.campusCounts(by: "filiere")
        let byRegion = try await statistics.campusCounts(by: "region_code", filiere: filiere)
        let filiereMax = max(1, byFiliere.values.max() ?? 1)
        let regionMax = max(1, byRegion.values.max() ?? 1)
        let territory = TerritoryCatalog.shared
        let campusQuery = Campus.query(on: db)
        if let filiere { campusQuery.filter(\.$filiere == filiere) }
        let markers = try await CampusLocations(db: db).markers(for: try await campusQuery.all())
        let scope = filiere.map { "de la filière « \($0.label) »" } ?? "toutes filières confondues"
        let renderer = MapRenderer(
            view: MapCatalog.shared.national, counts: byRegion,
            areaURL: { shape in
                territory.region(code: shape.code).map { RegistryURL.region($0.slug, filiere: filiere?.slug) }
            },
            areaName: { shape in territory.region(code: shape.code)?.nom ?? shape.name },
            markers: markers,
            title: "Carte des campus par région académique",
            description: "Carte de France des 18 régions académiques, colorées selon leur nombre de campus \(scope) ; les points situent les établissements supports. Les mêmes chiffres figurent dans le tableau « Campus par région académique ».")
        let recent = try await LabellingQueries.labels(.init(), limit: 5, on: db, today: today)
        let latestLabels: [LatestLabel] = recent.map { label in
            LatestLabel(campus: label.campusNom, url: RegistryURL.campus(label.campus).path, date: CalendarDay(iso: label.debut)?.frenchLong ?? label.debut,
                        excellence: label.excellence, region: label.regionNom)
        }
        let statuses = try await CampusLabels(db: db).statuses(on: today)
        let labelledCount = statuses.values.filter { $0.kind == .labellise || $0.kind == .excellence }.count
        return HomeContext(
            page: PageMeta(title: "Les campus des métiers et des qualifications",
                           description: "Registre national des campus des métiers et des qualifications : réseaux, filières, territoires.",
                           section: "accueil"),
            totalCampus: try await statistics.campusTotal(),
            totalOrganisations: try await statistics.organisationTotal(),
            byFiliere: Filiere.allCases.map { item in
                let count = byFiliere[item.slug] ?? 0
                return CountRow(key: item.slug, label: item.label, count: count, url: RegistryURL.campusList(filiere: item.slug),
                                share: count * 100 / filiereMax)
            },
            byRegion: territory.regions.map { region in
                let count = byRegion[region.code] ?? 0
                return CountRow(key: region.code, label: region.nom, count: count, url: RegistryURL.region(region.slug, filiere: filiere?.slug),
                                share: count * 100 / regionMax)
            },
            map: MapBlock(renderer, caption: "Nombre de campus par région académique, \(scope)", areasLabel: "Régions académiques", placesLabel: "Campus"),
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filiere) },
            filiere: filiere?.label, filiereSlug: filiere?.slug, latestLabels: latestLabels, labelledCount: labelledCount)
    }
}
