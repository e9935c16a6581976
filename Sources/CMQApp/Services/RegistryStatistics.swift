import Fluent
import SQLKit

/// National figures of the registry, counted by the database.
struct RegistryStatistics {
    let db: any Database

    private var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        return sql
    }

    private struct CountRow: Decodable {
        let key: String
        let n: Int
    }

    /// Number of campuses per value of a column of the campus table ("filiere", "region_code", "academie_code").
    func campusCounts(by column: String) async throws -> [String: Int] {
        let rows = try await sql.select()
            .column(SQLIdentifier(column), as: "key")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Campus.schema)
            .groupBy(SQLIdentifier(column))
            .all(decoding: CountRow.self)
        return Dictionary(rows.map { ($0.key, $0.n) }, uniquingKeysWith: +)
    }

    func campusTotal() async throws -> Int { try await Campus.query(on: db).count() }

    func organisationTotal() async throws -> Int { try await Organisation.query(on: db).count() }
}
