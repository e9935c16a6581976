import CMQDomain
import Fluent
import Foundation

/// A shared technical platform as stored; its rules live in `CMQDomain.Plateau`, rebuilt by `PlateauStore.load`.
final class PlateauRecord: Model, @unchecked Sendable {
    static let schema = "plateaux"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "nom") var nom: String
    @Field(key: "description") var description: String
    @Field(key: "adresse") var adresse: String
    /// The opening hours as JSON (`{"lundi": [["08:00", "12:00"]]}`).
    @Field(key: "horaires") var horaires: String
    @Field(key: "validation") var validation: Bool
    @Field(key: "preavis_heures") var preavisHeures: Int
    @OptionalField(key: "duree_maximale_minutes") var dureeMaximaleMinutes: Int?
    /// The access scopes, comma-separated slugs (`membres-campus,entreprises`).
    @Field(key: "ouvert_a") var ouvertA: String

    // relationships
    @Parent(key: "campus_id") var campus: Campus
    @Parent(key: "organisation_id") var organisation: Organisation

    init() {}

    init(id: UUID? = nil, campusID: UUID, organisationID: UUID) {
        self.id = id
        self.$campus.id = campusID
        self.$organisation.id = organisationID
    }

    /// Copies what the domain platform says (not its equipment nor closures, stored in their own tables).
    func apply(_ plateau: Plateau) throws {
        nom = plateau.nom
        description = plateau.description
        adresse = plateau.adresse
        horaires = try PlateauJSON.string(plateau.openingHours)
        validation = plateau.rules.approvalRequired
        preavisHeures = plateau.rules.minimumNoticeHours
        dureeMaximaleMinutes = plateau.rules.maximumDurationMinutes
        ouvertA = AccessScope.allCases.filter(plateau.rules.openTo.contains).map(\.rawValue).joined(separator: ",")
    }

    func domain(equipements: [EquipementRecord], fermetures: [FermetureRecord]) throws -> Plateau {
        let openTo = Set(ouvertA.split(separator: ",").compactMap { AccessScope(rawValue: String($0)) })
        return Plateau(
            id: try requireID(), campusID: $campus.id, organisationID: $organisation.id, nom: nom, description: description, adresse: adresse,
            equipements: equipements.filter { $0.retireLe == nil }.sorted { $0.rang < $1.rang }.map(\.domain),
            openingHours: try PlateauJSON.decode(OpeningHours.self, horaires),
            closures: try fermetures.map { try $0.domain }.sorted { ($0.first, $0.last) < ($1.first, $1.last) },
            rules: try PlateauRules(approvalRequired: validation, minimumNoticeHours: preavisHeures,
                                    maximumDurationMinutes: dureeMaximaleMinutes, openTo: openTo))
    }
}

/// An item of a platform. Its rank, unique in the platform and never reused, places it in the exclusion
/// constraint of the bookings (see `CreatePlateaux`). A removed item is kept, retired, for the history.
final class EquipementRecord: Model, @unchecked Sendable {
    static let schema = "plateau_equipements"

    @ID(key: .id) var id: UUID?
    @Field(key: "rang") var rang: Int
    @Field(key: "nom") var nom: String
    @Field(key: "categorie") var categorie: String
    @Field(key: "quantite") var quantite: Int
    @Field(key: "formation_securite") var formationSecurite: Bool
    @OptionalField(key: "retire_le") var retireLe: Date?
    @Parent(key: "plateau_id") var plateau: PlateauRecord

    init() {}

    init(_ equipement: Equipement, plateauID: UUID, rang: Int) {
        self.id = equipement.id
        self.$plateau.id = plateauID
        self.rang = rang
        apply(equipement)
    }

    func apply(_ equipement: Equipement) {
        nom = equipement.nom
        categorie = equipement.categorie
        quantite = equipement.quantite
        formationSecurite = equipement.requiresSafetyTraining
    }

    var domain: Equipement {
        Equipement(id: id!, nom: nom, categorie: categorie, quantite: quantite, requiresSafetyTraining: formationSecurite)
    }
}

/// A closure of a platform (whole days).
final class FermetureRecord: Model, @unchecked Sendable {
    static let schema = "plateau_fermetures"

    @ID(key: .id) var id: UUID?
    @Field(key: "debut") var debut: String
    @Field(key: "fin") var fin: String
    @Field(key: "raison") var raison: String
    @OptionalField(key: "motif") var motif: String?
    @Parent(key: "plateau_id") var plateau: PlateauRecord

    init() {}

    init(_ closure: Closure, plateauID: UUID) {
        self.$plateau.id = plateauID
        debut = closure.first.iso
        fin = closure.last.iso
        raison = closure.reason.rawValue
        motif = closure.motif
    }

