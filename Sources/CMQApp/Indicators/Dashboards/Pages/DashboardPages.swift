import CMQDomain
import Fluent
import Vapor

/// A part of a dashboard: a chart with its table twin (or a table alone), and its downloads.
struct DashboardSection: Encodable {
    var id: String
    var title: String
    /// The chart and its table twin, or the table (built by the chart kit: escaped there).
    var html: String
    var csvURL: String
    var schemaURL: String
}

/// The filters of the national and région dashboards, as read from the query string.
struct DashboardQuery {
    var filiere: Filiere?
    var region: RegionAcademique?
    var statut: LabelStatus.Kind?
    var indicateur: String?
    var year: SchoolYear

    static func read(_ req: Request, regionFixed: Bool) throws -> DashboardQuery {
        var reader = QueryReader(req.queryParameters)
        let filiere = reader.filiere()
        let region = regionFixed ? nil : reader.region()
        let statut = reader.choice("statut", LabelStatus.Kind.self, "Le statut de label")
        var indicateur = reader.text("indicateur")
        if let code = indicateur, code.count > 20 {
            reader.fail("indicateur", "Le code d'un indicateur a 20 caractères au plus.")
            indicateur = nil
        }
        let year = reader.schoolYear(today: req.caller.today)
        if !SchoolYear.range.contains(year.startYear) {
            reader.fail("annee", "L'année scolaire doit commencer entre \(SchoolYear.range.lowerBound) et \(SchoolYear.range.upperBound).")
        }
        try reader.finish()
        return DashboardQuery(filiere: filiere, region: region, statut: statut, indicateur: indicateur?.isEmpty == true ? nil : indicateur, year: year)
    }

    /// The query string that keeps these filters (for the downloads).
    var parameters: [String: String?] {
        ["filiere": filiere?.rawValue, "region": region?.code, "statut": statut?.rawValue, "indicateur": indicateur, "annee": year.description]
    }
}

enum DashboardFormat {
    /// A cell as the table twin shows it.
    static func display(_ cell: DatasetCell) -> String {
        switch cell {
        case .text(let value): value ?? "—"
        case .integer(let value): value.map { IndicatorUnit.nombre.format(Double($0)) } ?? "—"
        case .number(let value): value.map(number) ?? "—"
        case .boolean(let value): value.map { $0 ? "oui" : "non" } ?? "—"
        }
    }

    /// "12", "42,5".
    static func number(_ value: Double) -> String {
        value == value.rounded() ? IndicatorUnit.nombre.format(value) : IndicatorUnit.heures.format(value).replacingOccurrences(of: "\u{00A0}h", with: "")
    }

    /// A table without a chart, shown as the chart kit shows a table twin (the first column, the id, left out).
    static func table(_ table: DashboardTable, id: String, columns: [String]? = nil) -> String {
        let indices = table.fields.indices.filter { index in
            columns.map { $0.contains(table.fields[index].name) } ?? (index > 0)
        }
        let twin = ChartTable(caption: table.title, headers: indices.map { table.fields[$0].title },
                              rows: table.rows.map { row in indices.map { display(row[$0]) } })
        return twin.html(id: "tableau-\(id)", label: table.title)
    }

    static func options<T>(_ items: [T], selected: T?, value: (T) -> String, label: (T) -> String) -> [OptionItem] where T: Equatable {
        items.map { OptionItem(value: value($0), label: label($0), selected: $0 == selected) }
    }

    static func years(around year: SchoolYear, today: CalendarDay) -> [OptionItem] {
        let current = SchoolYear(containing: today)
        return (0..<6).map { SchoolYear(startYear: current.startYear - $0) }
            .map { OptionItem(value: $0.description, label: $0.description, selected: $0 == year) }
    }
}

/// `/tableau-de-bord`: the national dashboard.
struct NationalDashboardPage: Encodable {
    struct CrossRow: Encodable {
        var label: String
        var cells: [String]
        var total: String
    }

    var page: PageMeta
    var pageURL: String
    var filieres: [OptionItem]
    var regions: [OptionItem]
    var statuts: [OptionItem]
    var indicateurs: [OptionItem]
    var annees: [OptionItem]
    var total: Int
    var updated: String
    var everything: Bool
    var indicatorLabel: String
    var crossHeaders: [String]
    var crossRows: [CrossRow]
    var crossTotal: String
    var crossCSV: String
    var crossSchema: String
    var map: MapBlock
    var sections: [DashboardSection]

