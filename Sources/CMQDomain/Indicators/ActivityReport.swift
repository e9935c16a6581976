import Foundation

/// A campus's annual activity report (rapport d'activité): one per school year, written by the campus team section
/// by section beside the figures cmq computes, transmitted to the région, then acknowledged by it. Once transmitted,
/// its figures are frozen: a later change of the data does not alter a transmitted report.
public enum ReportStatus: String, Codable, Sendable, CaseIterable {
    case brouillon
    case transmis
    case prisEnCompte = "pris-en-compte"

    public var label: String {
        switch self {
        case .brouillon: "Brouillon"
        case .transmis: "Transmis à la région"
        case .prisEnCompte: "Pris en compte par la région"
        }
    }
}

/// The sections of the report, in their order, each with the indicator families whose figures it shows.
public enum ReportSection: String, Codable, Sendable, CaseIterable {
    case reseau, offre, apprenants, insertion, actions, plateaux, international, gouvernance, perspectives

    public var title: String {
        switch self {
        case .reseau: "Réseau"
        case .offre: "Offre de formation"
        case .apprenants: "Apprenants et parcours"
        case .insertion: "Insertion"
        case .actions: "Actions"
        case .plateaux: "Plateaux techniques et mutualisation"
        case .international: "Ouverture internationale"
        case .gouvernance: "Gouvernance"
        case .perspectives: "Perspectives"
        }
    }

    public var families: [IndicatorFamily] {
        switch self {
        case .reseau: [.reseau]
        case .offre: [.offre]
        case .apprenants: [.apprenants]
        case .insertion: [.insertion]
        case .actions: [.actions, .attractivite]
        case .plateaux: [.plateaux]
        case .international: [.international]
        case .gouvernance: [.gouvernance]
        case .perspectives: []
        }
    }
}

public enum ReportRules {
    /// The longest text of a section.
    public static let maximumSectionLength = 10_000
    /// The longest comment of the région.
    public static let maximumCommentLength = 2_000

    public enum Refusal: Error, Equatable, Sendable {
        case notDraft(ReportStatus)
        case notTransmitted(ReportStatus)
        case yearNotStarted
        case emptyReport

        public var message: String {
            switch self {
            case .notDraft(let status): "Le rapport est « \(status.label.lowercased()) » : seul un brouillon se modifie ou se transmet."
            case .notTransmitted(let status): "Le rapport est « \(status.label.lowercased()) » : seul un rapport transmis se prend en compte."
            case .yearNotStarted: "L'année scolaire n'a pas commencé : son rapport ne peut pas encore être écrit."
            case .emptyReport: "Le rapport ne contient aucun texte : écrivez au moins une section avant de le transmettre."
            }
        }
    }

    /// Texts are written only while the report is a draft, for a school year that has begun.
    public static func checkWriting(_ status: ReportStatus?, year: SchoolYear, today: CalendarDay) throws(Refusal) {
        guard year.firstDay <= today else { throw .yearNotStarted }
        if let status, status != .brouillon { throw .notDraft(status) }
    }

    /// A draft with at least one section written is transmitted.
    public static func checkTransmission(_ status: ReportStatus?, texts: [ReportSection: String]) throws(Refusal) {
        guard let status else { throw .emptyReport }
        guard status == .brouillon else { throw .notDraft(status) }
        guard texts.values.contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else { throw .emptyReport }
    }

    /// A transmitted report is acknowledged.
    public static func checkAcknowledgment(_ status: ReportStatus?) throws(Refusal) {
        guard status == .transmis else { throw .notTransmitted(status ?? .brouillon) }
    }
}
