import CMQDomain
import Foundation

// The bodies of the labelling's requests, read and checked field by field: the API's JSON and the dossier page's
// forms go through the same readers (the page's scores, one field per criterion, have their own).

extension LabellingService.CreateInput {
    /// The campus, and optionally the référentiel (the one in force by default), the nature, the label and duration asked.
    static func read(_ reader: inout InputReader) -> Self? {
        let campusID = reader.uuid("campusId", required: true).value
        let referentiel = reader.text("referentiel", maxLength: 40).value
        let nature = reader.choice("nature", DossierKind.self).value
        let label = reader.choice("labelDemande", RequestedLabel.self).value
        let duree = reader.integer("dureeDemandee", range: 1...10).value
        guard let campusID else { return nil }
        return Self(campusID: campusID, referentiel: referentiel, nature: nature ?? .creation, label: label ?? .cmq, duree: duree)
    }
}

extension LabellingService.EditInput {
    /// The sections given (an empty one is emptied), the label and duration asked.
    static func read(_ reader: inout InputReader) -> Self {
        var input = Self()
        for section in DossierSection.allCases {
            if case .set(let text) = reader.text(section.rawValue, maxLength: 50_000) { input.sections[section] = text ?? "" }
        }
        input.label = reader.choice("labelDemande", RequestedLabel.self).value
        input.duree = reader.integer("dureeDemandee", range: 1...10).value
        return input
    }
}

/// A step dated by the one who records it (today by default), with a comment or a reason.
struct DatedStepInput: Sendable {
    var date: CalendarDay
    var text: String?

    /// The deposit: its date and an optional comment.
    static func readDeposit(_ reader: inout InputReader, today: CalendarDay) -> Self {
        let date = reader.day("date").value
        let comment = reader.text("commentaire", maxLength: 2_000).value
        return Self(date: date ?? today, text: comment)
    }

    /// The abandon: its date and its reason (required).
    static func readAbandon(_ reader: inout InputReader, today: CalendarDay) -> Self {
        let motif = reader.text("motif", required: true, maxLength: 2_000).value
        let date = reader.day("date").value
        return Self(date: date ?? today, text: motif)
    }
}

extension LabellingService.OpinionInput {
    /// An opinion: the body (the account's own by default), the verdict, the text, the date, the author's name.
    static func read(_ reader: inout InputReader, instance defaultInstance: Instance?, today: CalendarDay) -> Self? {
        let instance = reader.choice("instance", Instance.self).value ?? defaultInstance
        let verdict = reader.choice("verdict", Verdict.self, required: true).value
        let texte = reader.text("texte", maxLength: 20_000).value
        let date = reader.day("date").value
        let auteur = reader.text("auteur", maxLength: 200).value
        if instance == nil, !reader.hasErrors { reader.fail("instance", "L'instance qui donne l'avis doit être indiquée.") }
        guard let instance, let verdict else { return nil }
        return Self(instance: instance, verdict: verdict, texte: texte ?? "", date: date ?? today, auteur: auteur)
    }
}

extension Decision {
    /// The interministerial decision: its outcome, Excellence, date, duration, the arrêté's NOR and Bulletin officiel.
    static func read(_ reader: inout InputReader, today: CalendarDay) -> Decision? {
        let outcome = reader.choice("resultat", Decision.Outcome.self, required: true).value
        let excellence = reader.bool("excellence").value
        let date = reader.day("date").value
        let duree = reader.integer("dureeAnnees", range: 0...20).value
        let nor = reader.code("nor", parse: NOR.init).value
        let bo = reader.text("bulletinOfficiel", maxLength: 200).value
        let texte = reader.text("texte", maxLength: 20_000).value
        guard let outcome else { return nil }
        return Decision(outcome: outcome, excellence: excellence ?? false, date: date ?? today,
                        durationYears: duree,
                        arrete: nor == nil && bo == nil ? nil : ArreteReference(nor: nor, bulletinOfficiel: bo), texte: texte ?? "")
    }
}