    /// Every table of the national dashboard, for its page and its downloads (`only`: just that table).
    static func tables(_ query: DashboardQuery, only: String? = nil, service: DashboardService) async throws -> (tables: [String: DashboardTable], context: Context) {
        let indicator = try await service.indicator(query.indicateur, regionCode: nil)
        let scope = DashboardService.Scope(filiere: query.filiere, region: query.region, statut: query.statut, indicator: indicator, year: query.year)
        let campuses = try await service.campuses(scope).map(\.campus)
        let wants = { (slug: String) in only == nil || only == slug }
        var tables: [String: DashboardTable] = [:]
        var context = Context(indicator: indicator, campuses: campuses)
        if wants("campus-filiere-region") { tables["campus-filiere-region"] = service.campusesByFiliereAndRegion(campuses) }
        if wants("indicateur-region") || wants("indicateur-campus") {
            let byCampus = try await service.indicatorByCampus(campuses, scope: scope)
            let byRegion = service.indicatorByRegion(campuses, values: byCampus.values, scope: scope)
            tables["indicateur-campus"] = byCampus.table
            tables["indicateur-region"] = byRegion.table
            context.regionValues = byRegion.values
        }
        if wants("labels-annee") { tables["labels-annee"] = try await service.labelsByYear(campuses) }
        for (slug, computation) in [("lacunes", IndicatorComputation.lacunesCouverture), ("mutualisation", .plateauxMutualisation)] where wants(slug) {
            guard let other = try await service.indicator(computing: computation) else { continue }
            var otherScope = scope
            otherScope.indicator = other
            tables[slug] = try await service.indicatorByCampus(campuses, scope: otherScope, slug: slug).table
            context.others[slug] = other
        }
        if wants("dossiers-etapes"), service.seesEverything(regionCode: nil) {
            tables["dossiers-etapes"] = service.dossiersBySteps(try await service.openDossiers(campuses))
        }
        if wants("labels-expirant") {
            let expiring = try await service.expiringLabels(campuses)
            tables["labels-expirant"] = expiring.table
            context.periods = expiring.periods
        }
        return (tables, context)
    }

    struct Context {
        var indicator: Indicator
        var campuses: [Campus]
        var regionValues: [String: Double] = [:]
        var others: [String: Indicator] = [:]
        var periods: [Charts.Period] = []
    }

