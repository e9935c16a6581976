import CMQDomain
import Fluent
import Foundation

/// Two school years of indicators and activity reports for every demo campus: the year before the current one,
/// its values entered in June, its report transmitted in July and acknowledged by the région in September; the
/// current year, its first values and a draft report. Targets for the label period on four indicators. Everything
/// goes through the indicator and report services, at the dates it would have happened.
struct DemoIndicators {
    let db: any Database

    /// Returns the number of reports written.
    func load(today: CalendarDay) async throws -> Int {
        let current = SchoolYear(containing: today), previous = current.previous
        var reports = 0
        for (index, campus) in try await Campus.query(on: db).sort(\.$nomCle).all().enumerated() {
            let id = try campus.requireID()
            let seed = index + 1
            // The year before: values in June, the report in July, acknowledged in September.
            let june = Self.caller(previous.lastDay.adding(days: -61))
            let indicators = IndicatorService(db: db, caller: june)
            for (code, value) in [("GOU-01", 3), ("GOU-02", 2 + seed % 4), ("GOU-03", 10 + 2 * seed), ("GOU-04", 100)] {
                _ = try await indicators.setValue(campusID: id, code: code, year: previous, value: Double(value))
            }
            // The mobilities, by public and country (INT-01 and INT-02 are their sums).
            _ = try await MobilityService(db: db, caller: june).replace(campusID: id, year: previous, lines: [
                MobilityLine(direction: .sortante, audience: .scolaire, country: ["DE", "ES", "IT", "IE"][seed % 4], count: 2 + seed % 3),
                MobilityLine(direction: .sortante, audience: .apprenti, country: ["ES", "DE", "PT", "BE"][seed % 4], count: 2 + seed % 2),
                MobilityLine(direction: .sortante, audience: .personnel, country: "FI", count: 1),
                MobilityLine(direction: .entrante, audience: .apprenti, country: ["DE", "IT", "PL", "ES"][seed % 4], count: 1 + seed % 3),
            ])
            let board = try await indicators.board(campusID: id, year: previous, everything: true)
            let value = { (code: String) in board.lines.first { $0.indicator.code == code }?.value ?? 0 }
            let deadline = CalendarDay(year: current.startYear + 3, month: 8, day: 31)!
            for (code, target) in [("RES-01", value("RES-01") + 4), ("RES-02", value("RES-02") + 3), ("INT-01", value("INT-01") * 2), ("PLA-03", 40)] {
                _ = try await indicators.setTarget(campusID: id, code: code,
                                                   target: IndicatorTarget(initial: value(code), target: max(target, value(code)), deadline: deadline))
            }
            let reportsService = ActivityReportService(db: db, caller: Self.caller(previous.lastDay.adding(days: -58)))
            _ = try await reportsService.saveTexts(campusID: id, year: previous, texts: Self.texts(campus, year: previous))
            _ = try await ActivityReportService(db: db, caller: Self.caller(previous.lastDay.adding(days: -55))).transmit(campusID: id, year: previous)
            _ = try await ActivityReportService(db: db, caller: Self.caller(current.firstDay.adding(days: 14)))
                .acknowledge(campusID: id, year: previous, comment: "Rapport complet ; poursuivre l'ouverture du réseau aux entreprises et la mutualisation des plateaux.")
            // The current year: the mobilities already known, a draft begun.
            let now = Self.caller(min(today, current.firstDay.adding(days: 60)))
            _ = try await MobilityService(db: db, caller: now).replace(campusID: id, year: current, lines: [
                MobilityLine(direction: .sortante, audience: .apprenti, country: ["DE", "ES", "IT", "IE"][seed % 4], count: 2 + seed % 3),
            ])
            _ = try await ActivityReportService(db: db, caller: now).saveTexts(campusID: id, year: current, texts: [
                .reseau: "Rentrée \(current) : le comité de pilotage a accueilli deux nouvelles entreprises candidates au réseau.",
            ])
            reports += 2
        }
        return reports
    }

    private static func caller(_ day: CalendarDay) -> Caller {
        let date = Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "Europe/Paris"), year: day.year, month: day.month, day: day.day, hour: 10)) ?? Date()
        return .demo(clock: .fixed(date))
    }

    private static func texts(_ campus: Campus, year: SchoolYear) -> [ReportSection: String] {
        [
            .reseau: "En \(year), le réseau du campus « \(campus.nom) » s'est réuni trois fois en comité de pilotage. Les établissements membres ont partagé leurs calendriers de stages et leurs plateaux techniques.",
            .offre: "L'offre couvre les niveaux du CAP au BTS dans la filière \(campus.filiere.label.lowercased()) ; l'ouverture d'une licence professionnelle en apprentissage est à l'étude avec l'université partenaire.",
            .actions: "Journées portes ouvertes communes, matinées de découverte des métiers pour les élèves de 3e, visites d'entreprises pour les professeurs principaux.",
            .plateaux: "Les plateaux techniques ont accueilli des classes des lycées membres, des apprentis et des entreprises pour des prototypes.",
            .international: "Des mobilités Erasmus+ de quatre semaines pour des élèves de bac professionnel et des apprentis.",
            .gouvernance: "Le directeur opérationnel a été en poste toute l'année ; des conventions ont été signées avec de nouvelles entreprises partenaires.",
            .perspectives: "Élargir le réseau aux entreprises du territoire, augmenter la part des heures de plateaux réservées par des organisations extérieures, développer la mobilité des apprentis.",
        ]
    }
}
