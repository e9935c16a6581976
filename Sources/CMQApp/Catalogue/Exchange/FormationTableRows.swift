import CMQDomain
import Fluent
import Foundation
import SQLKit

/// cmq's CSV lines read straight from the tables, for exports of the whole catalogue: one query for the
/// formations and their organisations, one for their ROME codes, no model built (the statuses come from the
/// formation's status mask, which the database keeps). The lines are those `FormationCSV.line` writes from models.
struct FormationTableRows {
    let db: any Database

    private var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        return sql
    }

    /// The CSV lines of these formations, in the order of `ids` (those that no longer exist are left out), and
    /// how many there are.
    func csvLines(_ ids: [UUID]) async throws -> (text: String, count: Int) {
        guard !ids.isEmpty else { return ("", 0) }
        let rows = try await sql.raw("""
            SELECT f.id, f.intitule, f.filiere, f.type_diplome, f.niveau_entree, f.niveau_sortie, f.cfd, f.rncp, f.duree, f.capacite,
                   f.modalite, f.dates_debut, f.description, f.lien, f.statuts_masque,
                   o.id AS o_id, o.uai AS o_uai, o.siret AS o_siret, o.nom AS o_nom,
                   r.id AS r_id, r.uai AS r_uai, r.siret AS r_siret, r.nom AS r_nom
            FROM formations f
            JOIN organisations o ON o.id = f.organisation_id
            LEFT JOIN organisations r ON r.id = f.responsable_id
            WHERE f.id IN (\(binds: ids))
            """).all()
        var romes: [UUID: [String]] = [:]
        for row in try await sql.raw("SELECT formation_id, code FROM formation_romes WHERE formation_id IN (\(binds: ids))").all() {
            romes[try row.decode(column: "formation_id", as: UUID.self), default: []].append(try row.decode(column: "code", as: String.self))
        }
        var lines: [UUID: String] = [:]
        lines.reserveCapacity(rows.count)
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let mask = try row.decode(column: "statuts_masque", as: Int.self)
            let responsable: FormationCSV.Values.Party? = try row.decode(column: "r_id", as: UUID?.self).map { rid in
                .init(id: rid, uai: try row.decode(column: "r_uai", as: String?.self), siret: try row.decode(column: "r_siret", as: String?.self),
                      nom: try row.decode(column: "r_nom", as: String.self))
            }
            lines[id] = FormationCSV.line(FormationCSV.Values(
                id: id, intitule: try row.decode(column: "intitule", as: String.self),
                organisation: .init(id: try row.decode(column: "o_id", as: UUID.self), uai: try row.decode(column: "o_uai", as: String?.self),
                                    siret: try row.decode(column: "o_siret", as: String?.self), nom: try row.decode(column: "o_nom", as: String.self)),
                responsable: responsable,
                filiere: try row.decode(column: "filiere", as: String?.self), typeDiplome: try row.decode(column: "type_diplome", as: String?.self),
                niveauEntree: try row.decode(column: "niveau_entree", as: Int?.self), niveauSortie: try row.decode(column: "niveau_sortie", as: Int.self),
                cfd: try row.decode(column: "cfd", as: String?.self), rncp: try row.decode(column: "rncp", as: String?.self),
                romes: (romes[id] ?? []).sorted(), duree: try row.decode(column: "duree", as: String?.self),
                statuts: LearnerStatus.allCases.filter { mask & FormationStatusMask.bit($0) != 0 }.sorted { $0.rawValue < $1.rawValue },
                capacite: try row.decode(column: "capacite", as: Int?.self), modalite: try row.decode(column: "modalite", as: String.self),
                datesDebut: try row.decode(column: "dates_debut", as: String?.self), description: try row.decode(column: "description", as: String?.self),
                lien: try row.decode(column: "lien", as: String?.self)))
        }
        let ordered = ids.compactMap { lines[$0] }
        return (ordered.joined(), ordered.count)
    }
}
