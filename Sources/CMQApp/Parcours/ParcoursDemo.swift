import CMQDomain
import Fluent
import Foundation
import SQLKit

/// Generated pathways for one demo campus (« Métallurgie et plasturgie »): deterministic, plausible, a few hundred
/// learners over three school years, in the real formations of its real member establishments. Nothing here is
/// real: the flows page says so (« données de démonstration générées »). The learners' pseudonyms are
/// `demo-…`, never the HMAC of an INE.
struct ParcoursDemo {
    let db: any Database

    static let campusName = "Métallurgie et plasturgie"
    static let author = AuditAuthor.command("demo").label
    /// The three school years generated: 2023-2024 to 2025-2026.
    static let years = [2023, 2024, 2025]

    /// Whether a campus's network shows generated pathways.
    static func isDemo(campusID: UUID, on db: any Database) async throws -> Bool {
        let ids = try await Membership.query(on: db).filter(\.$campus.$id == campusID).all().map(\.$organisation.id)
        guard !ids.isEmpty else { return false }
        return try await ParcoursEnvoi.query(on: db).filter(\.$organisation.$id ~~ ids).filter(\.$auteur == author).first() != nil
    }

    /// SplitMix64: the same numbers on every machine.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// A number in 0..<100.
        mutating func percent() -> Int { Int(next() % 100) }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    struct Place {
        var uai: String
        var cfd: String
        var level: Int
        var organisationID: UUID
        var duration: Int { level == 4 ? 3 : 2 }
    }

    /// Writes the pathways; returns the number of steps (0 when the campus or its formations are missing).
    func load() async throws -> Int {
        guard let campus = try await Campus.query(on: db).filter(\.$nom == Self.campusName).first() else { return 0 }
        let members = try await Membership.query(on: db).filter(\.$campus.$id == campus.requireID()).with(\.$organisation).all()
        let byID = Dictionary(members.map { ($0.organisation.id!, $0.organisation) }, uniquingKeysWith: { a, _ in a })
        let formations = try await Formation.visible(on: db).filter(\.$organisation.$id ~~ Array(byID.keys)).filter(\.$cfd != nil).sort(\.$cfd).all()
        let places = formations.compactMap { formation -> Place? in
            guard let organisation = byID[formation.$organisation.id], let uai = organisation.uai, let cfd = formation.cfd else { return nil }
            return Place(uai: uai, cfd: cfd, level: formation.niveauSortie, organisationID: organisation.id!)
        }
        let entries = places.filter { $0.level <= 4 }, bacs = places.filter { $0.level == 4 }, bts = places.filter { $0.level == 5 }
        guard !entries.isEmpty else { return 0 }
        var random = Generator(state: 2026)
        var steps: [ParcoursStep] = []
        var organisationOf: [String: UUID] = [:]
        for place in places { organisationOf[place.uai] = place.organisationID }
        var number = 0

        /// Follows one learner from `year` at `place`, grade `grade`, until it leaves or the data ends.
        func follow(place start: Place, statut startStatut: ParcoursStatut, grade startGrade: Int, year startYear: Int) {
            number += 1
            let learner = String(format: "demo-%05d", number)
            var place = start, statut = startStatut, grade = startGrade, year = startYear
            while year <= Self.years.last! {
                let last = year == Self.years.last!
                var issue: ParcoursIssue?
                var next: (Place, ParcoursStatut, Int)?
                let roll = random.percent()
                if grade < place.duration {
                    switch roll {
                    case ..<84: next = (place, statut, grade + 1)
                    case ..<90: issue = statut == .apprenti ? .ruptureContrat : .abandon
                    case ..<95: issue = .reorientation
                    default: issue = nil
                    }
                } else {
                    issue = .diplome
                    let continuing: [Place] = place.level == 3 ? bacs : place.level == 4 ? bts : []
                    if roll < 45, !continuing.isEmpty {
                        issue = .poursuite
                        let target = continuing[random.below(continuing.count)]
                        let newStatut: ParcoursStatut = target.level == 5 && random.percent() < 45 ? .apprenti : .scolaire
                        next = (target, newStatut, target.level == 4 ? 2 : 1)
                    } else if roll < 65 {
                        issue = .poursuite
                    }
                }
                steps.append(ParcoursStep(learner: learner, year: SchoolYear(start: year), uai: place.uai, formation: place.cfd, statut: statut,
                                          issue: last ? nil : issue))
                guard let (nextPlace, nextStatut, nextGrade) = next else { return }
                place = nextPlace
                statut = nextStatut
                grade = nextGrade
                year += 1
            }
        }

        for place in entries {
            // Those already in the formation in 2023-2024, one cohort per grade, then a new cohort each year.
            for grade in 1...place.duration { for _ in 0..<(12 + random.below(8)) { follow(place: place, statut: .scolaire, grade: grade, year: Self.years[0]) } }
            for year in Self.years.dropFirst() { for _ in 0..<(14 + random.below(8)) { follow(place: place, statut: .scolaire, grade: 1, year: year) } }
        }
        for place in bts {
            // Students who came from outside the network.
            for year in Self.years { for _ in 0..<(4 + random.below(4)) { follow(place: place, statut: random.percent() < 40 ? .apprenti : .scolaire, grade: 1, year: year) } }
        }
        return try await write(steps, organisationOf: organisationOf)
    }

    func write(_ steps: [ParcoursStep], organisationOf: [String: UUID]) async throws -> Int {
        let grouped = Dictionary(grouping: steps) { "\($0.uai)|\($0.year.start)" }
        var built: [ParcoursEnvoi] = [], records: [ParcoursEtape] = []
        for key in grouped.keys.sorted() {
            let group = grouped[key]!
            guard let first = group.first, let organisationID = organisationOf[first.uai] else { continue }
            let envoi = ParcoursEnvoi(id: UUID(), organisationID: organisationID, uai: first.uai, annee: first.year.start, etapes: group.count, auteur: Self.author)
            built.append(envoi)
            records += group.map {
                ParcoursEtape(envoiID: envoi.id!, pseudonyme: $0.learner, annee: $0.year.start, uai: $0.uai, codeFormation: $0.formation, statut: $0.statut, issue: $0.issue)
            }
        }
        let rows = try BulkRows(reflecting: records), envois = built
        try await db.transaction { db in
            try await envois.create(on: db)
            if let sql = db as? any SQLDatabase { try await rows.insert(on: sql) }
        }
        return records.count
    }
}
