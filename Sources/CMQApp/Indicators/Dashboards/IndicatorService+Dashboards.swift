import CMQDomain
import Fluent
import Foundation

/// What the dashboards read of the indicators: one indicator for many campuses, and one campus over several
/// school years. A school year whose activity report was transmitted shows the report's frozen figures, as the
/// report does; the others today's figures.
extension IndicatorService {
    /// The value of `indicator` for each campus in a school year (a campus without a value is absent).
    func values(of indicator: Indicator, campuses: [Campus], year: SchoolYear) async throws -> [UUID: Double] {
        let ids = try campuses.map { try $0.requireID() }
        guard !ids.isEmpty else { return [:] }
        var result: [UUID: Double] = [:]
        switch indicator.source {
        case .computed(let computation):
            for campus in campuses {
                if let value = try await computed([computation], campus: campus, year: year)[computation] {
                    result[try campus.requireID()] = value
                }
            }
        case .entered:
            for record in try await IndicatorValueRecord.query(on: db).filter(\.$campus.$id ~~ ids)
                .filter(\.$code == indicator.code).filter(\.$annee == year.startYear).all() {
                result[record.$campus.id] = record.valeur
            }
        }
        for (campusID, figures) in try await frozenFigures(campusIDs: ids, years: [year]) {
            if let figure = figures[year.startYear]?.first(where: { $0.code == indicator.code }) {
                result[campusID] = figure.valeur
            }
        }
        return result
    }

    /// Each indicator's values of a campus over `years` (code → school year's start → value).
    func history(campus: Campus, indicators: [Indicator], years: [SchoolYear]) async throws -> [String: [Int: Double]] {
        let campusID = try campus.requireID()
        var result: [String: [Int: Double]] = [:]
        let computations = Set(indicators.compactMap { indicator -> IndicatorComputation? in
            if case .computed(let computation) = indicator.source { computation } else { nil }
        })
        let entered = try await IndicatorValueRecord.query(on: db).filter(\.$campus.$id == campusID)
            .filter(\.$annee ~~ years.map(\.startYear)).all()
        let frozen = try await frozenFigures(campusIDs: [campusID], years: years)[campusID] ?? [:]
        for year in years {
            let computed = try await computed(computations, campus: campus, year: year)
            for indicator in indicators {
                var value: Double?
                switch indicator.source {
                case .computed(let computation): value = computed[computation]
                case .entered: value = entered.first { $0.code == indicator.code && $0.annee == year.startYear }?.valeur
                }
                if let figures = frozen[year.startYear], let figure = figures.first(where: { $0.code == indicator.code }) {
                    value = figure.valeur
                }
                if let value { result[indicator.code, default: [:]][year.startYear] = value }
            }
        }
        return result
    }

    /// The computed values of a campus for a school year, from this instance's cache when it has them.
    private func computed(_ wanted: Set<IndicatorComputation>, campus: Campus, year: SchoolYear) async throws -> [IndicatorComputation: Double] {
        let computer = IndicatorComputer(db: db)
        let today = caller.today
        guard let figuresCache else { return try await computer.compute(wanted, campus: campus, year: year, today: today) }
        return try await figuresCache.values(wanted, campus: try campus.requireID(), year: year, day: today) { missing in
            try await computer.compute(missing, campus: campus, year: year, today: today)
        }
    }

    /// The figures frozen by the transmitted reports of these campuses and school years.
    private func frozenFigures(campusIDs: [UUID], years: [SchoolYear]) async throws -> [UUID: [Int: [ActivityReportService.Figure]]] {
        var result: [UUID: [Int: [ActivityReportService.Figure]]] = [:]
        let reports = try await ActivityReportRecord.query(on: db).filter(\.$campus.$id ~~ campusIDs)
            .filter(\.$annee ~~ years.map(\.startYear)).filter(\.$statut != .brouillon).all()
        for report in reports {
            guard let figures = report.frozenFigures else { continue }
            result[report.$campus.id, default: [:]][report.annee] = figures
        }
        return result
    }
}
