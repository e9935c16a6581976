import CMQDomain
import Fluent
import Foundation

/// The shared technical platforms of the demo campuses and a school half-year of their bookings
/// (September 2026 to February 2027): weekly classes of the member lycées and CFA, company prototypes,
/// discovery days, a few refusals and cancellations, and requests still waiting for the owner.
/// Everything goes through the platform and booking services, at the dates it would have happened.
struct DemoPlateaux {
    let db: any Database

    /// An organisation of a campus network: by UAI, or by name for the partners.
    enum Org {
        case uai(String)
        case nom(String)
    }

    struct Item {
        var nom: String
        var categorie: String
        var quantite = 1
        var securite = false
    }

    struct Weekly {
        var org: Org
        /// The item's name, nil for the whole platform.
        var item: String?
        /// 0 for Monday.
        var weekday: Int
        var from: String
        var to: String
        var purpose: BookingPurpose
        var participants: Int
        var details: String
        /// The Monday of the first week, and the number of weeks.
        var firstMonday = "2026-09-07"
        var weeks = 24
    }

    struct Single {
        enum Outcome { case accepted, pending, refused(String), cancelled(String) }
        var org: Org
        var item: String?
        var day: String
        var from: String
        var to: String
        var purpose: BookingPurpose
        var participants: Int
        var details: String
        var outcome: Outcome = .accepted
    }

    struct Spec {
        var campus: String
        var owner: Org
        var nom: String
        var description: String
        var adresse: String
        var hours: [String: [[String]]]
        var rules: PlateauRules
        var items: [Item]
        var weekly: [Weekly]
        var singles: [Single]
    }

