import CMQDomain
import Fluent
import Vapor

/// The public pages: home, campus list, campus page, organisation page.
struct SiteController {
    @Sendable func home(req: Request) async throws -> View {
        let statistics = RegistryStatistics(db: req.db)
        let byFiliere = try await statistics.campusCounts(by: "filiere")
        let byRegion = try await statistics.campusCounts(by: "region_code")
        let filiereMax = max(1, byFiliere.values.max() ?? 1)
        let regionMax = max(1, byRegion.values.max() ?? 1)
        let context = HomeContext(
            page: PageMeta(title: "Les campus des métiers et des qualifications",
                           description: "Registre national des campus des métiers et des qualifications : réseaux, filières, territoires.",
                           section: "accueil"),
            totalCampus: try await statistics.campusTotal(),
            totalOrganisations: try await statistics.organisationTotal(),
            byFiliere: Filiere.allCases.map { filiere in
                let count = byFiliere[filiere.slug] ?? 0
                return CountRow(key: filiere.slug, label: filiere.label, count: count, url: SiteURL.campusList(filiere: filiere.slug),
                                share: count * 100 / filiereMax)
            },
            byRegion: TerritoryCatalog.shared.regions.map { region in
                let count = byRegion[region.code] ?? 0
                return CountRow(key: region.code, label: region.nom, count: count, url: SiteURL.campusList(region: region.slug),
                                share: count * 100 / regionMax)
            })
        return try await req.view.render("home", context)
    }

