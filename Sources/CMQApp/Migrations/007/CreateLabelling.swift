import Fluent
import SQLKit

/// Label dossiers, their opinions, scores, attachments and history, and the labels they granted.
struct CreateLabelling: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReferentielRecord.schema)
            .field("code", .string, .identifier(auto: false))
            .field("contenu", .string, .required)
            .field("charge_le", .datetime)
            .create()
        try await database.schema(DossierRecord.schema)
            .id()
            .field("campus_id", .uuid, .required, .references(Campus.schema, "id", onDelete: .restrict))
            .field("referentiel", .string, .required)
            .field("nature", .string, .required)
            .field("label_demande", .string, .required)
            .field("duree_demandee", .int, .required)
            .field("sections", .string, .required)
            .field("depot", .string)
            .field("decision", .string)
            .field("abandon_le", .string)
            .field("abandon_motif", .string)
            .field("statut", .string, .required)
            .field("etapes_en_cours", .string, .required)
            .field("label_renouvele_id", .uuid)
            .field("cree_le", .datetime)
            .field("modifie_le", .datetime)
            .create()
        try await database.schema(AvisRecord.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierRecord.schema, "id", onDelete: .cascade))
            .field("instance", .string, .required)
            .field("auteur", .string, .required)
            .field("auteur_id", .uuid)
            .field("date", .string, .required)
            .field("verdict", .string, .required)
            .field("texte", .string, .required)
            .field("collectif", .bool, .required)
            .field("cree_le", .datetime)
            .unique(on: "dossier_id", "instance", name: "uq_dossier_avis_instance")
            .create()
        try await database.schema(EvaluationRecord.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierRecord.schema, "id", onDelete: .cascade))
            .field("expert_id", .uuid, .required)
            .field("expert", .string, .required)
            .field("critere", .string, .required)
            .field("note", .int, .required)
            .field("commentaire", .string, .required)
            .field("modifie_le", .datetime)
            .unique(on: "dossier_id", "expert_id", "critere", name: "uq_dossier_evaluations")
            .create()
        try await database.schema(PieceRecord.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierRecord.schema, "id", onDelete: .cascade))
            .field("nom", .string, .required)
            .field("taille", .int, .required)
            .field("sha256", .string, .required)
            .field("format", .string, .required)
            .field("contenu", .data, .required)
            .field("cree_le", .datetime)
            .unique(on: "dossier_id", "nom", name: "uq_dossier_pieces_nom")
            .create()
        try await database.schema(TransitionRecord.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierRecord.schema, "id", onDelete: .cascade))
            .field("le", .datetime, .required)
            .field("evenement", .string, .required)
            .field("etape", .string)
            .field("de", .string, .required)
            .field("vers", .string, .required)
            .field("auteur", .string, .required)
            .field("commentaire", .string)
            .create()
        try await database.schema(LabelRecord.schema)
            .id()
            .field("campus_id", .uuid, .required, .references(Campus.schema, "id", onDelete: .cascade))
            .field("dossier_id", .uuid, .required, .references(DossierRecord.schema, "id", onDelete: .restrict))
            .field("debut", .string, .required)
            .field("duree", .int, .required)
            .field("fin", .string, .required)
            .field("excellence", .bool, .required)
            .field("referentiel", .string, .required)
            .field("nor", .string)
            .field("bo", .string)
            .field("retrait_le", .string)
            .field("retrait_motif", .string)
            .unique(on: "dossier_id", name: "uq_labels_dossier")
            .create()
        if let sql = database as? any SQLDatabase {
            for (name, table, columns) in [("ix_dossiers_campus", DossierRecord.schema, ["campus_id"]),
                                           ("ix_dossiers_statut", DossierRecord.schema, ["statut"]),
                                           ("ix_transitions_dossier", TransitionRecord.schema, ["dossier_id", "le"]),
                                           ("ix_labels_campus", LabelRecord.schema, ["campus_id", "fin"]),
                                           ("ix_labels_fin", LabelRecord.schema, ["fin"])] {
                var builder = sql.create(index: name).on(table)
                for column in columns { builder = builder.column(column) }
                try await builder.run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [LabelRecord.schema, TransitionRecord.schema, PieceRecord.schema, EvaluationRecord.schema, AvisRecord.schema, DossierRecord.schema,
                       ReferentielRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}
