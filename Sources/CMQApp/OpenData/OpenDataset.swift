import CMQDomain
import Fluent
import Foundation

/// One column of an open dataset, as its Table Schema (frictionless) describes it.
struct DatasetField: Sendable {
    enum Kind: String, Sendable {
        case string, integer, number, boolean, date
    }

    let name: String
    let kind: Kind
    let title: String
    let description: String
    var required = false
    var unique = false
    var values: [String]?
    var format: String?
    var pattern: String?
    var minimum: Double?
    var maximum: Double?

    init(_ name: String, _ kind: Kind, _ title: String, _ description: String, required: Bool = false, unique: Bool = false,
         values: [String]? = nil, format: String? = nil, pattern: String? = nil, minimum: Double? = nil, maximum: Double? = nil) {
        self.name = name
        self.kind = kind
        self.title = title
        self.description = description
        self.required = required
        self.unique = unique
        self.values = values
        self.format = format
        self.pattern = pattern
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// A value of a row (dates are ISO 8601 text).
enum DatasetCell: Sendable, Equatable {
    case text(String?)
    case integer(Int?)
    case number(Double?)
    case boolean(Bool?)
}

/// One row of a dataset: its key (rows come in key order, a page at a time), its values in the order of the
/// fields, and its place when it has one.
struct DatasetRow: Sendable {
    var key: UUID
    var cells: [DatasetCell]
    var latitude: Double?
    var longitude: Double?
}

/// What decides whether a dataset has changed: how many rows, the latest change, and the day when the values
/// depend on it (a label's status changes at midnight).
struct DatasetStamp: Sendable, Equatable {
    var count: Int
    var modified: Date?
    var day: String?
}

/// A public list that cmq publishes as open data (CSV, JSON and, when its rows have a place, GeoJSON), with its
/// Table Schema. Rows are read a page at a time, by key: a file never holds a whole table in memory.
struct OpenDataset: Sendable {
    let slug: String
    let title: String
    let description: String
    let keywords: [String]
    let fields: [DatasetField]
    let hasPlace: Bool
    /// The rows after `after` (all from the start when nil), at most `limit`, in key order.
    let page: @Sendable (_ db: any Database, _ after: UUID?, _ limit: Int, _ today: CalendarDay) async throws -> [DatasetRow]
    let stamp: @Sendable (_ db: any Database) async throws -> DatasetStamp

    var formats: [OpenDataFormat] { hasPlace ? [.csv, .json, .geojson] : [.csv, .json] }

    /// The datasets, in the order of the page /donnees.
    static let all: [OpenDataset] = [.campus, .organisations, .reseaux, .plateaux, .equipements, .labels, .insertionCampus, .parcoursFlux, .actions, .temoignages]

    static func named(_ slug: String) -> OpenDataset? { all.first { $0.slug == slug } }
}

enum OpenDataFormat: String, CaseIterable, Sendable {
    case csv, json, geojson

    var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .geojson: "application/geo+json; charset=utf-8"
        }
    }

    /// The IANA media type (DCAT's `mediaType`).
    var mediaType: String {
        switch self {
        case .csv: "text/csv"
        case .json: "application/json"
        case .geojson: "application/geo+json"
        }
    }

    var label: String {
        switch self {
        case .csv: "CSV"
        case .json: "JSON"
        case .geojson: "GeoJSON"
        }
    }
}

/// Licence, producer and addresses shared by every file.
enum OpenDataLicence {
    static let name = "Licence Ouverte / Open Licence version 2.0"
    static let identifier = "etalab-2.0"
    static let url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    static let spdx = "etalab-2.0"
    static let producer = "cmq, système d'information des Campus des métiers et des qualifications"
}

// MARK: - The datasets

extension OpenDataset {
    private static func iso(_ date: Date?) -> String? { date.map { CalendarDay(date: $0).iso } }

    private static let territory = TerritoryCatalog.shared
    private static let uuidPattern = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    private static let isoDay = "date au format AAAA-MM-JJ"

    /// The most recent of several change times.
    private static func latest(_ dates: Date?...) -> Date? { dates.compactMap { $0 }.max() }

