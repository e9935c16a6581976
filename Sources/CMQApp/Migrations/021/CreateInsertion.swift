import Fluent
import SQLKit

/// The InserJeunes figures (by région and formation, by establishment), kept millésime by millésime, and the two
/// BCN tables they need: MEFSTAT11 → CFD, and the diplomas with their renewals.
struct CreateInsertion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("insertion_formations_region")
            .id()
            .field("millesime", .string, .required)
            .field("region_code", .string, .required)
            .field("voie", .string, .required)
            .field("code", .string, .required)
            .field("cfd", .string)
            .field("mefstat11", .string)
            .field("nb_annee_term", .int, .required)
            .field("nb_poursuite_etudes", .int)
            .field("nb_sortant", .int)
            .field("nb_en_emploi_6_mois", .int)
            .field("nb_en_emploi_12_mois", .int)
            .field("nb_en_emploi_18_mois", .int)
            .field("nb_en_emploi_24_mois", .int)
            .unique(on: "millesime", "region_code", "voie", "code", name: "uq_insertion_formations_region")
            .create()
        try await database.schema("insertion_etablissements")
            .id()
            .field("millesime", .string, .required)
            .field("fichier", .string, .required)
            .field("uai", .string, .required)
            .field("libelle", .string, .required)
            .field("region", .string, .required)
            .field("population", .string, .required)
            .field("taux_poursuite", .int)
            .field("taux_emploi_6_mois", .int)
            .field("taux_emploi_6_mois_attendu", .int)
            .field("valeur_ajoutee", .int)
            .field("part_poursuite", .int)
            .field("part_emploi_6_mois", .int)
            .field("part_autres", .int)
            .unique(on: "millesime", "fichier", "uai", "population", name: "uq_insertion_etablissements")
            .create()
        try await database.schema("bcn_mefstat")
            .id()
            .field("mefstat11", .string, .required)
            .field("cfd", .string, .required)
            .unique(on: "mefstat11", "cfd", name: "uq_bcn_mefstat")
            .create()
        try await database.schema("bcn_diplomes")
            .id()
            .field("cfd", .string, .required)
            .field("niveau", .string, .required)
            .field("libelle", .string, .required)
            .unique(on: "cfd", name: "uq_bcn_diplomes")
            .create()
        try await database.schema("bcn_diplome_liens")
            .id()
            .field("ancien_cfd", .string, .required)
            .field("nouveau_cfd", .string, .required)
            .unique(on: "ancien_cfd", "nouveau_cfd", name: "uq_bcn_diplome_liens")
            .create()
        if let sql = database as? any SQLDatabase {
            for (name, table, columns) in [("ix_insertion_formations_region_millesime", "insertion_formations_region", "millesime, region_code"),
                                           ("ix_insertion_etablissements_uai", "insertion_etablissements", "uai, millesime")] {
                try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["bcn_diplome_liens", "bcn_diplomes", "bcn_mefstat", "insertion_etablissements", "insertion_formations_region"] {
            try await database.schema(table).delete()
        }
    }
}
