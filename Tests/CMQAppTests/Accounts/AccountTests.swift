@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// A browser-like client: keeps the session cookie and reads the CSRF token of the last page.
struct BrowserSession {
    let app: Application
    var cookie: String?
    var csrf: String?

    init(_ app: Application) { self.app = app }

    mutating func get(_ path: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        let response = try await app.testing().sendRequest(.GET, path, headers: headers)
        remember(response)
        return response
    }

    mutating func post(_ path: String, _ fields: [(String, String)], withToken: Bool = true) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        let allowed = CharacterSet.alphanumerics
        let all = (withToken ? [("_csrf", csrf ?? "")] : []) + fields
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    private mutating func remember(_ response: TestingHTTPResponse) {
        if let setCookie = response.headers.first(name: .setCookie), let value = setCookie.split(separator: ";").first {
            cookie = String(value)
        }
        let html = response.body.string
        if let match = html.firstMatch(of: #/name="_csrf" value="([^"]+)"/#) { csrf = String(match.1) }
    }

    mutating func signIn(_ email: String, _ password: String) async throws -> TestingHTTPResponse {
        _ = try await get("/connexion")
        return try await post("/connexion", [("email", email), ("motDePasse", password), ("retour", "")])
    }
}

@Suite("Accounts, sessions, tokens")
struct AccountTests {
    @Test("signing in sets an HttpOnly, SameSite=Lax session cookie stored in the database; signing out ends it", arguments: TestDatabase.all)
    func signInAndOut(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test", password: "un mot de passe solide")
            var browser = BrowserSession(app)
            let login = try await browser.get("/connexion")
            let anonymousCookie = browser.cookie
            let setCookie = try #require(login.headers.first(name: .setCookie))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Secure"))
            // when
            let response = try await browser.post("/connexion", [("email", "Marie.Curie@cmq.test"), ("motDePasse", "un mot de passe solide"), ("retour", "/gestion/journal")])
            // then
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/gestion/journal")
            // the session id changes at sign-in
            #expect(browser.cookie != nil && browser.cookie != anonymousCookie)
            #expect(try await SessionRecord.query(on: app.db).count() >= 1)
            let account = try await browser.get("/compte")
            #expect(account.status == .ok)
            #expect(account.body.string.contains("marie.curie@cmq.test"))
            #expect(try await browser.post("/deconnexion", []).status == .seeOther)
            #expect(try await browser.get("/compte").status == .seeOther)
        }
    }

