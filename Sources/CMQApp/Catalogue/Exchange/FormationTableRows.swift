import CMQDomain
import Fluent
import Foundation
import SQLKit

/// cmq's CSV lines read straight from the tables, for exports of the whole catalogue: one query for the
/// formations, their organisations and their ROME codes (`FormationReader.romesColumn`), no model built (the statuses come from the
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
        let romes = FormationReader.romesColumn(postgres: postgres)
        let packed = (Self.packed.map { "COALESCE(CAST(\($0) AS TEXT), '')" } + ["COALESCE(\(romes), '')"]).joined(separator: " || \(separator) || ")
        let rows = try await sql.raw("""
            SELECT f.id, o.id AS o_id, r.id AS r_id, \(unsafeRaw: packed) AS fields
            FROM formations f
            JOIN organisations o ON o.id = f.organisation_id
            LEFT JOIN organisations r ON r.id = f.responsable_id
            WHERE \(unsafeRaw: Formation.visibleCondition("f")) AND f.id IN (\(binds: ids))
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
                romes: FormationReader.romes(fields[Self.packed.count]), duree: text(.duree),
                statuts: FormationReader.statuses(mask: text(.statutsMasque).flatMap { Int($0) } ?? 0),
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

    private struct PartyColumns: Decodable {
        let id: UUID?
        let nom: String?
        let uai: String?
        let siret: String?
        let adresse: String?
        let code_postal: String?
        let commune: String?
        let departement_code: String?
        let site_web: String?

        var party: LHEO.Party? {
            guard let id, let nom else { return nil }
            return LHEO.Party(id: id, nom: nom, uai: uai, siret: siret, adresse: adresse, codePostal: code_postal, commune: commune,
                              departementCode: departement_code, siteWeb: site_web)
        }
    }

    private struct LHEORow: Decodable {
        let id: UUID
        let intitule: String
        let filiere: String?
        let type_diplome: String?
        let niveau_entree: Int?
        let niveau_sortie: Int
        let cfd: String?
        let rncp: String?
        let duree: String?
        let capacite: Int?
        let modalite: String
        let dates_debut: String?
        let description: String?
        let lien: String?
        let cree_le: Date?
        let modifie_le: Date?
        let statuts_masque: Int
        /// `FormationReader.romesColumn`.
        let romes: String?
    }

    private static let partyColumns = ["id", "nom", "uai", "siret", "adresse", "code_postal", "commune", "departement_code", "site_web"]

    /// What the LHEO file writes of these formations, in the order of `ids` (those that no longer exist are left
    /// out): one query for the formations, both their organisations and their ROME codes, no model built.
    func lheoSources(_ ids: [UUID]) async throws -> [LHEO.Source] {
        guard !ids.isEmpty else { return [] }
        let formationColumns = ["id", "intitule", "filiere", "type_diplome", "niveau_entree", "niveau_sortie", "cfd", "rncp", "duree", "capacite",
                                "modalite", "dates_debut", "description", "lien", "cree_le", "modifie_le", "statuts_masque"]
        var select = sql.select().columns(formationColumns.map { SQLColumn($0, table: "f") })
            .column(SQLRaw(FormationReader.romesColumn(postgres: sql.dialect.name == "postgresql")), as: "romes")
        for column in Self.partyColumns {
            select = select.column(SQLColumn(column, table: "o"), as: "o_\(column)").column(SQLColumn(column, table: "r"), as: "r_\(column)")
        }
        let rows = try await select
            .from(SQLAlias(SQLIdentifier("formations"), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier("organisations"), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organisation_id", table: "f"), .equal, SQLColumn("id", table: "o"))
            .join(SQLAlias(SQLIdentifier("organisations"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                  on: SQLColumn("responsable_id", table: "f"), .equal, SQLColumn("id", table: "r"))
            .where(SQLColumn("id", table: "f"), .in, SQLBind.group(ids)).where(SQLRaw(Formation.visibleCondition("f")))
            .all()
        var sources: [UUID: LHEO.Source] = [:]
        sources.reserveCapacity(rows.count)
        for row in rows {
            let f = try row.decode(model: LHEORow.self)
            guard let organisation = try row.decode(model: PartyColumns.self, prefix: "o_").party else { continue }
            let responsable = try row.decode(model: PartyColumns.self, prefix: "r_").party
            sources[f.id] = LHEO.Source(
                id: f.id, intitule: f.intitule, filiere: f.filiere, typeDiplome: f.type_diplome, niveauEntree: f.niveau_entree,
                niveauSortie: f.niveau_sortie, cfd: f.cfd, rncp: f.rncp, duree: f.duree, capacite: f.capacite, modalite: f.modalite,
                datesDebut: f.dates_debut, description: f.description, lien: f.lien, createdAt: f.cree_le, updatedAt: f.modifie_le,
                statuses: FormationReader.statuses(mask: f.statuts_masque), romes: FormationReader.romes(f.romes),
                organisation: organisation, responsable: responsable)
        }
        return ids.compactMap { sources[$0] }
    }

    private struct OwnerRow: Decodable {
        let id: UUID
        let responsable_id: UUID?
        let o_nom: String
        let o_siret: String?
        let r_nom: String?
        let r_siret: String?
    }

    /// The organisation responsible for each of these formations (the responsible one, or the one that gives the
    /// formation), by formation: its name and SIRET, as LHEO needs them.
    func owners(_ ids: [UUID]) async throws -> [UUID: (nom: String, siret: String?)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "f")).column(SQLColumn("responsable_id", table: "f"))
            .column(SQLColumn("nom", table: "o"), as: "o_nom").column(SQLColumn("siret", table: "o"), as: "o_siret")
            .column(SQLColumn("nom", table: "r"), as: "r_nom").column(SQLColumn("siret", table: "r"), as: "r_siret")
            .from(SQLAlias(SQLIdentifier("formations"), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier("organisations"), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organisation_id", table: "f"), .equal, SQLColumn("id", table: "o"))
            .join(SQLAlias(SQLIdentifier("organisations"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                  on: SQLColumn("responsable_id", table: "f"), .equal, SQLColumn("id", table: "r"))
            .where(SQLColumn("id", table: "f"), .in, SQLBind.group(ids)).where(SQLRaw(Formation.visibleCondition("f")))
            .all(decoding: OwnerRow.self)
        var owners: [UUID: (nom: String, siret: String?)] = [:]
        for row in rows {
            if row.responsable_id != nil, let nom = row.r_nom {
                owners[row.id] = (nom, row.r_siret)
            } else {
                owners[row.id] = (row.o_nom, row.o_siret)
            }
        }
        return owners
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

    /// A formation whose text holds the separator (cmq's inputs refuse control characters: a database written
    /// by something else).
    struct FieldCountMismatch: Error, CustomStringConvertible {
        var description: String { "Une formation contient un caractère de contrôle (U+001F) : l'export CSV ne peut pas l'écrire." }
    }
}
