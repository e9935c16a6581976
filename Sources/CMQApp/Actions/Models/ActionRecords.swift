import CMQDomain
import Fluent
import Foundation

/// An action or event of a campus, as stored; its rules live in `CMQDomain/Actions` (`ActionDraft`).
final class ActionRecord: Model, @unchecked Sendable {
    static let schema = "actions"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "titre") var titre: String
    @Field(key: "resume") var resume: String
    @Field(key: "description") var description: String
    @Field(key: "type") var type: ActionType
    /// The audiences' slugs, comma-separated (`collegiens,parents`).
    @Field(key: "audiences") var audiences: String
    /// The levels' numbers, comma-separated (`3,4`).
    @Field(key: "niveaux") var niveaux: String
    @OptionalField(key: "filiere") var filiere: String?
    /// The timings as JSON: `[["2027-02-13T09:00", "2027-02-13T17:00"]]`, in order.
    @Field(key: "horaires") var horaires: String
    @Field(key: "premier_debut") var premierDebut: Int
    @Field(key: "dernier_fin") var dernierFin: Int
    @Field(key: "annee_scolaire") var anneeScolaire: Int
    @Field(key: "lieu_type") var lieuType: ActionPlaceKind
    @OptionalParent(key: "organisation_lieu_id") var organisationLieu: Organisation?
    @OptionalField(key: "lieu_nom") var lieuNom: String?
    @OptionalField(key: "adresse") var adresse: String?
    @OptionalField(key: "code_postal") var codePostal: String?
    @OptionalField(key: "commune") var commune: String?
    @OptionalField(key: "code_insee") var codeInsee: String?
    @OptionalField(key: "departement") var departement: String?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @OptionalField(key: "lien_en_ligne") var lienEnLigne: String?
    @Field(key: "inscription") var inscription: RegistrationMode
    @OptionalField(key: "inscription_lien") var inscriptionLien: String?
    @OptionalField(key: "inscription_courriel") var inscriptionCourriel: String?
    @OptionalField(key: "capacite") var capacite: Int?
    @Field(key: "places_prises") var placesPrises: Int
    /// The disabilities the place welcomes, comma-separated.
    @Field(key: "accessibilite") var accessibilite: String
    @OptionalField(key: "image_url") var imageURL: String?
    @OptionalField(key: "image_alt") var imageAlt: String?
    @Field(key: "statut") var statut: ActionStatus
    @OptionalField(key: "motif_statut") var motifStatut: String?
    @Field(key: "moderation") var moderation: Moderation
    @OptionalField(key: "publie_le") var publieLe: Date?
    /// The participants by audience as JSON (`{"collegiens": 120}`), once recorded.
    @OptionalField(key: "participants") var participants: String?
    @OptionalField(key: "participants_total") var participantsTotal: Int?
    /// JSON arrays of names.
    @OptionalField(key: "etablissements") var etablissements: String?
    @OptionalField(key: "entreprises") var entreprises: String?
    @OptionalField(key: "bilan") var bilan: String?
    @OptionalField(key: "participation_le") var participationLe: Date?
    /// When the registrants' personal data was deleted (see `RegistrantErasure`).
    @OptionalField(key: "inscrits_effaces_le") var inscritsEffacesLe: Date?

    // relationships
    @Parent(key: "campus_id") var campus: Campus

    init() {}

    init(id: UUID? = nil, campusID: UUID) {
        self.id = id
        self.$campus.id = campusID
        placesPrises = 0
        moderation = .brouillon
    }

    /// Copies what the draft says. `departement` is the département of the place (the organisation's, or the
    /// address's commune's), nil online.
    func apply(_ draft: ActionDraft, departement: String?) throws {
        titre = draft.titre.trimmed
        resume = draft.resume.trimmed
        description = draft.description.trimmingCharacters(in: .whitespacesAndNewlines)
        type = draft.type
        audiences = ActionAudience.allCases.filter(draft.audiences.contains).map(\.rawValue).joined(separator: ",")
        niveaux = draft.niveaux.sorted().map { String($0.number) }.joined(separator: ",")
        filiere = draft.filiere
        let timings = ActionTimings.sorted(draft.horaires)
        horaires = try ActionJSON.string(timings.map { [$0.start.iso, $0.end.iso] })
        premierDebut = timings.first?.start.wallClockMinutes ?? 0
        dernierFin = timings.map(\.end.wallClockMinutes).max() ?? 0
        anneeScolaire = draft.schoolYear?.startYear ?? 0
        lieuType = draft.lieu.kind
        $organisationLieu.id = nil
        lieuNom = nil; adresse = nil; codePostal = nil; commune = nil; codeInsee = nil; latitude = nil; longitude = nil; lienEnLigne = nil
        switch draft.lieu {
        case .organisation(let id):
            $organisationLieu.id = id
        case .adresse(let address):
            lieuNom = address.label.trimmed.isEmpty ? nil : address.label.trimmed
            adresse = address.street.trimmed
            codePostal = address.postcode.trimmed
            commune = address.commune.trimmed
            codeInsee = address.inseeCode.trimmed
            latitude = address.latitude
            longitude = address.longitude
        case .enLigne(let url):
            lienEnLigne = url.trimmed
        }
        self.departement = departement
        inscription = draft.inscription.mode
        inscriptionLien = nil; inscriptionCourriel = nil; capacite = nil
        switch draft.inscription {
        case .aucune: break
        case .lien(let url): inscriptionLien = url.trimmed
        case .courriel(let email): inscriptionCourriel = email.trimmed
        case .cmq(let capacity): capacite = capacity
        }
        accessibilite = Disability.allCases.filter(draft.accessibilite.contains).map(\.rawValue).joined(separator: ",")
        imageURL = draft.imageURL?.trimmed.isEmpty == false ? draft.imageURL?.trimmed : nil
        imageAlt = imageURL == nil ? nil : draft.imageAlt?.trimmed
        statut = draft.statut
        motifStatut = draft.motifStatut?.trimmed.isEmpty == false ? draft.motifStatut?.trimmed : nil
    }

    var timings: [TimeRange] {
        get throws {
            try ActionJSON.decode([[String]].self, horaires).map { pair in
                guard pair.count == 2 else { throw AppError.badRequest("Horaires enregistrés illisibles.") }
                return try TimeRange(iso: pair[0], pair[1])
            }
        }
    }

    var audienceSet: Set<ActionAudience> { Set(audiences.split(separator: ",").compactMap { ActionAudience(rawValue: String($0)) }) }
    var levelSet: Set<Level> { Set(niveaux.split(separator: ",").compactMap { Int($0).flatMap(Level.init(number:)) }) }
    var disabilities: Set<Disability> { Set(accessibilite.split(separator: ",").compactMap { Disability(rawValue: String($0)) }) }
    var schoolYear: SchoolYear { SchoolYear(startYear: anneeScolaire) }
    var firstStart: LocalDateTime { LocalDateTime(wallClockMinutes: premierDebut) }
    var lastEnd: LocalDateTime { LocalDateTime(wallClockMinutes: dernierFin) }

    var place: ActionPlace {
        switch lieuType {
        case .organisation:
            return .organisation($organisationLieu.id ?? UUID())
        case .adresse:
            return .adresse(ActionAddress(label: lieuNom ?? "", street: adresse ?? "", postcode: codePostal ?? "", commune: commune ?? "",
                                          inseeCode: codeInsee ?? "", latitude: latitude ?? 0, longitude: longitude ?? 0))
        case .enLigne:
            return .enLigne(url: lienEnLigne ?? "")
        }
    }

    var registration: ActionRegistration {
        switch inscription {
        case .aucune: .aucune
        case .lien: .lien(inscriptionLien ?? "")
        case .courriel: .courriel(inscriptionCourriel ?? "")
        case .cmq: .cmq(capacity: capacite ?? 0)
        }
    }

    /// The draft this record stands for, with its links.
    func draft(organisations: [ActionOrganisationRecord], formations: [UUID], plateaux: [UUID]) throws -> ActionDraft {
        ActionDraft(titre: titre, resume: resume, description: description, type: type, audiences: audienceSet, niveaux: levelSet,
                    filiere: filiere, horaires: try timings, lieu: place,
                    organisateurs: organisations.filter { $0.role == .organisateur }.map { $0.$organisation.id },
                    partenaires: organisations.filter { $0.role == .partenaire }.map { $0.$organisation.id },
                    formations: formations, plateaux: plateaux, inscription: registration, accessibilite: disabilities,
                    imageURL: imageURL, imageAlt: imageAlt, statut: statut, motifStatut: motifStatut)
    }

    var participation: Participation? {
        guard participationLe != nil else { return nil }
        let counts = (try? ActionJSON.decode([String: Int].self, participants ?? "{}")) ?? [:]
        return Participation(
            counts: Dictionary(uniqueKeysWithValues: counts.compactMap { key, value in ActionAudience(rawValue: key).map { ($0, value) } }),
            etablissements: (try? ActionJSON.decode([String].self, etablissements ?? "[]")) ?? [],
            entreprises: (try? ActionJSON.decode([String].self, entreprises ?? "[]")) ?? [],
            bilan: bilan ?? "")
    }
}

