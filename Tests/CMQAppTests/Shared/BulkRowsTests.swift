import Foundation
import SQLKit
import Testing

@testable import CMQApp

/// A model that lists its columns itself (`BulkRow`) gives the rows Fluent's reflection gives: every column, each
/// value bound as Fluent binds it (a nil optional as NULL, an unset field as DEFAULT).
@Suite("Bulk rows")
struct BulkRowsTests {
    /// A value as the statement carries it: a bound value or a literal.
    static func described(_ expression: any SQLExpression) -> String {
        if let bind = expression as? SQLBind { return "bind \(String(reflecting: bind.encodable))" }
        return String(reflecting: expression)
    }

    static func expectSameRows<M: BulkRow>(_ models: [M]) throws {
        let listed = try BulkRows(models), reflected = try BulkRows(reflecting: models)
        #expect(listed.table == reflected.table)
        #expect(listed.columns == reflected.columns, "\(M.schema): the columns a BulkRow lists are those Fluent finds")
        #expect(listed.rows.count == models.count)
        #expect(listed.rows.map { $0.map(described) } == reflected.rows.map { $0.map(described) })
    }

    @Test("formations, full and sparse, created and read back, give Fluent's rows")
    func formations() throws {
        let full = Formation(id: UUID(), organisationID: UUID(), intitule: "BTS Maintenance des systèmes", niveauSortie: 5, modalite: "mixte")
        full.createdAt = Date(timeIntervalSince1970: 1_790_000_000)
        full.updatedAt = Date(timeIntervalSince1970: 1_790_000_100)
        full.$responsable.id = UUID()
        (full.intituleCle, full.filiere, full.typeDiplome, full.niveauEntree) = ("bts maintenance", "industrie-du-futur", "bts", 4)
        (full.cfd, full.rncp, full.duree, full.capacite) = ("32025002", "RNCP35323", "2 ans", 24)
        (full.datesDebut, full.description, full.lien, full.texteCle, full.statutsMasque) = ("2027-09-01", "Atelier", "https://example.fr", "atelier", 3)
        let sparse = Formation(organisationID: UUID(), intitule: "CAP Cuisine", niveauSortie: 3)
        sparse.description = nil
        try Self.expectSameRows([full, sparse])
        #expect(sparse.id != nil, "a model without an id gets one")
    }

    @Test("statuses, ROME codes and audit entries give Fluent's rows")
    func lists() throws {
        let formation = UUID()
        try Self.expectSameRows([FormationStatut(formationID: formation, statut: "apprenti")])
        try Self.expectSameRows([FormationROME(formationID: formation, code: "H2903"), FormationROME(formationID: formation, code: "I1604")])
        try Self.expectSameRows([
            AuditEntry(at: Date(timeIntervalSince1970: 1_790_000_000), actorID: UUID(), actorLabel: "Import", entity: "formation",
                       entityID: formation, entityLabel: "CAP Cuisine", action: "create", changes: "{}"),
            AuditEntry(actorID: nil, actorLabel: "cmq", entity: "formation", entityID: formation, entityLabel: "CAP", action: "update", changes: "{}"),
        ])
    }

    @Test("no models: the columns still come from the model")
    func empty() throws {
        let listed = try BulkRows([Formation]()), reflected = try BulkRows(reflecting: [Formation]())
        #expect(listed.isEmpty && listed.columns == reflected.columns && !listed.columns.isEmpty)
    }
}
