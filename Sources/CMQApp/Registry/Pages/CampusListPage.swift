import CMQDomain
import Fluent
import Vapor

/// The list of campuses, filtered, with a pager; the link to a new campus for those who may create one.
enum CampusListPage {
    static func load(filter: CampusFilter, page pageRequest: PageRequest, query: [String: String], caller: Caller, on db: any Database) async throws -> CampusListContext {
        let page = try await filter.query(on: db, today: caller.today).sort(\.$nomCle).paginated(pageRequest)
        let territory = TerritoryCatalog.shared
        var active: [String] = []
        if let filiere = filter.filiere { active.append("filière « \(filiere.label) »") }
        if let region = filter.region { active.append("région académique « \(region.nom) »") }
        if let academie = filter.academie { active.append("académie « \(academie.nom) »") }
        if let q = filter.q { active.append("nom contenant « \(q) »") }
        if let label = filter.label { active.append("label « \(label.label) »") }
        let statuses = try await CampusLabels(db: db).statuses(on: caller.today)

        let pageURL: (Int) -> String = { number in
            var items = query.filter { $0.key != "page" && !$0.value.isEmpty }
            if number > 1 { items["page"] = String(number) }
            return RegistryURL.campusList.path(query: items)
        }
        return CampusListContext(
            canCreate: caller.may(.create, .campus(id: nil, regionCode: caller.actor?.regionCode ?? "")),
            page: PageMeta(title: filter == CampusFilter() ? "Tous les campus" : "Campus : \(active.joined(separator: ", "))", section: "campus"),
            q: filter.q ?? "",
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filter.filiere) },
            regions: territory.regions.map { OptionItem(value: $0.slug, label: $0.nom, selected: $0 == filter.region) },
            academies: territory.academies.map { OptionItem(value: $0.slug, label: $0.nom, selected: $0 == filter.academie) },
            labels: LabelStatus.Kind.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == filter.label) },
            results: page.items.map { SiteController.row($0, label: statuses[$0.id!] ?? .enProjet) },
            pager: Pager(page: page.page, per: page.per, total: page.total, url: pageURL),
            activeFilters: active)
    }
}