/// An organisation taking part in an action: an organiser (it may edit the action) or a partner.
final class ActionOrganisationRecord: Model, @unchecked Sendable {
    static let schema = "action_organisations"

    enum Role: String, Codable, Sendable {
        case organisateur, partenaire
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "role") var role: Role
    @Parent(key: "action_id") var action: ActionRecord
    @Parent(key: "organisation_id") var organisation: Organisation

    init() {}

    init(actionID: UUID, organisationID: UUID, role: Role) {
        self.$action.id = actionID
        self.$organisation.id = organisationID
        self.role = role
    }
}

/// A formation an action concerns.
final class ActionFormationRecord: Model, @unchecked Sendable {
    static let schema = "action_formations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "action_id") var action: ActionRecord
    @Parent(key: "formation_id") var formation: Formation

    init() {}

    init(actionID: UUID, formationID: UUID) {
        self.$action.id = actionID
        self.$formation.id = formationID
    }
}

/// A shared technical platform an action uses or shows.
final class ActionPlateauRecord: Model, @unchecked Sendable {
    static let schema = "action_plateaux"

    @ID(key: .id) var id: UUID?
    @Parent(key: "action_id") var action: ActionRecord
    @Parent(key: "plateau_id") var plateau: PlateauRecord

    init() {}

