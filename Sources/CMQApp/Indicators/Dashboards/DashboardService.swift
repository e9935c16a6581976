import CMQDomain
import Fluent
import Foundation
import Vapor

/// The figures of the dashboards (national, région académique, campus), each as a table that the pages draw
/// and that downloads as CSV. Everyone reads the public indicators and the labels; the indicators that are not
/// public, the activity reports and the dossiers are for the staff the access policy names (`.dashboard`).
struct DashboardService {
    let db: any Database
    let caller: Caller
    /// This instance's computed indicators (none: computed on each read).
    var figuresCache: IndicatorFiguresCache? = nil

    /// The dashboards of a request, with its instance's cache of computed indicators.
    init(_ req: Request) {
        self.init(db: req.db, caller: req.caller, figuresCache: req.application.indicatorFiguresCache)
    }

    init(db: any Database, caller: Caller, figuresCache: IndicatorFiguresCache? = nil) {
        self.db = db
        self.caller = caller
        self.figuresCache = figuresCache
    }

    /// The indicators read with the same cache.
    var indicatorService: IndicatorService {
        IndicatorService(db: db, caller: caller, figuresCache: figuresCache)
    }

    /// What a dashboard shows: the campuses kept by the filters, one indicator, one school year.
    struct Scope: Sendable {
        var filiere: Filiere?
        var region: RegionAcademique?
        var statut: LabelStatus.Kind?
        var indicator: Indicator
        var year: SchoolYear
    }

    /// How far ahead the timeline of expiring labels looks.
    static let expiringMonths = 24
    /// How many school years a trend shows.
    static let trendYears = 5

    // MARK: rights and choices

    /// Whether the caller sees the whole dashboard of a région (or, nil, the national one).
    func seesEverything(regionCode: String?) -> Bool {
        caller.may(.read, .dashboard(regionCode: regionCode))
    }

    /// The indicators the caller may choose on a dashboard.
    func indicators(regionCode: String?) async throws -> [Indicator] {
        let everything = seesEverything(regionCode: regionCode)
        return try await IndicatorService.catalog(on: db).indicators.filter { everything || $0.isPublic }
    }

    /// The indicator named by `code` (the first of the catalogue when nil); an indicator that is not public is
    /// refused to those who may not see it (401/403 with the policy's reason), an unknown code with a 422.
    func indicator(_ code: String?, regionCode: String?) async throws -> Indicator {
        let catalog = try await IndicatorService.catalog(on: db)
        guard let code else {
            return try await indicators(regionCode: regionCode).first ?? catalog.indicators[0]
        }
        guard let indicator = catalog.indicator(code: code) else {
            throw AppError.validation([FieldError("indicateur", "L'indicateur « \(code) » n'existe pas ; les codes sont ceux du catalogue (/api/v1/indicateurs).")])
        }
        if !indicator.isPublic { try caller.authorize(.read, .dashboard(regionCode: regionCode)) }
        return indicator
    }

    /// The catalogue's indicator computed by `computation`, if the catalogue has one.
    func indicator(computing computation: IndicatorComputation) async throws -> Indicator? {
        try await IndicatorService.catalog(on: db).indicators.first { $0.source == .computed(computation) }
    }

    // MARK: campuses

    /// The campuses kept by the filters, by name, with their label status today.
    func campuses(_ scope: Scope) async throws -> [(campus: Campus, status: LabelStatus)] {
        let query = Campus.query(on: db).sort(\.$nomCle).sort(\.$id)
        if let filiere = scope.filiere { query.filter(\.$filiere == filiere) }
        if let region = scope.region { query.filter(\.$regionCode == region.code) }
        let statuses = try await CampusLabels(db: db).statuses(on: caller.today)
        return try await query.all().map { ($0, statuses[$0.id!] ?? .enProjet) }.filter { scope.statut == nil || $0.status.kind == scope.statut }
    }

