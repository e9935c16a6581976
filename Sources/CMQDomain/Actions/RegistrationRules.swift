import Foundation

/// A registration's state: on the list, on the waiting list, or cancelled.
public enum RegistrationState: String, CaseIterable, Codable, Sendable, Hashable {
    case inscrit
    case enAttente = "en-attente"
    case annule

    public var label: String {
        switch self {
        case .inscrit: "Inscrit"
        case .enAttente: "Liste d'attente"
        case .annule: "Annulé"
        }
    }
}

/// Who registers (the category asked of a visitor).
public enum RegistrantCategory: String, CaseIterable, Codable, Sendable, Hashable {
    case eleve
    case parent
    case etudiant
    case adulte
    case enseignant
    case entreprise
    case autre

    public var label: String {
        switch self {
        case .eleve: "Élève (collège ou lycée)"
        case .parent: "Parent"
        case .etudiant: "Étudiant ou apprenti"
        case .adulte: "Adulte, demandeur d'emploi"
        case .enseignant: "Enseignant, psychologue de l'éducation nationale"
        case .entreprise: "Entreprise"
        case .autre: "Autre"
        }
    }
}

/// What the capacity rules need of one registration.
public struct RegistrationSeat: Hashable, Sendable {
    public var id: UUID
    public var people: Int
    public var state: RegistrationState
    /// Its place in the order of arrival (smaller first).
    public var order: Int

    public init(id: UUID, people: Int, state: RegistrationState, order: Int) {
        self.id = id
        self.people = people
        self.state = state
        self.order = order
    }
}

/// Capacity and waiting list of an action registered for in cmq.
///
/// A new registration is on the list when its people fit in the places left, otherwise on the waiting list.
/// When places are freed (a cancellation, a larger capacity), the waiting registrations are taken in order of
/// arrival, each one that fits in what is left (a group too large for the places freed waits for more, and
/// does not hold back a smaller one behind it).
public enum RegistrationRules {
    /// A registration is for 1 to 20 people.
    public static let maximumPeople = 20
    public static let nameMaximum = 120

    /// People on the list.
    public static func taken(_ seats: [RegistrationSeat]) -> Int {
        seats.filter { $0.state == .inscrit }.reduce(0) { $0 + $1.people }
    }

    /// Where a new registration of `people` goes.
    public static func placement(people: Int, capacity: Int, taken: Int) -> RegistrationState {
        taken + people <= capacity ? .inscrit : .enAttente
    }

    /// The waiting registrations that move onto the list, in order.
    public static func promotions(capacity: Int, seats: [RegistrationSeat]) -> [UUID] {
        var free = capacity - taken(seats)
        var promoted: [UUID] = []
        for seat in seats.filter({ $0.state == .enAttente }).sorted(by: { $0.order < $1.order }) where free > 0 && seat.people <= free {
            promoted.append(seat.id)
            free -= seat.people
        }
        return promoted
    }

    /// The problems of a visitor's registration; empty when valid.
    public static func problems(name: String, email: String, people: Int, capacity: Int) -> [ActionFieldError] {
        var problems: [ActionFieldError] = []
        let trimmed = name.trimmed
        if trimmed.isEmpty { problems.append(.init("nom", "Indiquez votre nom.")) }
        if trimmed.count > nameMaximum { problems.append(.init("nom", "Le nom a au plus \(nameMaximum) caractères.")) }
        if !ActionRules.isEmail(email) { problems.append(.init("courriel", "Indiquez une adresse électronique valide, où recevoir le lien d'annulation.")) }
        if !(1...maximumPeople).contains(people) {
            problems.append(.init("personnes", "Le nombre de personnes est compris entre 1 et \(maximumPeople)."))
        } else if people > capacity {
            problems.append(.init("personnes", "L'action accueille \(capacity) \(capacity == 1 ? "personne" : "personnes") en tout : inscrivez au plus \(capacity) \(capacity == 1 ? "personne" : "personnes")."))
        }
        return problems
    }

    /// When registrants' personal data is deleted: `months` after the end of the action's last timing
    /// (on the same day of the month, or the month's last day).
    public static func erasureDay(lastEnd: LocalDateTime, months: Int) -> CalendarDay {
        lastEnd.day.adding(months: months)
    }
}

/// What the campus records after the action: counts by audience (never names), who was involved, a review.
public struct Participation: Hashable, Sendable {
    public var counts: [ActionAudience: Int]
    public var etablissements: [String]
    public var entreprises: [String]
    public var bilan: String

    public init(counts: [ActionAudience: Int], etablissements: [String] = [], entreprises: [String] = [], bilan: String = "") {
        self.counts = counts
        self.etablissements = etablissements
        self.entreprises = entreprises
        self.bilan = bilan
    }

    public var total: Int { counts.values.reduce(0, +) }

    public static let maximumNames = 200

    /// The problems of the record; participation is recorded once the action has started.
    public func problems(actionStart: LocalDateTime, now: LocalDateTime) -> [ActionFieldError] {
        var problems: [ActionFieldError] = []
        if now < actionStart {
            problems.append(.init("participation", ActionError.participationTooEarly(start: actionStart).message))
        }
        for audience in ActionAudience.allCases {
            if let count = counts[audience], !(0...ActionRules.maximumParticipants).contains(count) {
                problems.append(.init("participants.\(audience.rawValue)",
                                      "Le nombre de participants « \(audience.label.lowercased()) » est compris entre 0 et \(ActionRules.maximumParticipants)."))
            }
        }
        for (field, names) in [("etablissements", etablissements), ("entreprises", entreprises)] {
            if names.count > Participation.maximumNames {
                problems.append(.init(field, "Au plus \(Participation.maximumNames) noms."))
            }
            if names.contains(where: { $0.trimmed.isEmpty || $0.trimmed.count > ActionRules.titleMaximum }) {
                problems.append(.init(field, "Chaque nom a de 1 à \(ActionRules.titleMaximum) caractères."))
            }
        }
        if bilan.trimmed.count > ActionRules.reviewMaximum {
            problems.append(.init("bilan", "Le bilan a au plus \(ActionRules.reviewMaximum) caractères."))
        }
        return problems
    }
}
