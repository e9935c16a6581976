import CMQDomain
import Fluent
import Foundation

/// The actions of the demo campuses: the seeds' own open day of the Amiens campus (Saturday 14 February 2015 at the
/// lycée Condorcet, in the presence of the rectrice), and for every campus a school year of actions around `today`:
/// past ones with their participation recorded, future ones published and open for registration. Everything goes
/// through `ActionService`, at the dates it would have happened.
struct DemoActions {
    let db: any Database
    /// The application clock's today: "future" stays future whenever the demo is loaded.
    let today: CalendarDay

    struct Spec {
        var titre: String
        var resume: String
        var description: String
        var type: ActionType
        var audiences: Set<ActionAudience>
        var niveaux: Set<Level> = []
        /// Days from `today` of the first day; the timings' hours; how many consecutive days.
        var offset: Int
        var from: String
        var to: String
        var days = 1
        var registration: ActionRegistration = .aucune
        var withPartner = false
        var participation: [ActionAudience: Int] = [:]
        var bilan = ""
    }

    /// The year's actions of every campus, relative to today (past ones first).
    static func schoolYear(campus: String) -> [Spec] {
        [
            Spec(titre: "Salon de l'orientation : les métiers du campus", resume: "Le campus « \(campus) » tient un stand au salon départemental de l'orientation.",
                 description: "Rencontres avec des **apprentis**, des enseignants et des professionnels.\n\n- démonstrations sur le stand\n- présentation des formations du CAP au master",
                 type: .salonForum, audiences: [.collegiens, .lyceens, .parents], offset: -75, from: "09:00", to: "17:00",
                 participation: [.collegiens: 340, .lyceens: 210, .parents: 150], bilan: "Stand très fréquenté le matin ; de nombreuses questions sur l'apprentissage."),
            Spec(titre: "Visite d'entreprise pour les lycéens", resume: "Une classe de première découvre un site de production d'un partenaire du campus.",
                 description: "Visite des ateliers, échange avec des techniciens et des alternants.", type: .visiteEntreprise, audiences: [.lyceens, .enseignants],
                 niveaux: [.niveau4], offset: -45, from: "13:30", to: "16:30", withPartner: true,
                 participation: [.lyceens: 24, .enseignants: 2], bilan: "Élèves très intéressés par les métiers de la maintenance."),
            Spec(titre: "Matinée découverte des métiers pour les élèves de 3e", resume: "Ateliers pratiques pour les collégiens de troisième et leurs professeurs principaux.",
                 description: "## Programme\n- accueil et présentation du campus\n- trois ateliers de 40 minutes\n- échange avec des apprentis",
                 type: .decouverteCollegiens, audiences: [.collegiens, .enseignants], niveaux: [.niveau3], offset: -18, from: "08:30", to: "12:00",
                 participation: [.collegiens: 56, .enseignants: 4], bilan: "Deux collèges accueillis ; à renouveler au printemps."),
            Spec(titre: "Matinée découverte des métiers (printemps)", resume: "Les élèves de 3e essaient les gestes des métiers du campus, en petits groupes.",
                 description: "Inscription par groupe (une classe = un groupe). Prévoir des chaussures fermées.",
                 type: .decouverteCollegiens, audiences: [.collegiens, .enseignants], niveaux: [.niveau3], offset: 21, from: "08:30", to: "12:00",
                 registration: .cmq(capacity: 60)),
            Spec(titre: "Journée portes ouvertes", resume: "Visitez les ateliers et plateaux techniques, rencontrez les équipes et les apprentis du campus.",
                 description: "Les familles découvrent les **formations du CAP au BTS**, les plateaux techniques et les entreprises partenaires.\n\nInscription conseillée pour les visites guidées.",
                 type: .portesOuvertes, audiences: [.collegiens, .lyceens, .parents], niveaux: [.niveau3, .niveau4, .niveau5], offset: 55, from: "09:00", to: "16:00",
                 registration: .cmq(capacity: 200)),
            Spec(titre: "Mobilité Erasmus+ : stage en entreprise en Europe", resume: "Des apprentis du campus partent une semaine en entreprise chez un partenaire européen.",
                 description: "Mobilité financée par Erasmus+ ; préparation linguistique et culturelle en amont.", type: .mobiliteInternationale,
                 audiences: [.apprentis], niveaux: [.niveau4, .niveau5], offset: 120, from: "08:00", to: "17:00", days: 5),
        ]
    }