    @Sendable func campusList(req: Request) async throws -> View {
        let query = req.queryParameters
        let (filter, pageRequest) = try readListQuery(query, filter: CampusFilter.read)
        let page = try await filter.apply(to: Campus.query(on: req.db)).sort(\.$nomCle).paginated(pageRequest)
        let territory = TerritoryCatalog.shared
        var active: [String] = []
        if let filiere = filter.filiere { active.append("filière « \(filiere.label) »") }
        if let region = filter.region { active.append("région académique « \(region.nom) »") }
        if let academie = filter.academie { active.append("académie « \(academie.nom) »") }
        if let q = filter.q { active.append("nom contenant « \(q) »") }

        let pageURL: (Int) -> String = { number in
            var items = query.filter { $0.key != "page" && !$0.value.isEmpty }
            if number > 1 { items["page"] = String(number) }
            return SiteURL.withQuery("/campus", items)
        }
        let context = CampusListContext(
            page: PageMeta(title: filter == CampusFilter() ? "Tous les campus" : "Campus : \(active.joined(separator: ", "))", section: "campus"),
            q: filter.q ?? "",
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filter.filiere) },
            regions: territory.regions.map { OptionItem(value: $0.slug, label: $0.nom, selected: $0 == filter.region) },
            academies: territory.academies.map { OptionItem(value: $0.slug, label: $0.nom, selected: $0 == filter.academie) },
            results: page.items.map { campus in
                CampusRow(url: SiteURL.campus(campus.id!), nom: campus.nom,
                          filiere: Filiere(slug: campus.filiere)?.label ?? campus.filiere,
                          academie: territory.academie(code: campus.academieCode)?.nom ?? campus.academieCode,
                          region: territory.region(code: campus.regionCode)?.nom ?? campus.regionCode)
            },
            pager: Pager(page: page.page, pageCount: page.pageCount, total: page.total,
                         previousURL: page.page > 1 ? pageURL(page.page - 1) : nil,
                         nextURL: page.page < page.pageCount ? pageURL(page.page + 1) : nil),
            activeFilters: active)
        return try await req.view.render("campus-list", context)
    }

    @Sendable func campusPage(req: Request) async throws -> View {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let campusService = CampusService(db: req.db)
        let campus = try await campusService.find(id)
        let network = NetworkService(db: req.db)
        let memberships = try await network.memberships(of: id)
        let today = CalendarDay.today
        let compliance = NetworkCompliance(members: memberships.compactMap(\.networkMember), on: today)
        let territory = TerritoryCatalog.shared
        let academie = territory.academie(code: campus.academieCode)
        let region = territory.region(code: campus.regionCode)
        let filiere = Filiere(slug: campus.filiere)

        let groups = OrganisationKind.Family.allCases.compactMap { family -> MemberGroup? in
            let rows = memberships.filter { $0.organisation.kind?.family == family }.map { $0.memberRow }
            return rows.isEmpty ? nil : MemberGroup(label: family.label, members: rows)
        }
        let context = CampusPageContext(
            page: PageMeta(title: "Campus \(campus.nom)", description: campus.description, section: "campus"),
            id: id.uuidString.lowercased(), nom: campus.nom,
            filiere: filiere?.label ?? campus.filiere, filiereURL: SiteURL.campusList(filiere: campus.filiere),
            academie: academie?.nom ?? campus.academieCode, academieURL: SiteURL.campusList(academie: academie?.slug ?? campus.academieCode),
            region: region?.nom ?? campus.regionCode, regionURL: SiteURL.campusList(region: region?.slug ?? campus.regionCode),
            description: campus.description, siteWeb: campus.siteWeb,
            formeJuridique: (LegalForm(rawValue: campus.formeJuridique) ?? .etablissementBudgetPropre).label,
            dateCreation: campus.dateCreation.flatMap(CalendarDay.init(iso:))?.frenchLong,
            groups: groups, memberCount: memberships.count,
            team: try await campusService.team(of: id).map { TeamRow(nom: $0.nom, role: TeamRole(rawValue: $0.role)?.label ?? $0.role, email: $0.email) },
            compliant: compliance.isCompliant,
            checks: compliance.checks.map { CheckRow(label: $0.label, passed: $0.passed, explanation: $0.explanation) },
            failedCount: compliance.checks.filter { !$0.passed }.count,
            apiURL: "/api/v1/campus/\(id.uuidString.lowercased())")
        return try await req.view.render("campus", context)
    }

    @Sendable func organisationPage(req: Request) async throws -> View {
        let id = try req.uuidParameter("organisationID", notFound: "Aucune organisation")
        let organisation = try await OrganisationService(db: req.db).find(id)
        let memberships = try await Membership.query(on: req.db).filter(\.$organisation.$id == id).with(\.$campus).all()
        let territory = TerritoryCatalog.shared
        let departement = organisation.departementCode.flatMap { territory.departement(code: $0) }
        let context = OrganisationPageContext(
            page: PageMeta(title: organisation.nom, section: "organisations"),
            nom: organisation.nom, type: organisation.kind?.label ?? organisation.type,
            statut: organisation.isPublic ? "Public" : "Privé", lyceeDesMetiers: organisation.lyceeDesMetiers,
            uai: organisation.uai, siret: organisation.siret, adresse: organisation.adresse, codePostal: organisation.codePostal,
            commune: organisation.commune, departement: departement.map { "\($0.nom) (\($0.code))" },
            academie: organisation.academieCode.flatMap { territory.academie(code: $0)?.nom },
            region: organisation.regionCode.flatMap { territory.region(code: $0)?.nom },
            latitude: organisation.latitude, longitude: organisation.longitude, siteWeb: organisation.siteWeb,
            campus: memberships.map { membership in
                CampusLink(url: SiteURL.campus(membership.campus.id!), nom: membership.campus.nom,
                           role: MembershipRole(rawValue: membership.role)?.label ?? membership.role,
                           filiere: Filiere(slug: membership.campus.filiere)?.label ?? membership.campus.filiere)
            }.sorted { $0.nom < $1.nom },
            apiURL: "/api/v1/organisations/\(id.uuidString.lowercased())")
        return try await req.view.render("organisation", context)
    }
}

extension Membership {
    var memberRow: MemberRow {
        let organisation = self.organisation
        return MemberRow(
            url: SiteURL.organisation(organisation.id!), nom: organisation.nom,
            type: organisation.kind?.label ?? organisation.type,
            role: MembershipRole(rawValue: role)?.label ?? role, isSupport: role == MembershipRole.etablissementSupport.rawValue,
            uai: organisation.uai, siret: organisation.siret, statut: organisation.isPublic ? "public" : "privé",
            commune: organisation.commune,
            depuis: depuis.flatMap(CalendarDay.init(iso:))?.frenchLong, jusquA: jusquA.flatMap(CalendarDay.init(iso:))?.frenchLong)
    }
}

/// The addresses of the public site, built in one place.
enum SiteURL {
    static func campus(_ id: UUID) -> String { "/campus/\(id.uuidString.lowercased())" }
    static func organisation(_ id: UUID) -> String { "/organisations/\(id.uuidString.lowercased())" }
    static func campusList(filiere: String) -> String { withQuery("/campus", ["filiere": filiere]) }
    static func campusList(region: String) -> String { withQuery("/campus", ["region": region]) }
    static func campusList(academie: String) -> String { withQuery("/campus", ["academie": academie]) }

    static func withQuery(_ path: String, _ items: [String: String]) -> String {
        guard !items.isEmpty else { return path }
        var components = URLComponents()
        components.path = path
        components.queryItems = items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string ?? path
    }
}
