import CMQDomain
import Foundation

/// Shared givens of the labelling tests: the shipped référentiels, complete drafts, opinions, scores.
enum LabellingFixtures {
    static let r2014 = ReferentielCatalog.shipped.referentiel(code: "2014")!
    static let r2019 = ReferentielCatalog.shipped.referentiel(code: "2019")!
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func day(_ iso: String) -> CalendarDay {
        CalendarDay(iso: iso)!
    }

    /// A dossier in preparation with its eight sections written.
    static func draft(_ referentiel: Referentiel, kind: DossierKind = .creation, label: RequestedLabel = .cmq) throws -> LabelDossier {
        var dossier = try LabelDossier(referentiel: referentiel, kind: kind, requestedLabel: label)
        for section in DossierSection.allCases {
            try dossier.setSection(section, text: "Texte de la section « \(section.titre) ».")
        }
        return dossier
    }

    static func avis(_ instance: Instance, _ iso: String, _ verdict: Verdict = .favorable, texte: String = "") -> Avis {
        Avis(instance: instance, auteur: "Président \(instance.withDu)", date: day(iso), verdict: verdict, texte: texte)
    }

    /// Every expert gives every criterion of the grid the same score.
    static func scoreAll(_ dossier: inout LabelDossier, experts: [String] = ["expert-1", "expert-2"], note: Int = 3) throws {
        for expert in experts {
            for critere in dossier.referentiel.criteres {
                try dossier.record(Evaluation(expert: expert, critere: critere.code, note: note, commentaire: "Conforme."))
            }
        }
    }

    @discardableResult
    static func apply(_ dossier: inout LabelDossier, _ event: LabellingEvent) throws -> Transition {
        try dossier.apply(event, by: "Agent de test", at: now)
    }

    /// A 2014 dossier taken through every step before the decision.
    static func readyForDecision2014() throws -> LabelDossier {
        var dossier = try draft(r2014)
        try apply(&dossier, .depot(date: day("2013-02-01")))
        try apply(&dossier, .avis(avis(.caen, "2013-03-01")))
        try apply(&dossier, .avis(avis(.crefop, "2013-03-05")))
        try scoreAll(&dossier)
        try apply(&dossier, .clotureExpertise(avis(.groupeExperts, "2013-04-15")))
        try apply(&dossier, .avis(avis(.cnee, "2013-05-20")))
        return dossier
    }

    /// A 2019 dossier asking for Excellence, taken through every step before the decision.
    static func readyForDecision2019(label: RequestedLabel = .cmqExcellence) throws -> LabelDossier {
        var dossier = try draft(r2019, label: label)
        try apply(&dossier, .depot(date: day("2022-01-10")))
        try apply(&dossier, .avis(avis(.crefop, "2022-02-01")))
        try apply(&dossier, .avis(avis(.caen, "2022-02-03")))
        try scoreAll(&dossier)
        try apply(&dossier, .clotureExpertise(avis(.groupeExperts, "2022-03-15")))
        return dossier
    }
}
