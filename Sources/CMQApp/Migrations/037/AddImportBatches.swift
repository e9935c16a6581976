import Fluent

/// An import writes its new formations before they are shown, in short transactions, then shows them all at once.
///
/// - `lots_import`: one row per import that stages formations: when it began, when it last wrote (`vu_le`: an import
///   not seen for a while was stopped, and what it staged is removed by the next import), when its formations were
///   shown (`publie_le`).
/// - `formations.lot_import`: set on a formation staged by an import and not shown yet, cleared when the import shows
///   its formations. Every read of the catalogue takes only the rows where it is null (`Formation.visible`).
/// - `journal.lot_import`: the import that wrote an audit entry; the journal shows an entry of an import only once
///   that import has shown its formations.
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