    static let weekdays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]

    static func hours(_ intervals: [[String]], friday: [[String]]? = nil) -> [String: [[String]]] {
        var days = Dictionary(uniqueKeysWithValues: weekdays.map { ($0, intervals) })
        if let friday { days["vendredi"] = friday }
        return days
    }

    /// School holidays of zones A and B in 2026–2027 (Toussaint, Noël, hiver) as closures.
    static func holidays(winter: (String, String)) -> [Closure] {
        [
            try! Closure(from: CalendarDay(iso: "2026-10-17")!, to: CalendarDay(iso: "2026-11-01")!, reason: .vacances, motif: "Toussaint"),
            try! Closure(from: CalendarDay(iso: "2026-11-11")!, to: CalendarDay(iso: "2026-11-11")!, reason: .autre, motif: "Jour férié (11 novembre)"),
            try! Closure(from: CalendarDay(iso: "2026-12-19")!, to: CalendarDay(iso: "2027-01-03")!, reason: .vacances, motif: "Noël"),
            try! Closure(from: CalendarDay(iso: winter.0)!, to: CalendarDay(iso: winter.1)!, reason: .vacances, motif: "Hiver"),
        ]
    }

    static var specs: [(Spec, [Closure])] {
        let zoneB = holidays(winter: ("2027-02-13", "2027-02-28"))
        let zoneA = holidays(winter: ("2027-02-06", "2027-02-21"))
        let condorcet = Org.uai("0020079A"), joliotCurie = Org.uai("0020089L"), vimeu = Org.uai("0801864S"), condorcetLGT = Org.uai("0020050U")
        return [
            (Spec(
                campus: "Métallurgie et plasturgie", owner: condorcet, nom: "Pôle productique Condorcet",
                description: "Atelier de production du lycée Condorcet partagé par le réseau du campus : injection plastique, usinage à commande numérique et tournage, pour les formations du bac pro au BTS et les prototypes des entreprises partenaires.",
                adresse: "Rue Fernand Léger, 02100 Saint-Quentin",
                hours: hours([["08:00", "12:00"], ["13:00", "18:00"]], friday: [["08:00", "12:00"], ["13:00", "16:30"]]),
                rules: try! PlateauRules(approvalRequired: true, minimumNoticeHours: 48, maximumDurationMinutes: 480, openTo: [.campusMembers, .companies]),
                items: [Item(nom: "Presse à injecter Arburg 80 t", categorie: "Plasturgie", securite: true),
                        Item(nom: "Centre d'usinage 5 axes DMG Mori", categorie: "Usinage", securite: true),
                        Item(nom: "Tour à commande numérique", categorie: "Usinage", quantite: 2, securite: true)],
                weekly: [
                    Weekly(org: condorcet, item: "Presse à injecter Arburg 80 t", weekday: 0, from: "08:00", to: "12:00", purpose: .formation, participants: 12, details: "Bac pro plastiques et composites, 1re année"),
                    Weekly(org: joliotCurie, item: "Centre d'usinage 5 axes DMG Mori", weekday: 1, from: "13:00", to: "17:00", purpose: .formation, participants: 10, details: "Bac pro technicien en réalisation de produits mécaniques"),
                    Weekly(org: vimeu, item: "Tour à commande numérique", weekday: 2, from: "08:00", to: "12:00", purpose: .formation, participants: 8, details: "CAP conducteur d'installations de production"),
                    Weekly(org: condorcetLGT, item: "Centre d'usinage 5 axes DMG Mori", weekday: 3, from: "08:00", to: "12:00", purpose: .formation, participants: 14, details: "BTS conception des processus de réalisation de produits"),
                    Weekly(org: .nom("IUT de l'Aisne"), item: nil, weekday: 4, from: "08:00", to: "12:00", purpose: .formationContinue, participants: 9, details: "Licence professionnelle en alternance, module production", weeks: 12),
                ],
                singles: [
                    Single(org: .nom("Valeo (site d'Amiens)"), item: "Presse à injecter Arburg 80 t", day: "2026-10-06", from: "13:00", to: "18:00", purpose: .prototypeEntreprise, participants: 3, details: "Essais d'injection d'un boîtier de capteur"),
                    Single(org: .nom("Valeo (site d'Amiens)"), item: "Presse à injecter Arburg 80 t", day: "2026-12-08", from: "13:00", to: "18:00", purpose: .prototypeEntreprise, participants: 3, details: "Deuxième série d'essais du boîtier de capteur"),
                    Single(org: vimeu, item: nil, day: "2026-11-27", from: "13:00", to: "16:30", purpose: .actionDecouverte, participants: 24, details: "Découverte des métiers de l'industrie pour des collégiens de 3e"),
                    Single(org: .nom("Valeo (site d'Amiens)"), item: "Centre d'usinage 5 axes DMG Mori", day: "2027-01-13", from: "13:00", to: "17:00", purpose: .prototypeEntreprise, participants: 2, details: "Usinage d'un moule prototype", outcome: .pending),
                    Single(org: joliotCurie, item: "Tour à commande numérique", day: "2027-01-14", from: "13:00", to: "17:00", purpose: .formation, participants: 8, details: "Rattrapage de séances", outcome: .pending),
                    Single(org: vimeu, item: "Presse à injecter Arburg 80 t", day: "2026-11-09", from: "13:00", to: "17:00", purpose: .formation, participants: 8, details: "Séance supplémentaire", outcome: .refused("La presse est en réglage pour les essais d'un partenaire ce jour-là.")),
                    Single(org: condorcetLGT, item: "Tour à commande numérique", day: "2026-12-03", from: "13:00", to: "17:00", purpose: .formation, participants: 12, details: "Projet de BTS", outcome: .cancelled("Classe en stage en entreprise")),
                ]), zoneB),
            (Spec(
                campus: "Métallurgie et plasturgie", owner: .nom("Innovaltech"), nom: "Salle de métrologie Innovaltech",
                description: "Salle de métrologie climatisée de la plateforme technologique Innovaltech : contrôle dimensionnel et état de surface, ouverte aux lycées du campus et aux entreprises.",
                adresse: "48 rue Raspail, 02100 Saint-Quentin",
                hours: hours([["08:30", "12:30"], ["13:30", "17:30"]]),
                rules: try! PlateauRules(approvalRequired: false, minimumNoticeHours: 24, maximumDurationMinutes: 240, openTo: [.campusMembers, .allCampuses, .companies]),
                items: [Item(nom: "Machine à mesurer tridimensionnelle", categorie: "Métrologie"),
                        Item(nom: "Projecteur de profil", categorie: "Métrologie"),
                        Item(nom: "Rugosimètre", categorie: "Métrologie", quantite: 2)],
                weekly: [
                    Weekly(org: condorcet, item: "Machine à mesurer tridimensionnelle", weekday: 1, from: "08:30", to: "12:30", purpose: .formation, participants: 6, details: "Contrôle des pièces usinées, bac pro"),
                    Weekly(org: condorcetLGT, item: nil, weekday: 3, from: "13:30", to: "17:30", purpose: .formation, participants: 14, details: "BTS, travaux pratiques de métrologie", weeks: 16),
                ],
                singles: [
                    Single(org: .nom("Valeo (site d'Amiens)"), item: "Machine à mesurer tridimensionnelle", day: "2026-10-07", from: "08:30", to: "12:30", purpose: .prototypeEntreprise, participants: 2, details: "Contrôle des boîtiers injectés"),
                    Single(org: .nom("Université de Picardie Jules Verne"), item: "Rugosimètre", day: "2026-11-18", from: "13:30", to: "17:30", purpose: .autre, participants: 4, details: "Mesures pour un projet de recherche du LTI"),
                ]), zoneB),
            (Spec(
                campus: "Matériaux composites et plastiques", owner: .nom("Plastinnov"), nom: "Halle d'extrusion et de thermoformage",
                description: "Halle technique de la plateforme Plastinnov (IUT de Moselle-Est) : extrusion, thermoformage et caractérisation des polymères.",
                adresse: "Rue Victor Demange, 57500 Saint-Avold",
                hours: hours([["08:00", "12:00"], ["13:30", "17:30"]]),
                rules: try! PlateauRules(approvalRequired: true, minimumNoticeHours: 72, maximumDurationMinutes: 480, openTo: [.campusMembers, .companies]),
                items: [Item(nom: "Extrudeuse bi-vis", categorie: "Plasturgie", securite: true),
                        Item(nom: "Thermoformeuse", categorie: "Plasturgie", securite: true)],
                weekly: [
                    Weekly(org: .uai("0572022N"), item: "Thermoformeuse", weekday: 2, from: "08:00", to: "12:00", purpose: .formation, participants: 10, details: "Bac pro plastiques et composites"),
                    Weekly(org: .uai("0570087K"), item: "Extrudeuse bi-vis", weekday: 3, from: "13:30", to: "17:30", purpose: .formation, participants: 8, details: "BTS Europlastics et composites", weeks: 18),
                ],
                singles: [
                    Single(org: .nom("Arkema (plateforme de Carling–Saint-Avold)"), item: "Extrudeuse bi-vis", day: "2026-11-17", from: "08:00", to: "12:00", purpose: .prototypeEntreprise, participants: 3, details: "Essais d'un grade recyclé"),
                    Single(org: .nom("Arkema (plateforme de Carling–Saint-Avold)"), item: "Extrudeuse bi-vis", day: "2027-01-19", from: "08:00", to: "12:00", purpose: .prototypeEntreprise, participants: 3, details: "Suite des essais du grade recyclé", outcome: .pending),
                ]), zoneA),
            (Spec(
                campus: "Énergie et maintenance", owner: .uai("0570108H"), nom: "Plateau de maintenance industrielle",
                description: "Ligne de production didactique et bancs de maintenance du lycée La Briquerie, partagés par le réseau du campus Énergie et maintenance.",
                adresse: "Route de Manom, 57100 Thionville",
                hours: hours([["08:00", "12:00"], ["13:00", "17:00"]]),
                rules: try! PlateauRules(approvalRequired: false, minimumNoticeHours: 24, maximumDurationMinutes: 480, openTo: [.campusMembers]),
                items: [Item(nom: "Ligne de production didactique", categorie: "Maintenance", securite: true),
                        Item(nom: "Banc d'habilitation électrique", categorie: "Électricité", quantite: 4, securite: true)],
                weekly: [
                    Weekly(org: .uai("0570077Z"), item: "Banc d'habilitation électrique", weekday: 0, from: "13:00", to: "17:00", purpose: .formation, participants: 12, details: "Habilitation électrique des élèves de bac pro"),
                    Weekly(org: .uai("0570023R"), item: "Ligne de production didactique", weekday: 3, from: "08:00", to: "12:00", purpose: .formation, participants: 15, details: "BTS maintenance des systèmes", weeks: 20),
                ],
                singles: [
                    Single(org: .nom("IUT de Thionville-Yutz"), item: nil, day: "2026-12-09", from: "08:00", to: "12:00", purpose: .formationContinue, participants: 10, details: "Journée de formation continue des techniciens", outcome: .accepted),
                ]), zoneA),
        ]
    }

    /// Creates the platforms and their bookings; returns (platforms, bookings).
    func load() async throws -> (plateaux: Int, reservations: Int) {
        let caller = Caller.demo()
        var plateaux = 0, reservations = 0
        for (spec, closures) in Self.specs {
            guard let campus = try await Campus.query(on: db).filter(\.$nom == spec.campus).first() else { continue }
            let owner = try await organisation(spec.owner)
            let input = PlateauService.Input(
                campusID: campus.id, organisationID: owner.id, nom: spec.nom, description: spec.description, adresse: spec.adresse,
                horaires: try OpeningHours(days: spec.hours), fermetures: closures, regles: spec.rules,
                equipements: spec.items.map { .init(id: nil, nom: $0.nom, categorie: $0.categorie, quantite: $0.quantite, formationSecurite: $0.securite) })
            let loaded = try await PlateauService(db: db, caller: caller).create(input)
            plateaux += 1
            func target(_ name: String?) throws -> BookingTarget {
                guard let name else { return .plateau }
                guard let item = loaded.plateau.equipements.first(where: { $0.nom == name }) else { throw DemoError.invalid("équipement « \(name) » inconnu") }
                return .equipement(item.id)
            }
            for weekly in spec.weekly {
                let first = CalendarDay(iso: weekly.firstMonday)!.adding(days: weekly.weekday)
                let request = BookingService.Request(
                    plateauID: loaded.plateau.id, target: try target(weekly.item), creneau: try TimeRange(day: first, from: weekly.from, to: weekly.to),
                    purpose: weekly.purpose, participants: weekly.participants, details: weekly.details, safetyTrainingConfirmed: true,
                    organisationID: try await organisation(weekly.org).id)
                let result = try await service(madeOn: first.adding(days: -10)).bookSeries(request, weeks: weekly.weeks, policy: .skipConflicts)
                for booking in result.bookings where booking.booking.status == .demandee {
                    _ = try await service(madeOn: first.adding(days: -8)).accept(booking.booking.id)
                }
                reservations += result.bookings.count
            }
            for single in spec.singles {
                let day = CalendarDay(iso: single.day)!
                let request = BookingService.Request(
                    plateauID: loaded.plateau.id, target: try target(single.item), creneau: try TimeRange(day: day, from: single.from, to: single.to),
                    purpose: single.purpose, participants: single.participants, details: single.details, safetyTrainingConfirmed: true,
                    organisationID: try await organisation(single.org).id)
                let booking = try await service(madeOn: day.adding(days: -7)).book(request)
                let id = booking.booking.id, service = service(madeOn: day.adding(days: -5))
                switch single.outcome {
                case .accepted where booking.booking.status == .demandee: _ = try await service.accept(id)
                case .accepted, .pending: break
                case .refused(let motif): _ = try await service.refuse(id, motif: motif)
                case .cancelled(let motif):
                    if booking.booking.status == .demandee { _ = try await service.accept(id) }
                    _ = try await service.cancel(id, motif: motif)
                }
                reservations += 1
            }
        }
        return (plateaux, reservations)
    }

    /// The booking service as if the request were made on `day` at noon.
    private func service(madeOn day: CalendarDay) -> BookingService {
        // The requests are signed by a person of the booking organisation, as a real one would be (the journal still
        // says they came from the command line); the demo sends no notification.
        var caller = Caller(actor: nil, author: AuditAuthor(userID: nil, label: AuditAuthor.command("demo").label,
                                                            displayName: "Enseignant référent (démonstration)"),
                            isOperator: true, clock: .fixed(LocalDateTime(day: day, time: TimeOfDay(minutes: 12 * 60)!).date))
        caller.notifies = false
        return BookingService(db: db, caller: caller)
    }

    private func organisation(_ reference: Org) async throws -> Organisation {
        let found: Organisation? = switch reference {
        case .uai(let uai): try await Organisation.query(on: db).filter(\.$uai == uai).first()
        case .nom(let nom): try await Organisation.query(on: db).filter(\.$nom == nom).first()
        }
        guard let found else { throw DemoError.invalid("organisation \(reference) absente du jeu de démonstration") }
        return found
    }
}
