import CMQDomain
import Fluent
import Foundation

/// Who makes a change, as the audit trail records it.
struct AuditAuthor: Sendable, Equatable {
    let userID: UUID?
    let label: String
    /// The person's name as other records show it (a booking's "personne"): the account's name, or its label.
    var displayName: String

    init(userID: UUID?, label: String, displayName: String? = nil) {
        self.userID = userID
        self.label = label
        self.displayName = displayName ?? label
    }

    static func user(_ user: User) -> AuditAuthor {
        AuditAuthor(userID: user.id, label: user.email, displayName: user.nom.isEmpty ? user.email : user.nom)
    }

    /// A command of the `cmq` program run by an operator (imports, account creation).
    static func command(_ name: String) -> AuditAuthor { AuditAuthor(userID: nil, label: "cmq \(name) (ligne de commande)") }
}

/// What the audit trail needs to know about a kind of record.
protocol Audited {
    /// The entity's name in the trail ("campus", "organisation", "membre", …).
    static var auditEntity: String { get }
    var auditLabel: String { get }
    /// The recorded fields as text; absent or empty values are left out.
    var auditSnapshot: [String: String] { get }
}

enum AuditAction: String, Sendable {
    case create = "creation"
    case update = "modification"
    case delete = "suppression"

    var label: String {
        switch self {
        case .create: "Création"
        case .update: "Modification"
        case .delete: "Suppression"
        }
    }
}

/// One field's change, before → after.
struct FieldChange: Codable, Equatable, Sendable {
    var avant: String?
    var apres: String?
}

/// Records every create, update and delete. Entries are only ever added: nothing in cmq edits or removes them
/// (personal-data deletion pseudonymises their author instead).
struct AuditLog: Sendable {
    let author: AuditAuthor
    var clock: AppClock = .system

    static func changes(before: [String: String]?, after: [String: String]?) -> [String: FieldChange] {
        let keys = Set((before ?? [:]).keys).union((after ?? [:]).keys)
        var result: [String: FieldChange] = [:]
        for key in keys where before?[key] != after?[key] {
            result[key] = FieldChange(avant: before?[key], apres: after?[key])
        }
        return result
    }

    /// Records a change; an update that changed nothing is not recorded.
    func record<Entity: Audited>(_ action: AuditAction, _ entity: Entity, id: UUID, before: [String: String]? = nil, on db: any Database) async throws {
        try await entry(action, entity, id: id, before: before, at: clock.now()).map(AuditEntry.init)?.create(on: db)
    }

    /// Records the given changes (an update without any is not recorded).
    func record<Entity: Audited>(_ action: AuditAction, _ entity: Entity, id: UUID, changes: [String: FieldChange], on db: any Database) async throws {
        try await entry(action, entity, id: id, changes: changes, at: clock.now()).map(AuditEntry.init)?.create(on: db)
    }

    /// The entry `record` writes, built without writing it (a bulk write inserts many at once, without models); nil
    /// for an update that changed nothing, which is not recorded.
    func entry<Entity: Audited>(_ action: AuditAction, _ entity: Entity, id: UUID, before: [String: String]?, at: Date) -> AuditEntryValues? {
        let after: [String: String]? = action == .delete ? nil : entity.auditSnapshot
        let previous: [String: String]? = action == .create ? nil : (before ?? entity.auditSnapshot)
        return entry(action, entity, id: id, changes: Self.changes(before: previous, after: after), at: at)
    }

    func entry<Entity: Audited>(_ action: AuditAction, _ entity: Entity, id: UUID, changes: [String: FieldChange], at: Date) -> AuditEntryValues? {
        if action == .update, changes.isEmpty { return nil }
        return AuditEntryValues(at: at, actorID: author.userID, actorLabel: author.label, entity: Entity.auditEntity, entityID: id,
                                entityLabel: entity.auditLabel, action: action.rawValue, changes: Self.json(changes))
    }

    /// The changes as a JSON object, keys sorted, `/` as it is (what `JSONEncoder` writes with `.sortedKeys` and
    /// `.withoutEscapingSlashes`, written directly: an import writes thousands of entries).
    static func json(_ changes: [String: FieldChange]) -> String {
        var json = JSONText(capacity: 64 * (changes.count + 1), escapingSlashes: false)
        json.beginObject()
        for (key, change) in changes.sorted(by: { $0.key < $1.key }) {
            json.key(key)
            json.beginObject()
            json.member("apres", change.apres)
            json.member("avant", change.avant)
            json.endObject()
        }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

extension AuditEntry {
    var decodedChanges: [String: FieldChange] {
        (try? JSONDecoder().decode([String: FieldChange].self, from: Data(changes.utf8))) ?? [:]
    }
}

// MARK: - What each record puts in the trail

extension Campus: Audited {
    static var auditEntity: String { "campus" }
    var auditLabel: String { nom }
    var auditSnapshot: [String: String] {
        compact(["nom": nom, "filiere": filiere.slug, "academie": academieCode, "description": description, "siteWeb": siteWeb,
                 "formeJuridique": formeJuridique.rawValue, "dateCreation": dateCreation])
    }
}

extension Organisation: Audited {
    static var auditEntity: String { "organisation" }
    var auditLabel: String { nom }
    var auditSnapshot: [String: String] {
        compact(["nom": nom, "type": kind.rawValue, "public": String(isPublic), "lyceeDesMetiers": String(lyceeDesMetiers), "uai": uai, "siret": siret,
                 "adresse": adresse, "codePostal": codePostal, "commune": commune, "departement": departementCode,
                 "latitude": latitude.map { String($0) }, "longitude": longitude.map { String($0) }, "siteWeb": siteWeb, "telephone": telephone])
    }
}

extension Membership: Audited {
    static var auditEntity: String { "membre" }
    var auditLabel: String { $organisation.value?.nom ?? "membre du réseau" }
    var auditSnapshot: [String: String] {
        compact(["campus": $campus.id.uuidString.lowercased(), "organisation": $organisation.id.uuidString.lowercased(),
                 "role": role.rawValue, "depuis": depuis, "jusquA": jusquA])
    }
}

extension TeamMember: Audited {
    static var auditEntity: String { "equipe" }
    var auditLabel: String { nom }
    var auditSnapshot: [String: String] {
        compact(["campus": $campus.id.uuidString.lowercased(), "nom": nom, "role": role.rawValue, "email": email])
    }
}

extension User: Audited {
    static var auditEntity: String { "utilisateur" }
    var auditLabel: String { email }
    var auditSnapshot: [String: String] {
        compact(["email": email, "nom": nom, "role": role.rawValue, "region": regionCode, "campus": campusID?.uuidString.lowercased(),
                 "organisation": organisationID?.uuidString.lowercased(), "instance": instance?.rawValue])
    }
}

private func compact(_ values: [String: String?]) -> [String: String] {
    values.compactMapValues { value in
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
