@testable import CMQApp
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Public pages")
struct SiteTests {
    @Test("the home page counts campuses by filière and by région académique and links to the list", arguments: TestDatabase.all)
    func home(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.campus(app.db, nom: "Métallurgie et plasturgie", filiere: "materiaux-innovants", academie: "20", region: "32")
            try await Factory.campus(app.db, nom: "Composites", filiere: "materiaux-innovants", academie: "12", region: "44")
            let response = try await app.send(.GET, "/")
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.contains("<html lang=\"fr\">"))
            #expect(html.contains("Campus par filière"))
            #expect(html.contains("Campus par région académique"))
            #expect(html.contains(#"<a href="/campus?filiere=materiaux-innovants">Matériaux, matériaux innovants</a></th><td class="num"><span class="bar" style="--share: 100%" aria-hidden="true"></span>2</td>"#))
            #expect(html.contains(#"<a href="/regions/grand-est">Grand Est</a></th><td class="num"><span class="bar" style="--share: 100%" aria-hidden="true"></span>1</td>"#))
            #expect(html.contains(#"href="/campus""#))
            #expect(html.contains("Aller au contenu"))
        }
    }

    @Test("the campus list filters with plain links and paginates", arguments: TestDatabase.all)
    func list(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for index in 1...25 {
                try await Factory.campus(app.db, nom: "Campus \(String(format: "%02d", index))", filiere: index == 7 ? "tourisme-gastronomie" : "materiaux-innovants")
            }
            let first = try await app.send(.GET, "/campus").body.string
            #expect(first.contains("25 campus · page 1 sur 2"))
            #expect(first.contains(#"href="/campus?page=2""#))
            let filtered = try await app.send(.GET, "/campus?filiere=tourisme-gastronomie").body.string
            #expect(filtered.contains("1 campus"))
            #expect(filtered.contains("Campus 07"))
            #expect(!filtered.contains("Campus 08"))
            #expect(filtered.contains(#"<option value="tourisme-gastronomie" selected>"#))
            let bad = try await app.send(.GET, "/campus?filiere=inconnue")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("La filière « inconnue » n&#39;existe pas"))
        }
    }

    @Test("a campus page shows its network with identifiers, its team and its compliance in French", arguments: TestDatabase.all)
    func campusPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A", departement: "02")
            let company = try await Factory.organisation(app.db, nom: "Valeo", kind: "entreprise", isPublic: false, siret: "21350016800025")
            try await Factory.membership(app.db, campus: campus, organisation: lycee, role: .etablissementSupport)
            try await Factory.membership(app.db, campus: campus, organisation: company, role: .partenaire)
            try await TeamMember(campusID: campus.id!, nom: "Stéphane Andurand", role: .animateur, email: nil, position: 0).create(on: app.db)

            let html = try await app.send(.GET, "/campus/\(campus.id!.lower)").body.string
            #expect(html.contains("Campus des métiers et des qualifications Métallurgie et plasturgie"))
            #expect(html.contains("<code>0020079A</code>"))
            #expect(html.contains("<code>21350016800025</code>"))
            #expect(html.contains("Lycées") && html.contains("Monde économique"))
            #expect(html.contains("Stéphane Andurand"))
            #expect(html.contains("3 condition(s) ne sont pas remplies"))
            #expect(html.contains("Le réseau ne compte aucun laboratoire de recherche : il en faut au moins un."))

            let organisationPage = try await app.send(.GET, "/organisations/\(lycee.id!.lower)").body.string
            #expect(organisationPage.contains("Métallurgie et plasturgie"))
            #expect(organisationPage.contains("Aisne (02)"))
        }
    }

    @Test("unknown pages answer a French HTML 404", arguments: TestDatabase.all)
    func notFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.GET, "/campus/\(UUID().lower)")
            #expect(response.status == .notFound)
            #expect(response.headers.contentType == .html)
            #expect(response.body.string.contains("Aucun campus n&#39;a l&#39;identifiant"))
            let route = try await app.send(.GET, "/nulle-part")
            #expect(route.status == .notFound)
            #expect(route.body.string.contains("Cette adresse ne correspond à aucune ressource."))
        }
    }

    @Test("the stylesheet is served from the bundle with an ETag")
    func stylesheet() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.send(.GET, "/css/cmq.css")
            #expect(response.status == .ok)
            let etag = try #require(response.headers.first(name: .eTag))
            let again = try await app.testing().sendRequest(.GET, "/css/cmq.css", headers: ["If-None-Match": etag])
            #expect(again.status == .notModified)
            // every entry of the public folder is served, and only from it
            #expect(try await app.send(.GET, "/favicon.svg").status == .ok)
            #expect(try await app.send(.GET, "/js/recherche.js").status == .ok)
            #expect(try await app.send(.GET, "/css/absent.css").status == .notFound)
            #expect(try await app.send(.GET, "/css/../js/recherche.js").status != .ok)
            #expect(PublicFilesMiddleware(publicDirectory: Resources.publicDirectory).entries == ["css", "js", "favicon.svg"])
        }
    }
}

extension SiteTests {
    @Test("an establishment's page lists its formations, shows it on a map, and leaves out what is unknown", arguments: TestDatabase.all)
    func establishmentPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A")
            lycee.latitude = 49.8465
            lycee.longitude = 3.2876
            lycee.commune = "Saint-Quentin"
            lycee.academieCode = "20"
            lycee.regionCode = "32"
            lycee.telephone = "03 23 62 12 34"
            try await lycee.save(on: app.db)
            let created = try await app.send(.POST, "/api/v1/formations", json: FormationsAPITests.body(lycee))
            #expect(created.status == .created)
            let html = try await app.send(.GET, "/organisations/\(lycee.id!.lower)", as: .anonymous).body.string
            #expect(html.contains("Plastiques et composites") && html.contains("niveau 4"))
            #expect(html.contains(#"<svg class="map map-compact""#) && html.contains("Situation de Lycée professionnel Condorcet"))
            #expect(!html.contains("non renseign") && !html.contains("Coordonnées"))
            #expect(html.contains("<code>0020079A</code>") && !html.contains("SIRET"))
            #expect(html.contains(#"<a href="tel:+33323621234">03 23 62 12 34</a>"#))
        }
    }
}
