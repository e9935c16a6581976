import CMQDomain
import Foundation
import Vapor

/// A platform in the API.
struct PlateauDTO: Content {
    var id: UUID
    var campusId: UUID
    var campus: String
    var organisationId: UUID
    var organisation: String
    var nom: String
    var description: String
    var adresse: String
    var equipements: [EquipementDTO]
    var horaires: OpeningHours
    var fermetures: [Closure]
    var regles: PlateauRules
    var calendrier: String

    init(_ loaded: PlateauService.Loaded) {
        let plateau = loaded.plateau
        id = plateau.id
        campusId = plateau.campusID
        campus = loaded.campus.nom
        organisationId = plateau.organisationID
        organisation = loaded.owner.nom
        nom = plateau.nom
        description = plateau.description
        adresse = plateau.adresse
        equipements = plateau.equipements.map(EquipementDTO.init)
        horaires = plateau.openingHours
        fermetures = plateau.closures
        regles = plateau.rules
        calendrier = PlateauxURL.apiCalendar(plateau.id).path
    }
}

/// An equipment item in the API.
struct EquipementDTO: Content {
    var id: UUID
    var nom: String
    var categorie: String
    var quantite: Int
    var formationSecurite: Bool

    init(_ equipement: Equipement) {
        id = equipement.id
        nom = equipement.nom
        categorie = equipement.categorie
        quantite = equipement.quantite
        formationSecurite = equipement.requiresSafetyTraining
    }
}

/// A booking in the API, for those who may see who booked.
struct ReservationDTO: Content {
    var id: UUID
    var plateauId: UUID
    var plateau: String
    var equipementId: UUID?
    var equipement: String?
    var organisationId: UUID
    var organisation: String
    var personne: String
    var debut: String
    var fin: String
    var objet: String
    var objetLibelle: String
    var participants: Int
    var details: String?
    var formationSecuriteConfirmee: Bool
    var statut: String
    var statutLibelle: String
    var motif: String?
    var serieId: UUID?

    init(_ loaded: BookingService.Loaded) {
        let booking = loaded.booking
        id = booking.id
        plateauId = booking.plateauID
        plateau = loaded.plateau.plateau.nom
        equipementId = booking.target.equipementID
        equipement = booking.target.equipementID.map { id in
            loaded.plateau.equipements.first { $0.id == id }?.nom ?? loaded.plateau.plateau.name(of: booking.target)
        }
        organisationId = booking.organisationID
        organisation = loaded.record.$organisation.value?.nom ?? ""
        personne = loaded.record.personne
        debut = booking.creneau.start.iso
        fin = booking.creneau.end.iso
        objet = booking.purpose.rawValue
        objetLibelle = booking.purpose.label
        participants = booking.participants
        details = booking.details
        formationSecuriteConfirmee = booking.safetyTrainingConfirmed
        statut = booking.status.rawValue
        statutLibelle = booking.status.label
        motif = booking.motif
        serieId = loaded.record.serieID
    }
}

/// What a weekly series booked.
struct SerieDTO: Content {
    struct Ignoree: Content {
        var semaine: Int
        var debut: String
        var fin: String
        var raison: String
    }

    var serieId: UUID
    var reservations: [ReservationDTO]
    var ignorees: [Ignoree]

    init(_ result: BookingService.SeriesResult) {
        serieId = result.serieID
        reservations = result.bookings.map(ReservationDTO.init)
        ignorees = result.skipped.map { Ignoree(semaine: $0.week, debut: $0.creneau.start.iso, fin: $0.creneau.end.iso, raison: $0.message) }
    }
}

/// Free and busy time of a platform, day by day, without who booked.
struct DisponibilitesDTO: Content {
    struct Occupation: Content {
        var debut: String
        var fin: String
        var equipementId: UUID?
        var equipement: String?
        /// A request the owner has not accepted yet: the time stays free until then.
        var provisoire: Bool
    }

    struct Jour: Content {
        var date: String
        var ferme: Bool
        var fermetures: [Closure]
        var ouverture: [[String]]
        var libre: [[String]]
        var occupe: [Occupation]
    }

    var plateauId: UUID
    var equipementId: UUID?
    var du: String
    var au: String
    var jours: [Jour]

    init(plateau: Plateau, target: BookingTarget, days: [Availability.Day]) {
        plateauId = plateau.id
        equipementId = target.equipementID
        du = days.first?.day.iso ?? ""
        au = days.last?.day.iso ?? ""
        jours = days.map { day in
            Jour(date: day.day.iso, ferme: day.isClosed, fermetures: day.closures,
                 ouverture: day.open.map { [$0.start.text, $0.end.text] }, libre: day.free.map { [$0.start.text, $0.end.text] },
                 occupe: day.busy.map { busy in
                     Occupation(debut: LocalDateTime(day: day.day, time: busy.interval.start).iso,
                                fin: LocalDateTime(day: day.day, time: busy.interval.end).iso,
                                equipementId: busy.target.equipementID,
                                equipement: busy.target.equipementID.map { _ in plateau.name(of: busy.target) },
                                provisoire: busy.isTentative)
                 })
        }
    }
}

/// The usage of a platform or of a campus's platforms, month by month: the "mutualisation" indicator.
struct StatistiquesDTO: Content {
    struct ParOrganisation: Content {
        var organisationId: UUID
        var organisation: String
        var heures: Double
        var part: Double
    }

    struct ParObjet: Content {
        var objet: String
        var libelle: String
        var heures: Double
        var part: Double
    }

    struct Periode: Content {
        var mois: String?
        var libelle: String
        var heuresOuvertes: Double
        var heuresReservees: Double
        var heuresOccupees: Double
        var tauxOccupation: Double?
        var tauxOccupationTexte: String
        var parOrganisation: [ParOrganisation]
        var parObjet: [ParObjet]

        init(_ statistics: UsageStatistics, label: String, month: CalendarMonth?, names: [UUID: String]) {
            mois = month?.iso
            libelle = label
            heuresOuvertes = Self.hours(statistics.openMinutes)
            heuresReservees = Self.hours(statistics.bookedMinutes)
            heuresOccupees = Self.hours(statistics.occupiedMinutes)
            tauxOccupation = statistics.occupancyRate.map(Self.fraction)
            tauxOccupationTexte = statistics.occupancyText
            parOrganisation = statistics.byOrganisation.map {
                ParOrganisation(organisationId: $0.key, organisation: names[$0.key] ?? "", heures: Self.hours($0.minutes), part: Self.fraction($0.share))
            }
            parObjet = statistics.byPurpose.map {
                ParObjet(objet: $0.key.rawValue, libelle: $0.key.label, heures: Self.hours($0.minutes), part: Self.fraction($0.share))
            }
        }

        /// Hours to one decimal.
        static func hours(_ minutes: Int) -> Double { (Double(minutes) / 6).rounded() / 10 }
        /// A share or a rate to three decimals (0.181 for 18.1 %).
        static func fraction(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
    }

    var plateauId: UUID?
    var campusId: UUID?
    var du: String
    var au: String
    var mois: [Periode]
    var total: Periode

    init(_ usage: PlateauUsage, plateauID: UUID? = nil, campusID: UUID? = nil) {
        plateauId = plateauID
        campusId = campusID
        du = usage.months.lowerBound.iso
        au = usage.months.upperBound.iso
        mois = usage.monthly.map { Periode($0, label: $0.month.french, month: $0.month, names: usage.organisationNames) }
        total = Periode(usage.total, label: "\(usage.months.lowerBound.french) – \(usage.months.upperBound.french)", month: nil, names: usage.organisationNames)
    }
}
