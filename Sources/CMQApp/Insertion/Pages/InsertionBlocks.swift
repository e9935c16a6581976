import CMQDomain
import Fluent
import Foundation

/// One figure as a page shows it: its value only when the statistical secret allows it, else the reason, and the
/// link to its definition.
struct FigureCell: Encodable, Sendable, Equatable {
    var label: String
    var value: String
    var published: Bool
    /// "31 sur 52 inscrits en année terminale": the counts behind a published figure (never behind a hidden one).
    var detail: String?
    var definitionURL: String

    init(_ figure: Figure) {
        label = figure.kind.label
        definitionURL = InsertionURL.definition(FigureCell.anchor(figure.kind))
        switch figure.status {
        case .publie(let percent):
            value = "\(percent) %"
            published = true
            detail = "\(figure.numerator ?? 0) sur \(figure.denominator ?? 0) \(figure.kind.denominatorLabel)"
        case .effectifInsuffisant:
            value = "effectif insuffisant"
            published = false
        case .nonDisponible:
            value = "non disponible"
            published = false
        }
    }

    static func anchor(_ kind: Figure.Kind) -> String {
        switch kind {
        case .tauxPoursuite: "taux-poursuite"
        case .tauxEmploi: "taux-emploi"
        case .partEmploi: "part-emploi"
        case .devenirFavorable: "devenir-favorable"
        }
    }

    /// The figures shown for a cohort, in this order everywhere.
    static func main(_ figure: (Figure.Kind) -> Figure) -> [FigureCell] {
        [.devenirFavorable, .tauxPoursuite, .tauxEmploi(mois: 6), .tauxEmploi(mois: 12), .partEmploi(mois: 6)].map { FigureCell(figure($0)) }
    }
}

enum InsertionLabels {
    /// "CAP", "BAC PRO", "BTS": the short title of a diploma kind (BCN N_NIVEAU_FORMATION_DIPLOME).
    static func niveau(_ code: String) -> String {
        ReferenceFiles.niveaux.first { $0.code == code }?.libelleCourt ?? "diplômes \(code)"
    }

    static func voies(of statuses: [LearnerStatus]) -> [Voie] {
        var voies: [Voie] = []
        if statuses.contains(.scolaire) { voies.append(.scolaire) }
        if statuses.contains(.apprenti) { voies.append(.apprentissage) }
        return voies
    }

    static func region(_ code: String?) -> String {
        code.flatMap { TerritoryCatalog.shared.region(code: $0)?.nom } ?? "région inconnue"
    }
}

// MARK: - Formation

/// A formation's InserJeunes figures: its diploma in its région, voie by voie, the latest millésime with the
/// trend, the quadrant, and where the figures come from a renewed diploma.
struct FormationInsertionBlock: Encodable, Sendable {
    struct VoieFigures: Encodable, Sendable {
        var voie: String
        var millesime: String
        var origin: String?
        var figures: [FigureCell]
        var quadrant: String
        var quadrantCode: String
        var trend: [TrendRow]
    }

    struct TrendRow: Encodable, Sendable {
        var millesime: String
        var devenir: String
        var poursuite: String
        var emploi: String
    }

    var region: String
    var cfd: String?
    var voies: [VoieFigures]
    var missing: String?
    var definitionsURL: String

    static func load(cfd: String?, regionCode: String?, statuses: [LearnerStatus], on db: any Database) async throws -> FormationInsertionBlock {
        var block = FormationInsertionBlock(region: InsertionLabels.region(regionCode), cfd: cfd, voies: [], missing: nil,
                                            definitionsURL: InsertionURL.definitions.path)
        guard let cfd else {
            block.missing = CampusConsolidation.Missing.sansCFD.rawValue
            return block
        }
        guard let regionCode else {
            block.missing = CampusConsolidation.Missing.sansRegion.rawValue
            return block
        }
        let tables = try await InsertionService(db: db).tables()
        guard let latest = tables.first else {
            block.missing = "aucun chiffre InserJeunes n'est chargé"
            return block
        }
        let chosen = InsertionLabels.voies(of: statuses)
        for voie in chosen.isEmpty ? Voie.allCases : chosen {
            guard let found = latest.figures(cfd: cfd, regionCode: regionCode, voie: voie) else { continue }
            let quadrant = latest.quadrant(of: found.counts, cfd: found.origin.carriedFrom ?? cfd, regionCode: regionCode, voie: voie)
            let trend = tables.reversed().compactMap { table -> TrendRow? in
                guard let counts = table.figures(cfd: cfd, regionCode: regionCode, voie: voie)?.counts else { return nil }
                return TrendRow(millesime: table.millesime.label, devenir: FigureCell(counts.devenirFavorable).value,
                                poursuite: FigureCell(counts.tauxPoursuite).value, emploi: FigureCell(counts.tauxEmploi(mois: 6)).value)
            }
            block.voies.append(VoieFigures(voie: voie.label.capitalizingFirstLetter, millesime: latest.millesime.label, origin: found.origin.label,
                                           figures: FigureCell.main(found.counts.figure), quadrant: quadrant.label, quadrantCode: quadrant.rawValue,
                                           trend: trend))
        }
        if block.voies.isEmpty {
            block.missing = CampusConsolidation.Missing.absente.rawValue + " (\(latest.millesime.label))"
        }
        return block
    }
}

// MARK: - Establishment

/// An establishment's lines of the DEPP files: ensemble, apprentis, scolaires, with the value added.
struct EstablishmentInsertionBlock: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var millesime: String
        var population: String
        var tauxPoursuite: String
        var tauxEmploi: String
        var tauxAttendu: String
        var valeurAjoutee: String
        var partPoursuite: String
        var partEmploi: String
        var partAutres: String
    }

    var rows: [Row]
    var definitionsURL: String

    static func load(uai: String?, on db: any Database) async throws -> EstablishmentInsertionBlock? {
        guard let uai else { return nil }
        let records = try await InsertionService(db: db).establishmentFigures(uai: uai)
        guard !records.isEmpty else { return nil }
        func percent(_ value: Int?) -> String { value.map { "\($0) %" } ?? "non diffusé" }
        return EstablishmentInsertionBlock(rows: records.map { record in
            Row(millesime: Millesime(record.millesime)?.label ?? record.millesime,
                population: record.fichier == InserJeunesFiles.EstablishmentFile.cfa.rawValue ? "Apprentis du CFA" : record.population.label,
                tauxPoursuite: percent(record.tauxPoursuite), tauxEmploi: percent(record.tauxEmploi6), tauxAttendu: percent(record.tauxEmploi6Attendu),
                valeurAjoutee: record.valeurAjoutee.map { $0 > 0 ? "+\($0) points" : "\($0) points" } ?? "non diffusée",
                partPoursuite: percent(record.partPoursuite), partEmploi: percent(record.partEmploi6), partAutres: percent(record.partAutres))
        }, definitionsURL: InsertionURL.definitions.path)
    }
}
