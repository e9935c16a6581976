import CMQDomain
import Crypto
import Fluent
import Foundation
import Vapor

/// Something that happened, told to some people: a row in their notifications, and by e-mail (at once or in the
/// daily digest) as each has chosen. Written with the transaction of the change (`db`), so that a change that
/// fails tells nobody.
struct Notifier {
    let db: any Database
    let caller: Caller

    struct Event: Sendable {
        var kind: NotificationKind
        /// The notification's title and the e-mail's subject.
        var title: String
        /// One or two sentences, in French.
        var text: String
        /// The path of the item on this site.
        var path: String
        /// Makes the notification happen once per person (one per label and threshold).
        var key: String? = nil
    }

    /// Tells `event` to the accounts `userIDs` (the caller itself excepted: nobody is told what they just did).
    /// Returns how many were told.
    @discardableResult
    func notify(_ userIDs: [UUID], _ event: Event) async throws -> Int {
        guard caller.notifies else { return 0 }
        let recipients = Set(userIDs).subtracting([caller.actor?.userID].compactMap { $0 })
        guard !recipients.isEmpty else { return 0 }
        let users = try await User.query(on: db).filter(\.$id ~~ recipients).sort(\.$email).all()
        let preferences = try await NotificationPreference.query(on: db).filter(\.$user.$id ~~ recipients).filter(\.$kind == event.kind).all()
        let now = caller.clock.now()
        var told = 0
        for user in users {
            let userID = try user.requireID()
            if let key = event.key,
               try await AppNotification.query(on: db).filter(\.$user.$id == userID).filter(\.$key == key).first() != nil { continue }
            let mode = preferences.first(where: { $0.$user.id == userID })?.mode ?? .email
            let notification = AppNotification(createdAt: now, userID: userID, kind: event.kind, title: event.title, text: event.text,
                                               link: event.path, key: event.key)
            if mode == .digest { notification.digest = DailyDigest.pending }
            try await notification.create(on: db)
            told += 1
            guard mode == .email else { continue }
            let mail = try await NotificationMail.compose(to: user, event: event, base: caller.siteBase, on: db)
            try await Outbox.enqueue(mail, kind: event.kind.rawValue, userID: userID, now: now, on: db)
        }
        return told
    }

    /// The accounts of an organisation (the owners of its platforms, the requesters of its bookings).
    static func accounts(ofOrganisation id: UUID, on db: any Database) async throws -> [UUID] {
        try await User.query(on: db).filter(\.$organisationID == id).all(\.$id).compactMap { $0 }
    }

    /// The campus team of a campus.
    static func team(ofCampus id: UUID, on db: any Database) async throws -> [UUID] {
        try await User.query(on: db).filter(\.$campusID == id).filter(\.$role == .equipeCampus).all(\.$id).compactMap { $0 }
    }
}

/// The e-mails cmq writes: French, plain text and HTML, with the link to the item and the way to stop them.
enum NotificationMail {
    static func compose(to user: User, event: Notifier.Event, base: String, on db: any Database) async throws -> MailMessage {
        let link = base + event.path
        let unsubscribe = base + NotificationsURL.unsubscribe(try await UnsubscribeToken.make(userID: user.requireID(), kind: event.kind, on: db)).path
        let text = """
        Bonjour \(user.nom),

        \(event.text)

        Voir : \(link)

        --
        Campus des métiers et des qualifications
        Vous recevez ce courriel parce que vous êtes abonné(e) aux notifications « \(event.kind.label) ».
        Pour ne plus les recevoir par courriel : \(unsubscribe)
        Pour choisir comment vous les recevez : \(base + AccountsURL.account.path)
        """
        let html = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>\(escape(event.title))</title></head><body>
        <p>Bonjour \(escape(user.nom)),</p>
        <p>\(escape(event.text))</p>
        <p><a href="\(escape(link))">Voir sur le site des Campus des métiers et des qualifications</a></p>
        <hr>
        <p style="font-size:small">Vous recevez ce courriel parce que vous êtes abonné(e) aux notifications « \(escape(event.kind.label)) ».
        <a href="\(escape(unsubscribe))">Ne plus les recevoir par courriel</a> ·
        <a href="\(escape(base + AccountsURL.account.path))">Choisir comment je les reçois</a></p>
        </body></html>
        """
        return MailMessage(to: user.email, subject: event.title, text: text, html: html, unsubscribeURL: unsubscribe)
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

/// The signed token of an unsubscription link: the account, the kind, and an HMAC-SHA256 of both under the key
/// the instances share (`cles_application`). It works without signing in and cannot be forged for another account.
enum UnsubscribeToken {
    static func make(userID: UUID, kind: NotificationKind, on db: any Database) async throws -> String {
        let payload = "\(userID.uuidString.lowercased()).\(kind.rawValue)"
        return payload + "." + (try await signature(payload, on: db))
    }

    /// The account and kind of a valid token, nil otherwise.
    static func read(_ token: String, on db: any Database) async throws -> (userID: UUID, kind: NotificationKind)? {
        guard token.count <= 200 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let userID = UUID(uuidString: parts[0]), let kind = NotificationKind(rawValue: parts[1]) else { return nil }
        let expected = try await signature(parts[0] + "." + parts[1], on: db)
        // Compared in constant time.
        guard expected.utf8.count == parts[2].utf8.count,
              zip(expected.utf8, parts[2].utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return (userID, kind)
    }

    private static func signature(_ payload: String, on db: any Database) async throws -> String {
        guard let key = try await ApplicationKey.find("desabonnement", on: db), let secret = Data(base64Encoded: key.valeur) else {
            throw Abort(.internalServerError, reason: "La clé des liens de désabonnement manque (migration 019).")
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: secret))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
