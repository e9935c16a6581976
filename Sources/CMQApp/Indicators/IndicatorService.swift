import CMQDomain
import Fluent
import Foundation
import SQLKit

/// A campus's indicators for a school year: the catalogue's computed ones, the values its team enters, and its
/// targets. Everyone reads the public indicators of a campus; those who may update the campus (its team, its
/// région, the national level) read every indicator and enter values and targets.
struct IndicatorService {
    let db: any Database
    let caller: Caller
    /// Where the dashboards keep the computed values (this instance's cache; none: computed on each read).
    var figuresCache: IndicatorFiguresCache? = nil

    // MARK: the catalogue

    /// The shipped catalogue and the files loaded after it.
    static func catalog(on db: any Database) async throws -> IndicatorCatalog {
        var catalog = IndicatorCatalog.shipped
        for record in try await IndicatorCatalogueRecord.query(on: db).sort(\.$chargeLe).all() {
            if let indicators = try? IndicatorCatalog.decode(Data(record.contenu.utf8)), let extended = try? catalog.adding(indicators) {
                catalog = extended
            }
        }
        return catalog
    }

    /// Checks a catalogue file against the catalogue in force and keeps it; every problem is reported, nothing of a
    /// file with a problem is kept.
    static func load(_ data: Data, now: Date, on db: any Database) async throws -> [Indicator] {
        let indicators: [Indicator]
        do {
            indicators = try IndicatorCatalog.decode(data)
            _ = try await catalog(on: db).adding(indicators)
        } catch let error as IndicatorCatalogError {
            throw AppError.validation(error.problems.map { FieldError("indicateurs", $0) })
        }
        try await db.writeTransaction { db in
            try await IndicatorCatalogueRecord(contenu: String(decoding: data, as: UTF8.self), codes: indicators.map(\.code), chargeLe: now).create(on: db)
        }
        return indicators
    }

    // MARK: reading

    struct Line: Sendable {
        var indicator: Indicator
        var value: Double?
        /// The value of the school year before, for the trend.
        var previous: Double?
        var target: IndicatorTarget?
        /// When an entered value was last written.
        var enteredAt: Date?

        var progress: Double? { value.flatMap { target?.progress($0, direction: indicator.direction) } }
    }

    struct Board: Sendable {
        var campus: Campus
        var year: SchoolYear
        var lines: [Line]
        /// The caller may enter values and targets (and sees the indicators that are not public).
        var canEdit: Bool
    }

    /// `everything`: the indicators that are not public too, for a reader whose rights were checked otherwise (the
    /// activity report's).
    func board(campusID: UUID, year: SchoolYear, everything: Bool = false) async throws -> Board {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        let canEdit = caller.may(.update, .campus(id: campusID, regionCode: campus.regionCode))
        let indicators = try await Self.catalog(on: db).indicators.filter { canEdit || everything || $0.isPublic }
        let computations = Set(indicators.compactMap { indicator -> IndicatorComputation? in
            if case .computed(let computation) = indicator.source { computation } else { nil }
        })
        let computer = IndicatorComputer(db: db)
        let current = try await computer.compute(computations, campus: campus, year: year, today: caller.today)
        // The year before: as its transmitted activity report froze it (what the campus reported), the rest computed.
        let frozen = try await Self.frozenFigures(campusID: campusID, year: year.previous, on: db)
        let codes = Dictionary(indicators.compactMap { indicator -> (IndicatorComputation, String)? in
            if case .computed(let computation) = indicator.source { (computation, indicator.code) } else { nil }
        }, uniquingKeysWith: { a, _ in a })
        var before = try await computer.compute(computations.filter { frozen[codes[$0] ?? ""] == nil }, campus: campus, year: year.previous, today: caller.today)
        for computation in computations {
            if let code = codes[computation], let figure = frozen[code] { before[computation] = figure.valeur }
        }
        let entered = try await IndicatorValueRecord.query(on: db).filter(\.$campus.$id == campusID)
            .filter(\.$annee ~~ [year.startYear, year.previous.startYear]).all()
        let targets = Dictionary(try await IndicatorTargetRecord.query(on: db).filter(\.$campus.$id == campusID).all().map { ($0.code, $0) },
                                 uniquingKeysWith: { a, _ in a })
        let lines = indicators.map { indicator -> Line in
            var line = Line(indicator: indicator, target: targets[indicator.code]?.domain)
            switch indicator.source {
            case .computed(let computation):
                line.value = current[computation]
                line.previous = before[computation]
            case .entered:
                let mine = entered.filter { $0.code == indicator.code }
                let this = mine.first { $0.annee == year.startYear }
                line.value = this?.valeur
                line.enteredAt = this?.modifieLe
                line.previous = mine.first { $0.annee == year.previous.startYear }?.valeur
            }
            return line
        }
        return Board(campus: campus, year: year, lines: lines, canEdit: canEdit)
    }

