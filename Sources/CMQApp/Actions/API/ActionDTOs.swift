import CMQDomain
import Foundation
import Vapor

/// What the organiser writes of an action, in the API: the form's field names, the lists as arrays, the timings as
/// `{"debut", "fin"}` in Paris time. The body of a create (with `campusId`) and of a PATCH (any of these fields).
struct ActionWritableDTO: Codable, Sendable {
    struct Horaire: Codable, Sendable {
        var debut: String
        var fin: String
    }

    var titre: String
    var resume: String
    var description: String
    var type: ActionType
    var audiences: [ActionAudience]
    var niveaux: [Int]
    var filiere: String?
    var horaires: [Horaire]
    var lieuType: ActionPlaceKind
    var organisationLieu: UUID?
    var nomLieu: String?
    var adresse: String?
    var codePostal: String?
    var commune: String?
    var codeInsee: String?
    var latitude: Double?
    var longitude: Double?
    var lienEnLigne: String?
    var organisateurs: [UUID]
    var partenaires: [UUID]
    var formations: [UUID]
    var plateaux: [UUID]
    var inscription: RegistrationMode
    var inscriptionLien: String?
    var inscriptionCourriel: String?
    var capacite: Int?
    var accessibilite: [Disability]
    var imageURL: String?
    var imageAlt: String?
    var statut: ActionStatus
    var motifStatut: String?

    init(_ draft: ActionDraft) {
        titre = draft.titre
        resume = draft.resume
        description = draft.description
        type = draft.type
        audiences = draft.audiences.sorted()
        niveaux = draft.niveaux.sorted().map(\.number)
        filiere = draft.filiere
        horaires = ActionTimings.sorted(draft.horaires).map { Horaire(debut: $0.start.iso, fin: $0.end.iso) }
        lieuType = draft.lieu.kind
        switch draft.lieu {
        case .organisation(let id): organisationLieu = id
        case .adresse(let address):
            nomLieu = address.label.isEmpty ? nil : address.label
            adresse = address.street; codePostal = address.postcode; commune = address.commune; codeInsee = address.inseeCode
            latitude = address.latitude; longitude = address.longitude
        case .enLigne(let url): lienEnLigne = url
        }
        organisateurs = draft.organisateurs
        partenaires = draft.partenaires
        formations = draft.formations.sorted { $0.uuidString < $1.uuidString }
        plateaux = draft.plateaux.sorted { $0.uuidString < $1.uuidString }
        inscription = draft.inscription.mode
        switch draft.inscription {
        case .aucune: break
        case .lien(let url): inscriptionLien = url
        case .courriel(let email): inscriptionCourriel = email
        case .cmq(let capacity): capacite = capacity
        }
        accessibilite = draft.accessibilite.sorted()
        imageURL = draft.imageURL
        imageAlt = draft.imageAlt
        statut = draft.statut
        motifStatut = draft.motifStatut
    }
}

/// An action in the API: what the organiser writes, and what cmq adds (campus, moderation, places, participation).
struct ActionDTO: Content {
    struct ParticipationDTO: Content {
        var participants: [String: Int]
        var total: Int
        var etablissements: [String]
        var entreprises: [String]
        var bilan: String
        var enregistreeLe: Date?
    }

    var id: UUID
    var campusId: UUID
    var campus: String
    var fields: ActionWritableDTO
    var moderation: Moderation
    var publieLe: Date?
    var departement: String?
    var anneeScolaire: String
    var placesPrises: Int?
    var url: String
    var calendrier: String
    /// Only for those who may edit the action: the public pages show the total.
    var participation: ParticipationDTO?

    enum CodingKeys: String, CodingKey {
        case id, campusId, campus, moderation, publieLe, departement, anneeScolaire, placesPrises, url, calendrier, participation
    }

    init(_ loaded: ActionService.Loaded, caller: Caller) throws {
        let record = loaded.record
        id = try record.requireID()
        campusId = try loaded.campus.requireID()
        campus = loaded.campus.nom
        fields = ActionWritableDTO(try loaded.draft)
        moderation = record.moderation
        publieLe = record.publieLe
        departement = record.departement
        anneeScolaire = record.schoolYear.label
        placesPrises = record.inscription == .cmq ? record.placesPrises : nil
        url = ActionsURL.page(id).path
        calendrier = ActionsURL.calendarFile(id).path
        if caller.may(.update, .campusAction(loaded.scope)), let participation = record.participation {
            self.participation = ParticipationDTO(
                participants: Dictionary(uniqueKeysWithValues: participation.counts.map { ($0.key.rawValue, $0.value) }),
                total: participation.total, etablissements: participation.etablissements, entreprises: participation.entreprises,
                bilan: participation.bilan, enregistreeLe: record.participationLe)
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fields = try ActionWritableDTO(from: decoder)
        id = try container.decode(UUID.self, forKey: .id)
        campusId = try container.decode(UUID.self, forKey: .campusId)
        campus = try container.decode(String.self, forKey: .campus)
        moderation = try container.decode(Moderation.self, forKey: .moderation)
        publieLe = try container.decodeIfPresent(Date.self, forKey: .publieLe)
        departement = try container.decodeIfPresent(String.self, forKey: .departement)
        anneeScolaire = try container.decode(String.self, forKey: .anneeScolaire)
        placesPrises = try container.decodeIfPresent(Int.self, forKey: .placesPrises)
        url = try container.decode(String.self, forKey: .url)
        calendrier = try container.decode(String.self, forKey: .calendrier)
        participation = try container.decodeIfPresent(ParticipationDTO.self, forKey: .participation)
    }

    /// One flat object: the writable fields beside the others.
    func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(campusId, forKey: .campusId)
        try container.encode(campus, forKey: .campus)
        try container.encode(moderation, forKey: .moderation)
        try container.encode(publieLe, forKey: .publieLe)
        try container.encode(departement, forKey: .departement)
        try container.encode(anneeScolaire, forKey: .anneeScolaire)
        try container.encode(placesPrises, forKey: .placesPrises)
        try container.encode(url, forKey: .url)
        try container.encode(calendrier, forKey: .calendrier)
        try container.encode(participation, forKey: .participation)
    }
}

/// A registration as its organiser sees it (name and e-mail until they are deleted after the action).
struct InscriptionDTO: Content {
    var id: UUID
    var nom: String?
    var courriel: String?
    var categorie: RegistrantCategory
    var personnes: Int
    var etat: RegistrationState
    var creeLe: Date
    var annuleLe: Date?
    var effaceLe: Date?

    init(_ record: InscriptionRecord) throws {
        id = try record.requireID()
        nom = record.nom
        courriel = record.courriel
        categorie = record.categorie
        personnes = record.personnes
        etat = record.etat
        creeLe = record.creeLe
        annuleLe = record.annuleLe
        effaceLe = record.effaceLe
    }
}

/// A registration seen by the person who made it (from its link): never the name or e-mail.
struct OwnRegistrationDTO: Content {
    var actionId: UUID
    var action: String
    var personnes: Int
    var etat: RegistrationState
    /// The secret of the cancellation link: given once, when the registration is made.
    var jeton: String?
    /// The page of the registration, with its cancellation button.
    var lienAnnulation: String?

    init(_ record: InscriptionRecord, actionTitle: String, token: String?) {
        actionId = record.$action.id
        action = actionTitle
        personnes = record.personnes
        etat = record.etat
        jeton = token
        lienAnnulation = token.map { ActionsURL.registration($0).path }
    }
}
