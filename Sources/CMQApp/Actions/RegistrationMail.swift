import CMQDomain
import Fluent
import Foundation

/// The e-mails of a registration in cmq, written to the outbox with the registration itself: the confirmation (on
/// the list or on the waiting list) and the news of a place taken from the waiting list, each with the link that
/// cancels the registration.
enum RegistrationMail {
    enum Occasion {
        /// The registration was just made: on the list or on the waiting list, as its state says.
        case registered
        /// A place was freed: the registration moved from the waiting list onto the list.
        case promoted
    }

    /// The kind of message in the outbox (`cmq mail outbox`).
    static let kind = "inscription-action"

    static func compose(_ occasion: Occasion, registration: InscriptionRecord, action: ActionRecord, token: String, base: String) -> MailMessage? {
        guard let email = registration.courriel, let name = registration.nom else { return nil }
        let cancelLink = base + ActionsURL.registration(token).path
        let actionLink = base + ActionsURL.page(action.id).path
        let people = registration.personnes == 1 ? "1 personne" : "\(registration.personnes) personnes"
        let (subject, news): (String, String) = switch (occasion, registration.etat) {
        case (.promoted, _):
            ("Une place s'est libérée : \(action.titre)",
             "Une place s'est libérée : votre inscription (\(people)) passe de la liste d'attente à la liste des inscrits.")
        case (.registered, .enAttente):
            ("Liste d'attente : \(action.titre)",
             "L'action est complète : votre demande (\(people)) est sur la liste d'attente. Si une place se libère, votre inscription passera sur la liste et vous recevrez un courriel.")
        case (.registered, _):
            ("Inscription confirmée : \(action.titre)", "Votre inscription (\(people)) est enregistrée.")
        }
        let timings = ((try? action.timings) ?? []).map(\.french)
        let replaced = occasion == .promoted ? " Ce lien remplace celui du courriel précédent." : ""
        let text = """
        Bonjour \(name),

        \(news)

        \(action.titre)
        \(timings.map { "- \($0)" }.joined(separator: "\n"))
        \(actionLink)

        Pour annuler votre inscription, ouvrez ce lien :\(replaced)
        \(cancelLink)

        Vos nom et adresse électronique seront effacés quelques mois après l'action.

        --
        Campus des métiers et des qualifications
        """
        let e = NotificationMail.escape
        let html = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>\(e(subject))</title></head><body>
        <p>Bonjour \(e(name)),</p>
        <p>\(e(news))</p>
        <p><a href="\(e(actionLink))">\(e(action.titre))</a></p>
        <ul>\(timings.map { "<li>\(e($0))</li>" }.joined())</ul>
        <p><a href="\(e(cancelLink))">Annuler mon inscription</a>\(e(replaced))</p>
        <p>Vos nom et adresse électronique seront effacés quelques mois après l'action.</p>
        </body></html>
        """
        return MailMessage(to: email, subject: subject, text: text, html: html)
    }

    /// Writes the message to the outbox (in the caller's transaction), unless the caller sends no e-mail (the demo).
    static func queue(_ occasion: Occasion, registration: InscriptionRecord, action: ActionRecord, token: String, caller: Caller, on db: any Database) async throws {
        guard caller.notifies, let message = compose(occasion, registration: registration, action: action, token: token, base: caller.siteBase) else { return }
        try await Outbox.enqueue(message, kind: kind, userID: nil, now: caller.clock.now(), on: db)
    }
}
