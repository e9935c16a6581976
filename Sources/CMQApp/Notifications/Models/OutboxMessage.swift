import Fluent
import Foundation

/// An e-mail of the outbox: written with its cause, sent by the `OutboxWorker`.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "messages_sortants"

    enum Status: String, Codable, Sendable {
        /// Waiting for its (next) attempt.
        case pending = "a-envoyer"
        case sent = "envoye"
        /// Given up: the server refused it for good, or every attempt failed.
        case failed = "echec"
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "cree_le") var createdAt: Date

    // data fields
    @OptionalField(key: "utilisateur_id") var userID: UUID?
    @Field(key: "destinataire") var recipient: String
    @Field(key: "genre") var kind: String
    @Field(key: "sujet") var subject: String
    @Field(key: "texte") var text: String
    @Field(key: "html") var html: String
    @OptionalField(key: "lien_desabonnement") var unsubscribeURL: String?
    @Field(key: "statut") var status: Status
    @Field(key: "tentatives") var attempts: Int
    @Field(key: "prochain_essai") var nextAttempt: Date
    @OptionalField(key: "reserve_jusqu_a") var claimedUntil: Date?
    @OptionalField(key: "reserve_par") var claimedBy: String?
    @OptionalField(key: "derniere_erreur") var lastError: String?
    @OptionalField(key: "envoye_le") var sentAt: Date?

    init() {}

    init(id: UUID? = nil, createdAt: Date, userID: UUID?, recipient: String, kind: String, subject: String, text: String, html: String,
         unsubscribeURL: String?) {
        self.id = id
        self.createdAt = createdAt
        self.userID = userID
        self.recipient = recipient
        self.kind = kind
        self.subject = subject
        self.text = text
        self.html = html
        self.unsubscribeURL = unsubscribeURL
        self.status = .pending
        self.attempts = 0
        self.nextAttempt = createdAt
    }

    var mail: MailMessage {
        MailMessage(to: recipient, subject: subject, text: text, html: html, unsubscribeURL: unsubscribeURL,
                    messageID: (id ?? UUID()).uuidString.lowercased())
    }
}