    static let campus = OpenDataset(
        slug: "campus", title: "Campus des métiers et des qualifications",
        description: "Les campus des métiers et des qualifications : filière, académie, région académique, statut de labellisation et dates du dernier label, "
            + "établissement support (UAI) et ses coordonnées géographiques.",
        keywords: ["campus des métiers et des qualifications", "formation professionnelle", "labellisation", "établissements"],
        fields: [
            DatasetField("id", .string, "Identifiant", "Identifiant du campus dans cmq.", required: true, unique: true, pattern: uuidPattern),
            DatasetField("nom", .string, "Nom", "Nom du campus.", required: true),
            DatasetField("filiere", .string, "Filière (code)", "Code de la filière du campus.", required: true, values: Filiere.allCases.map(\.slug)),
            DatasetField("filiere_libelle", .string, "Filière", "Libellé de la filière.", required: true),
            DatasetField("academie_code", .string, "Académie (code)", "Code de l'académie.", required: true),
            DatasetField("academie", .string, "Académie", "Nom de l'académie."),
            DatasetField("region_code", .string, "Région académique (code)", "Code de la région académique.", required: true),
            DatasetField("region", .string, "Région académique", "Nom de la région académique."),
            DatasetField("statut_label", .string, "Statut de labellisation", "Statut du campus ce jour : en projet, dossier en instruction, labellisé, Excellence, label expiré ou retiré.",
                         required: true, values: LabelStatus.Kind.allCases.map(\.rawValue)),
            DatasetField("label_debut", .date, "Début du dernier label", "Premier jour du label le plus récent (\(isoDay))."),
            DatasetField("label_fin", .date, "Fin du dernier label", "Dernier jour du label le plus récent (\(isoDay))."),
            DatasetField("label_excellence", .boolean, "Label Excellence", "Le label le plus récent porte la mention Excellence."),
            DatasetField("etablissement_support_uai", .string, "UAI de l'établissement support", "Code UAI de l'établissement support du campus.", pattern: "[0-9]{7}[A-Z]"),
            DatasetField("etablissement_support", .string, "Établissement support", "Nom de l'établissement support."),
            DatasetField("latitude", .number, "Latitude", "Latitude de l'établissement support (WGS 84).", minimum: -90, maximum: 90),
            DatasetField("longitude", .number, "Longitude", "Longitude de l'établissement support (WGS 84).", minimum: -180, maximum: 180),
            DatasetField("site_web", .string, "Site web", "Adresse du site du campus.", format: "uri"),
            DatasetField("date_creation", .string, "Date de création", "Date de création du campus, telle que connue."),
        ],
        hasPlace: true,
        page: { db, after, limit, today in
            let query = Campus.query(on: db).sort(\.$id).limit(limit)
            if let after { query.filter(\.$id > after) }
            let campuses = try await query.all()
            let ids = campuses.compactMap(\.id)
            guard !ids.isEmpty else { return [] }
            let supports = try await Membership.query(on: db).filter(\.$campus.$id ~~ ids)
                .filter(\.$role == MembershipRole.etablissementSupport).with(\.$organisation).all()
            let supportOf = Dictionary(supports.map { ($0.$campus.id, $0.organisation) }, uniquingKeysWith: { a, _ in a })
            let labels = try await LabelRecord.query(on: db).filter(\.$campus.$id ~~ ids).sort(\.$debut).all()
            let latestLabel = Dictionary(labels.map { ($0.$campus.id, $0) }, uniquingKeysWith: { _, later in later })
            let statuses = try await CampusLabels(db: db).statuses(on: today)
            return campuses.map { campus in
                let id = campus.id!
                let support = supportOf[id]
                let label = latestLabel[id]
                return DatasetRow(key: id, cells: [
                    .text(id.uuidString.lowercased()), .text(campus.nom), .text(campus.filiere.slug),
                    .text(campus.filiere.label), .text(campus.academieCode), .text(territory.academie(code: campus.academieCode)?.nom),
                    .text(campus.regionCode), .text(territory.region(code: campus.regionCode)?.nom),
                    .text((statuses[id] ?? .enProjet).kind.rawValue), .text(label?.debut), .text(label?.fin), .boolean(label?.excellence),
                    .text(support?.uai), .text(support?.nom), .number(support?.latitude), .number(support?.longitude),
                    .text(campus.siteWeb), .text(campus.dateCreation),
                ], latitude: support?.latitude, longitude: support?.longitude)
            }
        },
        stamp: { db in
            async let count = Campus.query(on: db).count()
            async let campus = Campus.query(on: db).max(\.$updatedAt)
            async let organisations = Organisation.query(on: db).max(\.$updatedAt)
            async let memberships = Membership.query(on: db).max(\.$createdAt)
            async let labels = LabelRecord.query(on: db).count()
            async let withdrawn = LabelRecord.query(on: db).filter(\.$retraitLe != nil).count()
            async let dossiers = DossierRecord.query(on: db).max(\.$updatedAt)
            let total = try await count
            let modified = try await latest(campus, organisations, memberships, dossiers)
            // A label's status changes with the day, and a new label changes the count of labels.
            return DatasetStamp(count: total * 10_000_000 + (try await labels) * 1_000 + (try await withdrawn), modified: modified, day: CalendarDay.today.iso)
        })