    static func load(_ query: DashboardQuery, service: DashboardService) async throws -> NationalDashboardPage {
        let (tables, context) = try await tables(query, service: service)
        let today = service.caller.today
        let updated = today.frenchLong
        let indicator = context.indicator
        let file = { (slug: String, schema: Bool) in DashboardURL.nationalFile(slug + (schema ? ".schema.json" : ".csv")).path(query: query.parameters) }
        var sections: [DashboardSection] = []
        func add(_ slug: String, _ html: String) {
            guard let table = tables[slug] else { return }
            sections.append(DashboardSection(id: slug, title: table.title, html: html, csvURL: file(slug, false), schemaURL: file(slug, true)))
        }
        // The indicator by région: its table twin under the choropleth.
        if let table = tables["indicateur-region"] {
            add("indicateur-region", DashboardFormat.table(table, id: "indicateur-region"))
        }
        if let table = tables["indicateur-campus"] {
            add("indicateur-campus", campusBars(table, id: "indicateur-campus", indicator: indicator, updated: updated).html)
        }
        if let table = tables["labels-annee"] {
            let bars = table.rows.map { row in
                Charts.Bar(label: DashboardFormat.display(row[0]), value: Double(cellInteger(row[2])),
                           extra: [DashboardFormat.display(row[3]), DashboardFormat.display(row[4]) + "\u{00A0}%"])
            }
            add("labels-annee", Charts.bars(id: "labels-annee", title: table.title, labelHeader: "Année", valueHeader: "Labels", bars: bars,
                                             extraHeaders: ["Dont Excellence", "Part Excellence"], percent: false,
                                             format: IndicatorUnit.nombre.format, updated: updated).html)
        }
        for slug in ["lacunes", "mutualisation"] {
            if let table = tables[slug], let other = context.others[slug] {
                add(slug, campusBars(table, id: slug, indicator: other, updated: updated).html)
            }
        }
        if let table = tables["dossiers-etapes"] {
            let bars = table.rows.map { row in
                Charts.Bar(label: "\(DashboardFormat.display(row[1])) — \(DashboardFormat.display(row[2]))", value: Double(cellInteger(row[3])),
                           extra: [DashboardFormat.display(row[4]) + " j", DashboardFormat.display(row[5]) + " j"])
            }
            add("dossiers-etapes", Charts.bars(id: "dossiers-etapes", title: table.title, labelHeader: "Statut et étape", valueHeader: "Dossiers", bars: bars,
                                                extraHeaders: ["Attente moyenne", "Attente la plus longue"], percent: false,
                                                format: IndicatorUnit.nombre.format, updated: updated).html)
        }
        if let table = tables["labels-expirant"] {
            add("labels-expirant", Charts.timeline(id: "labels-expirant", title: table.title, periods: context.periods, from: today,
                                                    to: today.adding(months: DashboardService.expiringMonths), today: today, updated: updated).html)
        }

        // Campuses by région × filière.
        let cross = tables["campus-filiere-region"]?.rows ?? []
        var counts: [String: [String: Int]] = [:]
        for row in cross { counts[cellText(row[1]), default: [:]][cellText(row[3])] = cellInteger(row[5]) }
        let filieres = Filiere.allCases.filter { filiere in counts.values.contains { $0[filiere.rawValue] != nil } }
        let crossRows = TerritoryCatalog.shared.regions.compactMap { region -> CrossRow? in
            guard let line = counts[region.code] else { return nil }
            return CrossRow(label: region.nom, cells: filieres.map { line[$0.rawValue].map(String.init) ?? "0" }, total: String(line.values.reduce(0, +)))
        }

        let territory = TerritoryCatalog.shared
        let unit = indicator.unit
        let renderer = MapRenderer(
            view: MapCatalog.shared.national, counts: context.regionValues.mapValues { Int($0.rounded()) },
            areaURL: { shape in territory.region(code: shape.code).map { DashboardURL.region($0.slug).path(query: ["indicateur": indicator.code, "annee": query.year.description]) } },
            areaName: { shape in territory.region(code: shape.code)?.nom ?? shape.name },
            title: "Carte de « \(indicator.libelle) » par région académique",
            description: "Les 18 régions académiques colorées selon « \(indicator.libelle) » en \(query.year) (\(unit == .pourcentage ? "moyenne" : "somme") des campus retenus, valeurs arrondies). Les mêmes chiffres figurent dans le tableau qui suit la carte.",
            quantity: MapQuantity(none: "0 ou sans valeur", describe: { unit.format(Double($0)) }))

        let everything = service.seesEverything(regionCode: nil)
        return NationalDashboardPage(
            page: PageMeta(title: "Tableau de bord national", description: "Les campus des métiers et des qualifications en chiffres : filières, régions, indicateurs, labels.", section: "campus"),
            pageURL: DashboardURL.national.path,
            filieres: DashboardFormat.options(Filiere.allCases, selected: query.filiere, value: \.rawValue, label: \.label),
            regions: DashboardFormat.options(territory.regions, selected: query.region, value: \.code, label: \.nom),
            statuts: DashboardFormat.options(LabelStatus.Kind.allCases, selected: query.statut, value: \.rawValue, label: \.label),
            indicateurs: DashboardFormat.options(try await service.indicators(regionCode: nil), selected: indicator, value: \.code, label: { "\($0.libelle) (\($0.code))" }),
            annees: DashboardFormat.years(around: query.year, today: today),
            total: context.campuses.count, updated: updated, everything: everything,
            indicatorLabel: "\(indicator.libelle) (\(indicator.code))",
            crossHeaders: filieres.map(\.label), crossRows: crossRows, crossTotal: String(context.campuses.count),
            crossCSV: file("campus-filiere-region", false), crossSchema: file("campus-filiere-region", true),
            map: MapBlock(renderer, caption: "« \(indicator.libelle) » par région académique, \(query.year)", areasLabel: "Régions académiques", placesLabel: "Campus"),
            sections: sections)
    }