    @Test("over HTTPS (behind a proxy) the session cookie is Secure")
    func secureCookie() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "/connexion", headers: ["X-Forwarded-Proto": "https"])
            #expect(response.headers.first(name: .setCookie)?.contains("Secure") == true)
        }
    }

    @Test("a form posted without its CSRF token is refused and changes nothing", arguments: TestDatabase.all)
    func csrf(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test", password: "un mot de passe solide")
            var browser = BrowserSession(app)
            #expect(try await browser.signIn("marie.curie@cmq.test", "un mot de passe solide").status == .seeOther)
            _ = try await browser.get("/gestion/organisations/nouvelle")
            let forged = try await browser.post("/gestion/organisations/nouvelle", [("nom", "Forgé"), ("type", "entreprise")], withToken: false)
            #expect(forged.status == .forbidden)
            #expect(forged.body.string.contains("Le formulaire a expiré ou ne vient pas de cmq."))
            #expect(try await Organisation.query(on: app.db).count() == 0)
            let genuine = try await browser.post("/gestion/organisations/nouvelle", [("nom", "Valeo"), ("type", "entreprise")])
            #expect(genuine.status == .seeOther)
            #expect(try await Organisation.query(on: app.db).count() == 1)
        }
    }

    @Test("a wrong password is refused; after 5 failures in 15 minutes the account is locked from that address with a clear message", arguments: TestDatabase.all)
    func rateLimit(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .membre, email: "jean.bertin@cmq.test", organisation: nil, password: "le bon mot de passe")
            var browser = BrowserSession(app)
            for _ in 1...5 {
                let wrong = try await browser.signIn("jean.bertin@cmq.test", "mauvais")
                #expect(wrong.status == .unauthorized)
                #expect(wrong.body.string.contains("Adresse électronique ou mot de passe incorrect."))
            }
            let locked = try await browser.signIn("jean.bertin@cmq.test", "le bon mot de passe")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("Trop de tentatives de connexion ont échoué"))
            #expect(locked.body.string.contains("réessayez dans 15 minutes"))
            // the lock ends when the failures leave the 15-minute window
            let throttle = LoginThrottle(db: app.db)
            #expect(try await throttle.wait(email: "jean.bertin@cmq.test", address: "inconnue", now: Date().addingTimeInterval(16 * 60)) == nil)
            // only this account from this address: another account from the same address signs in (the fair
            // limits in detail: HardeningTests)
            _ = try await TestAccounts.user(app, role: .membre, email: "marie.curie@cmq.test", organisation: nil, password: "un autre mot de passe")
            var colleague = BrowserSession(app)
            #expect(try await colleague.signIn("marie.curie@cmq.test", "un autre mot de passe").status == .seeOther)
        }
    }

    @Test("an API token works once created, is stored hashed, and stops working when revoked", arguments: TestDatabase.all)
    func tokens(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test", password: "un mot de passe solide")
            var browser = BrowserSession(app)
            _ = try await browser.signIn("marie.curie@cmq.test", "un mot de passe solide")
            _ = try await browser.get("/compte")
            let created = try await browser.post("/compte/jetons", [("nom", "import nocturne")])
            #expect(created.status == .created)
            let token = try #require(created.body.string.firstMatch(of: #/<code class="token">(cmq_[a-z2-7]{40})</code>/#).map { String($0.1) })
            let stored = try #require(try await APIToken.query(on: app.db).filter(\.$nom == "import nocturne").first())
            #expect(stored.hash == APITokens.hash(token) && stored.hash != token)
            // the token is never shown again
            #expect(!(try await browser.get("/compte").body.string.contains(token)))
            let write = #"{"nom": "Arkema", "type": "entreprise"}"#
            #expect(try await app.send(.POST, "/api/v1/organisations", json: write, as: .token(token)).status == .created)
            _ = try await browser.get("/compte")
            #expect(try await browser.post("/compte/jetons/\(stored.id!.lower)/revoquer", []).status == .seeOther)
            #expect(try await app.send(.POST, "/api/v1/organisations", json: write, as: .token(token)).status == .unauthorized)
            #expect(try await app.send(.POST, "/api/v1/organisations", json: write, as: .token("cmq_faux")).status == .unauthorized)
        }
    }

    @Test("changing one's password needs the current one and 12 characters", arguments: TestDatabase.all)
    func changePassword(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test", password: "un mot de passe solide")
            var browser = BrowserSession(app)
            _ = try await browser.signIn("marie.curie@cmq.test", "un mot de passe solide")
            _ = try await browser.get("/compte")
            let wrong = try await browser.post("/compte/mot-de-passe", [("motDePasseActuel", "faux"), ("nouveauMotDePasse", "court"), ("confirmation", "court")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("Le mot de passe actuel est incorrect."))
            #expect(wrong.body.string.contains("au moins 12 caractères"))
            let ok = try await browser.post("/compte/mot-de-passe", [("motDePasseActuel", "un mot de passe solide"), ("nouveauMotDePasse", "un nouveau mot de passe"), ("confirmation", "un nouveau mot de passe")])
            #expect(ok.status == .seeOther)
            var other = BrowserSession(app)
            #expect(try await other.signIn("marie.curie@cmq.test", "un nouveau mot de passe").status == .seeOther)
        }
    }

    @Test("cmq users create checks the role's scope and refuses a duplicate", arguments: TestDatabase.all)
    func createUsers(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let service = UserService(db: app.db, passwords: app.password.async, caller: .command("users create"))
            let user = try await service.create(.init(email: "Recteur@AC-Amiens.fr", nom: "", role: .regionAcademique, region: "hauts-de-france",
                                                      password: "un mot de passe solide"))
            #expect(user.email == "recteur@ac-amiens.fr" && user.regionCode == "32")
            #expect(try await app.password.async.verify("un mot de passe solide", created: user.passwordHash))
            await #expect(throws: AppError.self) {
                try await service.create(.init(email: "x@cmq.test", nom: "", role: .equipeCampus, password: "un mot de passe solide"))
            }
            await #expect(throws: AppError.conflict("Un compte existe déjà pour recteur@ac-amiens.fr.")) {
                try await service.create(.init(email: "recteur@ac-amiens.fr", nom: "", role: .administrateurNational, password: "un mot de passe solide"))
            }
            // people in the app may not create accounts
            let regionActor = try #require(user.actor)
            await #expect(throws: AppError.self) {
                try await UserService(db: app.db, passwords: app.password.async, caller: Caller(actor: regionActor, author: .user(user), isOperator: false))
                    .create(.init(email: "y@cmq.test", nom: "", role: .administrateurNational, password: "un mot de passe solide"))
            }
        }
    }
}

