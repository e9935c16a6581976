import CMQDomain
import Fluent
import Foundation

extension OpenDataset {
    /// The published actions of the campuses, past and upcoming: what, for whom, when, where, how to register, and
    /// the number of participants once recorded (a count, never a name).
    static let actions: OpenDataset = {
        let uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        let localTime = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
        let fields = [
            DatasetField("id", .string, "Identifiant", "Identifiant de l'action dans cmq.", required: true, unique: true, pattern: uuid),
            DatasetField("titre", .string, "Titre", "Titre de l'action.", required: true),
            DatasetField("resume", .string, "Description courte", "Description courte de l'action.", required: true),
            DatasetField("type", .string, "Type (code)", "Type d'action.", required: true, values: ActionType.allCases.map(\.rawValue)),
            DatasetField("type_libelle", .string, "Type", "Libellé du type d'action.", required: true),
            DatasetField("publics", .string, "Publics", "Codes des publics, séparés par des virgules (\(ActionAudience.allCases.map(\.rawValue).joined(separator: ", "))).", required: true),
            DatasetField("niveaux", .string, "Niveaux", "Niveaux de formation concernés (3 à 8), séparés par des virgules."),
            DatasetField("filiere", .string, "Filière (code)", "Code de la filière de l'action.", values: Filiere.allCases.map(\.slug)),
            DatasetField("campus_id", .string, "Campus (identifiant)", "Identifiant du campus organisateur.", required: true, pattern: uuid),
            DatasetField("campus", .string, "Campus", "Nom du campus organisateur.", required: true),
            DatasetField("region_code", .string, "Région académique (code)", "Code de la région académique du campus.", required: true),
            DatasetField("academie_code", .string, "Académie (code)", "Code de l'académie du campus.", required: true),
            DatasetField("debut", .string, "Début", "Début du premier horaire, heure de Paris (AAAA-MM-JJTHH:MM).", required: true, pattern: localTime),
            DatasetField("fin", .string, "Fin", "Fin du dernier horaire, heure de Paris (AAAA-MM-JJTHH:MM).", required: true, pattern: localTime),
            DatasetField("horaires", .integer, "Nombre d'horaires", "Nombre de séances de l'action.", required: true, minimum: 1),
            DatasetField("annee_scolaire", .string, "Année scolaire", "Année scolaire (septembre à août) du premier horaire.", required: true, pattern: "[0-9]{4}-[0-9]{4}"),
            DatasetField("lieu_type", .string, "Type de lieu", "organisation (chez un membre du réseau), adresse, en-ligne.", required: true, values: ActionPlaceKind.allCases.map(\.rawValue)),
            DatasetField("lieu", .string, "Lieu", "Nom et adresse du lieu, ou « En ligne »."),
            DatasetField("commune", .string, "Commune", "Commune du lieu."),
            DatasetField("departement_code", .string, "Département (code)", "Code du département du lieu."),
            DatasetField("latitude", .number, "Latitude", "Latitude du lieu (WGS 84).", minimum: -90, maximum: 90),
            DatasetField("longitude", .number, "Longitude", "Longitude du lieu (WGS 84).", minimum: -180, maximum: 180),
            DatasetField("lien_en_ligne", .string, "Lien en ligne", "Adresse de l'action en ligne.", format: "uri"),
            DatasetField("inscription", .string, "Inscription", "aucune, lien, courriel, cmq (sur le site, avec une capacité).", required: true, values: RegistrationMode.allCases.map(\.rawValue)),
            DatasetField("capacite", .integer, "Capacité", "Nombre de places, pour une inscription sur cmq.", minimum: 1),
            DatasetField("accessibilite", .string, "Accessibilité", "Handicaps pour lesquels le lieu est accessible, séparés par des virgules (\(Disability.allCases.map(\.rawValue).joined(separator: ", ")))."),
            DatasetField("statut", .string, "Statut", "Statut de l'action.", required: true, values: ActionStatus.allCases.map(\.rawValue)),
            DatasetField("motif_statut", .string, "Motif du statut", "Raison d'un report, d'une annulation, d'un déplacement en ligne."),
            DatasetField("participants", .integer, "Participants", "Nombre de participants, une fois la participation enregistrée.", minimum: 0),
            DatasetField("page", .string, "Page", "Chemin de la page de l'action sur le site de cmq (/actions/…).", required: true, pattern: "/actions/\(uuid)"),
        ]
        return OpenDataset(
            slug: "actions", title: "Actions et événements des campus des métiers et des qualifications",
            description: "Les actions publiées par les campus (journées portes ouvertes, découverte des métiers pour collégiens, visites d'entreprise, "
                + "salons, mobilités…) : type, publics, horaires (heure de Paris), lieu, inscription, statut et, après l'événement, le nombre de participants.",
            keywords: ["campus des métiers et des qualifications", "événements", "journées portes ouvertes", "orientation", "découverte des métiers"],
            fields: fields, hasPlace: true,
            page: { db, after, limit, _ in
                let query = ActionRecord.query(on: db).filter(\.$moderation == .publie).with(\.$campus).sort(\.$id).limit(limit)
                if let after { query.filter(\.$id > after) }
                let records = try await query.all()
                let placeIDs = Array(Set(records.compactMap { $0.$organisationLieu.id }))
                let places = placeIDs.isEmpty ? [:]
                    : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ placeIDs).all().map { ($0.id!, $0) })
                return records.map { record in
                    let id = record.id!
                    let organisation = record.$organisationLieu.id.flatMap { places[$0] }
                    let atOrganisation = record.lieuType == .organisation
                    let latitude = atOrganisation ? organisation?.latitude : record.latitude
                    let longitude = atOrganisation ? organisation?.longitude : record.longitude
                    let timings = (try? record.timings) ?? []
                    return DatasetRow(key: id, cells: [
                        .text(id.uuidString.lowercased()), .text(record.titre), .text(record.resume), .text(record.type.rawValue), .text(record.type.label),
                        .text(record.audiences), .text(record.niveaux.isEmpty ? nil : record.niveaux), .text(record.filiere),
                        .text(record.$campus.id.uuidString.lowercased()), .text(record.campus.nom), .text(record.campus.regionCode), .text(record.campus.academieCode),
                        .text(record.firstStart.iso), .text(record.lastEnd.iso), .integer(max(timings.count, 1)), .text(record.schoolYear.label),
                        .text(record.lieuType.rawValue), .text(ActionPublishing.placeLine(record, organisation: organisation)),
                        .text(atOrganisation ? organisation?.commune : record.commune), .text(atOrganisation ? organisation?.departementCode : record.departement),
                        .number(latitude), .number(longitude), .text(record.lienEnLigne), .text(record.inscription.rawValue), .integer(record.capacite),
                        .text(record.accessibilite.isEmpty ? nil : record.accessibilite), .text(record.statut.rawValue), .text(record.motifStatut),
                        .integer(record.participantsTotal), .text(ActionsURL.page(id).path),
                    ], latitude: latitude, longitude: longitude)
                }
            },
            stamp: { db in
                async let count = ActionRecord.query(on: db).filter(\.$moderation == .publie).count()
                async let modified = ActionRecord.query(on: db).max(\.$updatedAt)
                async let published = ActionRecord.query(on: db).max(\.$publieLe)
                return DatasetStamp(count: try await count, modified: [try await modified, try await published].compactMap { $0 }.max(), day: nil)
            })
    }()
}