    /// One indicator for campuses, side by side.
    static func campusBars(_ table: DashboardTable, id: String, indicator: Indicator, updated: String, highlight: UUID? = nil) -> Chart {
        let bars = table.rows.map { row in
            Charts.Bar(label: cellText(row[1]), value: cellNumber(row[4]), highlighted: cellText(row[0]) == highlight?.uuidString.lowercased())
        }
        return Charts.bars(id: id, title: table.title, labelHeader: "Campus", valueHeader: indicator.libelle, bars: bars, percent: indicator.unit == .pourcentage,
                           format: indicator.unit.format, updated: updated)
    }

    static func cellText(_ cell: DatasetCell) -> String { if case .text(let value) = cell { value ?? "" } else { "" } }
    static func cellInteger(_ cell: DatasetCell) -> Int { if case .integer(let value) = cell { value ?? 0 } else { 0 } }
    static func cellNumber(_ cell: DatasetCell) -> Double? { if case .number(let value) = cell { value } else { nil } }
}

/// `/regions/{slug}/tableau-de-bord`: a région académique's dashboard.
struct RegionDashboardPage: Encodable {
    var page: PageMeta
    var pageURL: String
    var regionURL: String
    var nom: String
    var filieres: [OptionItem]
    var statuts: [OptionItem]
    var indicateurs: [OptionItem]
    var annees: [OptionItem]
    var total: Int
    var updated: String
    var everything: Bool
    var annee: String
    var received: Int
    var missing: Int
    var sections: [DashboardSection]

    static func tables(_ query: DashboardQuery, region: RegionAcademique, only: String? = nil, service: DashboardService)
        async throws -> (tables: [String: DashboardTable], indicator: Indicator, campuses: [Campus], periods: [Charts.Period]) {
        let indicator = try await service.indicator(query.indicateur, regionCode: region.code)
        let scope = DashboardService.Scope(filiere: query.filiere, region: region, statut: query.statut, indicator: indicator, year: query.year)
        let campuses = try await service.campuses(scope).map(\.campus)
        let wants = { (slug: String) in only == nil || only == slug }
        var tables: [String: DashboardTable] = [:]
        var periods: [Charts.Period] = []
        if wants("indicateur-campus") { tables["indicateur-campus"] = try await service.indicatorByCampus(campuses, scope: scope).table }
        if service.seesEverything(regionCode: region.code) {
            if wants("rapports") { tables["rapports"] = try await service.reports(campuses, year: query.year) }
            if wants("dossiers") { tables["dossiers"] = service.dossierList(try await service.openDossiers(campuses)) }
        }
        if wants("labels-expirant") {
            let expiring = try await service.expiringLabels(campuses)
            tables["labels-expirant"] = expiring.table
            periods = expiring.periods
        }
        return (tables, indicator, campuses, periods)
    }

