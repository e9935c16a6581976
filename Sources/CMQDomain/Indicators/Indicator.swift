import Foundation

/// What a campus measures of itself: an entry of the indicator catalogue (`IndicatorCatalog`).
public struct Indicator: Hashable, Sendable, Codable {
    /// `RES-01`: letters, digits and hyphens, 2–20 characters, unique in the catalogue.
    public let code: String
    public let libelle: String
    /// How it is counted, in a sentence or two (shown beside the figure).
    public let definition: String
    public let unit: IndicatorUnit
    public let family: IndicatorFamily
    /// Computed by cmq from its data (with the computation named), or entered by the campus team.
    public let source: IndicatorSource
    public let direction: IndicatorDirection
    /// Shown on the public pages and in the open data.
    public let isPublic: Bool

    public init(code: String, libelle: String, definition: String, unit: IndicatorUnit, family: IndicatorFamily,
                source: IndicatorSource, direction: IndicatorDirection, isPublic: Bool) {
        self.code = code
        self.libelle = libelle
        self.definition = definition
        self.unit = unit
        self.family = family
        self.source = source
        self.direction = direction
        self.isPublic = isPublic
    }

    public var isEntered: Bool { if case .entered = source { true } else { false } }
}

public enum IndicatorUnit: String, Codable, Sendable, CaseIterable {
    case nombre, pourcentage, heures

    public var label: String {
        switch self {
        case .nombre: "nombre"
        case .pourcentage: "pourcentage"
        case .heures: "heures"
        }
    }

    /// The bounds of a value of this unit (a percentage from 0 to 100; a count or hours from 0 to a billion).
    public var bounds: ClosedRange<Double> {
        switch self {
        case .pourcentage: 0...100
        case .nombre, .heures: 0...1_000_000_000
        }
    }

    /// "12", "42,5 %", "1 250 h".
    public func format(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "fr_FR")
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = self == .nombre ? 0 : 1
        formatter.minimumFractionDigits = 0
        let number = (formatter.string(from: NSNumber(value: value)) ?? String(value)).replacingOccurrences(of: "\u{202F}", with: "\u{00A0}")
        switch self {
        case .nombre: return number
        case .pourcentage: return number + "\u{00A0}%"
        case .heures: return number + "\u{00A0}h"
        }
    }
}

/// The families of the label's evaluation.
public enum IndicatorFamily: String, Codable, Sendable, CaseIterable {
    case reseau, offre, apprenants, insertion, attractivite, actions, international, plateaux, gouvernance

    public var label: String {
        switch self {
        case .reseau: "Réseau"
        case .offre: "Offre de formation"
        case .apprenants: "Apprenants et parcours"
        case .insertion: "Insertion"
        case .attractivite: "Attractivité"
        case .actions: "Actions"
        case .international: "Ouverture internationale"
        case .plateaux: "Plateaux techniques et mutualisation"
        case .gouvernance: "Gouvernance"
        }
    }
}

/// Which way is good.
public enum IndicatorDirection: String, Codable, Sendable, CaseIterable {
    case hausse, baisse, neutre

    public var label: String {
        switch self {
        case .hausse: "plus haut est mieux"
        case .baisse: "plus bas est mieux"
        case .neutre: "ni l'un ni l'autre"
        }
    }
}

public enum IndicatorSource: Hashable, Sendable, Codable {
    case computed(IndicatorComputation)
    case entered
}

