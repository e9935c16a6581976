import Fluent
import Foundation
import SQLKit

/// The search's body text of every formation gains the French stems that its words do not begin with
/// (`Formation.searchText`), so that a stem typed finds the formations whose words it stems ("cheval" finds
/// "chevaux"). Only the rows whose text changes are written; the catalogue's triggers then refresh the indexes.
struct UpdateFormationSearchStems: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await Self.rewrite(on: database, stems: true)
    }

    func revert(on database: any Database) async throws {
        try await Self.rewrite(on: database, stems: false)
    }

    private struct Row: Decodable {
        let id: UUID
        let intitule: String
        let description: String?
        let type_diplome: String?
        let cfd: String?
        let rncp: String?
        let duree: String?
        let texte_cle: String?
    }

    static func rewrite(on database: any Database, stems: Bool) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var last: UUID?
        while true {
            var select = sql.select()
                .columns("id", "intitule", "description", "type_diplome", "cfd", "rncp", "duree", "texte_cle")
                .from("formations")
            if let last { select = select.where("id", .greaterThan, SQLBind(last)) }
            let rows = try await select.orderBy("id").limit(5_000).all(decoding: Row.self)
            let changed = rows.compactMap { row -> (UUID, String?)? in
                let text = Formation.searchText(intitule: row.intitule, description: row.description, typeDiplome: row.type_diplome,
                                                cfd: row.cfd, rncp: row.rncp, duree: row.duree, stems: stems)
                return text == row.texte_cle ? nil : (row.id, text)
            }
            if !changed.isEmpty {
                try await database.transaction { transaction in
                    let sql = transaction as! any SQLDatabase
                    for (id, text) in changed {
                        try await sql.update("formations").set("texte_cle", to: SQLBind(text)).where("id", .equal, SQLBind(id)).run()
                    }
                }
            }
            guard rows.count == 5_000, let next = rows.last?.id else { break }
            last = next
        }
    }
}
