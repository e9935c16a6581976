import CMQDomain
import Fluent
import Vapor

/// What the search page shows: the page of formations, the facets as links that add or remove a filter, the
/// filters applied, the pager, and the links to the same search in the API and as files.
enum SearchPage {
    /// The query the search used instead of the one typed, and the link to it (the other filters kept).
    struct Suggestion: Encodable {
        var text: String
        var url: String
    }

    static func load(parameters: [String: String], criteria: CatalogueSearch.Criteria, page pageRequest: PageRequest, cache: SearchCache?,
                     index: CatalogueIndex?, on db: any Database) async throws -> CatalogueController.SearchContext {
        var parameters = parameters
        let result = try await CatalogueSearch(db: db, cache: cache, index: index).run(criteria, page: pageRequest)
        let facets = try await FacetsDTO(result, on: db)
        let byID = try await FormationReader(db: db).read(result.ids)
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
        return CatalogueController.SearchContext(
            page: PageMeta(title: criteria.q.map { "Formations : « \($0) »" } ?? "Rechercher une formation", section: "formations"),
            q: criteria.q ?? "", total: result.total,
            results: result.ids.compactMap { byID[$0] }.map(FormationRow.init),
            facetsHTML: CatalogueController.facetsHTML(groups), active: active,
            pager: Pager(page: pageRequest.page, per: pageRequest.per, total: result.total) { url(["page": String($0)]) },
            apiURL: CatalogueURL.apiFormations.path(query: parameters),
            exports: [("CSV", "csv"), ("JSON", "json"), ("LHEO 2.3 (XML)", "lheo.xml")].map {
                CatalogueController.ExportLink(label: $0.0, url: CatalogueURL.apiExport(extension: $0.1).path(query: parameters))
            },
            suggestion: result.suggestion.map { Suggestion(text: $0, url: url(["q": $0])) })
    }
}
