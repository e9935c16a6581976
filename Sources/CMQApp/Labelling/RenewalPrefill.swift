import CMQDomain
import Fluent
import Foundation

/// The sections of a renewal dossier written from what cmq knows of the campus today: its description, its
/// offer and coverage, its network by kind, its governance. The région then completes and corrects them.
struct RenewalPrefill {
    let db: any Database

    func sections(for campus: Campus, on day: CalendarDay) async throws -> [DossierSection: String] {
        let campusID = try campus.requireID()
        var sections: [DossierSection: String] = [:]
        if let description = campus.description, !description.isEmpty {
            sections[.strategieObjectifs] = description
        }

        let offer = CampusOffer(db: db)
        let formations = try await offer.formations(of: campus, on: day)
        let coverage = try await offer.coverage(of: campus, on: day)
        var lines = ["\(formations.count) formation(s) dans l'offre du campus au \(day.frenchLong)."]
        for level in Level.allCases where coverage.total(level) > 0 {
            let titles = formations.filter { $0.niveauSortie == level.number }.map(\.intitule)
            lines.append("– \(level.label) : \(titles.prefix(8).joined(separator: ", "))\(titles.count > 8 ? "…" : "")")
        }
        if !coverage.gaps.isEmpty { lines.append("Manques : \(coverage.gaps.joined(separator: " ; ")).") }
        sections[.offreFormation] = lines.joined(separator: "\n")

        let memberships = try await Membership.query(on: db).filter(\.$campus.$id == campusID).with(\.$organisation).all()
            .filter { $0.isCurrent(on: day) }
        var byKind: [String: [String]] = [:]
        for membership in memberships {
            let organisation = membership.organisation
            byKind[organisation.kind.label, default: []].append(organisation.nom)
        }
        sections[.partenariat] = (["\(memberships.count) organisation(s) dans le réseau :"]
            + byKind.keys.sorted().map { "– \($0) : \(byKind[$0]!.sorted().joined(separator: ", "))" }).joined(separator: "\n")

        var governance: [String] = []
        if let support = memberships.first(where: { $0.role == .etablissementSupport }) {
            governance.append("Établissement support : \(support.organisation.nom).")
        }
        let team = try await TeamMember.query(on: db).filter(\.$campus.$id == campusID).sort(\.$position).all()
        if !team.isEmpty { governance.append("Équipe : " + team.map { "\($0.nom) (\($0.role.label))" }.joined(separator: ", ") + ".") }
        if !governance.isEmpty { sections[.gouvernance] = governance.joined(separator: "\n") }
        if let indicators = try await indicators(campusID: campusID) { sections[.indicateursEvaluation] = indicators }
        return sections
    }

    /// How many of the latest transmitted activity reports the renewal dossier quotes.
    static let reportsQuoted = 3

    /// The indicators as the campus's latest transmitted activity reports froze them, school year by school year,
    /// with each target (initial value, target, deadline). nil when no report was transmitted and no target set.
    func indicators(campusID: UUID) async throws -> String? {
        let reports = try await ActivityReportRecord.query(on: db).filter(\.$campus.$id == campusID)
            .filter(\.$statut ~~ [ReportStatus.transmis, .prisEnCompte]).sort(\.$annee, .descending).limit(Self.reportsQuoted).all()
            .reversed()
        let targets = try await IndicatorTargetRecord.query(on: db).filter(\.$campus.$id == campusID).all()
        guard !reports.isEmpty || !targets.isEmpty else { return nil }
        struct Line { var libelle: String; var unit: IndicatorUnit; var values: [String: Double] }
        var lines: [String: Line] = [:]
        var order: [String] = []
        for report in reports {
            let year = SchoolYear(startYear: report.annee).description
            guard let figures = report.frozenFigures else { continue }
            for figure in figures {
                if lines[figure.code] == nil {
                    lines[figure.code] = Line(libelle: figure.libelle, unit: IndicatorUnit(rawValue: figure.unite) ?? .nombre, values: [:])
                    order.append(figure.code)
                }
                if let value = figure.valeur { lines[figure.code]?.values[year] = value }
            }
        }
        let catalog = try await IndicatorService.catalog(on: db)
        for target in targets where lines[target.code] == nil {
            guard let indicator = catalog.indicator(code: target.code) else { continue }
            lines[target.code] = Line(libelle: indicator.libelle, unit: indicator.unit, values: [:])
            order.append(target.code)
        }
        let targetByCode = Dictionary(targets.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let years = reports.map { SchoolYear(startYear: $0.annee).description }
        var text = [years.isEmpty
            ? "Aucun rapport d'activité transmis : les cibles fixées au label."
            : "Chiffres figés des rapports d'activité transmis à la région (\(years.joined(separator: ", "))) et cibles fixées au label."]
        for code in order {
            guard let line = lines[code] else { continue }
            var parts = years.compactMap { year in line.values[year].map { "\(year) : \(line.unit.format($0))" } }
            if let target = targetByCode[code], let deadline = CalendarDay(iso: target.echeance) {
                parts.append("valeur initiale \(line.unit.format(target.initiale)), cible \(line.unit.format(target.cible)) au \(deadline.frenchLong)")
            }
            guard !parts.isEmpty else { continue }
            text.append("– \(code) \(line.libelle) : \(parts.joined(separator: " ; ")).")
        }
        return text.joined(separator: "\n")
    }
}