    /// Campuses by région (rows) and filière (columns).
    func campusesByFiliereAndRegion(_ campuses: [Campus]) -> DashboardTable {
        var counts: [String: Int] = [:]
        for campus in campuses { counts["\(campus.regionCode)|\(campus.filiere.rawValue)", default: 0] += 1 }
        var rows: [[DatasetCell]] = []
        for region in TerritoryCatalog.shared.regions {
            for filiere in Filiere.allCases {
                guard let count = counts["\(region.code)|\(filiere.rawValue)"] else { continue }
                rows.append([.text("\(region.code)-\(filiere.rawValue)"), .text(region.code), .text(region.nom), .text(filiere.rawValue), .text(filiere.label), .integer(count)])
            }
        }
        return DashboardTable(
            slug: "campus-filiere-region", title: "Campus par filière et région académique",
            description: "Le nombre de campus de chaque filière dans chaque région académique (les paires sans campus sont omises).",
            fields: [DatasetField("id", .string, "Identifiant", "Code de la région et filière.", required: true, unique: true),
                     DatasetField("region_code", .string, "Code de la région académique", "Code INSEE de la région académique.", required: true),
                     DatasetField("region", .string, "Région académique", "Nom de la région académique.", required: true),
                     DatasetField("filiere_code", .string, "Code de la filière", "Identifiant de la filière.", required: true),
                     DatasetField("filiere", .string, "Filière", "Nom de la filière.", required: true),
                     DatasetField("campus", .integer, "Campus", "Nombre de campus.", required: true, minimum: 1)],
            rows: rows)
    }

    // MARK: indicators

    /// One indicator for each campus.
    func indicatorByCampus(_ campuses: [Campus], scope: Scope, slug: String = "indicateur-campus") async throws -> (table: DashboardTable, values: [UUID: Double]) {
        let values = try await indicatorService.values(of: scope.indicator, campuses: campuses, year: scope.year)
        let territory = TerritoryCatalog.shared
        let rows: [[DatasetCell]] = campuses.map { campus in
            [.text(campus.id!.uuidString.lowercased()), .text(campus.nom), .text(territory.region(code: campus.regionCode)?.nom ?? campus.regionCode),
             .text(campus.filiere.label), .number(values[campus.id!])]
        }
        let indicator = scope.indicator
        return (DashboardTable(
            slug: slug, title: "\(indicator.libelle) (\(indicator.code)) par campus, \(scope.year)",
            description: "\(indicator.definition) Année scolaire \(scope.year) ; vide quand le campus n'a pas de valeur.",
            fields: DashboardTable.campusFields("campus") + [
                DatasetField("valeur", .number, indicator.libelle, "Valeur de l'indicateur \(indicator.code) (\(indicator.unit.label)).",
                             minimum: indicator.unit.bounds.lowerBound, maximum: indicator.unit.bounds.upperBound)],
            rows: rows), values)
    }

    /// One indicator by région académique: the sum of its campuses' values (the mean for a percentage), over
    /// the campuses that have a value.
    func indicatorByRegion(_ campuses: [Campus], values: [UUID: Double], scope: Scope) -> (table: DashboardTable, values: [String: Double]) {
        var grouped: [String: [Double]] = [:]
        for campus in campuses { if let value = values[campus.id!] { grouped[campus.regionCode, default: []].append(value) } }
        let percent = scope.indicator.unit == .pourcentage
        let aggregated = grouped.mapValues { list in
            percent ? (list.reduce(0, +) / Double(list.count) * 10).rounded() / 10 : list.reduce(0, +)
        }
        let rows: [[DatasetCell]] = TerritoryCatalog.shared.regions.map { region in
            [.text(region.code), .text(region.nom), .integer(grouped[region.code]?.count ?? 0), .number(aggregated[region.code])]
        }
        return (DashboardTable(
            slug: "indicateur-region", title: "\(scope.indicator.libelle) (\(scope.indicator.code)) par région académique, \(scope.year)",
            description: percent ? "Moyenne des valeurs des campus de la région qui en ont une." : "Somme des valeurs des campus de la région qui en ont une.",
            fields: [DatasetField("id", .string, "Code de la région académique", "Code INSEE de la région académique.", required: true, unique: true),
                     DatasetField("region", .string, "Région académique", "Nom de la région académique.", required: true),
                     DatasetField("campus_avec_valeur", .integer, "Campus avec une valeur", "Nombre de campus comptés.", required: true, minimum: 0),
                     DatasetField("valeur", .number, scope.indicator.libelle, percent ? "Moyenne des campus (%)." : "Somme des campus.", minimum: 0)],
            rows: rows), aggregated)
    }

    // MARK: labels

