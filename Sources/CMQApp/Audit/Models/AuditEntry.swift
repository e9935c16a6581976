import Fluent
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

extension AuditEntry: BulkRow {
    var bulkProperties: [any AnyDatabaseProperty] { [$id, $at, $actorID, $actorLabel, $entity, $entityID, $entityLabel, $action, $changes] }
}
