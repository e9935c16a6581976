import Fluent
import Foundation

/// The e-mail to the submitter of a testimony refused in moderation: the reason (never the internal note) and the
/// link to the testimony in the back-office, written to the outbox in the moderation's transaction.
enum RefusalMail {
    /// The kind of message in the outbox (`cmq mail outbox`).
    static let kind = "temoignage-refus"

    static func compose(to email: String, titre: String, motif: String, link: String) -> MailMessage {
        let subject = "Témoignage à reprendre : \(titre)"
        let text = """
        Bonjour,

        Le témoignage « \(titre) » que vous avez soumis n'a pas été publié.

        Motif : \(motif)

        Corrigez-le puis renvoyez-le à la modération depuis sa page :
        \(link)

        --
        Campus des métiers et des qualifications
        """
        let e = NotificationMail.escape
        let html = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>\(e(subject))</title></head><body>
        <p>Bonjour,</p>
        <p>Le témoignage « \(e(titre)) » que vous avez soumis n'a pas été publié.</p>
        <p><strong>Motif :</strong> \(e(motif))</p>
        <p><a href="\(e(link))">Corriger le témoignage et le renvoyer à la modération</a></p>
        </body></html>
        """
        return MailMessage(to: email, subject: subject, text: text, html: html)
    }

    /// Writes the message to the outbox (in the caller's transaction), when the submitter has an account and the
    /// caller sends e-mails (not the demo).
    static func queue(_ record: TemoignageRecord, motif: String, caller: Caller, on db: any Database) async throws {
        guard caller.notifies, let userID = record.$soumisPar.id, let user = try await User.find(userID, on: db), let id = record.id else { return }
        let message = compose(to: user.email, titre: record.titre, motif: motif, link: caller.siteBase + TemoignagesURL.manage(id).path)
        try await Outbox.enqueue(message, kind: kind, userID: userID, now: caller.clock.now(), on: db)
    }
}
