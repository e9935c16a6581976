import CMQDomain
import Fluent
import Foundation

/// One establishment's file of pathways for one school year, as sent (a new one replaces it).
final class ParcoursEnvoi: Model, @unchecked Sendable {
    static let schema = "parcours_envois"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "uai") var uai: String
    /// The school year's first calendar year (2024 for 2024-2025).
    @Field(key: "annee") var annee: Int
    @Field(key: "etapes") var etapes: Int
    @Field(key: "auteur") var auteur: String

    // relationships
    @Parent(key: "organisation_id") var organisation: Organisation

    init() {}

    init(id: UUID? = nil, organisationID: UUID, uai: String, annee: Int, etapes: Int, auteur: String) {
        self.id = id
        self.$organisation.id = organisationID
        self.uai = uai
        self.annee = annee
        self.etapes = etapes
        self.auteur = auteur
    }

    var schoolYear: SchoolYear { SchoolYear(start: annee) }
}

/// One step of a learner's pathway, the learner known only by its pseudonym (HMAC-SHA256 of the INE).
final class ParcoursEtape: Model, @unchecked Sendable {
    static let schema = "parcours_etapes"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "pseudonyme") var pseudonyme: String
    @Field(key: "annee") var annee: Int
    @Field(key: "uai") var uai: String
    @Field(key: "code_formation") var codeFormation: String
    @Field(key: "statut") var statut: ParcoursStatut
    @OptionalField(key: "issue") var issue: ParcoursIssue?

    // relationships
    @Parent(key: "envoi_id") var envoi: ParcoursEnvoi

    init() {}

    init(id: UUID? = nil, envoiID: UUID, pseudonyme: String, annee: Int, uai: String, codeFormation: String, statut: ParcoursStatut, issue: ParcoursIssue?) {
        self.id = id
        self.$envoi.id = envoiID
        self.pseudonyme = pseudonyme
        self.annee = annee
        self.uai = uai
        self.codeFormation = codeFormation
        self.statut = statut
        self.issue = issue
    }

    var step: ParcoursStep {
        ParcoursStep(learner: pseudonyme, year: SchoolYear(start: annee), uai: uai, formation: codeFormation, statut: statut, issue: issue)
    }
}

extension ParcoursEnvoi: Audited {
    static var auditEntity: String { "parcours" }
    var auditLabel: String { "Parcours \(schoolYear) — \(uai)" }
    var auditSnapshot: [String: String] {
        ["organisation": $organisation.id.uuidString.lowercased(), "uai": uai, "anneeScolaire": schoolYear.description, "etapes": String(etapes)]
    }
}

/// An erasure of pathway steps (one learner's on request, or the old ones by the retention purge), for the audit trail.
struct ParcoursErasure: Audited {
    enum Kind: String { case apprenant = "parcours-apprenant", purge = "parcours-purge" }

    var kind: Kind
    var etapes: Int
    /// For a purge: the first school year kept.
    var keptFrom: SchoolYear?

    static var auditEntity: String { "parcours-effacement" }
    var auditLabel: String {
        switch kind {
        case .apprenant: "Effacement des parcours d'un apprenant (droit d'effacement)"
        case .purge: "Purge des parcours antérieurs à \(keptFrom?.description ?? "")"
        }
    }
    var auditSnapshot: [String: String] {
        var snapshot = ["etapesSupprimees": String(etapes)]
        if let keptFrom { snapshot["conservesDepuis"] = keptFrom.description }
        return snapshot
    }
}