/// The computations cmq knows, each from its own data, for one campus and one school year.
public enum IndicatorComputation: String, Codable, Sendable, CaseIterable {
    /// Members of the network (every kind), at the end of the school year.
    case membres
    /// Members that are companies, branches, clusters or competitiveness poles.
    case membresEntreprises = "membres-entreprises"
    /// Members that are research laboratories or technological platforms.
    case membresRecherche = "membres-recherche"
    /// Formations offered by the members (every level and status).
    case formations
    /// Levels 3 to 7 × statuses (scolaire, apprenti, formation continue) with no formation in the network.
    case lacunesCouverture = "lacunes-couverture"
    /// Hours booked on the campus's platforms (accepted bookings) over the school year.
    case plateauxHeures = "plateaux-heures"
    /// Occupied time over open time of the campus's platforms, in %.
    case plateauxOccupation = "plateaux-occupation"
    /// Share of the booked hours booked by organisations that are not the platforms' owners, in %.
    case plateauxMutualisation = "plateaux-mutualisation"
    /// Hours booked by companies.
    case plateauxHeuresEntreprises = "plateaux-heures-entreprises"
    /// Formations offered in apprenticeship (a formation offered under several statuses counts under each).
    case formationsApprentissage = "formations-apprentissage"
    /// Formations offered to pupils and students in initial training (scolaire or étudiant).
    case formationsInitiale = "formations-initiale"
    /// Formations offered in continuing education.
    case formationsContinue = "formations-continue"
    /// Formations of exit level 5 to 8 (higher education).
    case formationsSuperieur = "formations-superieur"
    /// Learners of the members' pathway files in the school year (each learner once).
    case apprenants
    /// Of them, apprentices.
    case apprenantsApprentis = "apprenants-apprentis"
    /// Of them, pupils (statut scolaire).
    case apprenantsScolaires = "apprenants-scolaires"
    /// Of them, students.
    case apprenantsEtudiants = "apprenants-etudiants"
    /// Of them, trainees of continuing education.
    case apprenantsStagiaires = "apprenants-stagiaires"
    /// Formations of exit level 3 (CAP), 4 (bac), 5 (bac + 2), 6 (bac + 3) and 7–8 (bac + 5 and doctorate).
    case formationsNiveau3 = "formations-niveau-3"
    case formationsNiveau4 = "formations-niveau-4"
    case formationsNiveau5 = "formations-niveau-5"
    case formationsNiveau6 = "formations-niveau-6"
    case formationsNiveau7 = "formations-niveau-7"
    /// Of last year's learners who went on studying, the share found in the network this year, in %.
    case continuiteInterne = "continuite-interne"
    /// InserJeunes, consolidated over the campus's diplomas: taux de devenir favorable, in %.
    case insertionDevenirFavorable = "insertion-devenir-favorable"
    /// InserJeunes: taux de poursuite d'études, in %.
    case insertionPoursuite = "insertion-poursuite"
    /// InserJeunes: taux d'emploi à 6 mois, in %.
    case insertionEmploi6Mois = "insertion-emploi-6-mois"
    /// Actions whose participation was recorded, in the school year.
    case actions
    /// Their participants, every audience.
    case actionsParticipants = "actions-participants"
    /// Their participants who are collégiens.
    case actionsCollegiens = "actions-collegiens"
    /// Their participants from companies.
    case actionsEntreprises = "actions-entreprises"
    /// The school year's outgoing mobilities recorded line by line (public, country).
    case mobilitesSortantes = "mobilites-sortantes"
    /// The school year's incoming mobilities.
    case mobilitesEntrantes = "mobilites-entrantes"

    /// The unit of what it computes (a catalogue entry must state the same).
    public var unit: IndicatorUnit {
        switch self {
        case .membres, .membresEntreprises, .membresRecherche, .formations, .lacunesCouverture,
             .formationsApprentissage, .formationsInitiale, .formationsContinue, .formationsSuperieur,
             .apprenants, .apprenantsApprentis, .apprenantsScolaires, .apprenantsEtudiants, .apprenantsStagiaires,
             .formationsNiveau3, .formationsNiveau4, .formationsNiveau5, .formationsNiveau6, .formationsNiveau7, .actions, .actionsParticipants, .actionsCollegiens, .actionsEntreprises,
             .mobilitesSortantes, .mobilitesEntrantes: .nombre
        case .plateauxHeures, .plateauxHeuresEntreprises: .heures
        case .plateauxOccupation, .plateauxMutualisation, .continuiteInterne,
             .insertionDevenirFavorable, .insertionPoursuite, .insertionEmploi6Mois: .pourcentage
        }
    }
}

/// A campus's commitment on an indicator over its label period: the value when the label was decided (frozen),
/// the value to reach, and by when.
public struct IndicatorTarget: Hashable, Sendable {
    public let initial: Double
    public let target: Double
    public let deadline: CalendarDay

    public init(initial: Double, target: Double, deadline: CalendarDay) {
        self.initial = initial
        self.target = target
        self.deadline = deadline
    }

    /// How much of the way from the initial value to the target `current` has gone, from 0 to 1 (beyond the target:
    /// 1; back past the initial value: 0). nil when the target equals the initial value, or for a neutral indicator.
    public func progress(_ current: Double, direction: IndicatorDirection) -> Double? {
        guard direction != .neutre, target != initial else { return nil }
        let done = (current - initial) / (target - initial)
        return min(max(done, 0), 1)
    }

    /// Whether the target lies in the good direction from the initial value.
    public func isConsistent(with direction: IndicatorDirection) -> Bool {
        switch direction {
        case .hausse: target >= initial
        case .baisse: target <= initial
        case .neutre: true
        }
    }
}