    static let organisations = OpenDataset(
        slug: "organisations", title: "Organisations des réseaux des campus",
        description: "Les organisations connues de cmq (lycées, CFA, universités, entreprises, laboratoires…) : UAI, SIRET, nature, commune et coordonnées géographiques.",
        keywords: ["établissements", "lycées", "CFA", "entreprises", "UAI", "SIRET"],
        fields: [
            DatasetField("id", .string, "Identifiant", "Identifiant de l'organisation dans cmq.", required: true, unique: true, pattern: uuidPattern),
            DatasetField("nom", .string, "Nom", "Nom de l'organisation.", required: true),
            DatasetField("nature", .string, "Nature", "Nature de l'organisation.", required: true, values: OrganisationKind.allCases.map(\.rawValue)),
            DatasetField("public", .boolean, "Public", "L'organisation relève du secteur public.", required: true),
            DatasetField("uai", .string, "UAI", "Code UAI (unité administrative immatriculée) des établissements d'enseignement.", pattern: "[0-9]{7}[A-Z]"),
            DatasetField("siret", .string, "SIRET", "Numéro SIRET de l'établissement.", pattern: "[0-9]{14}"),
            DatasetField("adresse", .string, "Adresse", "Adresse postale."),
            DatasetField("code_postal", .string, "Code postal", "Code postal."),
            DatasetField("commune", .string, "Commune", "Commune."),
            DatasetField("departement_code", .string, "Département (code)", "Code du département."),
            DatasetField("academie_code", .string, "Académie (code)", "Code de l'académie."),
            DatasetField("region_code", .string, "Région académique (code)", "Code de la région académique."),
            DatasetField("latitude", .number, "Latitude", "Latitude (WGS 84).", minimum: -90, maximum: 90),
            DatasetField("longitude", .number, "Longitude", "Longitude (WGS 84).", minimum: -180, maximum: 180),
            DatasetField("site_web", .string, "Site web", "Adresse du site de l'organisation.", format: "uri"),
        ],
        hasPlace: true,
        page: { db, after, limit, today in
            let query = Organisation.query(on: db).sort(\.$id).limit(limit)
            if let after { query.filter(\.$id > after) }
            return try await query.all().map { organisation in
                DatasetRow(key: organisation.id!, cells: [
                    .text(organisation.id!.uuidString.lowercased()), .text(organisation.nom), .text(organisation.kind.rawValue), .boolean(organisation.isPublic),
                    .text(organisation.uai), .text(organisation.siret), .text(organisation.adresse), .text(organisation.codePostal),
                    .text(organisation.commune), .text(organisation.departementCode), .text(organisation.academieCode), .text(organisation.regionCode),
                    .number(organisation.latitude), .number(organisation.longitude), .text(organisation.siteWeb),
                ], latitude: organisation.latitude, longitude: organisation.longitude)
            }
        },
        stamp: { db in
            async let count = Organisation.query(on: db).count()
            async let modified = Organisation.query(on: db).max(\.$updatedAt)
            return DatasetStamp(count: try await count, modified: try await modified)
        })

