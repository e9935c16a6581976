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
    ///
    /// Decoding a column costs more than reading it: the database joins each formation's text fields in one
    /// column, separated by U+001F (a control character, which cmq refuses in every input), its ROME codes too.
    func csvLines(_ ids: [UUID]) async throws -> (text: String, count: Int) {
        guard !ids.isEmpty else { return ("", 0) }
        let postgres = sql.dialect.name == "postgresql"
        let separator = postgres ? "chr(31)" : "char(31)"
        let romes = postgres ? "(SELECT string_agg(fr.code, '|') FROM formation_romes fr WHERE fr.formation_id = f.id)"
            : "(SELECT group_concat(fr.code, '|') FROM formation_romes fr WHERE fr.formation_id = f.id)"
        let packed = (Self.packed.map { "COALESCE(CAST(\($0) AS TEXT), '')" } + ["COALESCE(\(romes), '')"]).joined(separator: " || \(separator) || ")
        let rows = try await sql.raw("""
            SELECT f.id, o.id AS o_id, r.id AS r_id, \(unsafeRaw: packed) AS fields
            FROM formations f
            JOIN organisations o ON o.id = f.organisation_id
            LEFT JOIN organisations r ON r.id = f.responsable_id
            WHERE f.id IN (\(binds: ids))
            """).all()
        var lines: [UUID: String] = [:]
        lines.reserveCapacity(rows.count)
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let fields = try row.decode(column: "fields", as: String.self).split(separator: "\u{1F}", omittingEmptySubsequences: false)
            guard fields.count == Self.packed.count + 1 else { throw FieldCountMismatch() }
            func text(_ column: Column) -> String? {
                let value = fields[column.rawValue]
                return value.isEmpty ? nil : String(value)
            }
            // An organisation's own identifier is written only when it has neither UAI nor SIRET.
            let organisationID = text(.organisationUAI) == nil && text(.organisationSIRET) == nil ? try row.decode(column: "o_id", as: UUID.self) : nil
            let responsable: FormationCSV.Values.Party? = text(.responsableNom).map { nom in
                .init(id: nil, uai: text(.responsableUAI), siret: text(.responsableSIRET), nom: nom)
            }
            var values = FormationCSV.Values(
                id: id, intitule: text(.intitule) ?? "",
                organisation: .init(id: organisationID, uai: text(.organisationUAI), siret: text(.organisationSIRET), nom: text(.organisationNom) ?? ""),
                responsable: responsable,
                filiere: text(.filiere), typeDiplome: text(.typeDiplome), niveauEntree: text(.niveauEntree).flatMap { Int($0) },
                niveauSortie: text(.niveauSortie).flatMap { Int($0) } ?? 0, cfd: text(.cfd), rncp: text(.rncp),
                romes: fields[Self.packed.count].split(separator: "|").map(String.init).sorted(), duree: text(.duree),
                statuts: Self.statuses(mask: text(.statutsMasque).flatMap { Int($0) } ?? 0),
                capacite: text(.capacite).flatMap { Int($0) }, modalite: text(.modalite) ?? "",
                datesDebut: text(.datesDebut), description: text(.description), lien: text(.lien))
            if values.responsable != nil, values.responsable?.uai == nil, values.responsable?.siret == nil {
                values.responsable?.id = try row.decode(column: "r_id", as: UUID?.self)
            }
            lines[id] = FormationCSV.line(values)
        }
        let ordered = ids.compactMap { lines[$0] }
        return (ordered.joined(), ordered.count)
    }

    /// The columns joined in `fields`, in order (the ROME codes come last).
    private enum Column: Int, CaseIterable {
        case intitule, filiere, typeDiplome, niveauEntree, niveauSortie, cfd, rncp, duree, capacite, modalite, datesDebut, description, lien,
             statutsMasque, organisationUAI, organisationSIRET, organisationNom, responsableUAI, responsableSIRET, responsableNom

        var sql: String {
            switch self {
            case .intitule: "f.intitule"
            case .filiere: "f.filiere"
            case .typeDiplome: "f.type_diplome"
            case .niveauEntree: "f.niveau_entree"
            case .niveauSortie: "f.niveau_sortie"
            case .cfd: "f.cfd"
            case .rncp: "f.rncp"
            case .duree: "f.duree"
            case .capacite: "f.capacite"
            case .modalite: "f.modalite"
            case .datesDebut: "f.dates_debut"
            case .description: "f.description"
            case .lien: "f.lien"
            case .statutsMasque: "f.statuts_masque"
            case .organisationUAI: "o.uai"
            case .organisationSIRET: "o.siret"
            case .organisationNom: "o.nom"
            case .responsableUAI: "r.uai"
            case .responsableSIRET: "r.siret"
            case .responsableNom: "r.nom"
            }
        }
    }
    private static let packed = Column.allCases.map(\.sql)

    /// The statuses of a status mask, sorted by their codes (as `Formation.learnerStatuses`).
    static func statuses(mask: Int) -> [LearnerStatus] {
        LearnerStatus.allCases.filter { mask & FormationStatusMask.bit($0) != 0 }.sorted { $0.rawValue < $1.rawValue }
    }

    /// A formation whose text holds the separator (cmq's inputs refuse control characters: a database written
    /// by something else).
    struct FieldCountMismatch: Error, CustomStringConvertible {
        var description: String { "Une formation contient un caractère de contrôle (U+001F) : l'export CSV ne peut pas l'écrire." }
    }
}