    static func load(_ query: DashboardQuery, region: RegionAcademique, service: DashboardService) async throws -> RegionDashboardPage {
        let (tables, indicator, campuses, periods) = try await tables(query, region: region, service: service)
        let today = service.caller.today
        let updated = today.frenchLong
        let file = { (slug: String, schema: Bool) in
            DashboardURL.regionFile(region: region.slug, file: slug + (schema ? ".schema.json" : ".csv")).path(query: query.parameters)
        }
        var sections: [DashboardSection] = []
        func add(_ slug: String, _ html: String) {
            guard let table = tables[slug] else { return }
            sections.append(DashboardSection(id: slug, title: table.title, html: html, csvURL: file(slug, false), schemaURL: file(slug, true)))
        }
        if let table = tables["indicateur-campus"] {
            add("indicateur-campus", NationalDashboardPage.campusBars(table, id: "indicateur-campus", indicator: indicator, updated: updated).html)
        }
        var received = 0, missing = 0
        if let table = tables["rapports"] {
            var byStatus: [String: Int] = [:]
            for row in table.rows { byStatus[NationalDashboardPage.cellText(row[4]), default: 0] += 1 }
            received = (byStatus[ReportStatus.transmis.rawValue] ?? 0) + (byStatus[ReportStatus.prisEnCompte.rawValue] ?? 0)
            missing = table.rows.count - received
            let bars = ReportStatus.allCases.map { Charts.Bar(label: $0.label, value: Double(byStatus[$0.rawValue] ?? 0)) }
                + [Charts.Bar(label: "Aucun rapport", value: Double(byStatus["absent"] ?? 0))]
            let chart = Charts.bars(id: "rapports", title: table.title, labelHeader: "État du rapport", valueHeader: "Campus", bars: bars, percent: false,
                                    format: IndicatorUnit.nombre.format, updated: updated)
            add("rapports", chart.html + DashboardFormat.table(table, id: "rapports-campus", columns: ["campus", "filiere", "statut", "recu"]))
        }
        if let table = tables["dossiers"] {
            add("dossiers", DashboardFormat.table(table, id: "dossiers"))
        }
        if let table = tables["labels-expirant"] {
            add("labels-expirant", Charts.timeline(id: "labels-expirant", title: table.title, periods: periods, from: today,
                                                    to: today.adding(months: DashboardService.expiringMonths), today: today, updated: updated).html)
        }
        return RegionDashboardPage(
            page: PageMeta(title: "Tableau de bord — région académique \(region.nom)",
                           description: "Les campus de la région académique \(region.nom) côte à côte : indicateurs, rapports, labels.", section: "campus"),
            pageURL: DashboardURL.region(region.slug).path, regionURL: RegistryURL.region(region.slug).path, nom: region.nom,
            filieres: DashboardFormat.options(Filiere.allCases, selected: query.filiere, value: \.rawValue, label: \.label),
            statuts: DashboardFormat.options(LabelStatus.Kind.allCases, selected: query.statut, value: \.rawValue, label: \.label),
            indicateurs: DashboardFormat.options(try await service.indicators(regionCode: region.code), selected: indicator, value: \.code, label: { "\($0.libelle) (\($0.code))" }),
            annees: DashboardFormat.years(around: query.year, today: today),
            total: campuses.count, updated: updated, everything: service.seesEverything(regionCode: region.code), annee: query.year.description,
            received: received, missing: missing, sections: sections)
    }
}

/// `/campus/{id}/tableau-de-bord`: each indicator of a campus against its initial value and target, its trend,
/// and the school year's report status.
struct CampusDashboardPage: Encodable {
    struct IndicatorBlock: Encodable {
        var id: String
        var libelle: String
        var family: String
        var bullet: String
        var trend: String
    }

    var page: PageMeta
    var pageURL: String
    var campusNom: String
    var campusURL: String
    var indicatorsURL: String
    var annee: String
    var annees: [OptionItem]
    var updated: String
    var reportStatus: String?
    var reportURL: String?
    var blocks: [IndicatorBlock]
    var downloads: [DashboardSection]

