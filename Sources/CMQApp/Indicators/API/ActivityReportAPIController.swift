import CMQDomain
import Vapor

/// `/api/v1/campus/{campusID}/rapports/{annee}…`: a campus's annual activity report.
struct ActivityReportAPIController {
    @Sendable func get(req: Request) async throws -> ActivityReportDTO {
        let (id, year) = try Self.target(req)
        return try ActivityReportDTO(try await ActivityReportService(db: req.db, caller: req.caller).report(campusID: id, year: year))
    }

    /// The report's figures as CSV (`;`, UTF-8 with a byte-order mark for spreadsheets): one line per figure, under
    /// its section, with the state of the report (frozen figures once transmitted).
    @Sendable func csv(req: Request) async throws -> Response {
        let (id, year) = try Self.target(req)
        let dto = try ActivityReportDTO(try await ActivityReportService(db: req.db, caller: req.caller).report(campusID: id, year: year))
        let header = ["annee_scolaire", "statut_rapport", "chiffres_figes", "section", "code", "indicateur", "unite", "valeur", "annee_precedente", "cible", "echeance"]
        var text = "\u{FEFF}" + header.joined(separator: ";") + "\r\n"
        func number(_ value: Double?) -> String { value.map { $0.rounded() == $0 ? String(Int($0)) : String($0) } ?? "" }
        for section in dto.sections {
            for figure in section.chiffres {
                text += [dto.annee, dto.statut ?? "", dto.chiffresFiges ? "oui" : "non", section.titre, figure.code, figure.libelle, figure.unite,
                         number(figure.valeur), number(figure.precedente), number(figure.cible), figure.echeance ?? ""]
                    .map(FormationCSV.field).joined(separator: ";") + "\r\n"
            }
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"rapport-activite-\(dto.annee)-\(id.uuidString.lowercased()).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    @Sendable func saveTexts(req: Request) async throws -> ActivityReportDTO {
        let (id, year) = try Self.target(req)
        var reader = InputReader(object: try req.jsonObject(), mode: .update)
        let texts = ActivityReportInputs.texts(&reader)
        try reader.finish()
        return try ActivityReportDTO(try await ActivityReportService(db: req.db, caller: req.caller).saveTexts(campusID: id, year: year, texts: texts))
    }

    @Sendable func transmit(req: Request) async throws -> ActivityReportDTO {
        let (id, year) = try Self.target(req)
        return try ActivityReportDTO(try await ActivityReportService(db: req.db, caller: req.caller).transmit(campusID: id, year: year))
    }

    @Sendable func acknowledge(req: Request) async throws -> ActivityReportDTO {
        let (id, year) = try Self.target(req)
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let comment = ActivityReportInputs.comment(&reader)
        try reader.finish()
        return try ActivityReportDTO(try await ActivityReportService(db: req.db, caller: req.caller).acknowledge(campusID: id, year: year, comment: comment))
    }

    static func target(_ req: Request) throws -> (UUID, SchoolYear) {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        return (id, try IndicatorsAPIController.year(req.parameters.get("annee") ?? ""))
    }
}

/// The fields of the report's bodies and forms.
enum ActivityReportInputs {
    /// One optional text per section, keyed by the section's code; at least one section.
    static func texts(_ reader: inout InputReader) -> [ReportSection: String] {
        var texts: [ReportSection: String] = [:]
        for section in ReportSection.allCases {
            if case .set(let text) = reader.text(section.rawValue, maxLength: ReportRules.maximumSectionLength) { texts[section] = text ?? "" }
        }
        if texts.isEmpty, !reader.hasErrors {
            reader.fail("sections", "Indiquez au moins une section à écrire (\(ReportSection.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        return texts
    }

    static func comment(_ reader: inout InputReader) -> String? {
        reader.text("commentaire", maxLength: ReportRules.maximumCommentLength).value.flatMap { $0.isEmpty ? nil : $0 }
    }
}

struct ActivityReportDTO: Content {
    struct Section: Content {
        var code: String
        var titre: String
        var texte: String
        var chiffres: [ActivityReportService.Figure]
    }

    struct Event: Content {
        var statut: String
        var le: Date
        var auteur: String
        var commentaire: String?
    }

    var campusId: UUID
    var annee: String
    /// `brouillon`, `transmis`, `pris-en-compte`; null before the first text is written.
    var statut: String?
    /// The figures are those frozen at transmission.
    var chiffresFiges: Bool
    var commentaireRegion: String?
    var sections: [Section]
    var historique: [Event]
    var modifiable: Bool
    var peutPrendreEnCompte: Bool

    init(_ report: ActivityReportService.Report) throws {
        campusId = try report.campus.requireID()
        annee = report.year.description
        statut = report.status?.rawValue
        chiffresFiges = report.frozen
        commentaireRegion = report.comment
        sections = ReportSection.allCases.map { section in
            let families = Set(section.families.map(\.rawValue))
            return Section(code: section.rawValue, titre: section.title, texte: report.texts[section] ?? "",
                           chiffres: report.figures.filter { families.contains($0.famille) })
        }
        historique = report.history.map { Event(statut: $0.statut.rawValue, le: $0.le, auteur: $0.auteur, commentaire: $0.commentaire) }
        modifiable = report.canWrite && (report.status == nil || report.status == .brouillon)
        peutPrendreEnCompte = report.canReview && report.status == .transmis
    }
}
