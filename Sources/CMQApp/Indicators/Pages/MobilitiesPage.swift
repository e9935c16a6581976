import CMQDomain
import Vapor

/// `/campus/{id}/mobilites/{annee}`: a campus's international mobilities of a school year, line by line (direction,
/// public, country), their totals (the indicators INT-01 and INT-02), and for its team the forms to add, change and
/// remove a line.
struct MobilitiesPage: Encodable {
    struct Line: Encodable {
        var sens: String
        var publicLabel: String
        var pays: String
        var nombre: Int
        var direction: String
        var audience: String
        var code: String
    }

    var page: PageMeta
    var campusNom: String
    var campusURL: String
    var indicatorsURL: String
    var annee: String
    var lines: [Line]
    var sortantes: Int
    var entrantes: Int
    var canEdit: Bool
    var setAction: String
    var removeAction: String
    var directions: [OptionItem]
    var audiences: [OptionItem]
    var countries: [OptionItem]
    var nombre: String
    var errors: [String]

    static func make(_ year: MobilityService.YearLines, state: FormState? = nil) throws -> MobilitiesPage {
        let id = try year.campus.requireID()
        let annee = year.year.description
        let totals = MobilityRules.totals(year.lines)
        let chosen = { (key: String) in state?.values.fields[key] ?? "" }
        return MobilitiesPage(
            page: PageMeta(title: "\(state?.errors.isEmpty == false ? "Erreur : " : "")Mobilités internationales \(annee) — \(year.campus.nom)", section: "gestion"),
            campusNom: year.campus.nom, campusURL: RegistryURL.campus(id).path,
            indicatorsURL: IndicatorsURL.page(id).path(query: ["annee": annee]) + "#indicateur-INT-01", annee: annee,
            lines: year.lines.map { line in
                Line(sens: line.direction.label, publicLabel: line.audience.label, pays: MobilityCountries.name(line.country) ?? line.country,
                     nombre: line.count, direction: line.direction.rawValue, audience: line.audience.rawValue, code: line.country)
            },
            sortantes: totals[.sortante] ?? 0, entrantes: totals[.entrante] ?? 0, canEdit: year.canEdit,
            setAction: IndicatorsURL.mobilityForm(campus: id, annee: annee).path,
            removeAction: IndicatorsURL.mobilityRemovalForm(campus: id, annee: annee).path,
            directions: MobilityDirection.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: chosen("sens") == $0.rawValue) },
            audiences: MobilityAudience.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: chosen("public") == $0.rawValue) },
            countries: [OptionItem(value: "", label: "Choisissez un pays", selected: chosen("pays").isEmpty)]
                + MobilityCountries.all.map { OptionItem(value: $0.code, label: $0.name, selected: chosen("pays") == $0.code) },
            nombre: chosen("nombre"),
            errors: state?.errors.map(\.detail) ?? [])
    }
}

struct MobilitiesPageController {
    @Sendable func page(req: Request) async throws -> View {
        let (id, year) = try ActivityReportAPIController.target(req)
        return try await req.view.render("mobilites", MobilitiesPage.make(try await MobilityService(db: req.db, caller: req.caller).lines(campusID: id, year: year)))
    }

    /// Adds a line, or changes the number of the line of the same direction, public and country.
    @Sendable func set(req: Request) async throws -> Response {
        let (id, year) = try ActivityReportAPIController.target(req)
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in try await Self.show(req, id, year, state) }) {
            var reader = InputReader(form: values, mode: .create)
            let line = MobilityInputs.line(&reader)
            try reader.finish()
            guard let line else { throw AppError.validation(reader.errors) }
            _ = try await MobilityService(db: req.db, caller: req.caller).set(campusID: id, year: year, line: line)
            return IndicatorsURL.mobilities(campus: id, annee: year.description).path
        }
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let (id, year) = try ActivityReportAPIController.target(req)
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in try await Self.show(req, id, year, state) }) {
            var reader = InputReader(form: values, mode: .create)
            let direction = reader.choice("sens", MobilityDirection.self, required: true).value ?? nil
            let audience = reader.choice("public", MobilityAudience.self, required: true).value ?? nil
            let country = reader.text("pays", required: true, maxLength: 2).value ?? nil
            try reader.finish()
            guard let direction, let audience, let country else { throw AppError.validation(reader.errors) }
            let key = MobilityLine(direction: direction, audience: audience, country: country, count: 0).key
            _ = try await MobilityService(db: req.db, caller: req.caller).remove(campusID: id, year: year, key: key)
            return IndicatorsURL.mobilities(campus: id, annee: year.description).path
        }
    }

    static func show(_ req: Request, _ id: UUID, _ year: SchoolYear, _ state: FormState) async throws -> View {
        try await req.view.render("mobilites", MobilitiesPage.make(try await MobilityService(db: req.db, caller: req.caller).lines(campusID: id, year: year), state: state))
    }
}