    /// The figures a transmitted activity report froze, by indicator code (none for a draft or no report).
    static func frozenFigures(campusID: UUID, year: SchoolYear, on db: any Database) async throws -> [String: ActivityReportService.Figure] {
        guard let figures = try await ActivityReportRecord.query(on: db).filter(\.$campus.$id == campusID)
            .filter(\.$annee == year.startYear).first()?.frozenFigures else { return [:] }
        return Dictionary(figures.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: writing

    /// Enters (or corrects) the value of an entered indicator for a school year that has begun.
    func setValue(campusID: UUID, code: String, year: SchoolYear, value: Double) async throws -> Line {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .campus(id: campusID, regionCode: campus.regionCode))
        let indicator = try await indicator(code)
        guard indicator.isEntered else {
            throw AppError.validation([FieldError("valeur", "« \(indicator.libelle) » est calculé par cmq à partir de ses données : il ne se saisit pas.")])
        }
        try Self.check(value, of: indicator, field: "valeur")
        guard year.firstDay <= caller.today else {
            throw AppError.validation([FieldError("annee", "L'année scolaire \(year) n'a pas commencé : sa valeur ne peut pas encore être saisie.")])
        }
        let now = caller.clock.now()
        let actor = caller.actor?.userID
        let audit = caller.audit
        try await db.writeTransaction { db in
            let before = try await IndicatorValueRecord.query(on: db).filter(\.$campus.$id == campusID)
                .filter(\.$code == code).filter(\.$annee == year.startYear).first()?.auditSnapshot
            // One statement, whoever writes at the same time: the row is created or its value replaced.
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.insert(into: IndicatorValueRecord.schema)
                .columns("id", "campus_id", "code", "annee", "valeur", "modifie_le", "modifie_par")
                .values(SQLBind(UUID()), SQLBind(campusID), SQLBind(code), SQLBind(year.startYear), SQLBind(value), SQLBind(now), SQLBind(actor))
                .onConflict(with: ["campus_id", "code", "annee"]) { $0.set(excludedValueOf: "valeur").set(excludedValueOf: "modifie_le").set(excludedValueOf: "modifie_par") }
                .run()
            guard let record = try await IndicatorValueRecord.query(on: db).filter(\.$campus.$id == campusID)
                .filter(\.$code == code).filter(\.$annee == year.startYear).first() else { return }
            try await audit.record(before == nil ? .create : .update, record, id: try record.requireID(), before: before, on: db)
        }
        return try await board(campusID: campusID, year: year).lines.first { $0.indicator.code == code }!
    }

    /// Sets a campus's target on an indicator: the initial value, the value to reach, and by when.
    func setTarget(campusID: UUID, code: String, target: IndicatorTarget) async throws -> IndicatorTarget {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .campus(id: campusID, regionCode: campus.regionCode))
        let indicator = try await indicator(code)
        try Self.check(target.initial, of: indicator, field: "initiale")
        try Self.check(target.target, of: indicator, field: "cible")
        guard target.isConsistent(with: indicator.direction) else {
            throw AppError.validation([FieldError("cible", "Pour « \(indicator.libelle) », \(indicator.direction.label) : la cible doit aller dans ce sens depuis la valeur initiale.")])
        }
        let now = caller.clock.now()
        let audit = caller.audit
        try await db.writeTransaction { db in
            let before = try await IndicatorTargetRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$code == code).first()?.auditSnapshot
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.insert(into: IndicatorTargetRecord.schema)
                .columns("id", "campus_id", "code", "initiale", "cible", "echeance", "modifie_le")
                .values(SQLBind(UUID()), SQLBind(campusID), SQLBind(code), SQLBind(target.initial), SQLBind(target.target),
                        SQLBind(target.deadline.iso), SQLBind(now))
                .onConflict(with: ["campus_id", "code"]) {
                    $0.set(excludedValueOf: "initiale").set(excludedValueOf: "cible").set(excludedValueOf: "echeance").set(excludedValueOf: "modifie_le")
                }
                .run()
            guard let record = try await IndicatorTargetRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$code == code).first() else { return }
            try await audit.record(before == nil ? .create : .update, record, id: try record.requireID(), before: before, on: db)
        }
        return target
    }

    private func indicator(_ code: String) async throws -> Indicator {
        guard let indicator = try await Self.catalog(on: db).indicator(code: code) else {
            throw AppError.notFound("Aucun indicateur n'a le code « \(code) ».")
        }
        return indicator
    }

    private static func check(_ value: Double, of indicator: Indicator, field: String) throws {
        guard value.isFinite, indicator.unit.bounds.contains(value) else {
            let bounds = indicator.unit.bounds
            throw AppError.validation([FieldError(field, "La valeur doit être comprise entre \(indicator.unit.format(bounds.lowerBound)) et \(indicator.unit.format(bounds.upperBound)).")])
        }
    }
}

extension IndicatorValueRecord: Audited {
    static var auditEntity: String { "indicateur-valeur" }
    var auditLabel: String { "\(code) \(SchoolYear(startYear: annee).description)" }
    var auditSnapshot: [String: String] { ["code": code, "annee": SchoolYear(startYear: annee).description, "valeur": String(valeur)] }
}

extension IndicatorTargetRecord: Audited {
    static var auditEntity: String { "indicateur-cible" }
    var auditLabel: String { code }
    var auditSnapshot: [String: String] { ["code": code, "initiale": String(initiale), "cible": String(cible), "echeance": echeance] }
}
