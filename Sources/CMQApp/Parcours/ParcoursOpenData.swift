import CMQDomain
import Fluent
import Foundation

extension OpenDataset {
    /// Every campus's pathway flows as its public page shows them: one row per cell of each yearly table (a place
    /// of the year, or the network's new entrants, towards a place of the next year or an exit), with the public
    /// threshold and the complementary masking of the page. A masked cell has an empty count and the status
    /// « secret »: the file gives back nothing the page hides.
    static let parcoursFlux: OpenDataset = {
        let statuts = ParcoursStatut.allCases.map(\.rawValue)
        let fields = [
            DatasetField("campus_id", .string, "Campus (identifiant)", "Identifiant du campus dans cmq.", required: true,
                         pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
            DatasetField("campus", .string, "Campus", "Nom du campus.", required: true),
            DatasetField("annee_depart", .string, "Année scolaire de départ", "Année scolaire des apprenants comptés (AAAA-AAAA).", required: true, pattern: "[0-9]{4}-[0-9]{4}"),
            DatasetField("annee_arrivee", .string, "Année scolaire d'arrivée", "Année scolaire suivante (AAAA-AAAA).", required: true, pattern: "[0-9]{4}-[0-9]{4}"),
            DatasetField("origine_type", .string, "Origine : type", "formation : une formation d'un établissement du réseau ; entrants : nouveaux dans le réseau l'année d'arrivée.",
                         required: true, values: ["formation", "entrants"]),
            DatasetField("origine_uai", .string, "Origine : UAI", "UAI de l'établissement d'origine (vide pour les entrants).", pattern: "[0-9]{7}[A-Z]"),
            DatasetField("origine_formation", .string, "Origine : formation (code)", "Code de la formation d'origine (CFD ou code déclaré par l'établissement)."),
            DatasetField("origine_statut", .string, "Origine : statut", "Statut de l'apprenant dans la formation d'origine.", values: statuts),
            DatasetField("origine", .string, "Origine", "Établissement, formation et statut d'origine, en clair.", required: true),
            DatasetField("destination_type", .string, "Destination : type", "formation : une formation du réseau l'année d'arrivée ; sortie : sortie du réseau.",
                         required: true, values: ["formation", "sortie"]),
            DatasetField("destination_uai", .string, "Destination : UAI", "UAI de l'établissement d'arrivée (vide pour une sortie).", pattern: "[0-9]{7}[A-Z]"),
            DatasetField("destination_formation", .string, "Destination : formation (code)", "Code de la formation d'arrivée (vide pour une sortie)."),
            DatasetField("destination_statut", .string, "Destination : statut", "Statut dans la formation d'arrivée (vide pour une sortie).", values: statuts),
            DatasetField("destination_sortie", .string, "Destination : sortie (code)", "Code de la sortie du réseau (vide pour une formation).", values: ParcoursExit.allCases.map(\.rawValue)),
            DatasetField("destination", .string, "Destination", "Formation ou sortie d'arrivée, en clair.", required: true),
            DatasetField("effectif", .integer, "Effectif", "Nombre d'apprenants ; vide quand il est masqué.", minimum: 0),
            DatasetField("statut", .string, "Statut de l'effectif",
                         "publie ; secret (effectif de 1 à \(DisclosureAudience.public_.threshold - 1), ou masqué pour qu'il ne se déduise pas des totaux publiés).",
                         required: true, values: ["publie", "secret"]),
        ]
        return OpenDataset(
            slug: "parcours-flux", title: "Parcours des apprenants dans les réseaux des campus (flux publics)",
            description: "Pour chaque campus, d'une année scolaire à la suivante, le nombre d'apprenants passés d'une formation d'un établissement membre "
                + "à une autre formation du réseau ou sortis du réseau, et les nouveaux entrants. Données pseudonymisées transmises par les établissements ; "
                + "secret statistique : un effectif de 1 à \(DisclosureAudience.public_.threshold - 1) est masqué, ainsi que les effectifs qui permettraient de le retrouver (masquage complémentaire).",
            keywords: ["parcours", "poursuite d'études", "continuité des parcours", "campus des métiers et des qualifications"],
            fields: fields, hasPlace: false,
            page: { db, after, limit, _ in
                // Rows come campus by campus (all the rows of a campus share its key), until `limit` is reached.
                var rows: [DatasetRow] = []
                var cursor = after
                while rows.count < limit {
                    let query = Campus.query(on: db).sort(\.$id).limit(20)
                    if let cursor { query.filter(\.$id > cursor) }
                    let campuses = try await query.all()
                    guard let last = campuses.last else { break }
                    cursor = try last.requireID()
                    for campus in campuses {
                        rows += try await flowRows(of: campus, on: db)
                        if rows.count >= limit { return rows }
                    }
                }
                return rows
            },
            stamp: { db in
                let steps = try await ParcoursEtape.query(on: db).count()
                let campuses = try await Campus.query(on: db).count()
                let memberships = try await Membership.query(on: db).count()
                let modified = [try await ParcoursEnvoi.query(on: db).max(\.$createdAt), try await Campus.query(on: db).max(\.$updatedAt)].compactMap { $0 }.max()
                return DatasetStamp(count: steps &* 1_000 &+ campuses &* 10 &+ memberships, modified: modified, day: nil)
            })
    }()

    /// The cells of a campus's public tables, as rows of `parcours-flux`.
    private static func flowRows(of campus: Campus, on db: any Database) async throws -> [DatasetRow] {
        let report = try await ParcoursReport.load(campus: campus, audience: .public_, on: db)
        let campusID = try campus.requireID()
        var rows: [DatasetRow] = []
        for table in report.tables {
            for row in table.rows {
                let origin = PlaceKey(row.place.key)
                for (index, column) in table.columns.enumerated() {
                    let count = row.cells[index]
                    let isExit = index >= table.columns.count - table.exitColumns
                    let destination = PlaceKey(column.key)
                    rows.append(DatasetRow(key: campusID, cells: [
                        .text(campusID.uuidString.lowercased()), .text(report.campusName),
                        .text(table.from.description), .text(table.to.description),
                        .text(origin.node == nil ? "entrants" : "formation"),
                        .text(origin.node?.uai), .text(origin.node?.formation), .text(origin.node?.statut),
                        .text(row.place.label),
                        .text(isExit ? "sortie" : "formation"),
                        .text(isExit ? nil : destination.node?.uai), .text(isExit ? nil : destination.node?.formation),
                        .text(isExit ? nil : destination.node?.statut), .text(isExit ? column.key : nil),
                        .text(column.label),
                        .integer(count.masque ? nil : count.valeur), .text(count.masque ? "secret" : "publie"),
                    ]))
                }
            }
        }
        return rows
    }

    /// A place's key in a flow table: `uai|formation|statut` for a formation, anything else for the entrants' row
    /// and the exits.
    private struct PlaceKey {
        var node: (uai: String, formation: String, statut: String)?

        init(_ key: String) {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            node = parts.count == 3 ? (parts[0], parts[1], parts[2]) : nil
        }
    }
}
