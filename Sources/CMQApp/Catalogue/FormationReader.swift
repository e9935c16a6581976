import CMQDomain
import Foundation
import FluentKit
import SQLKit

/// Reads formations for display — the API's `FormationDTO`, a card of the search page — in one plain
/// query: the formations joined to their organisation, with their ROME codes. The statuses come from the
/// formation's statuses mask, which triggers keep equal to its status rows (`AddFormationStatusMask`).
/// (Fluent's eager loading took four queries and decoded each model by reflection: most of a search's time.)
struct FormationReader {
    let sql: any SQLDatabase

    init(db: any Database) {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        self.sql = sql
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

    private struct Row: Decodable {
        let id: UUID
        let intitule: String
        let organisation_id: UUID
        let responsable_id: UUID?
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
        let o_nom: String
        let o_type: String
        let o_public: Bool
        let o_uai: String?
        let o_siret: String?
        let o_commune: String?
        let o_departement_code: String?
        let o_latitude: Double?
        let o_longitude: Double?
        let romes: String?
    }

    /// The statuses of a mask, in the order of their names (as the API lists them).
    static func statuses(mask: Int) -> [LearnerStatus] {
        LearnerStatus.allCases.filter { mask & FormationStatusMask.bit($0) != 0 }.sorted { $0.rawValue < $1.rawValue }
    }

    /// The columns read, as SQL text written once per dialect (serialising a query builder's expressions cost more
    /// than the database's own work on one formation); the ROME codes come in the same row, joined by `|`.
    private static func selectList(postgres: Bool) -> String {
        let formation = ["id", "intitule", "organisation_id", "responsable_id", "filiere", "type_diplome", "niveau_entree", "niveau_sortie",
                         "cfd", "rncp", "duree", "capacite", "modalite", "dates_debut", "description", "lien", "cree_le", "modifie_le",
                         "statuts_masque"].map { "f.\($0)" }
        let organisation = ["nom", "type", "\"public\"", "uai", "siret", "commune", "departement_code", "latitude", "longitude"]
            .map { "o.\($0) AS o_\($0.replacingOccurrences(of: "\"", with: ""))" }
        return (formation + organisation + [romesColumn(postgres: postgres) + " AS romes"]).joined(separator: ", ")
    }

    /// The ROME codes of formation `f`, joined by `|`, as an SQL expression of the dialect (NULL when it has none).
    static func romesColumn(postgres: Bool) -> String {
        "(SELECT \(postgres ? "string_agg" : "group_concat")(fr.code, '|') FROM formation_romes fr WHERE fr.formation_id = f.id)"
    }

    /// The codes `romesColumn` joined, sorted.
    static func romes(_ joined: (some StringProtocol)?) -> [String] {
        (joined?.split(separator: "|").map { String($0) } ?? []).sorted()
    }
    private static let sqliteSelectList = selectList(postgres: false)
    private static let postgresSelectList = selectList(postgres: true)

    /// The formations of `ids` that exist, by id.
    func read(_ ids: [UUID]) async throws -> [UUID: Item] {
        guard !ids.isEmpty else { return [:] }
        let columns = sql.dialect.name == "postgresql" ? Self.postgresSelectList : Self.sqliteSelectList
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM formations f JOIN organisations o ON o.id = f.organisation_id
            WHERE f.id IN (\(binds: ids))
            """).all(decoding: Row.self)
        var items: [UUID: Item] = [:]
        for row in rows {
            let dto = FormationDTO(
                id: row.id, intitule: row.intitule,
                organisation: MembershipOrganisationDTO(id: row.organisation_id, nom: row.o_nom, type: row.o_type,
                                                        typeLibelle: OrganisationKind(rawValue: row.o_type)?.label ?? row.o_type,
                                                        public: row.o_public, uai: row.o_uai, siret: row.o_siret, commune: row.o_commune),
                organisationResponsableId: row.responsable_id, filiere: row.filiere, typeDiplome: row.type_diplome,
                typeDiplomeLibelle: row.type_diplome.flatMap(DiplomaType.init(rawValue:))?.label,
                niveauEntree: row.niveau_entree, niveauSortie: row.niveau_sortie, niveauSortieLibelle: Level(number: row.niveau_sortie)?.label ?? "",
                cfd: row.cfd, rncp: row.rncp, romes: Self.romes(row.romes), duree: row.duree,
                statuts: Self.statuses(mask: row.statuts_masque).map(\.rawValue), capacite: row.capacite, modalite: row.modalite,
                datesDebut: row.dates_debut?.split(separator: ",").map(String.init) ?? [], description: row.description, lien: row.lien,
                creeLe: row.cree_le, modifieLe: row.modifie_le)
            var point: GeoPoint?
            if let latitude = row.o_latitude, let longitude = row.o_longitude { point = GeoPoint(latitude: latitude, longitude: longitude) }
            items[row.id] = Item(dto: dto, commune: row.o_commune, departementCode: row.o_departement_code, point: point)
        }
        return items
    }

    /// One formation, or the 404 of an unknown id.
    func one(_ id: UUID) async throws -> FormationDTO {
        guard let item = try await read([id])[id] else {
            throw AppError.notFound("Aucune formation n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return item.dto
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
