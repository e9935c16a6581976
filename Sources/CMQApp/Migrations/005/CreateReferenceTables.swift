import CMQDomain
import Fluent
import SQLKit

/// The national reference tables (diplomas, BCN levels, ROME, ONISEP), created and filled from the files
/// shipped with cmq. A later version of cmq that ships newer files adds a migration that reloads them.
struct CreateReferenceTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReferenceTable.diplomes)
            .field("cfd", .string, .identifier(auto: false))
            .field("rncp", .string)
            .field("sigle", .string, .required)
            .field("type_diplome", .string)
            .field("intitule", .string, .required)
            .field("intitule_cle", .string, .required)
            .field("niveau", .int, .required)
            .field("cpc", .string, .required)
            .field("secteur", .string, .required)
            .field("premiere_session", .int)
            .field("derniere_session", .int)
            .create()
        try await database.schema(ReferenceTable.niveaux)
            .field("code", .string, .identifier(auto: false))
            .field("niveau_interministeriel", .string, .required)
            .field("libelle_court", .string, .required)
            .field("libelle", .string, .required)
            .field("niveau_rncp", .int)
            .create()
        try await database.schema(ReferenceTable.rome)
            .field("code", .string, .identifier(auto: false))
            .field("libelle", .string, .required)
            .field("libelle_cle", .string, .required)
            .field("parent", .string)
            .create()
        try await database.schema(ReferenceTable.onisep)
            .field("identifiant", .string, .identifier(auto: false))
            .field("sigle_type", .string)
            .field("libelle_type", .string, .required)
            .field("intitule", .string, .required)
            .field("intitule_cle", .string, .required)
            .field("duree", .string)
            .field("rncp", .string)
            .field("niveau", .int)
            .field("type_diplome", .string)
            .field("lien", .string, .required)
            .field("domaines", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await ReferenceTable.load(on: sql)
    }

    func revert(on database: any Database) async throws {
        for table in [ReferenceTable.diplomes, ReferenceTable.niveaux, ReferenceTable.rome, ReferenceTable.onisep] {
            try await database.schema(table).delete()
        }
    }
}

enum ReferenceTable {
    static let diplomes = "ref_diplomes"
    static let niveaux = "ref_niveaux_diplome"
    static let rome = "ref_rome"
    static let onisep = "ref_onisep"

    /// Fills the four tables from the shipped files, 200 rows per statement.
    static func load(on sql: any SQLDatabase) async throws {
        try await insert(into: diplomes, on: sql,
                         columns: ["cfd", "rncp", "sigle", "type_diplome", "intitule", "intitule_cle", "niveau", "cpc", "secteur", "premiere_session", "derniere_session"],
                         rows: ReferenceFiles.diplomes.map { d in
                             [SQLBind(d.cfd), SQLBind(d.rncp), SQLBind(d.sigle), SQLBind(d.typeDiplome?.rawValue), SQLBind(d.intitule),
                              SQLBind(TextFolding.searchKey(d.intitule)), SQLBind(d.niveau), SQLBind(d.cpc), SQLBind(d.secteur),
                              SQLBind(d.premiereSession), SQLBind(d.derniereSession)]
                         })
        try await insert(into: niveaux, on: sql, columns: ["code", "niveau_interministeriel", "libelle_court", "libelle", "niveau_rncp"],
                         rows: ReferenceFiles.niveaux.map { n in
                             [SQLBind(n.code), SQLBind(n.niveauInterministeriel), SQLBind(n.libelleCourt), SQLBind(n.libelle), SQLBind(n.niveauRNCP)]
                         })
        try await insert(into: rome, on: sql, columns: ["code", "libelle", "libelle_cle", "parent"],
                         rows: ReferenceFiles.romes.map { r in
                             [SQLBind(r.code), SQLBind(r.libelle), SQLBind(TextFolding.searchKey(r.libelle)), SQLBind(r.parent)]
                         })
        try await insert(into: onisep, on: sql,
                         columns: ["identifiant", "sigle_type", "libelle_type", "intitule", "intitule_cle", "duree", "rncp", "niveau", "type_diplome", "lien", "domaines"],
                         rows: ReferenceFiles.onisep.map { o in
                             [SQLBind(o.identifiant), SQLBind(o.sigleType), SQLBind(o.libelleType), SQLBind(o.intitule),
                              SQLBind(TextFolding.searchKey(o.intitule)), SQLBind(o.duree), SQLBind(o.rncp), SQLBind(o.niveau),
                              SQLBind(o.typeDiplome?.rawValue), SQLBind(o.lien), SQLBind(o.domaines)]
                         })
    }

    private static func insert(into table: String, on sql: any SQLDatabase, columns: [String], rows: [[SQLBind]]) async throws {
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + 200, rows.count)]
            var builder = sql.insert(into: table).columns(columns)
            for row in batch { builder = builder.values(row) }
            try await builder.run()
            start += 200
        }
    }
}