    static func tables(campusID: UUID, year: SchoolYear, service: DashboardService) async throws -> (board: IndicatorService.Board, history: [String: [Int: Double]], years: [SchoolYear], tables: [String: DashboardTable]) {
        let indicators = service.indicatorService
        let board = try await indicators.board(campusID: campusID, year: year, everything: service.seesEverything(regionCode: try await CampusService(db: service.db, caller: service.caller).find(campusID).regionCode))
        let years = (0..<DashboardService.trendYears).reversed().map { SchoolYear(startYear: year.startYear - $0) }
        let history = try await indicators.history(campus: board.campus, indicators: board.lines.map(\.indicator), years: years)
        let current: [[DatasetCell]] = board.lines.map { line in
            [.text(line.indicator.code), .text(line.indicator.libelle), .text(line.indicator.unit.rawValue), .number(history[line.indicator.code]?[year.startYear] ?? line.value),
             .number(line.target?.initial), .number(line.target?.target), .text(line.target?.deadline.iso)]
        }
        var trend: [[DatasetCell]] = []
        for line in board.lines {
            for y in years {
                trend.append([.text("\(line.indicator.code)-\(y)"), .text(line.indicator.code), .text(y.description), .number(history[line.indicator.code]?[y.startYear])])
            }
        }
        let tables = [
            "indicateurs": DashboardTable(
                slug: "indicateurs", title: "Indicateurs \(year) du campus \(board.campus.nom)",
                description: "Chaque indicateur : sa valeur de l'année scolaire \(year), sa valeur initiale, sa cible et son échéance.",
                fields: [DatasetField("id", .string, "Code", "Code de l'indicateur.", required: true, unique: true),
                         DatasetField("indicateur", .string, "Indicateur", "Libellé de l'indicateur.", required: true),
                         DatasetField("unite", .string, "Unité", "nombre, pourcentage ou heures.", required: true, values: IndicatorUnit.allCases.map(\.rawValue)),
                         DatasetField("valeur", .number, "Valeur", "Valeur de l'année scolaire.", minimum: 0),
                         DatasetField("initiale", .number, "Valeur initiale", "Valeur à la décision de label.", minimum: 0),
                         DatasetField("cible", .number, "Cible", "Valeur à atteindre.", minimum: 0),
                         DatasetField("echeance", .date, "Échéance", "Date de la cible.")],
                rows: current),
            "evolution": DashboardTable(
                slug: "evolution", title: "Évolution des indicateurs du campus \(board.campus.nom)",
                description: "Chaque indicateur sur \(DashboardService.trendYears) années scolaires (les figures gelées d'un rapport transmis pour son année).",
                fields: [DatasetField("id", .string, "Code et année", "Code de l'indicateur et année scolaire.", required: true, unique: true),
                         DatasetField("indicateur", .string, "Code", "Code de l'indicateur.", required: true),
                         DatasetField("annee", .string, "Année scolaire", "AAAA-AAAA.", required: true, pattern: "[0-9]{4}-[0-9]{4}"),
                         DatasetField("valeur", .number, "Valeur", "Valeur de l'année scolaire.", minimum: 0)],
                rows: trend),
        ]
        return (board, history, years, tables)
    }

    static func load(campusID: UUID, year: SchoolYear, service: DashboardService) async throws -> CampusDashboardPage {
        let (board, history, years, tables) = try await tables(campusID: campusID, year: year, service: service)
        let today = service.caller.today
        let updated = today.frenchLong
        let campus = board.campus
        let blocks = board.lines.map { line -> IndicatorBlock in
            let indicator = line.indicator, unit = indicator.unit
            let slug = indicator.code.lowercased()
            let value = history[indicator.code]?[year.startYear] ?? line.value
            let bullet = Charts.bullet(id: "jauge-\(slug)", title: "\(indicator.libelle) : \(year), valeur initiale et cible", value: value,
                                       initial: line.target?.initial, target: line.target?.target, percent: unit == .pourcentage,
                                       format: unit.format, updated: updated)
            let trend = Charts.line(id: "evolution-\(slug)", title: "\(indicator.libelle) : évolution sur \(years.count) années scolaires",
                                    points: years.map { ($0.description, history[indicator.code]?[$0.startYear]) }, target: line.target?.target,
                                    percent: unit == .pourcentage, format: unit.format, updated: updated)
            return IndicatorBlock(id: "indicateur-\(indicator.code)", libelle: "\(indicator.libelle) (\(indicator.code))", family: indicator.family.label,
                                  bullet: bullet.html, trend: trend.html)
        }
        var reportStatus: String?, reportURL: String?
        let id = try campus.requireID()
        if service.caller.may(.read, .activityReport(campusID: id, regionCode: campus.regionCode)) {
            let record = try await ActivityReportRecord.query(on: service.db).filter(\.$campus.$id == id).filter(\.$annee == year.startYear).first()
            reportStatus = record?.statut.label ?? "Pas encore commencé"
            reportURL = IndicatorsURL.report(campus: id, annee: year.description).path
        }
        let file = { (slug: String, schema: Bool) in DashboardURL.campusFile(campus: id, file: slug + (schema ? ".schema.json" : ".csv")).path(query: ["annee": year.description]) }
        return CampusDashboardPage(
            page: PageMeta(title: "Tableau de bord \(year) — \(campus.nom)",
                           description: "Les indicateurs du campus \(campus.nom) : valeur, valeur initiale, cible et évolution."),
            pageURL: DashboardURL.campus(id).path, campusNom: campus.nom, campusURL: RegistryURL.campus(id).path,
            indicatorsURL: IndicatorsURL.page(id).path(query: ["annee": year.description]), annee: year.description,
            annees: DashboardFormat.years(around: year, today: today), updated: updated,
            reportStatus: reportStatus, reportURL: reportURL, blocks: blocks,
            downloads: ["indicateurs", "evolution"].compactMap { slug in
                tables[slug].map { DashboardSection(id: slug, title: $0.title, html: "", csvURL: file(slug, false), schemaURL: file(slug, true)) }
            })
    }
}

