@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Mot de passe oublié: a single-use link by e-mail")
struct PasswordResetTests {
    static func link(in text: String) throws -> String {
        let match = try #require(text.firstMatch(of: #/https?://[^\s]+/connexion/nouveau-mot-de-passe/[A-Za-z0-9_]+/#))
        return String(match.0)
    }

    @Test("request → e-mail read from the SMTP server → new password → signed in with it; the link does not work twice", arguments: TestDatabase.all)
    func endToEnd(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .membre, email: "jeanne.martin@cmq.test", organisation: try await Factory.organisation(app.db).id,
                                            password: "l'ancien mot de passe")
            var browser = BrowserSession(app)
            _ = try await browser.get("/connexion")
            #expect(try await browser.get("/connexion").body.string.contains("/connexion/mot-de-passe-oublie"))
            _ = try await browser.get("/connexion/mot-de-passe-oublie")
            let asked = try await browser.post("/connexion/mot-de-passe-oublie", [("email", "Jeanne.Martin@cmq.test")])
            #expect(asked.status == .ok)
            #expect(asked.body.string.contains("Si un compte existe pour cette adresse"))
            // The token is stored hashed: the e-mail's link is nowhere in the database but in the outbox.
            let token = try #require(try await PasswordResetToken.query(on: app.db).filter(\.$hash != nil).first())
            #expect(token.expiresAt.timeIntervalSince(token.createdAt) == 3600)
            try await withSMTPServer { server in
                #expect(try await app.outboxWorker(server.settings()).runOnce() == 1)
                let mail = try #require(try await server.waitFor(1).first)
                #expect(mail.rcptTos == ["jeanne.martin@cmq.test"])
                #expect(mail.subject == "Choisir un nouveau mot de passe")
                #expect(mail.text.contains("Ce lien est valable une heure"))
                let link = try Self.link(in: mail.text)
                let path = String(link[link.range(of: "/connexion/nouveau-mot-de-passe/")!.lowerBound...])
                #expect(token.hash == APITokens.hash(String(path.split(separator: "/").last!)))
                #expect(mail.html.contains(path))
                // when: the person follows the link and chooses a password
                #expect(try await browser.get(path).status == .ok)
                let short = try await browser.post(path, [("nouveauMotDePasse", "court"), ("confirmation", "court")])
                #expect(short.status == .unprocessableEntity)
                #expect(short.body.string.contains("au moins 12 caractères"))
                let done = try await browser.post(path, [("nouveauMotDePasse", "un nouveau mot de passe"), ("confirmation", "un nouveau mot de passe")])
                #expect(done.status == .seeOther)
                #expect(done.headers.first(name: .location) == "/connexion?mot-de-passe=choisi")
                // then: the old password fails, the new one works, the link is spent
                var other = BrowserSession(app)
                #expect(try await other.signIn("jeanne.martin@cmq.test", "l'ancien mot de passe").status == .unauthorized)
                #expect(try await other.signIn("jeanne.martin@cmq.test", "un nouveau mot de passe").status == .seeOther)
                #expect(try await browser.get(path).status == .gone)
                let again = try await browser.post(path, [("nouveauMotDePasse", "encore un autre mot"), ("confirmation", "encore un autre mot")])
                #expect(again.status == .gone)
                #expect(again.body.string.contains("Lien expiré ou déjà utilisé"))
            }
        }
    }

    @Test("the same answer for an unknown address, and no e-mail; the limit per address; an expired link is refused", arguments: TestDatabase.all)
    func noEnumerationAndLimits(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "paul@cmq.test")
            var browser = BrowserSession(app)
            _ = try await browser.get("/connexion/mot-de-passe-oublie")
            let unknown = try await browser.post("/connexion/mot-de-passe-oublie", [("email", "personne@cmq.test")])
            let known = try await browser.post("/connexion/mot-de-passe-oublie", [("email", "paul@cmq.test")])
            #expect(unknown.status == .ok && known.status == .ok)
            func notice(_ html: String) -> String? { html.firstMatch(of: #/<div class="notice success" role="status"><p>([^<]+)</p>/#).map { String($0.1) } }
            #expect(notice(unknown.body.string) != nil && notice(unknown.body.string) == notice(known.body.string))
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)
            // A bad address is refused and writes nothing.
            #expect(try await browser.post("/connexion/mot-de-passe-oublie", [("email", "pas une adresse")]).status == .unprocessableEntity)
            // Three requests per address and hour: the fourth waits (the same for an unknown address).
            _ = try await browser.post("/connexion/mot-de-passe-oublie", [("email", "paul@cmq.test")])
            _ = try await browser.post("/connexion/mot-de-passe-oublie", [("email", "paul@cmq.test")])
            let limited = try await browser.post("/connexion/mot-de-passe-oublie", [("email", "paul@cmq.test")])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers.first(name: .retryAfter) != nil)
            #expect(try await OutboxMessage.query(on: app.db).count() == 3)
            for _ in 0..<2 { _ = try await browser.post("/connexion/mot-de-passe-oublie", [("email", "personne@cmq.test")]) }
            #expect(try await browser.post("/connexion/mot-de-passe-oublie", [("email", "personne@cmq.test")]).status == .tooManyRequests)
            // A link used after its hour is refused.
            let reset = PasswordReset(db: app.db, clock: .fixed(Date().addingTimeInterval(3601)), siteBase: "")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "paul@cmq.test").first())
            let token = "cmq_jeton_de_test_expire"
            try await PasswordResetToken(createdAt: Date(), email: user.email, address: "127.0.0.1", userID: user.id, hash: APITokens.hash(token),
                                         expiresAt: Date().addingTimeInterval(3600)).create(on: app.db)
            #expect(try await reset.account(of: token) == nil)
            #expect(try await reset.setPassword(token: token, newHash: "x", author: AuditAuthor(userID: nil, label: "test")) == .invalidToken)
            #expect(try await PasswordReset(db: app.db, clock: .system, siteBase: "").account(of: token)?.email == "paul@cmq.test")
        }
    }

    @Test("two uses of one link at once: exactly one sets the password", arguments: TestDatabase.all)
    func singleUseUnderRace(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let user = try await TestAccounts.user(app, role: .administrateurNational, email: "course@cmq.test")
            let token = "cmq_jeton_de_test_course"
            try await PasswordResetToken(createdAt: Date(), email: user.email, address: "127.0.0.1", userID: user.id, hash: APITokens.hash(token),
                                         expiresAt: Date().addingTimeInterval(3600)).create(on: app.db)
            let reset = PasswordReset(db: app.db, clock: .system, siteBase: "")
            let outcomes = try await withThrowingTaskGroup(of: PasswordReset.SetOutcome.self) { group in
                for index in 0..<8 {
                    group.addTask { try await reset.setPassword(token: token, newHash: "hash-\(index)", author: AuditAuthor(userID: nil, label: "test")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .done }.count == 1)
        }
    }
}