    /// The labels granted each year (by the year of their start) and the share Excellence.
    func labelsByYear(_ campuses: [Campus]) async throws -> DashboardTable {
        let ids = campuses.compactMap(\.id)
        let labels = ids.isEmpty ? [] : try await LabelRecord.query(on: db).filter(\.$campus.$id ~~ ids).all()
        var byYear: [Int: (all: Int, excellence: Int)] = [:]
        for label in labels {
            guard let start = CalendarDay(iso: label.debut) else { continue }
            byYear[start.year, default: (0, 0)].all += 1
            if label.excellence { byYear[start.year, default: (0, 0)].excellence += 1 }
        }
        let rows: [[DatasetCell]] = byYear.keys.sorted().map { year in
            let counts = byYear[year]!
            return [.text(String(year)), .integer(year), .integer(counts.all), .integer(counts.excellence),
                    .number((Double(counts.excellence) * 1000 / Double(counts.all)).rounded() / 10)]
        }
        return DashboardTable(
            slug: "labels-annee", title: "Labels attribués par année et part Excellence",
            description: "Les labels des campus retenus, comptés par année de début, dont ceux avec la mention Excellence.",
            fields: [DatasetField("id", .string, "Année", "Année de début des labels.", required: true, unique: true),
                     DatasetField("annee", .integer, "Année", "Année de début des labels.", required: true),
                     DatasetField("labels", .integer, "Labels", "Nombre de labels attribués.", required: true, minimum: 1),
                     DatasetField("excellence", .integer, "Labels Excellence", "Dont avec la mention Excellence.", required: true, minimum: 0),
                     DatasetField("part_excellence", .number, "Part Excellence (%)", "Part des labels avec la mention Excellence.", required: true, minimum: 0, maximum: 100)],
            rows: rows)
    }

