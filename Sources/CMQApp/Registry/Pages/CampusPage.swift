import CMQDomain
import Fluent
import Vapor

/// A campus: identity, label, network by family, team, compliance, offer and coverage, platforms, history.
enum CampusPage {
    static func load(id: UUID, caller: Caller, base: String, on db: any Database) async throws -> CampusPageContext {
        let campusService = CampusService(db: db, caller: caller)
        let campus = try await campusService.find(id)
        let network = NetworkService(db: db, caller: caller)
        let memberships = try await network.memberships(of: id)
        let today = caller.today
        let formations = try await CampusOffer(db: db).formations(of: campus, on: today)
        let coverage = CoverageMatrix(offers: formations.compactMap(\.coverageOffer))
        let compliance = NetworkCompliance(members: memberships.compactMap(\.networkMember), coverage: coverage, on: today)
        let territory = TerritoryCatalog.shared
        let academie = territory.academie(code: campus.academieCode)
        let region = territory.region(code: campus.regionCode)
        let filiere = campus.filiere

        let groups = OrganisationKind.Family.allCases.compactMap { family -> MemberGroup? in
            let rows = memberships.filter { $0.organisation.kind.family == family }.map { $0.memberRow }
            return rows.isEmpty ? nil : MemberGroup(label: family.label, members: rows)
        }
        let labelStatus = try await CampusLabels(db: db).status(of: id, on: today)
        let labelRows = try await LabelRecord.query(on: db).filter(\.$campus.$id == id).sort(\.$debut, .descending).all().compactMap { label -> LabelRow? in
            guard let period = label.period else { return nil }
            let mayWithdraw = period.isValid(on: today) && caller.may(.update, .labelDecision)
            return LabelRow(periode: "du \(period.start.frenchLong) au \(period.end.frenchLong)", excellence: label.excellence,
                            referentiel: label.referentiel, retrait: period.withdrawal.map { "retiré le \($0.date.frenchLong) : \($0.motif)" },
                            withdrawURL: mayWithdraw ? LabellingURL.labelWithdrawal(label.id).path : nil)
        }
        return CampusPageContext(
            page: PageMeta(title: "Campus \(campus.nom)", description: campus.description, section: "campus",
                           jsonLD: StructuredData.campus(campus, members: memberships.map(\.organisation), base: base)),
            labelStatus: labelStatus.label.capitalizingFirstLetter, labelKind: labelStatus.slug, labels: labelRows,
            id: id.uuidString.lowercased(), nom: campus.nom,
            filiere: filiere.label, filiereURL: RegistryURL.campusList(filiere: filiere.slug),
            academie: academie?.nom ?? campus.academieCode, academieURL: RegistryURL.campusList(academie: academie?.slug ?? campus.academieCode),
            region: region?.nom ?? campus.regionCode, regionURL: RegistryURL.campusList(region: region?.slug ?? campus.regionCode),
            description: campus.description, siteWeb: campus.siteWeb,
            formeJuridique: campus.formeJuridique.label,
            dateCreation: campus.dateCreation.flatMap(CalendarDay.init(iso:))?.frenchLong,
            groups: groups, memberCount: memberships.count,
            team: try await campusService.team(of: id).map { TeamRow(nom: $0.nom, role: $0.role.label, email: $0.email) },
            compliant: compliance.isCompliant,
            checks: compliance.checks.map { CheckRow(label: $0.label, passed: $0.passed, explanation: $0.explanation) },
            failedCount: compliance.checks.filter { !$0.passed }.count,
            apiURL: RegistryURL.apiCampus(id).path,
            indicatorsURL: IndicatorsURL.page(id).path,
            map: try await MapCatalog.shared.regions[campus.regionCode].asyncMap { view in
                let renderer = MapRenderer(
                    view: view, counts: [campus.academieCode: 1],
                    areaURL: { shape in territory.academie(code: shape.code).map { RegistryURL.campusList(academie: $0.slug) } },
                    areaName: { shape in territory.academie(code: shape.code)?.nom ?? shape.name },
                    markers: try await CampusLocations(db: db).markers(for: [campus], highlighted: id),
                    title: "Situation du campus \(campus.nom)",
                    description: "Carte de la région académique \(region?.nom ?? "") ; l'académie du campus est colorée et le point situe son établissement support.",
                    compact: true)
                return MapBlock(renderer, caption: "Académie de \(academie?.nom ?? "")", legend: false, areasLabel: "Académies", placesLabel: "Campus")
            },
            history: try await AuditController.history(
                of: id, includingMentions: true,
                visibleIf: caller.may(.update, .campus(id: id, regionCode: campus.regionCode)),
                on: db),
            rights: Rights(caller, .campus(id: id, regionCode: campus.regionCode)),
            offer: OfferBlock(coverage: coverage, formations: formations),
            plateaux: try await CampusPlateauxBlock.make(campus: campus, actor: caller.actor, today: today, on: db),
            parcoursURL: try await ParcoursURL.link(campus: campus, caller: caller, on: db),
            insertion: try await CampusInsertionBlock.load(campus: campus, formations: formations, on: db))
    }
}
