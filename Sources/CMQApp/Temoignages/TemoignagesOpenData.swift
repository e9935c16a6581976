import CMQDomain
import Fluent
import Foundation

extension OpenDataset {
    /// The published testimonies of "Ma réussite pro", metadata only (never the video, the text or anything about
    /// the consents): what it is called, whose first name, which campus and formation, how long, since when.
    /// A testimony leaves the file the day its consent is withdrawn or expires, as it leaves the site.
    static let temoignages: OpenDataset = {
        let uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        let fields = [
            DatasetField("id", .string, "Identifiant", "Identifiant du témoignage dans cmq.", required: true, unique: true, pattern: uuid),
            DatasetField("titre", .string, "Titre", "Titre du témoignage.", required: true),
            DatasetField("prenom", .string, "Prénom", "Prénom de la personne qui témoigne (jamais son nom de famille).", required: true),
            DatasetField("categorie", .string, "Catégorie", "Catégorie du concours, quand elle est donnée."),
            DatasetField("campus_id", .string, "Campus (identifiant)", "Identifiant du campus.", required: true, pattern: uuid),
            DatasetField("campus", .string, "Campus", "Nom du campus.", required: true),
            DatasetField("filiere", .string, "Filière (code)", "Code de la filière du campus.", required: true, values: Filiere.allCases.map(\.slug)),
            DatasetField("region_code", .string, "Région académique (code)", "Code de la région académique du campus.", required: true),
            DatasetField("academie_code", .string, "Académie (code)", "Code de l'académie du campus.", required: true),
            DatasetField("formation_id", .string, "Formation (identifiant)", "Identifiant de la formation dont parle le témoignage.", pattern: uuid),
            DatasetField("formation", .string, "Formation", "Intitulé de la formation."),
            DatasetField("niveau", .integer, "Niveau", "Niveau de sortie de la formation (3 à 8).", minimum: 3, maximum: 8),
            DatasetField("duree_secondes", .number, "Durée (secondes)", "Durée de la vidéo, lue dans le fichier.", minimum: 0, maximum: 180),
            DatasetField("publie_le", .string, "Publié le", "Date de publication (AAAA-MM-JJ).", pattern: "[0-9]{4}-[0-9]{2}-[0-9]{2}"),
            DatasetField("page", .string, "Page", "Chemin de la page du témoignage sur le site de cmq (/temoignages/…).", required: true,
                         pattern: "/temoignages/\(uuid)"),
        ]
        return OpenDataset(
            slug: "temoignages", title: "Témoignages « Ma réussite pro »",
            description: "Les témoignages vidéo publiés d'élèves, d'apprentis et d'anciens élèves de la voie professionnelle (métadonnées seulement : "
                + "titre, prénom, campus, formation, durée, date de publication). Un témoignage quitte le fichier le jour où un consentement est retiré ou expire.",
            keywords: ["campus des métiers et des qualifications", "voie professionnelle", "témoignages", "Ma réussite pro", "orientation"],
            fields: fields, hasPlace: false,
            page: { db, after, limit, today in
                // Rows in key order; a page whose testimonies are all off the site (consent withdrawn or expired
                // today) is skipped, so that an empty answer always means the end.
                var cursor = after
                while true {
                    let query = TemoignageRecord.query(on: db).filter(\.$etat == .publie).filter(\.$videoID != nil)
                        .with(\.$campus).with(\.$formation).sort(\.$id).limit(limit)
                    if let cursor { query.filter(\.$id > cursor) }
                    let records = try await query.all()
                    guard let last = records.last?.id else { return [] }
                    let ids = records.compactMap(\.id)
                    let consents = Dictionary(grouping: try await ConsentementRecord.query(on: db).filter(\.$temoignage.$id ~~ ids).all(), by: \.$temoignage.id)
                    let rows = records.compactMap { record -> DatasetRow? in
                        guard let id = record.id else { return nil }
                        let loaded = TemoignageService.Loaded(record: record, campus: record.campus, memberIDs: [], consents: consents[id] ?? [])
                        guard loaded.isPublic(on: today) else { return nil }
                        let campus = record.campus
                        return DatasetRow(key: id, cells: [
                            .text(id.uuidString.lowercased()), .text(record.titre), .text(record.prenom), .text(record.categorie),
                            .text(record.$campus.id.uuidString.lowercased()), .text(campus.nom), .text(campus.filiere.slug),
                            .text(campus.regionCode), .text(campus.academieCode),
                            .text(record.$formation.id?.uuidString.lowercased()), .text(record.formation?.intitule), .integer(record.formation?.niveauSortie),
                            .number(record.duree.map { ($0 * 10).rounded() / 10 }), .text(record.publieLe.map { CalendarDay(date: $0).iso }),
                            .text(TemoignagesURL.page(id).path),
                        ])
                    }
                    if !rows.isEmpty { return rows }
                    cursor = last
                }
            },
            stamp: { db in
                async let count = TemoignageRecord.query(on: db).filter(\.$etat == .publie).count()
                async let withdrawn = ConsentementRecord.query(on: db).filter(\.$retireLe != nil).count()
                async let modified = TemoignageRecord.query(on: db).max(\.$updatedAt)
                // consents expire at midnight: the file depends on the day
                return DatasetStamp(count: try await count * 100_000 + (try await withdrawn), modified: try await modified, day: CalendarDay.today.iso)
            })
    }()
}
