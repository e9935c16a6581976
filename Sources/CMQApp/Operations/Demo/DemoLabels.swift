import CMQDomain
import Fluent
import Foundation

/// The labels of the demo campuses, granted through real dossiers that went through the procedure of their
/// time (the 2014 procedure for the labels the seeds tell: 2013, 2015, 2017, 2018; the 2019 one for the
/// renewals), and one dossier under way at each step of the procedure. Every step goes through the
/// labelling service, as a person would, at the dates of the story.
struct DemoLabels {
    let db: any Database

    /// What happens to one campus: its first label (year of the seeds), a renewal, or a dossier under way.
    enum Story {
        /// Labelled by the 2014 procedure on that day, for 4 years.
        case labelled2014(decision: String)
        /// A 2014 label, then renewed under the 2019 référentiel (for `years`, maybe with Excellence).
        case renewed(first: String, renewal: String, years: Int, excellence: Bool)
        /// A dossier stopped at a step: "brouillon", "depot", a step code ("avis-crefop": the CAEN has given its opinion), "expertise" (scored, not closed), "decision".
        case underWay(firstLabel: String?, referentiel: String, step: String, since: String)
        /// A first label under the 2019 référentiel.
        case labelled2019(decision: String, years: Int, excellence: Bool)
    }

    static let stories: [String: Story] = [
        "Métallurgie et plasturgie": .renewed(first: "2013-07-10", renewal: "2022-06-15", years: 5, excellence: true),
        "Aéronautique": .underWay(firstLabel: "2013-07-10", referentiel: "2019", step: "avis-crefop", since: "2026-09-15"),
        "Travaux publics": .underWay(firstLabel: "2015-01-30", referentiel: "2014", step: "avis-cnee", since: "2019-01-10"),
        "Industries créatives de la mode et du luxe": .renewed(first: "2017-07-03", renewal: "2022-01-14", years: 5, excellence: false),
        "Nautisme": .renewed(first: "2018-07-02", renewal: "2022-06-30", years: 5, excellence: false),
        "Filière alimentaire de demain": .renewed(first: "2018-07-02", renewal: "2023-09-01", years: 4, excellence: false),
        "Tourisme, restauration et international": .underWay(firstLabel: "2018-07-02", referentiel: "2019", step: "depot", since: "2026-10-01"),
        "Bâtisseurs de constructions d'avenir": .underWay(firstLabel: "2018-07-02", referentiel: "2019", step: "expertise", since: "2026-06-01"),
        "Matériaux composites et plastiques": .labelled2019(decision: "2022-03-01", years: 5, excellence: true),
        "Énergie et maintenance": .underWay(firstLabel: nil, referentiel: "2019", step: "decision", since: "2026-05-02"),
        "Bois": .underWay(firstLabel: nil, referentiel: "2019", step: "brouillon", since: "2026-11-02"),
    ]

    private func service(at day: String) -> LabellingService {
        LabellingService(db: db, caller: .demo(clock: .fixed(Self.noon(day))))
    }

