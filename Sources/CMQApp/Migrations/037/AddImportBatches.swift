import Fluent

/// An import writes its new formations before they are shown, in short transactions, then shows them all at once.
///
/// - `lots_import`: one row per import that stages formations: when it began, when it last wrote (`vu_le`: an import
///   not seen for a while was stopped, and what it staged is removed by the next import), when its formations were
///   shown (`publie_le`).
/// - `formations.lot_import`, `journal.lot_import`: the import that wrote the row. Every read of the catalogue and of
///   the journal takes only the rows of no import or of an import shown (`Formation.visible`, `AuditEntry.shown`,
///   `ImportBatch.shown`): an import shows 200,000 formations by changing one row.
struct AddImportBatches: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("lots_import")
            .id()
            .field("commence_le", .datetime, .required)
            .field("vu_le", .datetime, .required)
            .field("publie_le", .datetime)
            .create()
        try await database.schema(Formation.schema).field("lot_import", .uuid).update()
        try await database.schema(AuditEntry.schema).field("lot_import", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).deleteField("lot_import").update()
        try await database.schema(Formation.schema).deleteField("lot_import").update()
        try await database.schema("lots_import").delete()
    }
}
