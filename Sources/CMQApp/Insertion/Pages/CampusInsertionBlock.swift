import CMQDomain
import Fluent
import Foundation

/// The section "Insertion et poursuite d'études" of a campus page: the campus's figures consolidated over the
/// diplomas its members prepare (each diploma once per région and voie; counts added, then the threshold), by kind
/// of diploma and voie, beside the région and the nation for the same kinds; its diplomas on the quadrant; the
/// formations without a figure and why.
struct CampusInsertionBlock: Encodable, Sendable {
    struct GroupRow: Encodable, Sendable {
        var niveau: String
        var voie: String
        /// Devenir favorable, poursuite d'études, taux d'emploi à 6 mois: « campus / région / France ».
        var values: [String]
    }

    /// A diploma on the quadrant: its rates beside its région's averages for its kind and voie.
    struct Point: Encodable, Sendable {
        var label: String
        var voie: String
        var emploi: String
        var moyenneEmploi: String
        var poursuite: String
        var moyennePoursuite: String
        var quadrant: String
        var origin: String?
        /// Position in the SVG (0…400), the averages at the centre; nil for « hors quadrant ».
        var x: Int?
        var y: Int?
        var number: Int
    }

    struct MissingRow: Encodable, Sendable {
        var formation: String
        var url: String
        var reason: String
    }

    var millesime: String
    var region: String
    struct Comparison: Encodable, Sendable {
        var campus: FigureCell
        var region: FigureCell
        var nation: FigureCell
    }

    var comparison: [Comparison]
    var groups: [GroupRow]
    var points: [Point]
    var placed: [Point]
    var missing: [MissingRow]
    var carriedCount: Int
    var definitionsURL: String
    var rankingURL: String

    static func load(campus: Campus, formations: [Formation], on db: any Database) async throws -> CampusInsertionBlock? {
        guard let latest = try await InsertionService(db: db).millesimes().first else { return nil }
        let table = try await InsertionService(db: db).table(latest)
        return make(campus: campus, formations: formations, table: table)
    }

    static func items(_ formations: [Formation]) -> [CampusConsolidation.Item] {
        formations.map { CampusConsolidation.Item(cfd: $0.cfd, regionCode: $0.organisation.regionCode, voies: InsertionLabels.voies(of: $0.learnerStatuses)) }
    }

    static func make(campus: Campus, formations: [Formation], table: InsertionTable) -> CampusInsertionBlock {
        let consolidation = CampusConsolidation(items: items(formations), table: table)
        let regionCode = campus.regionCode
        var regionTotal = FigureTotals()
        var nationTotal = FigureTotals()
        let groups = consolidation.groups.map { group -> GroupRow in
            let region = table.total(niveau: group.niveau, regionCode: regionCode, voie: group.voie)
            let nation = table.total(niveau: group.niveau, regionCode: nil, voie: group.voie)
            regionTotal = regionTotal + region
            nationTotal = nationTotal + nation
            let kinds: [Figure.Kind] = [.devenirFavorable, .tauxPoursuite, .tauxEmploi(mois: 6)]
            return GroupRow(niveau: InsertionLabels.niveau(group.niveau), voie: group.voie.label,
                            values: kinds.map { kind in
                                [group.totals, region, nation].map { FigureCell($0.figure(kind)).value }.joined(separator: " / ")
                            })
        }
        // The diplomas counted, on the quadrant: deviation from the regional averages, ±50 points across the square.
        var points: [Point] = []
        let names = Dictionary(formations.compactMap { f in f.cfd.map { ($0, f.intitule) } }, uniquingKeysWith: { a, _ in a })
        for (key, origin) in consolidation.counted.sorted(by: { ($0.key.code, $0.key.voie.rawValue) < ($1.key.code, $1.key.voie.rawValue) }) {
            guard let found = table.figures(cfd: key.code, regionCode: key.regionCode, voie: key.voie) else { continue }
            let regional = table.total(niveau: InsertionTable.niveau(ofCFD: origin.carriedFrom ?? key.code), regionCode: key.regionCode, voie: key.voie)
            let quadrant = Quadrant.of(found.counts, regional: regional)
            let emploi = found.counts.tauxEmploi(mois: 6).percent, poursuite = found.counts.tauxPoursuite.percent
            let moyenneEmploi = regional.tauxEmploi(mois: 6).percent, moyennePoursuite = regional.tauxPoursuite.percent
            func position(_ value: Int?, _ average: Int?, invert: Bool) -> Int? {
                guard quadrant != .horsQuadrant, let value, let average else { return nil }
                let deviation = max(-50, min(50, value - average))
                return 200 + (invert ? -deviation : deviation) * 4
            }
            points.append(Point(label: "\(names[key.code] ?? "Diplôme \(key.code)") (\(InsertionLabels.niveau(InsertionTable.niveau(ofCFD: key.code))), \(InsertionLabels.region(key.regionCode)))",
                                voie: key.voie.label, emploi: FigureCell(found.counts.tauxEmploi(mois: 6)).value, moyenneEmploi: FigureCell(regional.tauxEmploi(mois: 6)).value,
                                poursuite: FigureCell(found.counts.tauxPoursuite).value, moyennePoursuite: FigureCell(regional.tauxPoursuite).value,
                                quadrant: quadrant.rawValue, origin: origin.label,
                                x: position(emploi, moyenneEmploi, invert: false), y: position(poursuite, moyennePoursuite, invert: true), number: points.count + 1))
        }
        var reasons: [Int: [String]] = [:]
        for outcome in consolidation.outcomes {
            switch outcome.result {
            case .failure(let why): reasons[outcome.index, default: []].append(why.reason.rawValue)
            case .success(let counts):
                if counts.tauxPoursuite.status == .effectifInsuffisant {
                    reasons[outcome.index, default: []].append("\(outcome.voie?.label.capitalizingFirstLetter ?? "") : effectif insuffisant (moins de \(StatisticalSecret.threshold) inscrits en année terminale) ; compté dans les totaux du campus")
                }
            }
        }
        let missing = formations.enumerated().compactMap { index, formation -> MissingRow? in
            guard let list = reasons[index] else { return nil }
            return MissingRow(formation: "\(formation.intitule) — \(formation.organisation.nom)", url: CatalogueURL.formation(formation.id).path,
                              reason: list.joined(separator: " ; "))
        }
        return CampusInsertionBlock(
            millesime: table.millesime.label, region: InsertionLabels.region(regionCode),
            comparison: zip(FigureCell.main(consolidation.total.figure), zip(FigureCell.main(regionTotal.figure), FigureCell.main(nationTotal.figure)))
                .map { Comparison(campus: $0, region: $1.0, nation: $1.1) },
            groups: groups, points: points, placed: points.filter { $0.x != nil },
            missing: missing, carriedCount: consolidation.counted.values.filter { $0 != .propre }.count,
            definitionsURL: InsertionURL.definitions.path,
            rankingURL: InsertionURL.classement.path(query: ["region": regionCode, "filiere": campus.filiere.slug]))
    }
}