    static let reseaux = OpenDataset(
        slug: "reseaux", title: "Réseaux des campus",
        description: "La composition des réseaux des campus : chaque ligne relie un campus et une organisation, avec son rôle (établissement support, membre, partenaire) et ses dates.",
        keywords: ["campus des métiers et des qualifications", "réseau", "partenariats"],
        fields: [
            DatasetField("id", .string, "Identifiant", "Identifiant du lien dans cmq.", required: true, unique: true, pattern: uuidPattern),
            DatasetField("campus_id", .string, "Campus (identifiant)", "Identifiant du campus.", required: true, pattern: uuidPattern),
            DatasetField("campus", .string, "Campus", "Nom du campus.", required: true),
            DatasetField("organisation_id", .string, "Organisation (identifiant)", "Identifiant de l'organisation.", required: true, pattern: uuidPattern),
            DatasetField("organisation", .string, "Organisation", "Nom de l'organisation.", required: true),
            DatasetField("organisation_uai", .string, "UAI", "Code UAI de l'organisation.", pattern: "[0-9]{7}[A-Z]"),
            DatasetField("organisation_siret", .string, "SIRET", "SIRET de l'organisation.", pattern: "[0-9]{14}"),
            DatasetField("role", .string, "Rôle", "Rôle de l'organisation dans le réseau.", required: true, values: MembershipRole.allCases.map(\.rawValue)),
            DatasetField("depuis", .string, "Depuis", "Début de la participation, telle que connue."),
            DatasetField("jusqu_a", .string, "Jusqu'à", "Fin de la participation, telle que connue."),
        ],
        hasPlace: false,
        page: { db, after, limit, today in
            let query = Membership.query(on: db).sort(\.$id).limit(limit).with(\.$campus).with(\.$organisation)
            if let after { query.filter(\.$id > after) }
            return try await query.all().map { link in
                DatasetRow(key: link.id!, cells: [
                    .text(link.id!.uuidString.lowercased()), .text(link.$campus.id.uuidString.lowercased()), .text(link.campus.nom),
                    .text(link.$organisation.id.uuidString.lowercased()), .text(link.organisation.nom), .text(link.organisation.uai),
                    .text(link.organisation.siret), .text(link.role.rawValue), .text(link.depuis), .text(link.jusquA),
                ])
            }
        },
        stamp: { db in
            async let count = Membership.query(on: db).count()
            async let links = Membership.query(on: db).max(\.$createdAt)
            async let campus = Campus.query(on: db).max(\.$updatedAt)
            async let organisations = Organisation.query(on: db).max(\.$updatedAt)
            return DatasetStamp(count: try await count, modified: latest(try await links, try await campus, try await organisations))
        })

