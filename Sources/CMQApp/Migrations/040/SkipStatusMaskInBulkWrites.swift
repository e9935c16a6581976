import Fluent
import SQLKit

/// On PostgreSQL, the statuses mask's statement triggers (`UpdateFormationStatusMaskStatementTrigger`) do nothing
/// inside a bulk write, as on SQLite (`AddCatalogueReloadVersion`): the importer writes the mask of every formation it
/// writes, and the trigger, reading every status row of the statement again to find the formations whose mask
/// differs, found none. In an import of 200,000 new formations that search was 1.6 to 2.0 s of PostgreSQL's 5 to 6 s
/// on their 293,000 statuses (psql's `\copy` of the same rows, with and without the trigger, twice each).
struct SkipStatusMaskInBulkWrites: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw(SQLQueryString(UpdateFormationStatusMaskStatementTrigger.postgresFunction(skippingBulkWrites: true))).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw(SQLQueryString(UpdateFormationStatusMaskStatementTrigger.postgresFunction())).run()
    }
}