@Suite("Audit trail and personal data")
struct AuditTests {
    @Test("every create, update and delete records who, when, what and the changed fields", arguments: TestDatabase.all)
    func trail(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let created = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Valeo", "type": "entreprise"}"#).decoded(OrganisationDTO.self)
            _ = try await app.send(.PATCH, "/api/v1/organisations/\(created.id.lower)", json: #"{"nom": "Valeo Amiens", "commune": "Amiens"}"#)
            _ = try await app.send(.PATCH, "/api/v1/organisations/\(created.id.lower)", json: #"{"nom": "Valeo Amiens"}"#)
            _ = try await app.send(.DELETE, "/api/v1/organisations/\(created.id.lower)")
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entityID == created.id).sort(\.$at).all()
            #expect(entries.map(\.action) == ["creation", "modification", "suppression"])
            #expect(entries.allSatisfy { $0.actorLabel == "admin@cmq.test" && $0.actorID != nil })
            #expect(entries[1].decodedChanges == ["nom": FieldChange(avant: "Valeo", apres: "Valeo Amiens"), "commune": FieldChange(avant: nil, apres: "Amiens")])
            #expect(entries[2].decodedChanges["nom"] == FieldChange(avant: "Valeo Amiens", apres: nil))
        }
    }

    @Test("a campus's history is shown to those who may change it, not to the public", arguments: TestDatabase.all)
    func history(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await app.send(.POST, "/api/v1/campus", json: CampusAPITests.validCampus).decoded(CampusDTO.self)
            let admin = try await app.send(.GET, "/campus/\(campus.id.lower)").body.string
            #expect(admin.contains("Historique des modifications"))
            #expect(admin.contains("admin@cmq.test"))
            let visitor = try await app.send(.GET, "/campus/\(campus.id.lower)", as: .anonymous).body.string
            #expect(!visitor.contains("Historique des modifications"))
        }
    }

    @Test("RGPD: export lists what cmq holds; deletion removes the account and pseudonymises the trail", arguments: TestDatabase.all)
    func personalData(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let user = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test")
            let token = try await TestAccounts.token(for: user, app)
            let campus = try await app.send(.POST, "/api/v1/campus", json: """
                {"nom": "Chimie verte", "filiere": "chimie-biotechnologies", "academie": "20",
                 "equipe": [{"nom": "Marie Curie", "role": "animateur", "email": "marie.curie@cmq.test"}]}
                """, as: .token(token)).decoded(CampusDTO.self)

            let export = try await PersonalData(db: app.db).export(email: "Marie.Curie@cmq.test")
            #expect(export.compte?.role == "administrateur-national")
            #expect(export.jetons.count == 1)
            #expect(export.equipesDeCampus.map(\.campus) == ["Chimie verte"])
            #expect(export.modificationsFaites.count == 2)

            // when
            let summary = try await PersonalData(db: app.db).delete(email: "marie.curie@cmq.test", caller: .command("rgpd delete"))
            // then
            #expect(summary.account && summary.teamMembers == 1)
            #expect(try await User.query(on: app.db).filter(\.$email == "marie.curie@cmq.test").count() == 0)
            #expect(try await APIToken.query(on: app.db).count() == 1) // the test administrator's only
            let entries = try await AuditEntry.query(on: app.db).all()
            #expect(!entries.isEmpty)
            #expect(!entries.contains { $0.actorLabel.contains("marie.curie") || $0.changes.contains("marie.curie") || $0.changes.contains("Marie Curie") })
            #expect(entries.filter { $0.entityID == campus.id }.first?.actorLabel == PersonalData.pseudonym(for: "marie.curie@cmq.test"))
            #expect(try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "X", "type": "entreprise"}"#, as: .token(token)).status == .unauthorized)
        }
    }
}
