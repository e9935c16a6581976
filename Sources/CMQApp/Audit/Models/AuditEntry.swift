import Fluent
import FluentSQL
import SQLKit
import Foundation

/// One change recorded in the audit trail: who, when, which entity, and the changed fields (before → after).
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "journal"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "le") var at: Date
    @OptionalField(key: "auteur_id") var actorID: UUID?
    @Field(key: "auteur") var actorLabel: String
    @Field(key: "entite") var entity: String
    @Field(key: "entite_id") var entityID: UUID
    @Field(key: "libelle") var entityLabel: String
    @Field(key: "action") var action: String
    /// JSON object: field → {"avant": …, "apres": …}.
    @Field(key: "changements") var changes: String
    /// The import that wrote this entry (`AddImportBatches`): shown once that import has shown its formations.
    @OptionalField(key: "lot_import") var importBatch: UUID?

    init() {}

    init(at: Date = Date(), actorID: UUID?, actorLabel: String, entity: String, entityID: UUID, entityLabel: String, action: String, changes: String) {
        self.at = at
        self.actorID = actorID
        self.actorLabel = actorLabel
        self.entity = entity
        self.entityID = entityID
        self.entityLabel = entityLabel
        self.action = action
        self.changes = changes
    }
}

extension AuditEntry {
    /// The entries shown: not those of an import whose formations are not shown yet.
    static func shown(on db: any Database) -> QueryBuilder<AuditEntry> {
        query(on: db).filter(.sql(unsafeRaw: ImportBatch.shown("\(schema).lot_import")))
    }
}

/// An entry's row as plain values, for imports (which write one per formation); `AuditEntry(values)` is its model.
struct AuditEntryValues: BulkValues {
    var id = UUID()
    var at: Date
    var actorID: UUID?
    var actorLabel: String
    var entity: String
    var entityID: UUID
    var entityLabel: String
    var action: String
    var changes: String

    static let schema = AuditEntry.schema
    /// In the order of `AuditEntry.bulkProperties`.
    static let columns = ["id", "le", "auteur_id", "auteur", "entite", "entite_id", "libelle", "action", "changements", "lot_import"]
    /// The import that writes the entry, when it stages (`ImportBatch`).
    var importBatch: UUID?

    var bulkValues: [any SQLExpression] {
        [SQLBind(id), SQLBind(at), bound(actorID), SQLBind(actorLabel), SQLBind(entity), SQLBind(entityID), SQLBind(entityLabel),
         SQLBind(action), SQLBind(changes), bound(importBatch)]
    }
}

extension AuditEntry {
    convenience init(_ values: AuditEntryValues) {
        self.init(at: values.at, actorID: values.actorID, actorLabel: values.actorLabel, entity: values.entity, entityID: values.entityID,
                  entityLabel: values.entityLabel, action: values.action, changes: values.changes)
        id = values.id
        importBatch = values.importBatch
    }
}

extension AuditEntry: BulkRow {
    var bulkProperties: [any AnyDatabaseProperty] { [$id, $at, $actorID, $actorLabel, $entity, $entityID, $entityLabel, $action, $changes, $importBatch] }
}
