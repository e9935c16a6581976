import Foundation

/// The labelling's addresses: the dossier pages of the back-office and the API. `nil`: the route's keys.
enum LabellingURL: RouteURL, Equatable {
    /// A step's form on a dossier page, and the matching API action (the same word in both).
    enum Step: String, Sendable {
        case sections, depot, avis, notes, decision, abandon
    }

    // Back-office pages
    case dossiers
    case dossiersCSV
    case dossier(UUID?)
    case dossierStep(UUID?, Step)
    case pieces(UUID?)
    case pieceRemoval(dossier: UUID?, piece: UUID?)
    case labelWithdrawal(UUID?)
    // API
    case apiReferentiels
    case apiDossiers
    case apiDossier(UUID?)
    case apiDeposit(UUID?)
    case apiOpinions(UUID?)
    case apiEvaluations(UUID?)
    case apiDecision(UUID?)
    case apiAbandon(UUID?)
    case apiHistory(UUID?)
    case apiPieces(UUID?)
    case apiPiece(dossier: UUID?, piece: UUID?)
    case apiLabels
    case apiLabelsCSV
    case apiLabelsJSON
    case apiLabelWithdrawal(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .dossiers: ["gestion", "dossiers"]
        case .dossiersCSV: ["gestion", .constant("dossiers.csv")]
        case .dossier(let id): ["gestion", "dossiers", .id("dossierID", id)]
        case .dossierStep(let id, let step): ["gestion", "dossiers", .id("dossierID", id), .constant(step.rawValue)]
        case .pieces(let id): ["gestion", "dossiers", .id("dossierID", id), "pieces"]
        case .pieceRemoval(let dossier, let piece): ["gestion", "dossiers", .id("dossierID", dossier), "pieces", .id("pieceID", piece), "retirer"]
        case .labelWithdrawal(let id): ["gestion", "labels", .id("labelID", id), "retrait"]
        case .apiReferentiels: ["api", "v1", "referentiels", "labellisation"]
        case .apiDossiers: ["api", "v1", "dossiers"]
        case .apiDossier(let id): ["api", "v1", "dossiers", .id("dossierID", id)]
        case .apiDeposit(let id): ["api", "v1", "dossiers", .id("dossierID", id), "depot"]
        case .apiOpinions(let id): ["api", "v1", "dossiers", .id("dossierID", id), "avis"]
        case .apiEvaluations(let id): ["api", "v1", "dossiers", .id("dossierID", id), "evaluations"]
        case .apiDecision(let id): ["api", "v1", "dossiers", .id("dossierID", id), "decision"]
        case .apiAbandon(let id): ["api", "v1", "dossiers", .id("dossierID", id), "abandon"]
        case .apiHistory(let id): ["api", "v1", "dossiers", .id("dossierID", id), "historique"]
        case .apiPieces(let id): ["api", "v1", "dossiers", .id("dossierID", id), "pieces"]
        case .apiPiece(let dossier, let piece): ["api", "v1", "dossiers", .id("dossierID", dossier), "pieces", .id("pieceID", piece)]
        case .apiLabels: ["api", "v1", "labels"]
        case .apiLabelsCSV: ["api", "v1", "labels.csv"]
        case .apiLabelsJSON: ["api", "v1", "labels.json"]
        case .apiLabelWithdrawal(let id): ["api", "v1", "labels", .id("labelID", id), "retrait"]
        }
    }
}