    init(actionID: UUID, plateauID: UUID) {
        self.$action.id = actionID
        self.$plateau.id = plateauID
    }
}

/// A visitor's registration to an action registered for in cmq. The name and e-mail are personal data,
/// deleted a configurable time after the action (`efface_le`); the count of people stays for the figures.
/// The cancellation link carries a random token, stored as its SHA-256.
final class InscriptionRecord: Model, @unchecked Sendable {
    static let schema = "action_inscriptions"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "nom") var nom: String?
    @OptionalField(key: "courriel") var courriel: String?
    @Field(key: "categorie") var categorie: RegistrantCategory
    @Field(key: "personnes") var personnes: Int
    @Field(key: "etat") var etat: RegistrationState
    @Field(key: "jeton_hash") var jetonHash: String
    @Field(key: "cree_le") var creeLe: Date
    @OptionalField(key: "annule_le") var annuleLe: Date?
    @OptionalField(key: "efface_le") var effaceLe: Date?
    @Parent(key: "action_id") var action: ActionRecord

    init() {}

    init(id: UUID? = nil, actionID: UUID, nom: String, courriel: String, categorie: RegistrantCategory, personnes: Int, etat: RegistrationState,
         jetonHash: String, creeLe: Date) {
        self.id = id
        self.$action.id = actionID
        self.nom = nom
        self.courriel = courriel
        self.categorie = categorie
        self.personnes = personnes
        self.etat = etat
        self.jetonHash = jetonHash
        self.creeLe = creeLe
    }
}

enum ActionJSON {
    static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension ActionRecord: Audited {
    static var auditEntity: String { "action" }
    var auditLabel: String { titre }
    var auditSnapshot: [String: String] {
        var values = ["campus": $campus.id.uuidString.lowercased(), "titre": titre, "resume": resume, "description": description,
                      "type": type.rawValue, "audiences": audiences, "niveaux": niveaux, "horaires": horaires, "lieuType": lieuType.rawValue,
                      "inscription": inscription.rawValue, "accessibilite": accessibilite, "statut": statut.rawValue,
                      "moderation": moderation.rawValue]
        values["filiere"] = filiere
        values["organisation"] = $organisationLieu.id?.uuidString.lowercased()
        values["adresse"] = adresse
        values["commune"] = commune
        values["lien"] = lienEnLigne ?? inscriptionLien ?? inscriptionCourriel
        values["capacite"] = capacite.map(String.init)
        values["motif"] = motifStatut
        values["participants"] = participants
        values["bilan"] = bilan
        return values.filter { !$0.value.isEmpty }
    }
}

extension InscriptionRecord: Audited {
    static var auditEntity: String { "inscription" }
    /// Never the person's name: the trail outlives the personal data.
    var auditLabel: String { "Inscription de \(personnes) \(personnes == 1 ? "personne" : "personnes")" }
    var auditSnapshot: [String: String] {
        ["action": $action.id.uuidString.lowercased(), "personnes": String(personnes), "categorie": categorie.rawValue, "etat": etat.rawValue]
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