    static func noon(_ day: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: day + "T10:00:00Z") ?? Date()
    }

    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

    /// A day some weeks after another.
    static func after(_ iso: String, days: Int) -> String { day(iso).adding(days: days).iso }

    func load() async throws -> Int {
        var count = 0
        for campus in try await Campus.query(on: db).sort(\.$nom).all() {
            guard let story = Self.stories[campus.nom] else { continue }
            let campusID = try campus.requireID()
            switch story {
            case .labelled2014(let decision):
                _ = try await procedure(campusID, referentiel: "2014", nature: .creation, decision: decision, years: 4, excellence: false, stopAt: nil)
            case .renewed(let first, let renewal, let years, let excellence):
                _ = try await procedure(campusID, referentiel: "2014", nature: .creation, decision: first, years: 4, excellence: false, stopAt: nil)
                _ = try await procedure(campusID, referentiel: "2019", nature: .renouvellement, decision: renewal, years: years, excellence: excellence, stopAt: nil)
            case .underWay(let firstLabel, let referentiel, let step, let since):
                if let firstLabel {
                    _ = try await procedure(campusID, referentiel: "2014", nature: .creation, decision: firstLabel, years: 4, excellence: false, stopAt: nil)
                }
                // The dossier's decision would come some months after `since`: the steps before `step` are done.
                let decision = Self.after(since, days: 150)
                _ = try await procedure(campusID, referentiel: referentiel, nature: firstLabel == nil ? .creation : .renouvellement, decision: decision,
                                        years: referentiel == "2014" ? 4 : 5, excellence: false, stopAt: step, start: since)
            case .labelled2019(let decision, let years, let excellence):
                _ = try await procedure(campusID, referentiel: "2019", nature: .creation, decision: decision, years: years, excellence: excellence, stopAt: nil)
            }
            count += 1
        }
        return count
    }

    /// Runs a dossier through its procedure up to its decision, or up to (not including) `stopAt`.
    private func procedure(_ campusID: UUID, referentiel code: String, nature: DossierKind, decision: String, years: Int, excellence: Bool,
                           stopAt: String?, start: String? = nil) async throws -> UUID {
        guard let referentiel = ReferentielCatalog.shipped.referentiel(code: code) else { throw AppError.notFound("référentiel \(code)") }
        // The dossier is opened about seven months before its decision, deposited a month later.
        let opened = start ?? Self.after(decision, days: -210)
        let deposit = Self.after(opened, days: 30)
        var loaded = try await service(at: opened).create(.init(campusID: campusID, referentiel: code, nature: nature,
                                                               label: excellence ? .cmqExcellence : .cmq, duree: years))
        let id = try loaded.record.requireID()
        var sections = loaded.dossier.sections
        for section in DossierSection.allCases where (sections[section] ?? "").isEmpty {
            sections[section] = Self.text(section, campus: loaded.campus)
        }
        loaded = try await service(at: opened).edit(id, .init(sections: sections))
        if stopAt == "brouillon" { return id }
        _ = try await service(at: deposit).deposit(id, date: Self.day(deposit), comment: "Dossier déposé par l'académie et la région.")
        if stopAt == "depot" { return id }
        var day = deposit
        for etape in referentiel.etapes.dropFirst() {
            if etape.code == stopAt { return id }
            day = Self.after(day, days: 25)
            switch etape.kind {
            case .depot, .decision:
                continue
            case .avis(let body):
                let verdict: Verdict = body == .crefop ? .favorableAvecReserves : .favorable
                let texte = verdict == .favorable ? "Avis favorable." : "Avis favorable ; le réseau gagnera à accueillir davantage d'entreprises de la filière."
                _ = try await service(at: day).giveOpinion(id, .init(instance: body, verdict: verdict, texte: texte, date: Self.day(day), auteur: Self.author(body)))
            case .expertise(let body):
                for (index, expert) in ["Experte du monde économique", "Expert de l'État", "Experte des collectivités"].enumerated() {
                    let scores = referentiel.criteres.enumerated().map { position, critere in
                        LabellingService.ScoreInput(critere: critere.code, note: [3, 4, 2, 3][(position + index) % 4], commentaire: "")
                    }
                    _ = try await service(at: day).score(id, scores, expertName: expert)
                    if stopAt == "expertise-partielle" { return id }
                }
                if stopAt == "expertise" {
                    // The experts are scoring: the collective opinion is still to come.
                    return id
                }
                _ = try await service(at: day).giveOpinion(id, .init(instance: body, verdict: .favorable, texte: "Avis collectif favorable du groupe d'experts.",
                                                                      date: Self.day(day), auteur: Self.author(body)))
            }
        }
        if stopAt == "decision" { return id }
        let arrete = ArreteReference(nor: nil, bulletinOfficiel: "Arrêté de labellisation publié au Bulletin officiel (démonstration)")
        _ = try await service(at: decision).decide(id, .labellisation(date: Self.day(decision), durationYears: years, excellence: excellence, arrete: arrete,
                                                                       texte: "Labellisation interministérielle."))
        return id
    }

    static func author(_ body: Instance) -> String {
        switch body {
        case .caen: "Secrétariat du CAEN"
        case .crefop: "Secrétariat du CREFOP"
        case .groupeExperts: "Groupe d'experts"
        case .cnee: "Secrétariat du CNEE"
        }
    }

    /// A section's text for the demo, written from the campus.
    static func text(_ section: DossierSection, campus: Campus) -> String {
        let filiere = campus.filiere.label.lowercased()
        switch section {
        case .strategieObjectifs:
            return campus.description ?? "Former aux métiers de la filière \(filiere) sur le territoire, du CAP à l'enseignement supérieur."
        case .offreFormation:
            return "Offre du CAP au supérieur dans la filière \(filiere), sous statut scolaire, en apprentissage et en formation continue."
        case .partenariat:
            return "Partenariat avec les entreprises et les branches professionnelles de la filière \(filiere), et les laboratoires du territoire."
        case .gouvernance:
            return "Comité de pilotage partenarial réuni deux fois par an ; un directeur opérationnel et un animateur."
        case .projetPedagogique:
            return "Parcours mixtes (scolaire puis apprentissage), modules complémentaires de niveau 5, actions de découverte pour les collégiens."
        case .ouvertureEuropeenneInternationale:
            return "Mobilités Erasmus+ des élèves et des apprentis, partenariats avec des établissements européens."
        case .plateauxTechniques:
            return "Plateaux techniques partagés entre les membres et ouverts aux entreprises pour leurs prototypes."
        case .indicateursEvaluation:
            return "Indicateurs : effectifs, taux d'insertion et de poursuite d'études, nombre d'actions ; bilan annuel présenté au comité de pilotage."
        }
    }
}