    static let plateaux = OpenDataset(
        slug: "plateaux", title: "Plateaux techniques partagés",
        description: "Les plateaux techniques que les organisations des campus mettent en commun : campus, organisation, adresse, règles d'accès, nombre d'équipements et coordonnées.",
        keywords: ["plateaux techniques", "mutualisation", "équipements"],
        fields: [
            DatasetField("id", .string, "Identifiant", "Identifiant du plateau dans cmq.", required: true, unique: true, pattern: uuidPattern),
            DatasetField("nom", .string, "Nom", "Nom du plateau.", required: true),
            DatasetField("description", .string, "Description", "Description du plateau."),
            DatasetField("campus_id", .string, "Campus (identifiant)", "Identifiant du campus.", required: true, pattern: uuidPattern),
            DatasetField("campus", .string, "Campus", "Nom du campus.", required: true),
            DatasetField("organisation_id", .string, "Organisation (identifiant)", "Identifiant de l'organisation propriétaire.", required: true, pattern: uuidPattern),
            DatasetField("organisation", .string, "Organisation", "Nom de l'organisation propriétaire.", required: true),
            DatasetField("organisation_uai", .string, "UAI", "Code UAI de l'organisation propriétaire.", pattern: "[0-9]{7}[A-Z]"),
            DatasetField("adresse", .string, "Adresse", "Adresse du plateau.", required: true),
            DatasetField("ouvert_a", .string, "Ouvert à", "Qui peut réserver, au-delà des membres du campus (liste séparée par des virgules)."),
            DatasetField("validation", .boolean, "Validation", "Les réservations attendent l'accord du propriétaire.", required: true),
            DatasetField("preavis_heures", .integer, "Préavis (heures)", "Préavis minimal d'une réservation, en heures.", required: true, minimum: 0),
            DatasetField("equipements", .integer, "Équipements", "Nombre d'équipements en service.", required: true, minimum: 0),
            DatasetField("latitude", .number, "Latitude", "Latitude de l'organisation propriétaire (WGS 84).", minimum: -90, maximum: 90),
            DatasetField("longitude", .number, "Longitude", "Longitude de l'organisation propriétaire (WGS 84).", minimum: -180, maximum: 180),
        ],
        hasPlace: true,
        page: { db, after, limit, today in
            let query = PlateauRecord.query(on: db).sort(\.$id).limit(limit).with(\.$campus).with(\.$organisation)
            if let after { query.filter(\.$id > after) }
            let plateaux = try await query.all()
            let ids = plateaux.compactMap(\.id)
            guard !ids.isEmpty else { return [] }
            let items = try await EquipementRecord.query(on: db).filter(\.$plateau.$id ~~ ids).filter(\.$retireLe == nil).all()
            let counts = Dictionary(grouping: items, by: { $0.$plateau.id }).mapValues(\.count)
            return plateaux.map { plateau in
                let owner = plateau.organisation
                return DatasetRow(key: plateau.id!, cells: [
                    .text(plateau.id!.uuidString.lowercased()), .text(plateau.nom), .text(plateau.description),
                    .text(plateau.$campus.id.uuidString.lowercased()), .text(plateau.campus.nom), .text(owner.id!.uuidString.lowercased()),
                    .text(owner.nom), .text(owner.uai), .text(plateau.adresse), .text(plateau.ouvertA), .boolean(plateau.validation),
                    .integer(plateau.preavisHeures), .integer(counts[plateau.id!] ?? 0), .number(owner.latitude), .number(owner.longitude),
                ], latitude: owner.latitude, longitude: owner.longitude)
            }
        },
        stamp: { db in
            async let count = PlateauRecord.query(on: db).count()
            async let items = EquipementRecord.query(on: db).count()
            async let modified = PlateauRecord.query(on: db).max(\.$updatedAt)
            async let organisations = Organisation.query(on: db).max(\.$updatedAt)
            return DatasetStamp(count: try await count * 100_000 + (try await items), modified: latest(try await modified, try await organisations))
        })

    static let equipements = OpenDataset(
        slug: "equipements", title: "Équipements des plateaux techniques",
        description: "Les équipements en service des plateaux techniques partagés : catégorie, quantité, formation à la sécurité requise.",
        keywords: ["plateaux techniques", "équipements", "mutualisation"],
        fields: [
            DatasetField("id", .string, "Identifiant", "Identifiant de l'équipement dans cmq.", required: true, unique: true, pattern: uuidPattern),
            DatasetField("plateau_id", .string, "Plateau (identifiant)", "Identifiant du plateau.", required: true, pattern: uuidPattern),
            DatasetField("plateau", .string, "Plateau", "Nom du plateau.", required: true),
            DatasetField("nom", .string, "Nom", "Nom de l'équipement.", required: true),
            DatasetField("categorie", .string, "Catégorie", "Catégorie de l'équipement.", required: true),
            DatasetField("quantite", .integer, "Quantité", "Nombre d'unités.", required: true, minimum: 1),
            DatasetField("formation_securite", .boolean, "Formation à la sécurité", "Son usage demande une formation à la sécurité.", required: true),
        ],
        hasPlace: false,
        page: { db, after, limit, today in
            let query = EquipementRecord.query(on: db).filter(\.$retireLe == nil).sort(\.$id).limit(limit).with(\.$plateau)
            if let after { query.filter(\.$id > after) }
            return try await query.all().map { item in
                DatasetRow(key: item.id!, cells: [
                    .text(item.id!.uuidString.lowercased()), .text(item.$plateau.id.uuidString.lowercased()), .text(item.plateau.nom),
                    .text(item.nom), .text(item.categorie), .integer(item.quantite), .boolean(item.formationSecurite),
                ])
            }
        },
        stamp: { db in
            async let count = EquipementRecord.query(on: db).filter(\.$retireLe == nil).count()
            async let retired = EquipementRecord.query(on: db).max(\.$retireLe)
            async let plateaux = PlateauRecord.query(on: db).max(\.$updatedAt)
            return DatasetStamp(count: try await count, modified: latest(try await retired, try await plateaux))
        })

