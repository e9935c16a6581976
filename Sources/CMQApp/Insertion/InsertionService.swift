import CMQDomain
import Fluent
import Foundation
import SQLKit

/// Reads the InserJeunes figures: the millésimes present, a millésime's table (cached, see `InsertionTableCache`)
/// and an establishment's DEPP lines.
struct InsertionService {
    let db: any Database

    /// The millésimes by région and formation, the latest first.
    func millesimes() async throws -> [Millesime] {
        let records = try await RegionFormationRecord.query(on: db).unique().field(\.$millesime).all()
        return Set(records.map(\.millesime)).compactMap { Millesime($0) }.sorted(by: >)
    }

    /// A millésime's table, read once and kept while the data do not change.
    func table(_ millesime: Millesime) async throws -> InsertionTable {
        let signature = try await signature(of: millesime)
        if let cached = await InsertionTableCache.shared.table(millesime, signature: signature) { return cached }
        let records = try await RegionFormationRecord.query(on: db).filter(\.$millesime == millesime.description).all()
        var rows: [InsertionTable.Key: InsertionCounts] = [:]
        rows.reserveCapacity(records.count)
        for record in records {
            rows[InsertionTable.Key(regionCode: record.regionCode, voie: record.voie, code: record.code)] = record.counts
        }
        let table = InsertionTable(millesime: millesime, rows: rows, mefToCFD: try await mefToCFD(), lineage: try await lineage())
        await InsertionTableCache.shared.store(table, signature: signature)
        return table
    }

    /// The tables of every millésime, the latest first.
    func tables() async throws -> [InsertionTable] {
        var tables: [InsertionTable] = []
        for millesime in try await millesimes() { tables.append(try await table(millesime)) }
        return tables
    }

    func mefToCFD() async throws -> [String: String] {
        let links = try await MefStatRecord.query(on: db).all()
        // A MEFSTAT11 of two diplomas would count twice: the first in code order is kept.
        return Dictionary(links.map { ($0.mefstat11, $0.cfd) }, uniquingKeysWith: { min($0, $1) })
    }

    func lineage() async throws -> DiplomaLineage {
        DiplomaLineage(links: try await DiplomaLinkRecord.query(on: db).all().map { (ancien: $0.ancien, nouveau: $0.nouveau) })
    }

    /// What changes when a millésime or a BCN table is imported again.
    func signature(of millesime: Millesime) async throws -> [Int] {
        guard let sql = db as? any SQLDatabase else { return [] }
        struct Sums: Decodable { var n: Int; var t: Int?; var p: Int?; var e: Int? }
        let sums = try await sql.raw("""
            SELECT COUNT(*) AS n, CAST(SUM(nb_annee_term) AS BIGINT) AS t, CAST(SUM(nb_poursuite_etudes) AS BIGINT) AS p,
                   CAST(SUM(nb_en_emploi_6_mois) AS BIGINT) AS e
            FROM insertion_formations_region WHERE millesime = \(bind: millesime.description)
            """).first(decoding: Sums.self)
        let mef = try await MefStatRecord.query(on: db).count()
        let links = try await DiplomaLinkRecord.query(on: db).count()
        return [sums?.n ?? 0, sums?.t ?? 0, sums?.p ?? 0, sums?.e ?? 0, mef, links]
    }

    /// An establishment's DEPP lines, the latest millésime first, then ensemble, apprentis, scolaires.
    func establishmentFigures(uai: String) async throws -> [EstablishmentFigureRecord] {
        let order = EstablishmentRow.Population.allCases
        return try await EstablishmentFigureRecord.query(on: db).filter(\.$uai == uai).all().sorted { a, b in
            if a.millesime != b.millesime { return a.millesime > b.millesime }
            return (order.firstIndex(of: a.population) ?? 0) < (order.firstIndex(of: b.population) ?? 0)
        }
    }
}

/// The tables already read, by millésime, with the signature of the data they were read from: a table is read
/// again when an import changed the data (the counts and sums of its lines, the size of the BCN tables).
actor InsertionTableCache {
    static let shared = InsertionTableCache()

    private var tables: [Millesime: (signature: [Int], table: InsertionTable)] = [:]

    func table(_ millesime: Millesime, signature: [Int]) -> InsertionTable? {
        guard let entry = tables[millesime], entry.signature == signature, !signature.isEmpty else { return nil }
        return entry.table
    }

    func store(_ table: InsertionTable, signature: [Int]) {
        tables[table.millesime] = (signature, table)
    }
}