    var domain: Closure {
        get throws {
            guard let first = CalendarDay(iso: debut), let last = CalendarDay(iso: fin), let reason = Closure.Reason(rawValue: raison) else {
                throw CorruptRecord("La fermeture \(id?.uuidString ?? "") est illisible.")
            }
            return try Closure(from: first, to: last, reason: reason, motif: motif)
        }
    }
}

/// A booking as stored. Times are wall-clock minutes in Europe/Paris; `equipement_rang` copies the item's
/// rank for the exclusion constraint. Status changes go through `CMQDomain.Booking`'s state machine.
final class ReservationRecord: Model, @unchecked Sendable {
    static let schema = "reservations"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @OptionalField(key: "equipement_id") var equipementID: UUID?
    @OptionalField(key: "equipement_rang") var equipementRang: Int?
    /// The account that booked, and its name as the booking shows it (pseudonymised when the person is deleted).
    @Field(key: "personne_id") var personneID: UUID
    @Field(key: "personne") var personne: String
    @Field(key: "debut") var debut: Int
    @Field(key: "fin") var fin: Int
    @Field(key: "objet") var objet: BookingPurpose
    @Field(key: "participants") var participants: Int
    @OptionalField(key: "details") var details: String?
    @Field(key: "formation_securite_confirmee") var formationSecuriteConfirmee: Bool
    @Field(key: "statut") var statut: BookingStatus
    @OptionalField(key: "motif") var motif: String?
    /// The bookings of one weekly series share it.
    @OptionalField(key: "serie_id") var serieID: UUID?

    // relationships
    @Parent(key: "plateau_id") var plateau: PlateauRecord
    @Parent(key: "organisation_id") var organisation: Organisation

    init() {}

    init(_ booking: Booking, equipementRang: Int?, personne: String, serieID: UUID?) {
        self.id = booking.id
        self.$plateau.id = booking.plateauID
        self.$organisation.id = booking.organisationID
        self.equipementID = booking.target.equipementID
        self.equipementRang = equipementRang
        self.personneID = booking.personID
        self.personne = personne
        self.debut = booking.creneau.start.wallClockMinutes
        self.fin = booking.creneau.end.wallClockMinutes
        self.objet = booking.purpose
        self.participants = booking.participants
        self.details = booking.details
        self.formationSecuriteConfirmee = booking.safetyTrainingConfirmed
        self.statut = booking.status
        self.motif = booking.motif
        self.serieID = serieID
    }

    var creneau: TimeRange {
        get throws { try TimeRange(start: LocalDateTime(wallClockMinutes: debut), end: LocalDateTime(wallClockMinutes: fin)) }
    }

    var domain: Booking {
        get throws {
            Booking(id: try requireID(), plateauID: $plateau.id, target: equipementID.map(BookingTarget.equipement) ?? .plateau,
                           organisationID: $organisation.id, personID: personneID, creneau: try creneau, purpose: objet,
                           participants: participants, details: details, safetyTrainingConfirmed: formationSecuriteConfirmee,
                           status: statut, motif: motif)
        }
    }
}

extension PlateauRecord: Audited {
    static var auditEntity: String { "plateau" }
    var auditLabel: String { nom }
    var auditSnapshot: [String: String] {
        var values = ["nom": nom, "description": description, "adresse": adresse, "horaires": horaires,
                      "validation": String(validation), "preavisHeures": String(preavisHeures), "ouvertA": ouvertA]
        values["dureeMaximaleMinutes"] = dureeMaximaleMinutes.map(String.init)
        return values.filter { !$0.value.isEmpty }
    }
}

extension ReservationRecord: Audited {
    static var auditEntity: String { "reservation" }
    var auditLabel: String {
        let range = (try? creneau)?.french ?? "\(debut)–\(fin)"
        return "Réservation du \(range)"
    }
    var auditSnapshot: [String: String] {
        var values = ["plateau": $plateau.id.uuidString.lowercased(), "organisation": $organisation.id.uuidString.lowercased(),
                      "creneau": (try? creneau)?.description ?? "", "objet": objet.rawValue, "participants": String(participants), "statut": statut.rawValue]
        values["equipement"] = equipementID?.uuidString.lowercased()
        values["details"] = details
        values["motif"] = motif
        return values.filter { !$0.value.isEmpty }
    }
}

/// The JSON columns of the platforms, written with sorted keys so that the audit trail compares them.
enum PlateauJSON {
    static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// A stored row that cmq cannot read back (written by hand in the database): a server error.
struct CorruptRecord: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
