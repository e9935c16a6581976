import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// "Mot de passe oublié", and the first password of an account created for someone: a single-use token sent by
/// e-mail (only its SHA-256 is stored), valid one hour. The answer to a request is the same whether the address
/// has an account or not; requests are limited per address and per account.
struct PasswordReset {
    let db: any Database
    let clock: AppClock
    /// The site's public address, for the link of the e-mail.
    let siteBase: String

    static let validity: TimeInterval = 3600
    static let window: TimeInterval = 3600
    /// Requests for one e-mail address per hour.
    static let maxPerAccount = 3
    /// Requests from one client address per hour (a school behind one address).
    static let maxPerClientAddress = 20

    enum Outcome: Equatable {
        /// The same for every address: a message was sent if it has an account.
        case accepted
        /// Too many requests: try again in this many seconds.
        case throttled(TimeInterval)
    }

    /// Records the request and, when `email` has an account, writes the e-mail with its link (same transaction).
    func request(email rawEmail: String, clientAddress: String) async throws -> Outcome {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock.now()
        let since = now.addingTimeInterval(-Self.window)
        let siteBase = siteBase
        return try await db.writeTransaction { db in
            let byAccount = try await PasswordResetToken.query(on: db).filter(\.$email == String(email.prefix(254))).filter(\.$createdAt >= since)
                .sort(\.$createdAt).all(\.$createdAt)
            let byAddress = try await PasswordResetToken.query(on: db).filter(\.$address == clientAddress).filter(\.$createdAt >= since)
                .sort(\.$createdAt).all(\.$createdAt)
            var waits: [TimeInterval] = []
            if byAccount.count >= Self.maxPerAccount, let oldest = byAccount.first { waits.append(oldest.addingTimeInterval(Self.window).timeIntervalSince(now)) }
            if byAddress.count >= Self.maxPerClientAddress, let oldest = byAddress.first { waits.append(oldest.addingTimeInterval(Self.window).timeIntervalSince(now)) }
            if let wait = waits.max(), wait > 0 { return .throttled(wait) }
            let user = MailAddress.isValid(email) ? try await User.query(on: db).filter(\.$email == email).first() : nil
            guard let user else {
                try await PasswordResetToken(createdAt: now, email: String(email.prefix(254)), address: clientAddress, userID: nil, hash: nil,
                                             expiresAt: now).create(on: db)
                return .accepted
            }
            try await Self.issue(for: user, purpose: .forgotten, address: clientAddress, now: now, siteBase: siteBase, on: db)
            return .accepted
        }
    }

    enum Purpose {
        case forgotten
        case newAccount
    }

    /// Makes a token for `user` and writes the e-mail with its link to the outbox. Call inside a transaction.
    static func issue(for user: User, purpose: Purpose, address: String, now: Date, siteBase: String, on db: any Database) async throws {
        let token = APITokens.generate()
        try await PasswordResetToken(createdAt: now, email: user.email, address: address, userID: user.requireID(),
                                     hash: APITokens.hash(token), expiresAt: now.addingTimeInterval(validity)).create(on: db)
        let link = siteBase + AccountsURL.resetPassword(token).path
        let (subject, intro) = switch purpose {
        case .forgotten: ("Choisir un nouveau mot de passe",
                          "Vous avez demandé à choisir un nouveau mot de passe pour votre compte sur le site des Campus des métiers et des qualifications.")
        case .newAccount: ("Votre compte sur le site des Campus des métiers et des qualifications",
                           "Un compte vient d'être créé pour vous sur le site des Campus des métiers et des qualifications, avec l'adresse \(user.email). Choisissez votre mot de passe pour l'utiliser.")
        }
        let text = """
        Bonjour \(user.nom),

        \(intro)

        Ce lien est valable une heure et ne sert qu'une fois :
        \(link)

        Si vous n'êtes pas à l'origine de cette demande, ignorez ce courriel : votre mot de passe ne change pas.

        --
        Campus des métiers et des qualifications
        """
        let html = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>\(NotificationMail.escape(subject))</title></head><body>
        <p>Bonjour \(NotificationMail.escape(user.nom)),</p>
        <p>\(NotificationMail.escape(intro))</p>
        <p><a href="\(NotificationMail.escape(link))">Choisir mon mot de passe</a> (lien valable une heure, qui ne sert qu'une fois)</p>
        <p>Si vous n'êtes pas à l'origine de cette demande, ignorez ce courriel : votre mot de passe ne change pas.</p>
        </body></html>
        """
        try await Outbox.enqueue(MailMessage(to: user.email, subject: subject, text: text, html: html), kind: "compte",
                                 userID: user.requireID(), now: now, on: db)
    }

    /// The account of a token still valid (not used, not expired), or nil.
    func account(of token: String) async throws -> User? {
        guard token.count <= 100, let record = try await PasswordResetToken.query(on: db).filter(\.$hash == APITokens.hash(token))
            .filter(\.$usedAt == nil).filter(\.$expiresAt > clock.now()).first(), let userID = record.userID else { return nil }
        return try await User.find(userID, on: db)
    }

    enum SetOutcome: Equatable {
        case done
        /// The token is unknown, used or expired.
        case invalidToken
    }

    /// Sets the password of the token's account, once: the token is spent by a conditional write (of two uses at
    /// once only one wins), the account's other tokens and every session end.
    func setPassword(token: String, newHash: String, author: AuditAuthor) async throws -> SetOutcome {
        guard token.count <= 100 else { return .invalidToken }
        let now = clock.now()
        let hash = APITokens.hash(token)
        return try await db.writeTransaction { db in
            guard let record = try await PasswordResetToken.query(on: db).filter(\.$hash == hash).first(),
                  record.usedAt == nil, record.expiresAt > now, let userID = record.userID,
                  let user = try await User.find(userID, on: db), let sql = db as? any SQLDatabase else { return .invalidToken }
            let spent = try await sql.update(PasswordResetToken.schema).set("utilise_le", to: SQLBind(now))
                .where("id", .equal, SQLBind(try record.requireID())).where("utilise_le", .is, SQLLiteral.null)
                .returning("id").all()
            guard !spent.isEmpty else { return .invalidToken }
            try await PasswordResetToken.query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil).set(\.$usedAt, to: now).update()
            user.passwordHash = newHash
            try await user.save(on: db)
            try await SessionSetup.endSessions(of: userID, except: nil, on: db)
            try await AuditLog(author: author).record(.update, user, id: userID,
                                                      changes: ["motDePasse": FieldChange(avant: "(masqué)", apres: "(réinitialisé par courriel)")], on: db)
            return .done
        }
    }
}
