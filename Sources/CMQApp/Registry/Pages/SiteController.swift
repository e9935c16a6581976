import CMQDomain
import Fluent
import Vapor

/// The public pages: home, campus list, campus page, organisation page.
struct SiteController {
    @Sendable func home(req: Request) async throws -> View {
        let filiere = try Self.filiereParameter(req)
        let statistics = RegistryStatistics(db: req.db)
        let byFiliere = try await statistics.campusCounts(by: "filiere")
        let byRegion = try await statistics.campusCounts(by: "region_code", filiere: filiere)
        let filiereMax = max(1, byFiliere.values.max() ?? 1)
        let regionMax = max(1, byRegion.values.max() ?? 1)
        let territory = TerritoryCatalog.shared
        let campusQuery = Campus.query(on: req.db)
        if let filiere { campusQuery.filter(\.$filiere == filiere.slug) }
        let markers = try await CampusLocations(db: req.db).markers(for: try await campusQuery.all())
        let scope = filiere.map { "de la filière « \($0.label) »" } ?? "toutes filières confondues"
        let renderer = MapRenderer(
            view: MapCatalog.shared.national, counts: byRegion,
            areaURL: { shape in
                territory.region(code: shape.code).map { SiteURL.region($0.slug, filiere: filiere?.slug) }
            },
            markers: markers,
            title: "Carte des campus par région académique",
            description: "Carte de France des 18 régions académiques, colorées selon leur nombre de campus \(scope) ; les points situent les établissements supports. Les mêmes chiffres figurent dans le tableau « Campus par région académique ».")
        let recent = try await LabellingQueries.labels(.init(), limit: 5, on: req.db)
        let latestLabels: [LatestLabel] = recent.map { label in
            LatestLabel(campus: label.campusNom, url: SiteURL.campus(label.campus), date: CalendarDay(iso: label.debut)?.frenchLong ?? label.debut,
                        excellence: label.excellence, region: label.regionNom)
        }
        let statuses = try await CampusLabels(db: req.db).statuses()
        let labelledCount = statuses.values.filter { $0.kind == .labellise || $0.kind == .excellence }.count
        let context = HomeContext(
            page: PageMeta(title: "Les campus des métiers et des qualifications",
                           description: "Registre national des campus des métiers et des qualifications : réseaux, filières, territoires.",
                           section: "accueil"),
            totalCampus: try await statistics.campusTotal(),
            totalOrganisations: try await statistics.organisationTotal(),
            byFiliere: Filiere.allCases.map { item in
                let count = byFiliere[item.slug] ?? 0
                return CountRow(key: item.slug, label: item.label, count: count, url: SiteURL.campusList(filiere: item.slug),
                                share: count * 100 / filiereMax)
            },
            byRegion: territory.regions.map { region in
                let count = byRegion[region.code] ?? 0
                return CountRow(key: region.code, label: region.nom, count: count, url: SiteURL.region(region.slug, filiere: filiere?.slug),
                                share: count * 100 / regionMax)
            },
            map: MapBlock(svg: renderer.svg(), legend: renderer.legend(), caption: "Nombre de campus par région académique, \(scope)"),
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filiere) },
            filiere: filiere?.label, filiereSlug: filiere?.slug, latestLabels: latestLabels, labelledCount: labelledCount)
        return try await req.view.render("home", context)
    }

    /// A région académique: the map of its académies, their figures, and its campuses.
    @Sendable func regionPage(req: Request) async throws -> View {
        let territory = TerritoryCatalog.shared
        guard let region = territory.region(matching: req.parameters.get("region") ?? "") else {
            throw AppError.notFound("Aucune région académique ne correspond à « \(req.parameters.get("region") ?? "") ».")
        }
        let filiere = try Self.filiereParameter(req)
        let query = Campus.query(on: req.db).filter(\.$regionCode == region.code)
        if let filiere { query.filter(\.$filiere == filiere.slug) }
        let campuses = try await query.sort(\.$nomCle).all()
        var byAcademie: [String: Int] = [:]
        for campus in campuses { byAcademie[campus.academieCode, default: 0] += 1 }
        let academies = territory.academies(inRegion: region.code)
        let academieMax = max(1, byAcademie.values.max() ?? 1)
        let scope = filiere.map { " de la filière « \($0.label) »" } ?? ""
        let map = try await MapCatalog.shared.regions[region.code].asyncMap { view in
            let renderer = MapRenderer(
                view: view, counts: byAcademie,
                areaURL: { shape in territory.academie(code: shape.code).map { SiteURL.campusList(academie: $0.slug, filiere: filiere?.slug) } },
                markers: try await CampusLocations(db: req.db).markers(for: campuses),
                title: "Carte des académies de la région académique \(region.nom)",
                description: "Les académies de la région \(region.nom), colorées selon leur nombre de campus\(scope) ; les points situent les établissements supports. Les mêmes chiffres figurent dans le tableau « Campus par académie ».",
                showLabels: true)
            return MapBlock(svg: renderer.svg(), legend: renderer.legend(), caption: "Nombre de campus par académie\(scope)")
        }
        let context = RegionPageContext(
            page: PageMeta(title: "Région académique \(region.nom)", section: "campus"),
            nom: region.nom, slug: region.slug, total: campuses.count, map: map,
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filiere) },
            filiere: filiere?.label,
            byAcademie: academies.map { academie in
                let count = byAcademie[academie.code] ?? 0
                return CountRow(key: academie.code, label: academie.nom, count: count,
                                url: SiteURL.campusList(academie: academie.slug, filiere: filiere?.slug), share: count * 100 / academieMax)
            },
            campus: campuses.map { Self.row($0) },
            listURL: SiteURL.withQuery("/campus", ["region": region.slug].merging(filiere.map { ["filiere": $0.slug] } ?? [:]) { a, _ in a }))
        return try await req.view.render("region", context)
    }

    /// The optional `filiere` query parameter of the map pages.
    static func filiereParameter(_ req: Request) throws -> Filiere? {
        guard let raw = req.queryParameters["filiere"], !raw.isEmpty else { return nil }
        guard let filiere = Filiere(slug: raw) else {
            throw AppError.validation([FieldError("filiere", "La filière « \(raw) » n'existe pas.")])
        }
        return filiere
    }

    static func row(_ campus: Campus, label: LabelStatus? = nil) -> CampusRow {
        let territory = TerritoryCatalog.shared
        return CampusRow(url: SiteURL.campus(campus.id!), nom: campus.nom,
                         filiere: Filiere(slug: campus.filiere)?.label ?? campus.filiere,
                         academie: territory.academie(code: campus.academieCode)?.nom ?? campus.academieCode,
                         region: territory.region(code: campus.regionCode)?.nom ?? campus.regionCode,
                         label: label?.label.capitalizingFirstLetter, labelKind: label?.slug)
    }

    @Sendable func campusList(req: Request) async throws -> View {
        let query = req.queryParameters
        let (filter, pageRequest) = try readListQuery(query, filter: CampusFilter.read)
        let page = try await filter.query(on: req.db).sort(\.$nomCle).paginated(pageRequest)
        let territory = TerritoryCatalog.shared
        var active: [String] = []
        if let filiere = filter.filiere { active.append("filière « \(filiere.label) »") }
        if let region = filter.region { active.append("région académique « \(region.nom) »") }
        if let academie = filter.academie { active.append("académie « \(academie.nom) »") }
        if let q = filter.q { active.append("nom contenant « \(q) »") }
        if let label = filter.label { active.append("label « \(label.label) »") }
        let statuses = try await CampusLabels(db: req.db).statuses()

        let pageURL: (Int) -> String = { number in
            var items = query.filter { $0.key != "page" && !$0.value.isEmpty }
            if number > 1 { items["page"] = String(number) }
            return SiteURL.withQuery("/campus", items)
        }
        let context = CampusListContext(
            canCreate: req.actor != nil && AccessPolicy.decide(req.actor, .create, .campus(id: nil, regionCode: req.actor?.regionCode ?? "")).isAllowed,
            page: PageMeta(title: filter == CampusFilter() ? "Tous les campus" : "Campus : \(active.joined(separator: ", "))", section: "campus"),
            q: filter.q ?? "",
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filter.filiere) },
            regions: territory.regions.map { OptionItem(value: $0.slug, label: $0.nom, selected: $0 == filter.region) },
            academies: territory.academies.map { OptionItem(value: $0.slug, label: $0.nom, selected: $0 == filter.academie) },
            labels: LabelStatus.Kind.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == filter.label) },
            results: page.items.map { Self.row($0, label: statuses[$0.id!] ?? .enProjet) },
            pager: Pager(page: page.page, per: page.per, total: page.total, url: pageURL),
            activeFilters: active)
        return try await req.view.render("campus-list", context)
    }

    @Sendable func campusPage(req: Request) async throws -> View {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let campusService = CampusService(db: req.db, caller: req.caller)
        let campus = try await campusService.find(id)
        let network = NetworkService(db: req.db, caller: req.caller)
        let memberships = try await network.memberships(of: id)
        let today = CalendarDay.today
        let formations = try await CampusOffer(db: req.db).formations(of: campus, on: today)
        let coverage = CoverageMatrix(offers: formations.compactMap(\.coverageOffer))
        let compliance = NetworkCompliance(members: memberships.compactMap(\.networkMember), coverage: coverage, on: today)
        let territory = TerritoryCatalog.shared
        let academie = territory.academie(code: campus.academieCode)
        let region = territory.region(code: campus.regionCode)
        let filiere = Filiere(slug: campus.filiere)

        let groups = OrganisationKind.Family.allCases.compactMap { family -> MemberGroup? in
            let rows = memberships.filter { $0.organisation.kind?.family == family }.map { $0.memberRow }
            return rows.isEmpty ? nil : MemberGroup(label: family.label, members: rows)
        }
        let labelStatus = try await CampusLabels(db: req.db).status(of: id, on: today)
        let labelRows = try await LabelRecord.query(on: req.db).filter(\.$campus.$id == id).sort(\.$debut, .descending).all().compactMap { label -> LabelRow? in
            guard let period = label.period else { return nil }
            let mayWithdraw = period.isValid(on: today) && req.actor != nil && AccessPolicy.decide(req.actor, .update, .labelDecision).isAllowed
            return LabelRow(periode: "du \(period.start.frenchLong) au \(period.end.frenchLong)", excellence: label.excellence,
                            referentiel: label.referentiel, retrait: period.withdrawal.map { "retiré le \($0.date.frenchLong) : \($0.motif)" },
                            withdrawURL: mayWithdraw ? "/gestion/labels/\(label.id!.uuidString.lowercased())/retrait" : nil)
        }
        let context = CampusPageContext(
            page: PageMeta(title: "Campus \(campus.nom)", description: campus.description, section: "campus",
                           jsonLD: StructuredData.campus(campus, members: memberships.map(\.organisation), base: OpenDataAPIController.base(req))),
            labelStatus: labelStatus.label.capitalizingFirstLetter, labelKind: labelStatus.slug, labels: labelRows,
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
            apiURL: "/api/v1/campus/\(id.uuidString.lowercased())",
            map: try await MapCatalog.shared.regions[campus.regionCode].asyncMap { view in
                let renderer = MapRenderer(
                    view: view, counts: [campus.academieCode: 1],
                    areaURL: { shape in territory.academie(code: shape.code).map { SiteURL.campusList(academie: $0.slug) } },
                    markers: try await CampusLocations(db: req.db).markers(for: [campus], highlighted: id),
                    title: "Situation du campus \(campus.nom)",
                    description: "Carte de la région académique \(region?.nom ?? "") ; l'académie du campus est colorée et le point situe son établissement support.",
                    showLabels: true, compact: true)
                return MapBlock(svg: renderer.svg(), legend: [], caption: "Académie de \(academie?.nom ?? "")")
            },
            history: try await AuditController.history(
                of: id, includingMentions: true,
                visibleIf: req.actor != nil && AccessPolicy.decide(req.actor, .update, .campus(id: id, regionCode: campus.regionCode)).isAllowed,
                on: req.db),
            rights: Rights(req.actor, .campus(id: id, regionCode: campus.regionCode)),
            offer: OfferBlock(coverage: coverage, formations: formations),
            plateaux: try await CampusPlateauxBlock.make(campus: campus, actor: req.actor, on: req.db))
        return try await req.view.render("campus", context)
    }

    @Sendable func organisationPage(req: Request) async throws -> View {
        let id = try req.uuidParameter("organisationID", notFound: "Aucune organisation")
        let organisation = try await OrganisationService(db: req.db, caller: req.caller).find(id)
        let memberships = try await Membership.query(on: req.db).filter(\.$organisation.$id == id).with(\.$campus).all()
        let territory = TerritoryCatalog.shared
        let departement = organisation.departementCode.flatMap { territory.departement(code: $0) }
        let resource = try await organisationResource(id, on: req.db)
        let context = OrganisationPageContext(
            page: PageMeta(title: organisation.nom, section: "organisations", jsonLD: StructuredData.organisation(organisation, base: OpenDataAPIController.base(req))),
            id: id.uuidString.lowercased(), nom: organisation.nom, type: organisation.kind?.label ?? organisation.type,
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
            plateaux: try await OrganisationPlateauRow.list(organisationID: id, on: req.db),
            apiURL: "/api/v1/organisations/\(id.uuidString.lowercased())",
            history: try await AuditController.history(
                of: id, includingMentions: false,
                visibleIf: req.actor != nil && AccessPolicy.decide(req.actor, .update, resource).isAllowed,
                on: req.db),
            rights: Rights(req.actor, resource))
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
    static func campusList(academie: String, filiere: String? = nil) -> String {
        withQuery("/campus", ["academie": academie].merging(filiere.map { ["filiere": $0] } ?? [:]) { a, _ in a })
    }
    static func region(_ slug: String, filiere: String? = nil) -> String {
        withQuery("/regions/\(slug)", filiere.map { ["filiere": $0] } ?? [:])
    }

    static func withQuery(_ path: String, _ items: [String: String]) -> String {
        guard !items.isEmpty else { return path }
        var components = URLComponents()
        components.path = path
        components.queryItems = items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string ?? path
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
