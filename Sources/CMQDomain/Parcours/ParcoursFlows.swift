import Foundation

/// Where a learner of one school year is the next: in the network (a place of its members), or gone, and how.
public enum ParcoursDestination: Hashable, Sendable, Comparable {
    case node(ParcoursNode)
    case exit(ParcoursExit)

    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.node(let a), .node(let b)): a < b
        case (.node, .exit): true
        case (.exit, .node): false
        case (.exit(let a), .exit(let b)): a < b
        }
    }
}

/// Why a learner is not in the network's files the next school year, from the issue its establishment gave.
public enum ParcoursExit: String, Sendable, CaseIterable, Comparable {
    /// Declared going on studying, and no member has the learner: continuation outside the network.
    case poursuiteHorsReseau = "poursuite-hors-reseau"
    /// Graduated and left (towards employment or elsewhere).
    case diplome
    case reorientation
    case ruptureContrat = "rupture-contrat"
    case abandon
    /// No issue given, no member has the learner: lost.
    case perduDeVue = "perdu-de-vue"

    public init(issue: ParcoursIssue?) {
        switch issue {
        case .poursuite?: self = .poursuiteHorsReseau
        case .diplome?: self = .diplome
        case .reorientation?: self = .reorientation
        case .ruptureContrat?: self = .ruptureContrat
        case .abandon?: self = .abandon
        case nil: self = .perduDeVue
        }
    }

    public var label: String {
        switch self {
        case .poursuiteHorsReseau: "Poursuite d'études hors du réseau"
        case .diplome: "Diplômé, sorti du réseau"
        case .reorientation: "Réorientation hors du réseau"
        case .ruptureContrat: "Rupture de contrat, sorti du réseau"
        case .abandon: "Abandon"
        case .perduDeVue: "Perdu de vue"
        }
    }

    /// A learner lost by the network without a diploma or a declared continuation.
    public var isLoss: Bool { self == .reorientation || self == .ruptureContrat || self == .abandon || self == .perduDeVue }

    public static func < (lhs: Self, rhs: Self) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
}

/// The flows inside a campus network, computed from the steps every member uploaded.
///
/// Each learner is placed once per school year: when two steps share a year (a change of establishment during
/// the year), the step that did not end in abandon, réorientation or rupture is kept, then the first by UAI and
/// formation. Between two consecutive school years `y → y+1` that both have data, a learner placed in `y` is
/// found in `y+1` at a place of the network (continuation in the network, perhaps under another status) or is
/// counted as an exit by the issue of its step (`ParcoursExit`). The last school year has no transitions yet.
public struct ParcoursFlows: Sendable, Equatable {
    public struct Link: Sendable, Equatable, Hashable {
        public var from: ParcoursNode
        public var to: ParcoursDestination
        public var count: Int

        public init(from: ParcoursNode, to: ParcoursDestination, count: Int) {
            self.from = from
            self.to = to
            self.count = count
        }
    }

    /// The transitions from one school year to the next.
    public struct Transition: Sendable, Equatable {
        public var year: SchoolYear
        /// Learners of `year`, by place.
        public var origins: [ParcoursNode: Int]
        /// Learners of `year + 1`, by place, and how many of them were not in the network the year before.
        public var destinations: [ParcoursNode: Int]
        public var entrants: [ParcoursNode: Int]
        public var links: [Link]

        /// Learners of `year` (the denominator of the rates).
        public var learners: Int { origins.values.reduce(0, +) }
        /// Found the next year in the network.
        public var continuingInNetwork: Int { links.filter { if case .node = $0.to { true } else { false } }.map(\.count).reduce(0, +) }
        /// Declared going on studying, not found in the network.
        public var continuingOutside: Int { exits[.poursuiteHorsReseau] ?? 0 }
        public var exits: [ParcoursExit: Int] {
            links.reduce(into: [:]) { result, link in if case .exit(let exit) = link.to { result[exit, default: 0] += link.count } }
        }
        /// Continuations in the network under another status, by (from, to) status.
        public var statusChanges: [StatusChange: Int] {
            links.reduce(into: [:]) { result, link in
                if case .node(let to) = link.to, to.statut != link.from.statut {
                    result[StatusChange(from: link.from.statut, to: to.statut), default: 0] += link.count
                }
            }
        }
        /// Learners lost (abandon, réorientation or rupture without continuation in the network, lost from sight), by
        /// establishment of origin.
        public var lossesByUAI: [String: Int] {
            links.reduce(into: [:]) { result, link in
                if case .exit(let exit) = link.to, exit.isLoss { result[link.from.uai, default: 0] += link.count }
            }
        }
    }

    public struct StatusChange: Hashable, Sendable, Comparable {
        public var from: ParcoursStatut
        public var to: ParcoursStatut

        public init(from: ParcoursStatut, to: ParcoursStatut) {
            self.from = from
            self.to = to
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.from, lhs.to) < (rhs.from, rhs.to) }
    }

    /// The school years with data, in order.
    public var years: [SchoolYear]
    /// Learners per place and school year.
    public var nodes: [SchoolYear: [ParcoursNode: Int]]
    public var transitions: [Transition]

    public init(steps: [ParcoursStep]) {
        var placed: [SchoolYear: [String: ParcoursStep]] = [:]
        for step in steps {
            if let current = placed[step.year]?[step.learner], !Self.prefers(step, over: current) { continue }
            placed[step.year, default: [:]][step.learner] = step
        }
        years = placed.keys.sorted()
        nodes = placed.mapValues { byLearner in byLearner.values.reduce(into: [:]) { $0[$1.node, default: 0] += 1 } }
        var transitions: [Transition] = []
        for year in years where placed[year.next] != nil {
            let now = placed[year]!, next = placed[year.next]!
            var links: [ParcoursDestination: [ParcoursNode: Int]] = [:]
            for (learner, step) in now {
                let destination: ParcoursDestination = next[learner].map { .node($0.node) } ?? .exit(ParcoursExit(issue: step.issue))
                links[destination, default: [:]][step.node, default: 0] += 1
            }
            var entrants: [ParcoursNode: Int] = [:]
            for (learner, step) in next where now[learner] == nil { entrants[step.node, default: 0] += 1 }
            let flat = links.flatMap { destination, origins in origins.map { Link(from: $0.key, to: destination, count: $0.value) } }
                .sorted { ($0.from, $0.to) < ($1.from, $1.to) }
            transitions.append(Transition(year: year, origins: nodes[year]!, destinations: nodes[year.next]!, entrants: entrants, links: flat))
        }
        self.transitions = transitions
    }

    /// Of two steps of one learner in one school year, the one that places the learner.
    static func prefers(_ candidate: ParcoursStep, over current: ParcoursStep) -> Bool {
        let ended: Set<ParcoursIssue?> = [.abandon, .reorientation, .ruptureContrat]
        let candidateEnded = ended.contains(candidate.issue), currentEnded = ended.contains(current.issue)
        if candidateEnded != currentEnded { return !candidateEnded }
        return candidate.node < current.node
    }
}