    static let labels = OpenDataset(
        slug: "labels", title: "Labels des campus des métiers et des qualifications",
        description: "La liste nationale des labels attribués aux campus : dates, durée, mention Excellence, référentiel, références de l'arrêté (NOR) et du Bulletin officiel, retraits.",
        keywords: ["campus des métiers et des qualifications", "labellisation", "Bulletin officiel", "NOR"],
        fields: [
            DatasetField("id", .string, "Identifiant", "Identifiant du label dans cmq.", required: true, unique: true, pattern: uuidPattern),
            DatasetField("campus", .string, "Campus", "Nom du campus.", required: true),
            DatasetField("campus_id", .string, "Campus (identifiant)", "Identifiant du campus.", required: true, pattern: uuidPattern),
            DatasetField("filiere", .string, "Filière (code)", "Code de la filière.", required: true, values: Filiere.allCases.map(\.slug)),
            DatasetField("filiere_libelle", .string, "Filière", "Libellé de la filière.", required: true),
            DatasetField("region_code", .string, "Région académique (code)", "Code de la région académique.", required: true),
            DatasetField("region_academique", .string, "Région académique", "Nom de la région académique.", required: true),
            DatasetField("label", .string, "Label", "Label attribué.", required: true, values: ["CMQ", "CMQ Excellence"]),
            DatasetField("excellence", .boolean, "Excellence", "Mention Excellence.", required: true),
            DatasetField("referentiel", .string, "Référentiel", "Code du référentiel de labellisation (2014, 2019…).", required: true),
            DatasetField("debut", .date, "Début", "Premier jour du label (\(isoDay)).", required: true),
            DatasetField("fin", .date, "Fin", "Dernier jour du label (\(isoDay)).", required: true),
            DatasetField("duree_annees", .integer, "Durée (années)", "Durée du label en années.", required: true, minimum: 1, maximum: 5),
            DatasetField("nor", .string, "NOR", "Numéro NOR de l'arrêté de labellisation."),
            DatasetField("bulletin_officiel", .string, "Bulletin officiel", "Référence de la publication au Bulletin officiel."),
            DatasetField("retrait", .date, "Retrait", "Date du retrait du label (\(isoDay))."),
        ],
        hasPlace: false,
        page: { db, after, limit, today in
            let query = LabelRecord.query(on: db).sort(\.$id).limit(limit).with(\.$campus)
            if let after { query.filter(\.$id > after) }
            return try await query.all().map { label in
                let campus = label.campus
                return DatasetRow(key: label.id!, cells: [
                    .text(label.id!.uuidString.lowercased()), .text(campus.nom), .text(campus.id!.uuidString.lowercased()), .text(campus.filiere.slug),
                    .text(campus.filiere.label), .text(campus.regionCode),
                    .text(territory.region(code: campus.regionCode)?.nom ?? campus.regionCode), .text(label.excellence ? "CMQ Excellence" : "CMQ"),
                    .boolean(label.excellence), .text(label.referentiel), .text(label.debut), .text(label.fin), .integer(label.duree),
                    .text(label.nor), .text(label.bo), .text(label.retraitLe),
                ])
            }
        },
        stamp: { db in
            async let count = LabelRecord.query(on: db).count()
            // A withdrawal changes a label without changing the count.
            async let withdrawn = LabelRecord.query(on: db).filter(\.$retraitLe != nil).count()
            async let dossiers = DossierRecord.query(on: db).max(\.$updatedAt)
            async let campus = Campus.query(on: db).max(\.$updatedAt)
            return DatasetStamp(count: try await count * 100_000 + (try await withdrawn), modified: latest(try await dossiers, try await campus))
        })
}
