import CMQDomain
import Vapor

/// The search of everything as a page: the place understood (with its homonyms), then formations, campuses
/// and establishments, each with its total and a link to the whole list; ways out when nothing is found.
enum EverythingPage {
    struct Context: Encodable {
        var page: PageMeta
        var q: String
        var searched: Bool
        var radii: [OptionItem]
        var place: String?
        var placeLinks: [CatalogueController.Way]
        var otherPlaces: [CatalogueController.Way]
        var formations: [FormationRow]
        var formationTotal: Int
        var formationsURL: String
        var campus: [Card]
        var campusTotal: Int
        var campusURL: String?
        var organisations: [Card]
        var organisationTotal: Int
        var ways: [CatalogueController.Way]
        /// "Vouliez-vous dire …": the words as the catalogue understood them, with the place kept.
        var suggestion: SearchPage.Suggestion?
    }

    struct Card: Encodable {
        var url: String
        var nom: String
        var detail: String
        var distance: String?
    }

    static func load(_ query: EverythingSearch.Query, search: EverythingSearch) async throws -> Context {
        let searched = !query.text.trimmingCharacters(in: .whitespaces).isEmpty
        let result = searched ? try await search.run(query) : nil
        let near = result?.criteria.near
        var placeLinks: [CatalogueController.Way] = []
        var formationQuery: [String: String?] = ["q": result?.words]
        var campusURL: String?
        switch result?.place {
        case .commune(let commune):
            formationQuery["pres"] = commune.label
            formationQuery["rayon"] = query.radius == Nearby.defaultRadius ? nil : String(query.radius)
            placeLinks.append(.init(label: "Toutes les formations à moins de \(query.radius) km de \(commune.nom)",
                                    url: CatalogueURL.search.path(query: ["pres": commune.label, "rayon": String(query.radius)])))
        case .departement(let departement):
            formationQuery["departement"] = departement.code
            placeLinks.append(.init(label: "Toutes les formations du département \(departement.nom)",
                                    url: CatalogueURL.search.path(query: ["departement": departement.code])))
        case .region(let region):
            formationQuery["region"] = region.code
            campusURL = RegistryURL.campusList(region: region.code)
            placeLinks.append(.init(label: "La région académique \(region.nom) : ses campus et sa carte", url: RegistryURL.region(region.slug).path))
            placeLinks.append(.init(label: "Toutes les formations de la région académique \(region.nom)",
                                    url: CatalogueURL.search.path(query: ["region": region.code])))
        case nil:
            if let words = result?.words { campusURL = RegistryURL.campusList.path(query: ["q": words]) }
        }
        let radius = query.radius
        return Context(
            page: PageMeta(title: searched ? "Recherche : « \(query.text) »" : "Rechercher", section: "recherche"),
            q: query.text, searched: searched,
            radii: SearchPage.radii.map { OptionItem(value: String($0), label: "\($0) km", selected: $0 == radius) },
            place: result?.place?.label, placeLinks: placeLinks,
            otherPlaces: (result?.otherPlaces ?? []).map { commune in
                .init(label: commune.label, url: SearchURL.everything.path(query: ["q": [result?.words, commune.label].compactMap { $0 }.joined(separator: " ")]))
            },
            formations: (result?.formations ?? []).map { FormationRow($0, near: near) },
            formationTotal: result?.formationTotal ?? 0,
            formationsURL: CatalogueURL.search.path(query: formationQuery),
            campus: (result?.campus ?? []).map { hit in
                Card(url: RegistryURL.campus(hit.campus.id).path, nom: hit.campus.nom,
                     detail: [hit.campus.filiere.label, TerritoryCatalog.shared.region(code: hit.campus.regionCode)?.nom].compactMap { $0 }.joined(separator: " · "),
                     distance: hit.distance.map { "membre le plus proche " + Nearby.phrase($0) })
            },
            campusTotal: result?.campusTotal ?? 0, campusURL: campusURL,
            organisations: (result?.organisations ?? []).map { hit in
                let organisation = hit.organisation
                let town = organisation.commune ?? organisation.departementCode.flatMap { TerritoryCatalog.shared.departement(code: $0)?.nom }
                return Card(url: RegistryURL.organisation(organisation.id).path, nom: organisation.nom,
                            detail: [organisation.kind.label, town].compactMap { $0 }.joined(separator: " · "),
                            distance: hit.distance.map(Nearby.phrase))
            },
            organisationTotal: result?.organisationTotal ?? 0,
            ways: result.map { $0.isEmpty ? ways(for: $0) : [] } ?? [],
            suggestion: result?.suggestion.map { corrected in
                let text = [corrected, result?.place?.label].compactMap { $0 }.joined(separator: " ")
                return SearchPage.Suggestion(text: corrected, url: SearchURL.everything.path(query: ["q": text]))
            })
    }

    static func ways(for result: EverythingSearch.Result) -> [CatalogueController.Way] {
        var ways: [CatalogueController.Way] = []
        if let commune = CommuneGazetteer.shared.communes(named: result.query.text).first {
            ways.append(.init(label: "Formations près de \(commune.label)", url: CatalogueURL.search.path(query: ["pres": commune.label])))
        }
        ways.append(.init(label: "Parcourir toutes les formations", url: CatalogueURL.search.path))
        ways.append(.init(label: "Voir la liste des campus", url: RegistryURL.campusList.path))
        ways.append(.init(label: "Trouver un campus sur la carte", url: RegistryURL.home.path + "#carte"))
        return ways
    }
}
