import CMQDomain
import Fluent
import Foundation

/// A label dossier of a campus, as stored: its request, its sections and the facts of its procedure. The rules
/// live in `CMQDomain.LabelDossier`, rebuilt from these facts each time (`DossierStore.restore`).
final class DossierRecord: Model, @unchecked Sendable {
    static let schema = "dossiers"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "referentiel") var referentiel: String
    @Field(key: "nature") var nature: String
    @Field(key: "label_demande") var labelDemande: String
    @Field(key: "duree_demandee") var dureeDemandee: Int
    /// The project's sections, as JSON (section slug → text).
    @Field(key: "sections") var sections: String
    @OptionalField(key: "depot") var depot: String?
    /// The decision, as JSON (`CMQDomain.Decision`).
    @OptionalField(key: "decision") var decision: String?
    @OptionalField(key: "abandon_le") var abandonLe: String?
    @OptionalField(key: "abandon_motif") var abandonMotif: String?
    /// Derived, for lists and filters: the status slug and the steps under way.
    @Field(key: "statut") var statut: String
    @Field(key: "etapes_en_cours") var etapesEnCours: String

    // relationships
    @Parent(key: "campus_id") var campus: Campus
    @OptionalParent(key: "label_renouvele_id") var labelRenouvele: LabelRecord?

    init() {}

    init(id: UUID? = nil, campusID: UUID, referentiel: String, nature: DossierKind, label: RequestedLabel, duree: Int) {
        self.id = id
        self.$campus.id = campusID
        self.referentiel = referentiel
        self.nature = nature.rawValue
        self.labelDemande = label.rawValue
        self.dureeDemandee = duree
        self.sections = "{}"
        self.statut = DossierStatus.Kind.brouillon.rawValue
        self.etapesEnCours = ""
    }
}

/// An opinion given on a dossier by one body (one per body; the expert group's collective opinion too).
final class AvisRecord: Model, @unchecked Sendable {
    static let schema = "dossier_avis"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Field(key: "instance") var instance: Instance
    @Field(key: "auteur") var auteur: String
    @OptionalField(key: "auteur_id") var auteurID: UUID?
    @Field(key: "date") var date: String
    @Field(key: "verdict") var verdict: Verdict
    @Field(key: "texte") var texte: String
    /// The expert group's collective opinion, which closes the expertise.
    @Field(key: "collectif") var collectif: Bool
    @Parent(key: "dossier_id") var dossier: DossierRecord

    init() {}
}

/// One expert's score on one criterion.
final class EvaluationRecord: Model, @unchecked Sendable {
    static let schema = "dossier_evaluations"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?
    @Field(key: "expert_id") var expertID: UUID
    @Field(key: "expert") var expert: String
    @Field(key: "critere") var critere: String
    @Field(key: "note") var note: Int
    @Field(key: "commentaire") var commentaire: String
    @Parent(key: "dossier_id") var dossier: DossierRecord

    init() {}
}

/// A file attached to a dossier (PDF, ODT, DOCX), kept in the database so that every instance serves it.
final class PieceRecord: Model, @unchecked Sendable {
    static let schema = "dossier_pieces"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Field(key: "nom") var nom: String
    @Field(key: "taille") var taille: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "format") var format: String
    @Field(key: "contenu") var contenu: Data
    @Parent(key: "dossier_id") var dossier: DossierRecord

    init() {}
}

/// A step of a dossier's history: who, when, from which status to which, with a comment.
final class TransitionRecord: Model, @unchecked Sendable {
    static let schema = "dossier_transitions"

    @ID(key: .id) var id: UUID?
    @Field(key: "le") var at: Date
    @Field(key: "evenement") var evenement: String
    @OptionalField(key: "etape") var etape: String?
    @Field(key: "de") var de: String
    @Field(key: "vers") var vers: String
    @Field(key: "auteur") var auteur: String
    @OptionalField(key: "commentaire") var commentaire: String?
    @Parent(key: "dossier_id") var dossier: DossierRecord

    init() {}
}

/// A label granted to a campus by a decision: from its start for its duration, maybe withdrawn.
final class LabelRecord: Model, @unchecked Sendable {
    static let schema = "labels"

    @ID(key: .id) var id: UUID?
    @Field(key: "debut") var debut: String
    @Field(key: "duree") var duree: Int
    /// The last day of validity (derived from the start and the duration, for queries).
    @Field(key: "fin") var fin: String
    @Field(key: "excellence") var excellence: Bool
    @Field(key: "referentiel") var referentiel: String
    @OptionalField(key: "nor") var nor: String?
    @OptionalField(key: "bo") var bo: String?
    @OptionalField(key: "retrait_le") var retraitLe: String?
    @OptionalField(key: "retrait_motif") var retraitMotif: String?
    @Parent(key: "campus_id") var campus: Campus
    @Parent(key: "dossier_id") var dossier: DossierRecord

    init() {}

    var period: LabelPeriod? {
        guard let start = CalendarDay(iso: debut) else { return nil }
        let withdrawal = retraitLe.flatMap(CalendarDay.init(iso:)).map { Withdrawal(date: $0, motif: retraitMotif ?? "") }
        return LabelPeriod(start: start, durationYears: duree, excellence: excellence, withdrawal: withdrawal)
    }
}
