import CMQDomain
import Vapor

/// `/api/v1/indicateurs` and `/api/v1/campus/{campusID}/indicateurs…`.
struct IndicatorsAPIController {
    @Sendable func catalogue(req: Request) async throws -> [IndicatorDTO] {
        try await IndicatorService.catalog(on: req.db).indicators.map(IndicatorDTO.init)
    }

    @Sendable func board(req: Request) async throws -> IndicatorBoardDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        var reader = QueryReader(req.queryParameters)
        let year = reader.schoolYear(today: req.caller.today)
        try reader.finish()
        return try IndicatorBoardDTO(try await IndicatorService(db: req.db, caller: req.caller).board(campusID: id, year: year))
    }

    @Sendable func setValue(req: Request) async throws -> IndicatorLineDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let code = req.parameters.get("code") ?? ""
        let year = try Self.year(req.parameters.get("annee") ?? "")
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let value = reader.number("valeur", required: true, range: IndicatorInputs.valueRange).value
        try reader.finish()
        guard let value else { throw AppError.validation(reader.errors) }
        return IndicatorLineDTO(try await IndicatorService(db: req.db, caller: req.caller).setValue(campusID: id, code: code, year: year, value: value))
    }

    @Sendable func setTarget(req: Request) async throws -> IndicatorTargetDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let code = req.parameters.get("code") ?? ""
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let target = IndicatorInputs.target(&reader)
        try reader.finish()
        guard let target else { throw AppError.validation(reader.errors) }
        return IndicatorTargetDTO(try await IndicatorService(db: req.db, caller: req.caller).setTarget(campusID: id, code: code, target: target))
    }

    static func year(_ text: String) throws(AppError) -> SchoolYear {
        guard let year = SchoolYear(text) else {
            throw .validation([FieldError("annee", "« \(text) » n'est pas une année scolaire : écrivez-la AAAA-AAAA (2025-2026).")])
        }
        return year
    }
}

/// The fields of the indicator forms and bodies, read the same way by the API and the back-office.
enum IndicatorInputs {
    /// Any value a unit allows (the service then checks the indicator's own unit).
    static let valueRange: ClosedRange<Double> = 0...1_000_000_000

    static func target(_ reader: inout InputReader) -> IndicatorTarget? {
        let initial = reader.number("initiale", required: true, range: valueRange).value
        let target = reader.number("cible", required: true, range: valueRange).value
        let deadline = reader.day("echeance", required: true).value
        guard let initial, let target, let deadline else { return nil }
        return IndicatorTarget(initial: initial, target: target, deadline: deadline)
    }
}

extension QueryReader {
    /// `annee=2025-2026`; the school year of `today` when absent.
    mutating func schoolYear(today: CalendarDay) -> SchoolYear {
        guard let text = raw("annee") else { return SchoolYear(containing: today) }
        guard let year = SchoolYear(text) else {
            fail("annee", "« \(text) » n'est pas une année scolaire : écrivez-la AAAA-AAAA (2025-2026).")
            return SchoolYear(containing: today)
        }
        return year
    }
}

struct IndicatorDTO: Content {
    var code: String
    var libelle: String
    var definition: String
    var unite: String
    var famille: String
    var familleLibelle: String
    /// `calcule` or `saisi`.
    var source: String
    var calcul: String?
    var sens: String
    var `public`: Bool

    init(_ indicator: Indicator) {
        code = indicator.code
        libelle = indicator.libelle
        definition = indicator.definition
        unite = indicator.unit.rawValue
        famille = indicator.family.rawValue
        familleLibelle = indicator.family.label
        switch indicator.source {
        case .computed(let computation):
            source = "calcule"
            calcul = computation.rawValue
        case .entered:
            source = "saisi"
        }
        sens = indicator.direction.rawValue
        `public` = indicator.isPublic
    }
}

struct IndicatorTargetDTO: Content {
    var initiale: Double
    var cible: Double
    var echeance: String

    init(_ target: IndicatorTarget) {
        initiale = target.initial
        cible = target.target
        echeance = target.deadline.iso
    }
}

struct IndicatorLineDTO: Content {
    var indicateur: IndicatorDTO
    /// The school year's value; null when it is not known (an entered value not yet entered, a platform that never opened).
    var valeur: Double?
    /// The value written the French way, with its unit.
    var valeurTexte: String?
    /// The value of the school year before.
    var precedente: Double?
    var cible: IndicatorTargetDTO?
    /// From 0 to 1: the share of the way from the initial value to the target.
    var progression: Double?
    var saisieLe: Date?

    init(_ line: IndicatorService.Line) {
        indicateur = IndicatorDTO(line.indicator)
        valeur = line.value
        valeurTexte = line.value.map(line.indicator.unit.format)
        precedente = line.previous
        cible = line.target.map(IndicatorTargetDTO.init)
        progression = line.progress
        saisieLe = line.enteredAt
    }
}

struct IndicatorBoardDTO: Content {
    var campusId: UUID
    var annee: String
    /// Whether the caller may enter values and targets (and sees the indicators that are not public).
    var modifiable: Bool
    var indicateurs: [IndicatorLineDTO]

    init(_ board: IndicatorService.Board) throws {
        campusId = try board.campus.requireID()
        annee = board.year.description
        modifiable = board.canEdit
        indicateurs = board.lines.map(IndicatorLineDTO.init)
    }
}
