@testable import CMQApp
import Foundation
import Testing
import VaporTesting

/// The pages every public site of the State has, and the API documented for people.
@Suite("Legal pages and API documentation")
struct AboutPagesTests {
    @Test("every page links the legal pages, the accessibility status and the API documentation; the header names the République", arguments: TestDatabase.all)
    func furniture(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/", "/campus", "/formations", "/connexion"] {
                let html = try await app.send(.GET, path, as: .anonymous).body.string
                for link in ["/mentions-legales", "/donnees-personnelles", "/accessibilite", "/plan-du-site", "/contact", "/api"] {
                    #expect(html.contains(#"href="\#(link)""#), "\(path) does not link \(link)")
                }
                #expect(html.contains("République<br>française") && html.contains(#"<link rel="icon" href="/favicon.svg""#))
                #expect(html.contains("Accessibilité : partiellement conforme"))
            }
            let favicon = try await app.send(.GET, "/favicon.ico", as: .anonymous)
            #expect(favicon.status == .movedPermanently && favicon.headers.first(name: .location) == "/favicon.svg")
            #expect(try await app.send(.GET, "/favicon.svg", as: .anonymous).status == .ok)
        }
    }

    @Test("the legal pages answer, say what the operator has not declared, and show what it has", arguments: TestDatabase.all)
    func legalPages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/mentions-legales", "/donnees-personnelles", "/accessibilite", "/plan-du-site", "/contact"] {
                let page = try await app.send(.GET, path, as: .anonymous)
                #expect(page.status == .ok, "\(path)")
            }
            #expect(try await app.send(.GET, "/mentions-legales", as: .anonymous).body.string.contains("n'a pas encore déclaré son identité"))
            let statement = try await app.send(.GET, "/accessibilite", as: .anonymous).body.string
            #expect(statement.contains("partiellement conforme") && statement.contains("Aucun audit RGAA n'a été réalisé"))
            // what CI checks (Tests/browser/test_accessibility.py) and what it does not
            #expect(statement.contains("axe-core") && statement.contains("validateur HTML du W3C") && statement.contains("Ce qui n'est pas vérifié"))
            let plan = try await app.send(.GET, "/plan-du-site", as: .anonymous).body.string
            #expect(plan.contains(#"href="/regions/hauts-de-france""#) && plan.contains(#"href="/gestion/dossiers""#))

            app.cmqConfig.about = .init(publisher: "Région académique Hauts-de-France, 20 rue Saint-Fuscien, Amiens", contact: "cmq@region-academique-hdf.fr",
                                        hosting: "Hébergeur de test, Lille")
            let declared = try await app.send(.GET, "/mentions-legales", as: .anonymous).body.string
            #expect(declared.contains("Région académique Hauts-de-France") && declared.contains(#"href="mailto:cmq@region-academique-hdf.fr""#)
                    && declared.contains("Hébergeur de test"))
            #expect(try await app.send(.GET, "/contact", as: .anonymous).body.string.contains("mailto:cmq@region-academique-hdf.fr"))
        }
    }

    @Test("the contact address must be an e-mail address")
    func contactIsChecked() throws {
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_CONTACT": "pas une adresse"]) }
        let config = try AppConfig.fromEnvironment(["CMQ_CONTACT": "contact@example.org", "CMQ_EDITEUR": "Éditeur"])
        #expect(config.about.contact == "contact@example.org" && config.about.publisher == "Éditeur" && config.about.hosting == nil)
    }

    @Test("/api documents every operation of the OpenAPI document, grouped by tag, with a curl line", arguments: TestDatabase.all)
    func apiDocumentation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let page = try await app.send(.GET, "/api", headers: ["Host": "cmq.example.org"], as: .anonymous)
            #expect(page.status == .ok && page.headers.contentType?.description.hasPrefix("text/html") == true)
            let html = page.body.string
            let validator = try OpenAPIValidator()
            for operation in validator.operations {
                let parts = operation.split(separator: " ")
                #expect(html.contains(#"<span class="api-method">\#(parts[0])</span> <code>\#(parts[1])</code>"#), "\(operation) is not documented on /api")
            }
            #expect(html.contains("curl &#39;http://cmq.example.org/api/v1/campus&#39;") || html.contains("curl 'http://cmq.example.org/api/v1/campus'"))
            #expect(html.contains(#"<h2 id="groupe-labellisation">Labellisation</h2>"#))
            // A forged Host header is not written into the page.
            let forged = try await app.send(.GET, "/api", headers: ["Host": "evil.example\"><script>"], as: .anonymous).body.string
            #expect(!forged.contains("<script>") && forged.contains("http://localhost/api/v1/campus"))
        }
    }
}
