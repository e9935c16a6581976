import CMQDomain
import Vapor

/// `/campus/{id}/rapports/{annee}`: the activity report as a document (it prints on A4), with the forms of its
/// states for those allowed: the team writes and transmits it, the région acknowledges it.
struct ActivityReportPage: Encodable {
    struct FigureRow: Encodable {
        var libelle: String
        var value: String
        var previous: String
        var target: String
    }

    struct Section: Encodable {
        var id: String
        var code: String
        var title: String
        var text: String
        var paragraphs: [String]
        var figures: [FigureRow]
    }

    struct Event: Encodable {
        var label: String
        var date: String
        var author: String
        var comment: String?
    }

    var page: PageMeta
    var campusNom: String
    var campusURL: String
    var indicatorsURL: String
    var csvURL: String
    var jsonURL: String
    var annee: String
    var status: String
    var frozen: Bool
    var comment: String?
    var sections: [Section]
    var history: [Event]
    var canWrite: Bool
    var canTransmit: Bool
    var canReview: Bool
    var textsAction: String
    var transmitAction: String
    var acknowledgeAction: String
    var errors: [String]

    static func make(_ report: ActivityReportService.Report, errors: [FieldError] = [], texts: [String: String]? = nil) throws -> ActivityReportPage {
        let id = try report.campus.requireID()
        let year = report.year.description
        let dto = try ActivityReportDTO(report)
        let sections = dto.sections.map { section in
            let text = texts?[section.code] ?? section.texte
            return Section(id: "section-\(section.code)", code: section.code, title: section.titre, text: text,
                           paragraphs: text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                           figures: section.chiffres.map(Self.row))
        }
        return ActivityReportPage(
            page: PageMeta(title: "Rapport d'activité \(year) — \(report.campus.nom)", section: "gestion"),
            campusNom: report.campus.nom, campusURL: RegistryURL.campus(id).path,
            indicatorsURL: IndicatorsURL.page(id).path(query: ["annee": year]),
            csvURL: IndicatorsURL.apiReportCSV(campus: id, annee: year).path, jsonURL: IndicatorsURL.apiReport(campus: id, annee: year).path,
            annee: year,
            status: report.status?.label ?? "Pas encore commencé", frozen: report.frozen, comment: report.comment,
            sections: sections,
            history: report.history.map { Event(label: $0.statut.label, date: CalendarDay(date: $0.le).frenchLong, author: $0.auteur, comment: $0.commentaire) },
            canWrite: dto.modifiable, canTransmit: dto.modifiable && report.status == .brouillon, canReview: dto.peutPrendreEnCompte,
            textsAction: IndicatorsURL.reportTextsForm(campus: id, annee: year).path,
            transmitAction: IndicatorsURL.reportTransmissionForm(campus: id, annee: year).path,
            acknowledgeAction: IndicatorsURL.reportAcknowledgmentForm(campus: id, annee: year).path,
            errors: errors.map(\.detail))
    }

    static func row(_ figure: ActivityReportService.Figure) -> FigureRow {
        let unit = IndicatorUnit(rawValue: figure.unite) ?? .nombre
        return FigureRow(libelle: figure.libelle, value: figure.valeur.map(unit.format) ?? "—", previous: figure.precedente.map(unit.format) ?? "—",
                         target: figure.cible.map { unit.format($0) + (figure.echeance.flatMap(CalendarDay.init(iso:)).map { " au \($0.frenchLong)" } ?? "") } ?? "—")
    }
}

struct ActivityReportPageController {
    @Sendable func page(req: Request) async throws -> View {
        let (id, year) = try ActivityReportAPIController.target(req)
        let report = try await ActivityReportService(db: req.db, caller: req.caller).report(campusID: id, year: year)
        return try await req.view.render("rapport", ActivityReportPage.make(report))
    }

    @Sendable func saveTexts(req: Request) async throws -> Response {
        let (id, year) = try ActivityReportAPIController.target(req)
        let values = try FormValues(req)
        return try await submit(req, id, year, values) {
            var reader = InputReader(form: values, mode: .update)
            let texts = ActivityReportInputs.texts(&reader)
            try reader.finish(ignoring: ["_csrf"])
            _ = try await ActivityReportService(db: req.db, caller: req.caller).saveTexts(campusID: id, year: year, texts: texts)
        }
    }

    @Sendable func transmit(req: Request) async throws -> Response {
        let (id, year) = try ActivityReportAPIController.target(req)
        let values = try FormValues(req)
        return try await submit(req, id, year, values) {
            _ = try await ActivityReportService(db: req.db, caller: req.caller).transmit(campusID: id, year: year)
        }
    }

    @Sendable func acknowledge(req: Request) async throws -> Response {
        let (id, year) = try ActivityReportAPIController.target(req)
        let values = try FormValues(req)
        return try await submit(req, id, year, values) {
            var reader = InputReader(form: values, mode: .create)
            let comment = ActivityReportInputs.comment(&reader)
            try reader.finish(ignoring: ["_csrf"])
            _ = try await ActivityReportService(db: req.db, caller: req.caller).acknowledge(campusID: id, year: year, comment: comment)
        }
    }

    /// Writes, then back to the report; a refusal shows the report again with its reasons and the texts typed.
    private func submit(_ req: Request, _ id: UUID, _ year: SchoolYear, _ values: FormValues, write: @escaping () async throws -> Void) async throws -> Response {
        try await req.submitForm(values, show: { state in
            let report = try await ActivityReportService(db: req.db, caller: req.caller).report(campusID: id, year: year)
            return try await req.view.render("rapport", ActivityReportPage.make(report, errors: state.errors, texts: values.fields))
        }) {
            try await write()
            return IndicatorsURL.report(campus: id, annee: year.description).path
        }
    }
}
