import Fluent
import Foundation

/// A notification shown to one person in the application (`/compte/notifications`).
final class AppNotification: Model, @unchecked Sendable {
    static let schema = "notifications"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "cree_le") var createdAt: Date

    // data fields
    @Field(key: "genre") var kind: NotificationKind
    @Field(key: "titre") var title: String
    @Field(key: "texte") var text: String
    /// The path of the item on this site (`/gestion/reservations`).
    @Field(key: "lien") var link: String
    @OptionalField(key: "lue_le") var readAt: Date?
    /// Makes a notification happen once: one per label and threshold (`label-<id>-6`); nil for the others.
    @OptionalField(key: "cle") var key: String?
    /// For the daily digest: `a-envoyer` until it goes into one, then `envoye`; nil when it is not for a digest.
    @OptionalField(key: "resume") var digest: String?

    // relationships
    @Parent(key: "utilisateur_id") var user: User

    init() {}

    init(id: UUID? = nil, createdAt: Date, userID: UUID, kind: NotificationKind, title: String, text: String, link: String, key: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.$user.id = userID
        self.kind = kind
        self.title = title
        self.text = text
        self.link = link
        self.key = key
    }
}

/// How one person receives one kind of notification.
final class NotificationPreference: Model, @unchecked Sendable {
    static let schema = "preferences_notification"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "genre") var kind: NotificationKind
    @Field(key: "mode") var mode: DeliveryMode

    // relationships
    @Parent(key: "utilisateur_id") var user: User

    init() {}

    init(id: UUID? = nil, userID: UUID, kind: NotificationKind, mode: DeliveryMode) {
        self.id = id
        self.$user.id = userID
        self.kind = kind
        self.mode = mode
    }
}

/// A secret shared by the instances (`cles_application`).
final class ApplicationKey: Model, @unchecked Sendable {
    static let schema = "cles_application"

    @ID(custom: "nom", generatedBy: .user) var id: String?
    @Field(key: "valeur") var valeur: String

    init() {}

    init(nom: String, valeur: String) {
        self.id = nom
        self.valeur = valeur
    }
}

/// The kinds of notification; each person chooses how each arrives.
enum NotificationKind: String, Codable, Sendable, CaseIterable {
    case bookingRequested = "reservation-demandee"
    case bookingAccepted = "reservation-acceptee"
    case bookingRefused = "reservation-refusee"
    case bookingCancelled = "reservation-annulee"
    case dossierStep = "dossier-etape"
    case decision = "decision"
    case labelExpiring = "label-echeance"

    var label: String {
        switch self {
        case .bookingRequested: "Demande de réservation sur un de mes plateaux"
        case .bookingAccepted: "Réservation acceptée"
        case .bookingRefused: "Réservation refusée"
        case .bookingCancelled: "Réservation annulée"
        case .dossierStep: "Dossier arrivé à mon étape"
        case .decision: "Décision de labellisation"
        case .labelExpiring: "Label qui arrive à échéance"
        }
    }
}

/// In the application only, by e-mail at once, or in one e-mail a day.
enum DeliveryMode: String, Codable, Sendable, CaseIterable {
    case inApp = "application"
    case email = "courriel"
    case digest = "resume"

    var label: String {
        switch self {
        case .inApp: "Dans l'application seulement"
        case .email: "Par courriel"
        case .digest: "Dans un résumé quotidien"
        }
    }
}
