import Foundation

/// Where a testimony stands in moderation.
public enum TemoignageEtat: String, Sendable, Codable, CaseIterable {
    /// Submitted, waiting for the campus team or the national administrator.
    case enAttente = "en-attente"
    /// Accepted and on the public site (as long as its consents stay complete).
    case publie
    /// Refused, with a reason shown to the submitter.
    case refuse
    /// Taken off the site (by the team, or because a consent was withdrawn or expired): its video is deleted
    /// after the configured delay.
    case retire

    public var label: String {
        switch self {
        case .enAttente: "En attente de modération"
        case .publie: "Publié"
        case .refuse: "Refusé"
        case .retire: "Retiré"
        }
    }

    /// The moves moderation allows: a waiting testimony is published or refused; a refused one, corrected, waits
    /// again; a published one is withdrawn, and so is a waiting or refused one whose consent is withdrawn (its media
    /// are then deleted after the delay). A withdrawn testimony stays withdrawn (a new submission starts over).
    public func mayBecome(_ next: TemoignageEtat) -> Bool {
        switch (self, next) {
        case (.enAttente, .publie), (.enAttente, .refuse), (.refuse, .enAttente), (.publie, .retire), (.enAttente, .retire),
             // a consent withdrawn (or expired) on a refused testimony: its media must be deleted all the same
             (.refuse, .retire): true
        default: false
        }
    }
}

/// What a testimony needs to be published, besides the moderator's decision.
public struct PublicationCheck: Sendable, Equatable {
    public var hasVideo: Bool
    public var hasCaptions: Bool
    public var consent: ConsentStatus

    public init(hasVideo: Bool, hasCaptions: Bool, consent: ConsentStatus) {
        self.hasVideo = hasVideo
        self.hasCaptions = hasCaptions
        self.consent = consent
    }

    /// The French reasons it may not be published; empty when it may.
    public var problems: [String] {
        var problems: [String] = []
        if !hasVideo { problems.append("La vidéo manque.") }
        // RGAA 4.1, criterion 4.3: a pre-recorded video has synchronised captions.
        if !hasCaptions { problems.append("Les sous-titres (WebVTT) sont obligatoires pour publier une vidéo (RGAA, critère 4.3).") }
        if !consent.isComplete { problems.append(consent.message) }
        return problems
    }
}

/// Why a testimony's state change is refused (HTTP 409), or its fields (HTTP 422).
public enum TemoignageError: Error, Equatable, Sendable, CustomStringConvertible {
    case illegalMove(from: TemoignageEtat, to: TemoignageEtat)
    case notPublishable([String])
    case reasonRequired

    public var message: String {
        switch self {
        case .illegalMove(let from, let to):
            from == to ? "Ce témoignage est déjà à l'état « \(to.label.lowercased()) »."
                : "Un témoignage à l'état « \(from.label.lowercased()) » ne peut pas passer à l'état « \(to.label.lowercased()) »."
        case .notPublishable(let problems):
            "Ce témoignage ne peut pas être publié : " + problems.joined(separator: " ")
        case .reasonRequired:
            "Indiquez le motif (il est communiqué à la personne qui a soumis le témoignage)."
        }
    }

    public var description: String { message }
}

/// The deletion of a withdrawn testimony's media: `delayDays` after the withdrawal (30 by default,
/// `CMQ_TEMOIGNAGE_EFFACEMENT_JOURS`).
public enum MediaRetention {
    public static let defaultDelayDays = 30
    public static let delayRange = 0...365

    public static func deletionDue(withdrawnAt: Date, delayDays: Int, now: Date) -> Bool {
        now >= withdrawnAt.addingTimeInterval(TimeInterval(delayDays) * 86_400)
    }
}

/// The public prize: one vote per signed-in account and per category of an edition, while the vote is open, for a
/// testimony published and entered in that category.
public enum PublicVoteRules {
    public struct Ballot: Hashable, Sendable {
        public var accountID: UUID
        public var categoryID: UUID

        public init(accountID: UUID, categoryID: UUID) {
            self.accountID = accountID
            self.categoryID = categoryID
        }
    }

    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case notOpen(opens: Date, closes: Date)
        case alreadyVoted
        case notEntered

        public var message: String {
            switch self {
            case .notOpen: "Le vote du public n'est pas ouvert."
            case .alreadyVoted: "Vous avez déjà voté dans cette catégorie : un vote par compte et par catégorie."
            case .notEntered: "Ce témoignage ne concourt pas dans cette catégorie, ou n'est pas publié."
            }
        }

        public var description: String { message }
    }

    /// Whether `ballot` may be cast now, given the ballots already cast. The database holds the same rule as a
    /// unique index on (account, category), which decides between two votes sent at once.
    public static func check(_ ballot: Ballot, cast: Set<Ballot>, opens: Date, closes: Date, now: Date, entered: Bool) throws(Refusal) {
        guard opens <= now, now < closes else { throw .notOpen(opens: opens, closes: closes) }
        guard entered else { throw .notEntered }
        guard !cast.contains(ballot) else { throw .alreadyVoted }
    }
}
