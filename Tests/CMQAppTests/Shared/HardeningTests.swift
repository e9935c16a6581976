@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import VaporTesting

/// What a hostile or careless client sends: nothing may crash the server, lie about a race, or slip through.
@Suite("Hardening")
struct HardeningTests {
    // MARK: - Numbers from the client

    @Test("a huge page number is a 422 in French, not a crash; a page beyond the last is empty", arguments: TestDatabase.all)
    func hugePages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/api/v1/campus?page=9223372036854775807&per=2", "/api/v1/referentiels/formations-onisep?page=2432902008176640000",
                         "/api/v1/organisations?page=99999999999999999999", "/api/v1/formations?page=1000001", "/api/v1/campus?per=9223372036854775807"] {
                let response = try await app.send(.GET, path, as: .anonymous)
                #expect(response.status == .unprocessableEntity, "\(path): \(response.body.string)")
                #expect(response.isProblemJSON)
            }
            let page = try await app.send(.GET, "/api/v1/campus?page=9223372036854775807", as: .anonymous)
            #expect(page.problem?.errors?.first?.detail.contains("entre 1 et 1 000 000") == true)
            let html = try await app.send(.GET, "/campus?page=9223372036854775807", as: .anonymous)
            #expect(html.status == .unprocessableEntity)
            let last = try await app.send(.GET, "/api/v1/referentiels/formations-onisep?page=1000000&per=100", as: .anonymous)
            #expect(last.status == .ok)
            #expect(last.body.string.contains(#""items":[]"#))
            // the server still answers
            #expect(try await app.send(.GET, "/api/v1/campus", as: .anonymous).status == .ok)
        }
    }

    @Test("a text is as long as the OpenAPI document counts it: an API value's code points as sent; a form's characters as seen")
    func lengthInCodePoints() {
        // 100 letters each carrying two combining accents: 100 characters to the eye, 300 code points
        let combined = String(repeating: "e\u{0301}\u{0316}", count: 100)
        #expect(combined.count == 100 && combined.codePointCount == 300)
        var api = InputReader(object: ["nom": .string(combined), "titre": .string(String(repeating: "a", count: 200) + "  ")], mode: .create)
        #expect(api.text("nom", maxLength: 200).value == nil)
        #expect(api.text("titre", maxLength: 200).value == nil)
        #expect(api.hasErrors)
        var form = InputReader(form: ["nom": combined, "titre": String(repeating: "a", count: 200) + "  "], mode: .create)
        #expect(form.text("nom", maxLength: 200).value == combined)
        #expect(form.text("titre", maxLength: 200).value == String(repeating: "a", count: 200))
        #expect(!form.hasErrors)
    }

    @Test("a search whose combining accents carry it past the documented length is a 422 (found by the fuzzer on /api/v1/dossiers)",
          arguments: TestDatabase.all)
    func combiningAccentsInQueries(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            func query(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let dossiers = try await app.send(.GET, "/api/v1/dossiers?q=\(query(String(repeating: "o\u{0336}\u{0319}", count: 70)))")
            #expect(dossiers.status == .unprocessableEntity && dossiers.faultyFields == ["q"])
            #expect(try await app.send(.GET, "/api/v1/dossiers?q=\(query(String(repeating: "o\u{0336}", count: 100)))").status == .ok)
            let formations = try await app.send(.GET, "/api/v1/formations?q=\(query(String(repeating: "e\u{0301}", count: 251)))", as: .anonymous)
            #expect(formations.status == .unprocessableEntity && formations.faultyFields == ["q"])
            let place = try await app.send(.GET, "/api/v1/formations?pres=\(query("Saint-Quentin" + String(repeating: " ", count: 110)))", as: .anonymous)
            #expect(place.status == .unprocessableEntity && place.faultyFields == ["pres"])
            #expect(place.body.string.contains("Le lieu tient en 120 caractères au plus"))
            #expect(try await app.send(.GET, "/api/v1/formations?pres=Saint-Quentin", as: .anonymous).status == .ok)
        }
    }

    @Test("a page request built in code is bounded whatever it is given")
    func pageRequestBounds() {
        let request = CMQApp.PageRequest(page: Int.max, per: Int.max)
        #expect(request.page == CMQApp.PageRequest.maxPage)
        #expect(request.per == CMQApp.PageRequest.maxPer)
        #expect(request.offset == (CMQApp.PageRequest.maxPage - 1) * CMQApp.PageRequest.maxPer)
        #expect(CMQApp.PageRequest(page: Int.min, per: Int.min) == CMQApp.PageRequest(page: 1, per: 1))
    }

    // MARK: - Control characters, duplicate keys, long addresses, methods

    @Test("a NUL or another control character in any text is a 422 naming the field, and nothing is written", arguments: TestDatabase.all)
    func controlCharacters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let api = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Lycée\u0000 Condorcet", "type": "lycee-professionnel"}"#)
            #expect(api.status == .unprocessableEntity, "\(api.body.string)")
            #expect(api.faultyFields == ["nom"])
            let nested = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Lycée", "type": "lycee-professionnel", "adresse": {"ligne": "a\u001bb"}}"#)
            #expect(nested.faultyFields == ["adresse.ligne"])
            #expect(try await Organisation.query(on: app.db).count() == 0)
            // tabs and line breaks are text
            let fine = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Lycée\tCondorcet", "type": "lycee-professionnel", "description": "ligne 1\r\nligne 2"}"#)
            #expect(fine.status != .unprocessableEntity || !fine.faultyFields.contains("nom"))
            // query parameters, anonymous pages and forms
            let query = try await app.send(.GET, "/api/v1/organisations?q=%00", as: .anonymous)
            #expect(query.status == .unprocessableEntity)
            #expect(query.faultyFields == ["q"])
            let journal = try await app.send(.GET, "/gestion/journal?q=a%00b")
            #expect(journal.status == .unprocessableEntity)
            var browser = BrowserSession(app)
            _ = try await browser.get("/connexion")
            let signIn = try await browser.post("/connexion", [("email", "a\u{0}@cmq.test"), ("motDePasse", "x"), ("retour", "")])
            #expect(signIn.status == .unprocessableEntity)
            #expect(signIn.body.string.contains("caractère de contrôle"))
            #expect(try await LoginAttempt.query(on: app.db).count() == 0)
            // a path with a control character names nothing
            #expect(try await app.send(.GET, "/api/v1/referentiels/diplomes/%00", as: .anonymous).status == .notFound)
        }
    }

    @Test("a JSON object that repeats a key is a 400; nesting is bounded", arguments: TestDatabase.all)
    func duplicateKeys(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let duplicate = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "A", "type": "entreprise", "nom": "B"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.problem?.detail.contains("« nom »") == true)
            let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
            let tooDeep = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": \#(deep)}"#)
            #expect(tooDeep.status == .badRequest)
            #expect(try await Organisation.query(on: app.db).count() == 0)
        }
    }

    @Test("the JSON inspector finds repeated keys and escaped control characters, and leaves other texts alone")
    func jsonInspector() {
        func inspect(_ text: String) -> JSONInspector.Outcome {
            var inspector = JSONInspector(bytes: Array(text.utf8))
            return inspector.inspect()
        }
        #expect(inspect(#"{"a": 1, "b": {"a": 2}}"#) == .checked([]))
        #expect(inspect(#"{"a": 1, "b": {"c": 2, "c": 3}}"#) == .duplicateKey("b.c"))
        #expect(inspect(#"{"a": ["x", "y\u0000"]}"#) == .checked(["a[1]"]))
        #expect(inspect(#"{"a": "\t\n\r é \u00e9 \"q\""}"#) == .checked([]))
        #expect(inspect(#"{"a": "\b"}"#) == .checked(["a"]))
        #expect(inspect(#"{"a\u0001": 1}"#) == .checked(["a\u{1}"]))
        #expect(inspect("not json") == .checked([]))
        #expect(inspect(String(repeating: "[", count: 100)) == .tooDeep)
    }

    @Test("an over-long address is a 414; TRACE is a 405", arguments: TestDatabase.all)
    func addressesAndMethods(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let long = try await app.send(.GET, "/api/v1/formations?q=" + String(repeating: "a", count: 10_000), as: .anonymous)
            #expect(long.status == .uriTooLong)
            #expect(long.isProblemJSON)
            let longPath = try await app.send(.GET, "/formations/" + String(repeating: "a", count: 9_000), as: .anonymous)
            #expect(longPath.status == .uriTooLong)
            let justShort = try await app.send(.GET, "/api/v1/formations?q=" + String(repeating: "a", count: InputSafetyMiddleware.maxTargetLength - 21), as: .anonymous)
            #expect(justShort.status != .uriTooLong)
            let trace = try await app.send(.TRACE, "/", as: .anonymous)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers.first(name: .allow) == "GET, HEAD")
            let put = try await app.send(.PUT, "/api/v1/campus", json: "{}")
            #expect(put.status == .methodNotAllowed)
            #expect(put.isProblemJSON)
            #expect(put.headers.first(name: .allow) == "GET, HEAD, POST")
            let series = try await app.send(.OPTIONS, "/api/v1/reservations/serie", as: .anonymous)
            #expect(series.headers.first(name: .allow) == "POST")
            let getSeries = try await app.send(.GET, "/api/v1/reservations/serie")
            #expect(getSeries.status == .methodNotAllowed)
            #expect(try await app.send(.GET, "/api/v1/reservations/\(UUID().lower)").status == .notFound)
            let unknown = try await app.send(.PUT, "/api/v1/nulle-part", json: "{}")
            #expect(unknown.status == .notFound)
        }
    }

    @Test("platform statistics at the edge of the calendar, a label filter that is not a boolean, an equipment id already taken", arguments: TestDatabase.all)
    func edgeInputs(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            for path in ["/api/v1/plateaux/\(f.plateauID.lower)/statistiques?du=2200-08", "/api/v1/plateaux/\(f.plateauID.lower)/statistiques?du=2200-12",
                         "/api/v1/campus/\(f.campus.id!.lower)/plateaux/statistiques?du=2200-12", "/api/v1/plateaux/\(f.plateauID.lower)/statistiques?au=1900-01"] {
                let response = try await app.send(.GET, path, as: .anonymous)
                #expect(response.status == .ok || response.status == .unprocessableEntity, "\(path): \(response.status)")
            }
            #expect(try await app.send(.GET, "/api/v1/labels.csv?valides=a", as: .anonymous).status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/api/v1/labels?valides=false", as: .anonymous).status == .ok)
            let reused = try await app.send(.POST, "/api/v1/plateaux", json: """
                {"campusId": "\(f.campus.id!.lower)", "organisationId": "\(f.lycee.id!.lower)", "nom": "Autre atelier", "horaires": \(PlateauFixture.hours),
                 "equipements": [{"id": "\(f.presseID.lower)", "nom": "Presse", "categorie": "Plasturgie", "quantite": 1}]}
                """, as: f.owner)
            #expect(reused.status == .unprocessableEntity, "\(reused.body.string)")
            #expect(reused.faultyFields == ["equipements"])
            let unknownRule = try await app.send(.POST, "/api/v1/plateaux", json: """
                {"campusId": "\(f.campus.id!.lower)", "organisationId": "\(f.lycee.id!.lower)", "nom": "Autre atelier", "horaires": \(PlateauFixture.hours),
                 "regles": {"validation": true, "inconnu": 42}}
                """, as: f.owner)
            #expect(unknownRule.status == .unprocessableEntity)
            #expect(unknownRule.faultyFields == ["regles.inconnu"])
        }
    }

    // MARK: - Security headers

    @Test("every response carries the security headers: pages, API, errors, files; HSTS over HTTPS only", arguments: TestDatabase.all)
    func securityHeaders(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/", "/api/v1/campus", "/nulle-part", "/api/v1/nulle-part", "/css/cmq.css", "/connexion"] {
                let response = try await app.send(.GET, path, as: .anonymous)
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("default-src 'self'"), "\(path)")
                #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe-inline'"), "\(path)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(response.headers.first(name: "Referrer-Policy") != nil, "\(path)")
                #expect(response.headers.first(name: "Permissions-Policy") != nil, "\(path)")
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "\(path)")
            }
            let https = try await app.testing().sendRequest(.GET, "/", headers: ["X-Forwarded-Proto": "https"])
            #expect(https.headers.first(name: "Strict-Transport-Security")?.contains("max-age=") == true)
        }
    }

    // MARK: - Sign-in

    @Test("a return address after sign-in is this site's path, never another site's")
    func safeReturn() {
        #expect(AccountController.safeReturn("/gestion/dossiers?statut=depose") == "/gestion/dossiers?statut=depose")
        for hostile in ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/\n/evil.example",
                        "evil.example", "/ /evil.example", "/\u{7f}/x", "\\\\evil.example"] {
            #expect(AccountController.safeReturn(hostile) == "", "\(hostile.debugDescription)")
        }
    }

    @Test("/connexion?retour=/%09/evil.example signs in to /gestion, not elsewhere", arguments: TestDatabase.all)
    func openRedirect(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test", password: "un mot de passe solide")
            var browser = BrowserSession(app)
            let form = try await browser.get("/connexion?retour=/%09/evil.example")
            #expect(!form.body.string.contains("evil.example"))
            let signedIn = try await browser.post("/connexion", [("email", "marie.curie@cmq.test"), ("motDePasse", "un mot de passe solide"),
                                                                 ("retour", "/\t/evil.example")])
            #expect(signedIn.headers.first(name: .location) == "/gestion")
        }
    }

    @Test("the client address comes from X-Forwarded-For only behind a trusted proxy")
    func clientAddress() {
        #expect(Request.clientAddress(connected: "203.0.113.9", forwardedFor: ["198.51.100.1"], trusted: []) == "203.0.113.9")
        #expect(Request.clientAddress(connected: "10.0.0.2", forwardedFor: ["198.51.100.1, 10.0.0.3"], trusted: ["10.0.0.2", "10.0.0.3"]) == "198.51.100.1")
        #expect(Request.clientAddress(connected: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.1"], trusted: ["10.0.0.2"]) == "198.51.100.1")
        #expect(Request.clientAddress(connected: "10.0.0.2", forwardedFor: [], trusted: ["10.0.0.2"]) == "10.0.0.2")
    }

    @Test("sign-in limits are fair: an account from one address, an account from everywhere with growing delays, an address at 50", arguments: TestDatabase.all)
    func fairThrottle(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let throttle = LoginThrottle(db: app.db)
            let now = Date()
            for _ in 1...5 { try await throttle.record(email: "jean@cmq.test", address: "203.0.113.7", succeeded: false, now: now) }
            // the pair waits, the same account from another address does not, another account from the address neither
            #expect(try await throttle.wait(email: "jean@cmq.test", address: "203.0.113.7", now: now).map { $0 > 14 * 60 } == true)
            #expect(try await throttle.wait(email: "jean@cmq.test", address: "198.51.100.2", now: now) == nil)
            #expect(try await throttle.wait(email: "marie@cmq.test", address: "203.0.113.7", now: now) == nil)
            // from the 10th failure of an account, wherever from, a delay that doubles
            for index in 1...5 { try await throttle.record(email: "jean@cmq.test", address: "192.0.2.\(index)", succeeded: false, now: now) }
            let delay = try #require(try await throttle.wait(email: "jean@cmq.test", address: "198.51.100.2", now: now))
            #expect((1.9...2.1).contains(delay))
            #expect(try await throttle.wait(email: "jean@cmq.test", address: "198.51.100.2", now: now.addingTimeInterval(3)) == nil)
            #expect(LoginThrottle.growingDelay(failures: 14, threshold: 10) == 32)
            #expect(LoginThrottle.growingDelay(failures: 500, threshold: 10) == LoginThrottle.window)
            // an address with 50 failures over many accounts waits
            for index in 1...50 { try await throttle.record(email: "essai\(index)@cmq.test", address: "192.0.2.200", succeeded: false, now: now) }
            #expect(try await throttle.wait(email: "marie@cmq.test", address: "192.0.2.200", now: now) != nil)
            // and the window forgets
            #expect(try await throttle.wait(email: "jean@cmq.test", address: "203.0.113.7", now: now.addingTimeInterval(16 * 60)) == nil)
        }
    }

    @Test("an unknown e-mail costs a password check like a known one", arguments: TestDatabase.all)
    func unknownEmailChecksAHash(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let counter = CountingHasher()
            app.passwords.use { _ in counter }
            var browser = BrowserSession(app)
            let refused = try await browser.signIn("personne@cmq.test", "n'importe quoi")
            #expect(refused.status == .unauthorized)
            #expect(counter.verifications.withLockedValue { $0 } == 1)
        }
    }

    @Test("changing one's password ends one's other sessions", arguments: TestDatabase.all)
    func passwordChangeEndsSessions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test", password: "un mot de passe solide")
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "pierre.curie@cmq.test", password: "un autre mot de passe")
            var laptop = BrowserSession(app), phone = BrowserSession(app), other = BrowserSession(app)
            _ = try await laptop.signIn("marie.curie@cmq.test", "un mot de passe solide")
            _ = try await phone.signIn("marie.curie@cmq.test", "un mot de passe solide")
            _ = try await other.signIn("pierre.curie@cmq.test", "un autre mot de passe")
            _ = try await laptop.get("/compte")
            let changed = try await laptop.post("/compte/mot-de-passe", [("motDePasseActuel", "un mot de passe solide"),
                                                                        ("nouveauMotDePasse", "un tout nouveau mot de passe"),
                                                                        ("confirmation", "un tout nouveau mot de passe")])
            #expect(changed.status == .seeOther)
            #expect(try await laptop.get("/compte").status == .ok)
            #expect(try await phone.get("/compte").status == .seeOther)
            #expect(try await other.get("/compte").status == .ok)
        }
    }

    // MARK: - API writes need a token

    @Test("an API write with a session cookie and no token is refused and writes nothing; with a token it works", arguments: TestDatabase.all)
    func apiWritesNeedAToken(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "marie.curie@cmq.test", password: "un mot de passe solide")
            var browser = BrowserSession(app)
            _ = try await browser.signIn("marie.curie@cmq.test", "un mot de passe solide")
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .cookie, value: try #require(browser.cookie))
            let body = ByteBuffer(string: #"{"nom": "Valeo", "type": "entreprise"}"#)
            for contentType in ["application/json", "text/plain", nil] {
                var sent = headers
                if let contentType { sent.replaceOrAdd(name: .contentType, value: contentType) }
                let forged = try await app.testing().sendRequest(.POST, "/api/v1/organisations", headers: sent, body: body)
                #expect(forged.status == .unauthorized, "\(contentType ?? "none")")
            }
            // a bogus token beside a session cookie does not pass the CSRF check of the forms either
            var bogus = headers
            bogus.bearerAuthorization = BearerAuthorization(token: "cmq_faux")
            bogus.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
            let form = try await app.testing().sendRequest(.POST, "/gestion/organisations/nouvelle", headers: bogus, body: ByteBuffer(string: "nom=Valeo&type=entreprise"))
            #expect(form.status == .forbidden)
            #expect(try await Organisation.query(on: app.db).count() == 0)
            #expect(try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Valeo", "type": "entreprise"}"#).status == .created)
        }
    }

    // MARK: - Deleting what is still used

    @Test("deleting a campus with a dossier, or an organisation with a platform or bookings, is a 409 saying what holds it", arguments: TestDatabase.all)
    func deletesInUse(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await LabellingAPITests.cast(app)
            _ = try await LabellingAPITests.deposited(app, cast, referentiel: "2019")
            let campus = try await app.send(.DELETE, "/api/v1/campus/\(cast.campus.id!.lower)")
            #expect(campus.status == .conflict, "\(campus.body.string)")
            #expect(campus.problem?.detail.contains("dossier") == true)
            #expect(try await Campus.find(cast.campus.id, on: app.db) != nil)

            let f = try await PlateauFixture.make(app)
            let booked = try await app.send(.POST, "/api/v1/reservations", json: f.booking("09:00", "11:00"), as: f.booker)
            #expect(booked.status == .created, "\(booked.body.string)")
            let platformCampus = try await app.send(.DELETE, "/api/v1/campus/\(f.campus.id!.lower)")
            #expect(platformCampus.status == .conflict)
            #expect(platformCampus.problem?.detail.contains("plateau") == true)
            try await Membership.query(on: app.db).delete()
            let owner = try await app.send(.DELETE, "/api/v1/organisations/\(f.lycee.id!.lower)")
            #expect(owner.status == .conflict)
            #expect(owner.problem?.detail.contains("plateau") == true)
            let booker = try await app.send(.DELETE, "/api/v1/organisations/\(f.cfa.id!.lower)")
            #expect(booker.status == .conflict)
            #expect(booker.problem?.detail.contains("réservation") == true)
            #expect(try await Organisation.query(on: app.db).count() == 3)
        }
    }

    // MARK: - Races

    @Test("twenty concurrent decisions on one request, over two instances on one database: exactly one wins, the others get the 409 of the sequential case", arguments: TestDatabase.all)
    func bookingDecisionRace(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // On PostgreSQL, a second instance of cmq on the same database takes half of the calls (on SQLite the
            // calls share one instance: an embedded file serves one instance).
            let second = database == .postgres ? try await Application.make(.testing) : app
            if database == .postgres { try await configure(second, config: app.cmqConfig) }
            let f = try await PlateauFixture.make(app)
            for round in 0..<3 {
                let made = try await app.send(.POST, "/api/v1/reservations", json: f.booking("09:00", "10:00", day: round), as: f.booker)
                let id = try made.decoded(ReservationDTO.self).id
                let results = try await withThrowingTaskGroup(of: (String, HTTPStatus, String).self) { group in
                    for index in 0..<20 {
                        let action = index % 2 == 0 ? "acceptation" : "refus"
                        let body = action == "refus" ? #"{"motif": "Atelier indisponible"}"# : nil
                        let instance = index % 4 < 2 ? app : second
                        group.addTask {
                            let response = try await instance.send(.POST, "/api/v1/reservations/\(id.lower)/\(action)", json: body, as: f.owner)
                            return (action, response.status, response.body.string)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let winners = results.filter { $0.1 == .ok }
                #expect(winners.count == 1, "\(results.map { "\($0.0) \($0.1.code)" })")
                #expect(results.filter { $0.1 == .conflict }.count == 19, "\(results.filter { $0.1 != .ok && $0.1 != .conflict }.map(\.2))")
                let final = try #require(try await ReservationRecord.find(id, on: app.db)).statut.rawValue
                #expect(final == (winners.first?.0 == "acceptation" ? "acceptee" : "refusee"))
            }
            if database == .postgres { try await second.asyncShutdown() }
        }
    }

    @Test("two bodies' opinions at once and repeated deposits: the dossier's state stays true", arguments: TestDatabase.all)
    func dossierRace(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await LabellingAPITests.cast(app)
            let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(cast.campus.id!.lower)", "referentiel": "2019"}"#, as: cast.region)
            let id = try LabellingAPITests.dossier(created).id
            _ = try await app.send(.PATCH, "/api/v1/dossiers/\(id.lower)", json: "{\(LabellingAPITests.allSections)}", as: cast.region)
            let deposits = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await app.send(.POST, "/api/v1/dossiers/\(id.lower)/depot", json: #"{"date": "2020-03-01"}"#, as: cast.region).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(deposits.filter { $0 == .ok }.count == 1, "\(deposits)")
            #expect(deposits.filter { $0 == .conflict }.count == 9, "\(deposits)")
            // the CAEN and the CREFOP answer at the same moment, five times each: one opinion of each is kept
            let opinions = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<10 {
                    let body = index % 2 == 0 ? cast.caen : cast.crefop
                    group.addTask { try await app.send(.POST, "/api/v1/dossiers/\(id.lower)/avis", json: #"{"verdict": "favorable", "date": "2020-04-01"}"#, as: body).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(opinions.filter { $0 == .created }.count == 2, "\(opinions)")
            #expect(try await AvisRecord.query(on: app.db).filter(\.$dossier.$id == id).count() == 2)
            let transitions = try await TransitionRecord.query(on: app.db).filter(\.$dossier.$id == id).filter(\.$evenement != "creation").count()
            let dossier = try await app.send(.GET, "/api/v1/dossiers/\(id.lower)")
            #expect(dossier.status == .ok)
            #expect(transitions >= 3)
        }
    }

    @Test("32 concurrent creations on SQLite all succeed: writes wait for the lock instead of failing", arguments: TestDatabase.all)
    func concurrentWrites(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<32 {
                    group.addTask {
                        try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Entreprise \#(index)", "type": "entreprise"}"#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(try await Organisation.query(on: app.db).count() == 32)
        }
    }

    // MARK: - Instances on their territory

    @Test("a CAEN acts on its académie's dossiers only, a CREFOP on its région's; the expert group and the CNEE everywhere", arguments: TestDatabase.all)
    func instanceTerritory(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let amiens = try await LabellingAPITests.cast(app)
            let amiensDossier = try await LabellingAPITests.deposited(app, amiens, referentiel: "2014")
            let nantesCampus = try await Factory.campus(app.db, nom: "Aéronautique", filiere: "mobilite-aeronautique-transports", academie: "17", region: "52")
            var nantes = amiens
            nantes.campus = nantesCampus
            nantes.region = try await TestAccounts.identity(app, .regionAcademique, region: "52")
            let nantesDossier = try await LabellingAPITests.deposited(app, nantes, referentiel: "2014")
            let lilleCAEN = try await TestAccounts.identity(app, .instance, region: "32", instance: .caen, academie: "09")
            let nantesCREFOP = try await TestAccounts.identity(app, .instance, region: "52", instance: .crefop)

            func opinion(_ dossier: UUID, _ who: TestIdentity) async throws -> HTTPStatus {
                try await app.send(.POST, "/api/v1/dossiers/\(dossier.lower)/avis", json: #"{"verdict": "favorable", "date": "2013-04-01"}"#, as: who).status
            }
            // the CAEN of Amiens: not on Nantes's dossier, nor is the CAEN of Lille on Amiens's
            #expect(try await opinion(nantesDossier, amiens.caen) == .forbidden)
            #expect(try await opinion(amiensDossier, lilleCAEN) == .forbidden)
            #expect(try await app.send(.GET, "/api/v1/dossiers/\(nantesDossier.lower)", as: amiens.caen).status == .forbidden)
            #expect(try await opinion(amiensDossier, amiens.caen) == .created)
            // the CREFOP of Hauts-de-France: not on Nantes's; the CREFOP of Pays de la Loire: on Nantes's only
            #expect(try await opinion(nantesDossier, amiens.crefop) == .forbidden)
            #expect(try await opinion(amiensDossier, nantesCREFOP) == .forbidden)
            #expect(try await opinion(nantesDossier, nantesCREFOP) == .created)
            #expect(try await opinion(amiensDossier, amiens.crefop) == .created)
            // the list of an instance holds its territory's dossiers only
            let listed = try await app.send(.GET, "/api/v1/dossiers", as: amiens.caen).body.string.lowercased()
            #expect(listed.contains(amiensDossier.lower) && !listed.contains(nantesDossier.lower), "\(listed)")
            // national bodies: every territory (the expert group reads both)
            #expect(try await app.send(.GET, "/api/v1/dossiers/\(nantesDossier.lower)", as: amiens.expert1).status == .ok)
            #expect(try await app.send(.GET, "/api/v1/dossiers/\(amiensDossier.lower)", as: amiens.expert1).status == .ok)
        }
    }

    @Test("the policy: each instance × territory pair")
    func instanceTerritoryPolicy() {
        let campus = UUID()
        let dossier = Resource.dossier(campusID: campus, regionCode: "32", academieCode: "20", bodies: Set(Instance.allCases))
        func actor(_ instance: Instance, region: String? = nil, academie: String? = nil) -> Actor {
            Actor(userID: UUID(), role: .instance, regionCode: region, instance: instance, academieCode: academie)
        }
        let cases: [(Actor, Bool)] = [
            (actor(.caen, region: "32", academie: "20"), true), (actor(.caen, region: "32", academie: "09"), false),
            (actor(.caen, region: "52", academie: "17"), false), (actor(.caen), false),
            (actor(.crefop, region: "32"), true), (actor(.crefop, region: "52"), false), (actor(.crefop), false),
            (actor(.groupeExperts), true), (actor(.cnee), true),
        ]
        for (actor, allowed) in cases {
            #expect((AccessPolicy.decide(actor, .update, dossier) == .allowed) == allowed, "\(actor.instance!) \(actor.regionCode ?? "-") \(actor.academieCode ?? "-")")
        }
    }

    // MARK: - CSV

    @Test("a CSV export neutralises formulas and the import reads them back as they were", arguments: TestDatabase.all)
    func csvFormulas(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let organisation = try await Factory.organisation(app.db, uai: "0020079A")
            let created = try await app.send(.POST, "/api/v1/formations", json: """
                {"intitule": "=HYPERLINK(\\"http://evil.example\\")", "organisationId": "\(organisation.id!.lower)", "niveauSortie": 4,
                 "description": "@SUM(A1)", "statuts": ["scolaire"]}
                """)
            #expect(created.status == .created, "\(created.body.string)")
            let csv = try await app.send(.GET, "/api/v1/formations.csv", as: .anonymous).body.string
            #expect(csv.contains(#""'=HYPERLINK(""http://evil.example"")""#))
            #expect(csv.contains("'@SUM(A1)"))
            #expect(!csv.contains(";=HYPERLINK") && !csv.contains(";@SUM"))
            let records = try FormationCSV.read(csv).records
            #expect(records.first?.intitule == #"=HYPERLINK("http://evil.example")"#)
            #expect(records.first?.description == "@SUM(A1)")
            #expect(FormationCSV.field("-3") == "'-3")
            #expect(FormationCSV.field("Mécanique") == "Mécanique")
        }
    }
}

/// A password hasher that counts the checks (Bcrypt at the lowest cost does the work).
final class CountingHasher: PasswordHasher, @unchecked Sendable {
    let verifications = NIOLockedValueBox(0)

    func hash<Password: DataProtocol>(_ password: Password) throws -> [UInt8] {
        Array(try Bcrypt.hash(String(decoding: Array(password), as: UTF8.self), cost: 4).utf8)
    }

    func verify<Password: DataProtocol, Digest: DataProtocol>(_ password: Password, created digest: Digest) throws -> Bool {
        verifications.withLockedValue { $0 += 1 }
        return try Bcrypt.verify(String(decoding: Array(password), as: UTF8.self), created: String(decoding: Array(digest), as: UTF8.self))
    }
}

/// A deadlock's victim is rolled back whole by PostgreSQL: the conditional write runs again, and after the last
/// attempt the answer is the sequential case's 409, never a 500.
@Suite("Deadlock victims")
struct DeadlockRetryTests {
    struct FakeDeadlock: Error, CustomDebugStringConvertible {
        var debugDescription: String { "PSQLError(code: server, serverInfo: [sqlState: 40P01, message: deadlock detected])" }
    }

    actor Counter {
        var value = 0
        func next() -> Int { value += 1; return value }
    }

    @Test("a deadlock is retried; one that keeps happening ends as a 409")
    func retried() async throws {
        let counter = Counter()
        let value = try await retryingStaleState { () async throws -> Int in
            let attempt = await counter.next()
            if attempt < 3 { throw FakeDeadlock() }
            return attempt
        }
        #expect(value == 3)
        do {
            _ = try await retryingStaleState(attempts: 2) { () async throws -> Int in throw FakeDeadlock() }
            Issue.record("expected a 409")
        } catch let error as AppError {
            guard case .conflict = error else { Issue.record("\(error)"); return }
        }
    }
}
