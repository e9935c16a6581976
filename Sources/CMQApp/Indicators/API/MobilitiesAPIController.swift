import CMQDomain
import Vapor

/// `/api/v1/campus/{campusID}/mobilites/{annee}`: a campus's international mobilities of a school year, line by line.
struct MobilitiesAPIController {
    @Sendable func get(req: Request) async throws -> MobilitiesDTO {
        let (id, year) = try ActivityReportAPIController.target(req)
        return MobilitiesDTO(try await MobilityService(db: req.db, caller: req.caller).lines(campusID: id, year: year))
    }

    @Sendable func replace(req: Request) async throws -> MobilitiesDTO {
        let (id, year) = try ActivityReportAPIController.target(req)
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let lines = MobilityInputs.lines(&reader)
        try reader.finish()
        return MobilitiesDTO(try await MobilityService(db: req.db, caller: req.caller).replace(campusID: id, year: year, lines: lines))
    }
}

/// The fields of a mobility line, read the same way by the API and the page's form.
enum MobilityInputs {
    /// `mobilites`: the array of lines (required, may be empty).
    static func lines(_ reader: inout InputReader) -> [MobilityLine] {
        guard case .set(let lines) = reader.objects("mobilites", readElement: line) else {
            // Absent, null or not an array: the field's own hint (after the type's error, if any).
            if !reader.hasErrors || reader.errors.last?.field == "mobilites" {
                reader.fail("mobilites", "Donnez la liste des mobilités de l'année (« mobilites », vide pour les retirer toutes).")
            }
            return []
        }
        if lines.count > MobilityRules.maximumLines { reader.fail("mobilites", "Au plus \(MobilityRules.maximumLines) lignes de mobilités par année scolaire.") }
        return lines
    }

    static func line(_ reader: inout InputReader) -> MobilityLine? {
        let direction = reader.choice("sens", MobilityDirection.self, required: true).value ?? nil
        let audience = reader.choice("public", MobilityAudience.self, required: true).value ?? nil
        let country = reader.text("pays", required: true, maxLength: 2).value ?? nil
        let count = reader.integer("nombre", required: true, range: 1...MobilityRules.maximumCount).value ?? nil
        guard let direction, let audience, let country, let count else { return nil }
        let code = country.uppercased()
        if MobilityCountries.name(code) == nil {
            reader.fail("pays", "« \(country) » n'est pas un pays étranger : code ISO 3166-1 à deux lettres attendu (DE, ES, IT…), hors France.")
            return nil
        }
        return MobilityLine(direction: direction, audience: audience, country: code, count: count)
    }
}

struct MobilitiesDTO: Content {
    struct Line: Content {
        var sens: String
        var `public`: String
        var pays: String
        var paysNom: String
        var nombre: Int
    }

    var campusId: UUID
    var annee: String
    var modifiable: Bool
    var mobilites: [Line]
    var sortantes: Int
    var entrantes: Int

    init(_ year: MobilityService.YearLines) {
        campusId = year.campus.id!
        annee = year.year.description
        modifiable = year.canEdit
        mobilites = year.lines.map {
            Line(sens: $0.direction.rawValue, public: $0.audience.rawValue, pays: $0.country, paysNom: MobilityCountries.name($0.country) ?? $0.country, nombre: $0.count)
        }
        let totals = MobilityRules.totals(year.lines)
        sortantes = totals[.sortante] ?? 0
        entrantes = totals[.entrante] ?? 0
    }
}
