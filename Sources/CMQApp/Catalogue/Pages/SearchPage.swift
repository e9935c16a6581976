import CMQDomain
import Fluent
import Vapor

/// What the search page shows: the page of formations, the facets as links that add or remove a filter, the
/// filters applied, the place and radius of a search near a commune, the pager, the links to the same search
/// in the API and as files, and when nothing is found, ways out (a wider radius, fewer filters, the map).
enum SearchPage {
    /// The query the search used instead of the one typed, and the link to it (the other filters kept).
    struct Suggestion: Encodable {
        var text: String
        var url: String
    }


    /// The search's criteria read from the query string. A place that cannot be found does not make an error
    /// page: the search runs without it and the page says why (`placeError`).
    static func read(_ query: [String: String]) throws(AppError) -> (parameters: [String: String], criteria: CatalogueSearch.Criteria,
                                                                  page: PageRequest, placeError: String?, typedPlace: String?) {
        var parameters = query.filter { !$0.value.isEmpty }
        do {
            let (criteria, page) = try readListQuery(parameters, filter: FormationsAPIController.criteria)
            return (parameters, criteria, page, nil, nil)
        } catch {
            let place = error.fieldErrors.filter { $0.field == "pres" || $0.field == "rayon" }
            guard !place.isEmpty, place.count == error.fieldErrors.count else { throw error }
            let typed = parameters["pres"]
            parameters["pres"] = nil
            parameters["rayon"] = nil
            let (criteria, page) = try readListQuery(parameters, filter: FormationsAPIController.criteria)
            return (parameters, criteria, page, place.map(\.detail).joined(separator: " "), typed)
        }
    }

    static let radii = [5, 10, 20, 30, 50, 100, 200]

    static func load(parameters: [String: String], criteria: CatalogueSearch.Criteria, page pageRequest: PageRequest, placeError: String? = nil,
                     typedPlace: String? = nil, cache: SearchCache?, index: CatalogueIndex?, sqliteReads: SQLiteFormationReads? = nil,
                     on db: any Database) async throws -> CatalogueController.SearchContext {
        var parameters = parameters
        let result = try await CatalogueSearch(db: db, cache: cache, index: index).run(criteria, page: pageRequest)
        let facets = try await FacetsDTO(result, on: db)
        let byID = try await FormationReader(db: db, sqliteReads: sqliteReads).read(result.ids)
        parameters["page"] = nil

        func url(_ changes: [String: String?]) -> String {
            var items = parameters
            for (key, value) in changes { items[key] = value }
            return CatalogueURL.search.path(query: items)
        }
        let values: [CatalogueSearch.Dimension: [FacetValueDTO]] = [
            .niveau: facets.niveau, .typeDiplome: facets.typeDiplome, .statut: facets.statut, .filiere: facets.filiere,
            .region: facets.region, .academie: facets.academie, .departement: facets.departement, .campus: facets.campus,
        ]
        var groups: [CatalogueController.FacetGroup] = []
        var active: [CatalogueController.ActiveFilter] = []
        if let near = criteria.near {
            active.append(CatalogueController.ActiveFilter(label: "À moins de \(near.radius) km de \(near.commune.label)",
                                                           removeURL: url(["pres": nil, "rayon": nil])))
        }
        for (dimension, key, title) in CatalogueController.dimensions {
            let selected = parameters[key]
            let links = (values[dimension] ?? []).map { value in
                let isSelected = selected == value.valeur || (dimension == .region && criteria.region?.code == value.valeur)
                    || (dimension == .academie && criteria.academie?.code == value.valeur)
                return CatalogueController.FacetLink(label: value.libelle, count: value.nombre, url: url([key: isSelected ? nil : value.valeur]), selected: isSelected)
            }
            if !links.isEmpty { groups.append(CatalogueController.FacetGroup(title: title, links: links)) }
            if selected != nil {
                let label = links.first(where: \.selected)?.label ?? selected!
                active.append(CatalogueController.ActiveFilter(label: "\(title) : \(label)", removeURL: url([key: nil])))
            }
        }
        let radius = criteria.near?.radius ?? Nearby.defaultRadius
        return CatalogueController.SearchContext(
            page: PageMeta(title: title(criteria), section: "formations"),
            q: criteria.q ?? "", total: result.total,
            results: result.ids.compactMap { byID[$0] }.map { FormationRow($0, near: criteria.near) },
            facetsHTML: CatalogueController.facetsHTML(groups), active: active,
            pager: Pager(page: pageRequest.page, per: pageRequest.per, total: result.total) { url(["page": String($0)]) },
            apiURL: CatalogueURL.apiFormations.path(query: parameters),
            exports: [("CSV", "csv"), ("JSON", "json"), ("LHEO 2.3 (XML)", "lheo.xml")].map {
                CatalogueController.ExportLink(label: $0.0, url: CatalogueURL.apiExport(extension: $0.1).path(query: parameters))
            },
            suggestion: result.suggestion.map { Suggestion(text: $0, url: url(["q": $0])) },
            pres: criteria.near?.commune.label ?? typedPlace ?? "",
            radii: (radii.contains(radius) ? radii : (radii + [radius]).sorted()).map {
                OptionItem(value: String($0), label: "\($0) km", selected: $0 == radius)
            },
            placeError: placeError,
            hidden: parameters.filter { !["q", "pres", "rayon"].contains($0.key) }.sorted { $0.key < $1.key }.map { CatalogueController.HiddenField(name: $0.key, value: $0.value) },
            ways: result.total == 0 ? ways(criteria: criteria, parameters: parameters, url: url) : [])
    }

    static func title(_ criteria: CatalogueSearch.Criteria) -> String {
        var title = criteria.q.map { "Formations : « \($0) »" } ?? (criteria.near == nil ? "Rechercher une formation" : "Formations")
        if let near = criteria.near { title += " près de \(near.commune.nom)" }
        return title
    }

    /// Where to go when nothing is found: a wider radius, the same words without filters or without place,
    /// formations near the place the words name, the whole list, the map.
    static func ways(criteria: CatalogueSearch.Criteria, parameters: [String: String],
                     url: ([String: String?]) -> String) -> [CatalogueController.Way] {
        var ways: [CatalogueController.Way] = []
        if let near = criteria.near {
            for wider in radii where wider > near.radius && wider <= 200 && ways.count < 2 {
                ways.append(.init(label: "Chercher à moins de \(wider) km de \(near.commune.nom)", url: url(["rayon": String(wider)])))
            }
        }
        let filterKeys = CatalogueController.dimensions.map(\.1) + ["pres", "rayon"]
        if parameters.keys.contains(where: filterKeys.contains), let q = criteria.q {
            ways.append(.init(label: "Chercher « \(q) » sans aucun filtre", url: CatalogueURL.search.path(query: ["q": q])))
        }
        if let q = criteria.q, criteria.near == nil, let commune = CommuneGazetteer.shared.find(q) {
            ways.append(.init(label: "Voir les formations près de \(commune.label)", url: CatalogueURL.search.path(query: ["pres": commune.label])))
        }
        if let q = criteria.q {
            ways.append(.init(label: "Chercher « \(q) » parmi les campus, les établissements et les lieux", url: SearchURL.everything.path(query: ["q": q])))
        }
        ways.append(.init(label: "Parcourir toutes les formations", url: CatalogueURL.search.path))
        ways.append(.init(label: "Trouver un campus sur la carte", url: RegistryURL.home.path + "#carte"))
        return ways
    }
}
