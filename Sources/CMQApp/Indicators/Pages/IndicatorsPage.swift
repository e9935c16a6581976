import CMQDomain
import Vapor

/// `/campus/{id}/indicateurs`: a campus's indicators for a school year, by family, each with the year before, its
/// target and how far along it is; for those who may, a form for each entered value and each target.
struct IndicatorsPage: Encodable {
    struct Row: Encodable {
        var code: String
        var libelle: String
        var definition: String
        var source: String
        var isEntered: Bool
        var isPublic: Bool
        var value: String
        var previous: String
        var trend: String?
        var target: String?
        /// 0–100, for the bar; nil without a target.
        var progress: Int?
        var progressText: String?
        /// The form's current values (editors).
        var rawValue: String
        var rawInitial: String
        var rawTarget: String
        var rawDeadline: String
    }

    struct Family: Encodable {
        var id: String
        var label: String
        var rows: [Row]
    }

    var page: PageMeta
    var campusNom: String
    var campusURL: String
    var pageURL: String
    var valueAction: String
    var targetAction: String
    var annee: String
    var years: [OptionItem]
    var canEdit: Bool
    /// The school year's activity report (for those who may read it).
    var reportURL: String?
    /// The campus's dashboard (charts) for the same school year.
    var dashboardURL: String
    var mobilitiesURL: String?
    var families: [Family]
    var errors: [String]

    static func make(_ board: IndicatorService.Board, today: CalendarDay, errors: [FieldError] = []) throws -> IndicatorsPage {
        let id = try board.campus.requireID()
        let current = SchoolYear(containing: today)
        let years = (0..<6).map { SchoolYear(startYear: current.startYear - $0) }
        let families = IndicatorFamily.allCases.compactMap { family -> Family? in
            let rows = board.lines.filter { $0.indicator.family == family }.map { row($0) }
            return rows.isEmpty ? nil : Family(id: "famille-\(family.rawValue)", label: family.label, rows: rows)
        }
        return IndicatorsPage(
            page: PageMeta(title: "Indicateurs \(board.year) — \(board.campus.nom)",
                           description: "Les indicateurs du campus \(board.campus.nom) pour l'année scolaire \(board.year) : réseau, offre, plateaux techniques, ouverture internationale, gouvernance."),
            campusNom: board.campus.nom, campusURL: RegistryURL.campus(id).path, pageURL: IndicatorsURL.page(id).path,
            valueAction: IndicatorsURL.valueForm(id).path, targetAction: IndicatorsURL.targetForm(id).path,
            annee: board.year.description,
            years: years.map { OptionItem(value: $0.description, label: $0.description, selected: $0 == board.year) },
            canEdit: board.canEdit,
            reportURL: board.canEdit ? IndicatorsURL.report(campus: id, annee: board.year.description).path : nil,
            dashboardURL: DashboardURL.campus(id).path(query: ["annee": board.year.description]),
            mobilitiesURL: board.canEdit ? IndicatorsURL.mobilities(campus: id, annee: board.year.description).path : nil,
            families: families,
            errors: errors.map { $0.detail })
    }

    static func row(_ line: IndicatorService.Line) -> Row {
        let unit = line.indicator.unit
        var trend: String?
        if let value = line.value, let previous = line.previous {
            trend = value > previous ? "en hausse" : (value < previous ? "en baisse" : "stable")
        }
        let progress = line.progress.map { Int(($0 * 100).rounded()) }
        return Row(
            code: line.indicator.code, libelle: line.indicator.libelle, definition: line.indicator.definition,
            source: line.indicator.isEntered ? "saisi par le campus" : "calculé par cmq",
            isEntered: line.indicator.isEntered, isPublic: line.indicator.isPublic,
            value: line.value.map(unit.format) ?? (line.indicator.isEntered ? "non saisi" : "—"),
            previous: line.previous.map(unit.format) ?? "—", trend: trend,
            target: line.target.map { "\(unit.format($0.target)) au \($0.deadline.frenchLong) (initiale : \(unit.format($0.initial)))" },
            progress: progress, progressText: progress.map { "\($0) % du chemin vers la cible" },
            rawValue: line.value.map { Self.raw($0) } ?? "",
            rawInitial: line.target.map { Self.raw($0.initial) } ?? "", rawTarget: line.target.map { Self.raw($0.target) } ?? "",
            rawDeadline: line.target?.deadline.iso ?? "")
    }

    /// A number as a form field holds it: "12", "42.5".
    static func raw(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

struct IndicatorsPageController {
    @Sendable func page(req: Request) async throws -> View {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        var reader = QueryReader(req.queryParameters)
        let year = reader.schoolYear(today: req.caller.today)
        try reader.finish()
        let board = try await IndicatorService(db: req.db, caller: req.caller).board(campusID: id, year: year)
        return try await req.view.render("indicateurs", IndicatorsPage.make(board, today: req.caller.today))
    }

    @Sendable func saveValue(req: Request) async throws -> Response {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let values = try FormValues(req)
        let year = SchoolYear(values.fields["annee"] ?? "") ?? SchoolYear(containing: req.caller.today)
        return try await req.submitForm(values, show: { state in try await Self.show(req, id, year, state) }) {
            var reader = InputReader(form: values, mode: .create)
            let value = reader.number("valeur", required: true, range: IndicatorInputs.valueRange).value
            _ = reader.text("code", required: true, maxLength: 20)
            _ = reader.text("annee", required: true, maxLength: 9)
            try reader.finish()
            guard let value else { throw AppError.validation(reader.errors) }
            let code = values.fields["code"] ?? ""
            let year = try IndicatorsAPIController.year(values.fields["annee"] ?? "")
            _ = try await IndicatorService(db: req.db, caller: req.caller).setValue(campusID: id, code: code, year: year, value: value)
            return IndicatorsURL.page(id).path(query: ["annee": year.description]) + "#indicateur-\(code)"
        }
    }

    @Sendable func saveTarget(req: Request) async throws -> Response {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let values = try FormValues(req)
        let year = SchoolYear(values.fields["annee"] ?? "") ?? SchoolYear(containing: req.caller.today)
        return try await req.submitForm(values, show: { state in try await Self.show(req, id, year, state) }) {
            var reader = InputReader(form: values, mode: .create)
            let target = IndicatorInputs.target(&reader)
            _ = reader.text("code", required: true, maxLength: 20)
            _ = reader.text("annee", maxLength: 9)
            try reader.finish()
            guard let target else { throw AppError.validation(reader.errors) }
            let code = values.fields["code"] ?? ""
            _ = try await IndicatorService(db: req.db, caller: req.caller).setTarget(campusID: id, code: code, target: target)
            return IndicatorsURL.page(id).path(query: ["annee": year.description]) + "#indicateur-\(code)"
        }
    }

    /// The page again, with the refusal's reasons at its top.
    static func show(_ req: Request, _ id: UUID, _ year: SchoolYear, _ state: FormState) async throws -> View {
        let board = try await IndicatorService(db: req.db, caller: req.caller).board(campusID: id, year: year)
        return try await req.view.render("indicateurs", IndicatorsPage.make(board, today: req.caller.today, errors: state.errors))
    }
}
