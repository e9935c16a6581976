import CMQDomain
import Fluent
import Foundation

/// A campus's activity report for a school year.
final class ActivityReportRecord: Model, @unchecked Sendable {
    static let schema = "rapports_activite"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campus_id") var campus: Campus
    @Field(key: "annee") var annee: Int
    @Field(key: "statut") var statut: ReportStatus
    @Field(key: "textes") var textes: String
    @OptionalField(key: "valeurs") var valeurs: String?
    @OptionalField(key: "commentaire") var commentaire: String?
    @Field(key: "modifie_le") var modifieLe: Date

    init() {}

    /// The figures frozen when the report was transmitted (nil for a draft, or a report without figures).
    var frozenFigures: [ActivityReportService.Figure]? {
        guard statut != .brouillon, let valeurs else { return nil }
        return try? JSONDecoder().decode([ActivityReportService.Figure].self, from: Data(valeurs.utf8))
    }

    /// The texts by section.
    var texts: [ReportSection: String] {
        let raw = (try? JSONDecoder().decode([String: String].self, from: Data(textes.utf8))) ?? [:]
        return Dictionary(uniqueKeysWithValues: raw.compactMap { key, value in ReportSection(rawValue: key).map { ($0, value) } })
    }

    static func encode(_ texts: [ReportSection: String]) -> String {
        let raw = Dictionary(uniqueKeysWithValues: texts.map { ($0.key.rawValue, $0.value) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(raw)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// One change of state of a report: who, when, and the région's comment.
final class ActivityReportEventRecord: Model, @unchecked Sendable {
    static let schema = "rapports_activite_historique"

    @ID(key: .id) var id: UUID?
    @Parent(key: "rapport_id") var report: ActivityReportRecord
    @Field(key: "statut") var statut: ReportStatus
    @Field(key: "le") var le: Date
    @Field(key: "auteur") var auteur: String
    @OptionalField(key: "commentaire") var commentaire: String?

    init() {}

    init(reportID: UUID, statut: ReportStatus, le: Date, auteur: String, commentaire: String?) {
        self.$report.id = reportID
        self.statut = statut
        self.le = le
        self.auteur = auteur
        self.commentaire = commentaire
    }
}