    /// The labels in force today that end within `expiringMonths` months, soonest first.
    func expiringLabels(_ campuses: [Campus]) async throws -> (table: DashboardTable, periods: [Charts.Period]) {
        let kept = Dictionary(campuses.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let labels = try await LabellingQueries.labels(.init(expirantAvant: caller.today.adding(months: Self.expiringMonths)), on: db, today: caller.today)
            .filter { kept[$0.campus] != nil }.sorted { ($0.fin, $0.campusNom) < ($1.fin, $1.campusNom) }
        var rows: [[DatasetCell]] = []
        var periods: [Charts.Period] = []
        for label in labels {
            guard let start = CalendarDay(iso: label.debut), let end = CalendarDay(iso: label.fin) else { continue }
            rows.append([.text(label.id.uuidString.lowercased()), .text(label.campusNom), .text(label.regionNom), .text(label.debut), .text(label.fin), .boolean(label.excellence)])
            periods.append(Charts.Period(label: label.campusNom, start: start, end: end, excellence: label.excellence))
        }
        return (DashboardTable(
            slug: "labels-expirant", title: "Labels arrivant à échéance dans les \(Self.expiringMonths) mois",
            description: "Les labels en vigueur le \(caller.today.frenchLong) qui se terminent avant le \(caller.today.adding(months: Self.expiringMonths).frenchLong).",
            fields: [DatasetField("id", .string, "Identifiant du label", "L'identifiant du label dans cmq (UUID).", required: true, unique: true),
                     DatasetField("campus", .string, "Campus", "Le nom du campus.", required: true),
                     DatasetField("region", .string, "Région académique", "La région académique du campus.", required: true),
                     DatasetField("debut", .date, "Début", "Premier jour du label.", required: true),
                     DatasetField("fin", .date, "Fin", "Dernier jour de validité du label.", required: true),
                     DatasetField("excellence", .boolean, "Excellence", "Label avec la mention Excellence.", required: true)],
            rows: rows), periods)
    }

    // MARK: reports and dossiers (staff)

    /// Each campus's activity report for the school year: received (transmitted or acknowledged) or missing.
    func reports(_ campuses: [Campus], year: SchoolYear) async throws -> DashboardTable {
        let ids = campuses.compactMap(\.id)
        let records = ids.isEmpty ? [] : try await ActivityReportRecord.query(on: db).filter(\.$campus.$id ~~ ids).filter(\.$annee == year.startYear).all()
        let byCampus = Dictionary(records.map { ($0.$campus.id, $0.statut) }, uniquingKeysWith: { a, _ in a })
        let rows: [[DatasetCell]] = campuses.map { campus in
            let status = byCampus[campus.id!]
            return [.text(campus.id!.uuidString.lowercased()), .text(campus.nom), .text(TerritoryCatalog.shared.region(code: campus.regionCode)?.nom ?? campus.regionCode),
                    .text(campus.filiere.label), .text(status?.rawValue ?? "absent"), .boolean(status == .transmis || status == .prisEnCompte)]
        }
        return DashboardTable(
            slug: "rapports", title: "Rapports d'activité \(year) reçus et manquants",
            description: "Pour chaque campus, l'état de son rapport d'activité de l'année scolaire \(year) ; reçu : transmis à la région ou pris en compte.",
            fields: DashboardTable.campusFields("campus") + [
                DatasetField("statut", .string, "État du rapport", "brouillon, transmis, pris-en-compte, ou absent.", required: true,
                             values: ReportStatus.allCases.map(\.rawValue) + ["absent"]),
                DatasetField("recu", .boolean, "Reçu", "Le rapport a été transmis à la région.", required: true)],
            rows: rows)
    }

    /// The open dossiers of the campuses, each with its step and how long it has waited since its last change.
    func openDossiers(_ campuses: [Campus]) async throws -> [DossierLine] {
        let kept = Dictionary(campuses.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        guard !kept.isEmpty else { return [] }
        let referentiels = Dictionary(try await Referentiels.catalog(on: db).referentiels.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let records = try await DossierRecord.query(on: db).filter(\.$statut ~~ DossierRecord.openStatuses)
            .filter(\.$campus.$id ~~ Array(kept.keys)).sort(\.$updatedAt).sort(\.$id).all()
        return records.map { record in
            let steps = record.etapesEnCours.split(separator: ",").map(String.init)
            let stepLabel = steps.isEmpty ? (DossierStatus.Kind(rawValue: record.statut)?.label ?? record.statut)
                : steps.map { referentiels[record.referentiel]?.etape(code: $0)?.libelle ?? $0 }.joined(separator: " ; ")
            let since = record.updatedAt.map { CalendarDay(date: $0) } ?? caller.today
            return DossierLine(id: record.id!, campus: kept[record.$campus.id]!, statut: record.statut, steps: steps.joined(separator: ","),
                               stepLabel: stepLabel, waitingDays: max(0, since.days(until: caller.today)))
        }
    }

    struct DossierLine: Sendable {
        var id: UUID
        var campus: Campus
        var statut: String
        var steps: String
        var stepLabel: String
        var waitingDays: Int
    }

    /// The open dossiers grouped by step: how many, their mean and longest wait.
    func dossiersBySteps(_ lines: [DossierLine]) -> DashboardTable {
        var groups: [String: [DossierLine]] = [:]
        for line in lines { groups["\(line.statut)|\(line.steps)", default: []].append(line) }
        let rows: [[DatasetCell]] = groups.keys.sorted().map { key in
            let group = groups[key]!
            let waits = group.map(\.waitingDays)
            return [.text(key), .text(DossierRecord.statusLabel(group[0].statut)), .text(group[0].stepLabel), .integer(group.count),
                    .number((Double(waits.reduce(0, +)) * 10 / Double(waits.count)).rounded() / 10), .integer(waits.max() ?? 0)]
        }
        return DashboardTable(
            slug: "dossiers-etapes", title: "Dossiers de labellisation en cours, par étape",
            description: "Les dossiers en préparation ou en instruction des campus retenus, par étape, avec leur attente depuis leur dernier changement (en jours).",
            fields: [DatasetField("id", .string, "Statut et étape", "Statut et codes des étapes en cours.", required: true, unique: true),
                     DatasetField("statut", .string, "Statut", "Statut du dossier.", required: true),
                     DatasetField("etape", .string, "Étape", "Étapes en cours.", required: true),
                     DatasetField("dossiers", .integer, "Dossiers", "Nombre de dossiers.", required: true, minimum: 1),
                     DatasetField("attente_moyenne_jours", .number, "Attente moyenne (jours)", "Moyenne des jours depuis le dernier changement.", required: true, minimum: 0),
                     DatasetField("attente_max_jours", .integer, "Attente la plus longue (jours)", "Le plus grand nombre de jours depuis le dernier changement.", required: true, minimum: 0)],
            rows: rows)
    }

    /// The open dossiers one by one (the région's dashboard).
    func dossierList(_ lines: [DossierLine]) -> DashboardTable {
        DashboardTable(
            slug: "dossiers", title: "Dossiers de labellisation en cours",
            description: "Les dossiers en préparation ou en instruction, avec leur étape et leur attente depuis leur dernier changement (en jours).",
            fields: [DatasetField("id", .string, "Identifiant du dossier", "L'identifiant du dossier dans cmq (UUID).", required: true, unique: true),
                     DatasetField("campus", .string, "Campus", "Le nom du campus.", required: true),
                     DatasetField("statut", .string, "Statut", "Statut du dossier.", required: true),
                     DatasetField("etape", .string, "Étape", "Étapes en cours.", required: true),
                     DatasetField("attente_jours", .integer, "Attente (jours)", "Jours depuis le dernier changement.", required: true, minimum: 0)],
            rows: lines.map { [.text($0.id.uuidString.lowercased()), .text($0.campus.nom), .text(DossierRecord.statusLabel($0.statut)), .text($0.stepLabel), .integer($0.waitingDays)] })
    }
}