struct DashboardPagesController {
    @Sendable func national(req: Request) async throws -> View {
        let query = try DashboardQuery.read(req, regionFixed: false)
        let service = DashboardService(req)
        return try await req.view.render("dashboards/national", NationalDashboardPage.load(query, service: service))
    }

    @Sendable func nationalFile(req: Request) async throws -> Response {
        let file = try Self.file(req)
        let query = try DashboardQuery.read(req, regionFixed: false)
        let service = DashboardService(req)
        let table = try await NationalDashboardPage.tables(query, only: file.table, service: service).tables[file.table]
        return try Self.respond(req, file, table)
    }

    @Sendable func region(req: Request) async throws -> View {
        let region = try Self.region(req)
        let query = try DashboardQuery.read(req, regionFixed: true)
        let service = DashboardService(req)
        return try await req.view.render("dashboards/region", RegionDashboardPage.load(query, region: region, service: service))
    }

    @Sendable func regionFile(req: Request) async throws -> Response {
        let region = try Self.region(req)
        let file = try Self.file(req)
        let query = try DashboardQuery.read(req, regionFixed: true)
        let service = DashboardService(req)
        let table = try await RegionDashboardPage.tables(query, region: region, only: file.table, service: service).tables[file.table]
        return try Self.respond(req, file, table)
    }

    @Sendable func campus(req: Request) async throws -> View {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let year = try Self.year(req)
        let service = DashboardService(req)
        return try await req.view.render("dashboards/campus", CampusDashboardPage.load(campusID: id, year: year, service: service))
    }

    @Sendable func campusFile(req: Request) async throws -> Response {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let file = try Self.file(req)
        let year = try Self.year(req)
        let service = DashboardService(req)
        let table = try await CampusDashboardPage.tables(campusID: id, year: year, service: service).tables[file.table]
        return try Self.respond(req, file, table)
    }

    static func year(_ req: Request) throws -> SchoolYear {
        var reader = QueryReader(req.queryParameters)
        let year = reader.schoolYear(today: req.caller.today)
        if !SchoolYear.range.contains(year.startYear) {
            reader.fail("annee", "L'année scolaire doit commencer entre \(SchoolYear.range.lowerBound) et \(SchoolYear.range.upperBound).")
        }
        try reader.finish()
        return year
    }

    static func region(_ req: Request) throws -> RegionAcademique {
        let slug = req.parameters.get("region") ?? ""
        guard let region = TerritoryCatalog.shared.region(matching: slug) else {
            throw AppError.notFound("Aucune région académique ne s'appelle « \(slug) ».")
        }
        return region
    }

    static func file(_ req: Request) throws -> DashboardFile {
        let name = req.parameters.get("fichier") ?? ""
        guard let file = DashboardFile(name) else {
            throw AppError.notFound("Le tableau de bord n'a pas de fichier « \(name) » : ses tables se téléchargent en .csv, avec leur schéma en .schema.json.")
        }
        return file
    }

    static func respond(_ req: Request, _ file: DashboardFile, _ table: DashboardTable?) throws -> Response {
        guard let table else {
            throw AppError.notFound("Ce tableau de bord n'a pas de table « \(file.table) » (ou elle est réservée à la région académique et au niveau national).")
        }
        var headers = HTTPHeaders()
        switch file {
        case .csv:
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(table.slug).csv\"")
            headers.replaceOrAdd(name: "Link", value: "<\(req.url.path.replacingOccurrences(of: ".csv", with: ".schema.json"))>; rel=\"describedby\"; type=\"application/schema+json\"")
            return Response(status: .ok, headers: headers, body: .init(string: table.csv()))
        case .schema:
            headers.replaceOrAdd(name: .contentType, value: "application/schema+json; charset=utf-8")
            return Response(status: .ok, headers: headers, body: .init(data: table.schema(base: OpenDataAPIController.base(req), today: req.caller.today)))
        }
    }
}