    /// Loads the actions; returns how many were written.
    func load() async throws -> Int {
        var count = 0
        for campus in try await Campus.query(on: db).sort(\.$nom).all() {
            let memberships = try await Membership.query(on: db).filter(\.$campus.$id == campus.requireID()).with(\.$organisation).all()
            guard let support = memberships.first(where: { $0.role == .etablissementSupport }) ?? memberships.first else { continue }
            let partner = memberships.first { $0.organisation.kind == .entreprise }?.organisation
            if campus.nom == "Métallurgie et plasturgie" {
                let condorcet = try await Organisation.query(on: db).filter(\.$uai == "0020079A").first() ?? support.organisation
                try await write(campus: campus, organiser: condorcet, partner: nil, spec: Spec(
                    titre: "Journée portes ouvertes du campus au lycée Condorcet",
                    resume: "Portes ouvertes du campus des métiers et des qualifications de la métallurgie et de la plasturgie, en présence de la rectrice.",
                    description: "Un an après l'inauguration du campus, le lycée Condorcet de Saint-Quentin ouvre ses ateliers : **productique, plasturgie, métallurgie**.\n\nEn présence de la rectrice de l'académie d'Amiens.",
                    type: .portesOuvertes, audiences: [.collegiens, .lyceens, .parents, .entreprises], niveaux: [.niveau3, .niveau4, .niveau5],
                    offset: 0, from: "09:00", to: "17:00", participation: [.collegiens: 180, .lyceens: 95, .parents: 210, .entreprises: 12],
                    bilan: "Forte affluence des familles ; visite de la rectrice et des partenaires industriels."), on: CalendarDay(year: 2015, month: 2, day: 14)!)
                count += 1
            }
            for spec in Self.schoolYear(campus: campus.nom) {
                try await write(campus: campus, organiser: support.organisation, partner: spec.withPartner ? partner : nil, spec: spec, on: nil)
                count += 1
            }
        }
        return count
    }

    /// Creates and publishes the action a month before its day (or today, if later), and records the participation of a
    /// past one the day after.
    private func write(campus: Campus, organiser: Organisation, partner: Organisation?, spec: Spec, on fixedDay: CalendarDay?) async throws {
        let first = fixedDay ?? today.adding(days: spec.offset)
        let timings = try (0..<spec.days).map { try TimeRange(day: first.adding(days: $0), from: spec.from, to: spec.to) }
        let draft = ActionDraft(titre: spec.titre, resume: spec.resume, description: spec.description, type: spec.type, audiences: spec.audiences,
                                niveaux: spec.niveaux, horaires: timings, lieu: .organisation(try organiser.requireID()), organisateurs: [try organiser.requireID()],
                                partenaires: [try partner?.requireID()].compactMap { $0 }, inscription: spec.registration, accessibilite: [.moteur])
        let written = min(first.adding(days: -30), today)
        let service = ActionService(db: db, caller: .demo(clock: .fixed(LocalDateTime(day: written, time: TimeOfDay(minutes: 10 * 60)!).date)))
        let created = try await service.create(campusID: try campus.requireID(), draft)
        _ = try await service.moderate(try created.record.requireID(), to: .publie)
        if !spec.participation.isEmpty, let last = timings.last, last.end.day < today {
            let after = ActionService(db: db, caller: .demo(clock: .fixed(LocalDateTime(day: last.end.day.nextDay, time: TimeOfDay(minutes: 10 * 60)!).date)))
            _ = try await after.recordParticipation(try created.record.requireID(), Participation(counts: spec.participation, bilan: spec.bilan))
        }
    }
}
