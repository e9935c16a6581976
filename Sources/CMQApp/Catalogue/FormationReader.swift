import CMQDomain
import Foundation
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Reads formations for display — the API's `FormationDTO`, a card of the search page — in one plain
/// query: the formations joined to their organisation, with their ROME codes. The statuses come from the
/// formation's statuses mask, which triggers keep equal to its status rows (`AddFormationStatusMask`).
/// (Fluent's eager loading took four queries and decoded each model by reflection: most of a search's time;
/// SQLKit's rows then decoded each column through `Decodable`: the rows are now read by each database's driver,
/// `FormationReaderRows.swift`.)
struct FormationReader {
    let sql: any SQLDatabase
    /// On a SQLite file, the reads done on the caller's thread (`SQLiteFormationReads`), for a request's reads of
    /// committed formations; nil to read through the driver (PostgreSQL, or inside a transaction).
    let sqliteReads: SQLiteFormationReads?

    init(db: any Database, sqliteReads: SQLiteFormationReads? = nil) {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        self.sql = sql
        self.sqliteReads = sqliteReads
    }

    /// A request's reader: on a SQLite file, without the driver's thread pool.
    init(_ req: Request) {
        self.init(db: req.db, sqliteReads: req.application.sqliteFormationReads)
    }

    /// A formation as shown, and the town of its organisation (for the search page).
    struct Item: Sendable {
        var dto: FormationDTO
        var commune: String?
        var departementCode: String?
        var point: GeoPoint?

        /// The town, or the département when the town is not known.
        var place: String? {
            commune ?? departementCode.flatMap { TerritoryCatalog.shared.departement(code: $0) }.map { "\($0.nom) (\($0.code))" }
        }

        /// The distance from the centre of a search near a commune.
        func distance(from near: Nearby?) -> Double? {
            guard let near, let point else { return nil }
            return near.origin.distance(to: point)
        }
    }

    /// The columns read, in the order of the select list: the formation's, its organisation's, and its ROME codes
    /// joined by `|` in the same row.
    enum Column: Int, CaseIterable {
        case id, intitule, organisationID, responsableID, filiere, typeDiplome, niveauEntree, niveauSortie, cfd, rncp, duree, capacite,
             modalite, datesDebut, description, lien, creeLe, modifieLe, statutsMasque
        case organisationNom, organisationType, organisationPublic, organisationUAI, organisationSIRET, organisationCommune,
             organisationDepartement, organisationLatitude, organisationLongitude
        case romes

        /// The column's SQL expression.
        func sql(postgres: Bool) -> String {
            switch self {
            case .id: "f.id"
            case .intitule: "f.intitule"
            case .organisationID: "f.organisation_id"
            case .responsableID: "f.responsable_id"
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
            case .creeLe: "f.cree_le"
            case .modifieLe: "f.modifie_le"
            case .statutsMasque: "f.statuts_masque"
            case .organisationNom: "o.nom"
            case .organisationType: "o.type"
            case .organisationPublic: "o.\"public\""
            case .organisationUAI: "o.uai"
            case .organisationSIRET: "o.siret"
            case .organisationCommune: "o.commune"
            case .organisationDepartement: "o.departement_code"
            case .organisationLatitude: "o.latitude"
            case .organisationLongitude: "o.longitude"
            case .romes: FormationReader.romesColumn(postgres: postgres)
            }
        }
    }

    /// The statuses of a mask, in the order of their names (as the API lists them).
    static func statuses(mask: Int) -> [LearnerStatus] {
        LearnerStatus.allCases.filter { mask & FormationStatusMask.bit($0) != 0 }.sorted { $0.rawValue < $1.rawValue }
    }

    /// The ROME codes of formation `f`, joined by `|`, as an SQL expression of the dialect (NULL when it has none).
    static func romesColumn(postgres: Bool) -> String {
        "(SELECT \(postgres ? "string_agg" : "group_concat")(fr.code, '|') FROM formation_romes fr WHERE fr.formation_id = f.id)"
    }

    /// The codes `romesColumn` joined, sorted.
    static func romes(_ joined: (some StringProtocol)?) -> [String] {
        (joined?.split(separator: "|").map { String($0) } ?? []).sorted()
    }

    /// The query's text before its condition on the ids: SQL written once per dialect (building and serialising
    /// a query builder's expressions cost more than the database's own work on one formation).
    static func select(postgres: Bool) -> String {
        "SELECT " + Column.allCases.map { $0.sql(postgres: postgres) }.joined(separator: ", ")
            + " FROM formations f JOIN organisations o ON o.id = f.organisation_id WHERE " + Formation.visibleCondition("f") + " AND f.id "
    }

    /// The formations of `ids` that exist, by id. Each database is asked through its own driver, the row read by
    /// position: on PostgreSQL a statement prepared once per connection (`= $1` for one id, `= ANY` of an array else),
    /// on SQLite statements prepared once per connection of `sqliteReads`, else the rows collected on the driver's
    /// thread (SQLKit's path decoded each column through `Decodable` and sent each row back to the event loop on its own).
    func read(_ ids: [UUID]) async throws -> [UUID: Item] {
        guard !ids.isEmpty else { return [:] }
        let rows: [Row]
        if let read = sqliteReads?.rows(ids) {
            rows = read
        } else if let postgres = sql as? any PostgresDatabase {
            rows = try await ids.count == 1 ? PostgresFormationCard(id: ids[0]).rows(on: postgres) : PostgresFormationCards(ids: ids).rows(on: postgres)
        } else if let sqlite = sql as? any SQLiteDatabase {
            rows = try await SQLiteFormationCards.rows(ids, on: sqlite)
        } else {
            preconditionFailure("cmq runs on SQLite and PostgreSQL only")
        }
        var items: [UUID: Item] = [:]
        for row in rows {
            items[row.id] = row.item
        }
        return items
    }

    /// One formation, or the 404 of an unknown id.
    func one(_ id: UUID) async throws -> FormationDTO {
        guard let item = try await read([id])[id] else { throw Self.notFound(id) }
        return item.dto
    }

    static func notFound(_ id: UUID) -> AppError {
        .notFound("Aucune formation n'a l'identifiant \(id.uuidString.lowercased()).")
    }
}

extension FormationRow {
    /// A card of the search page (with its distance in a search near a commune).
    init(_ item: FormationReader.Item, near: Nearby? = nil) {
        let dto = item.dto
        url = CatalogueURL.formation(dto.id).path
        intitule = dto.intitule
        type = dto.typeDiplomeLibelle
        niveau = dto.niveauSortie
        statuts = dto.statuts.compactMap { LearnerStatus(rawValue: $0)?.label }.joined(separator: ", ")
        organisation = dto.organisation.nom
        organisationURL = RegistryURL.organisation(dto.organisation.id).path
        commune = item.place
        distance = item.distance(from: near).map(Nearby.phrase)
    }
}
