@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Témoignages: the public gallery and a testimony's page")
struct TemoignageGalleryTests {
    typealias F = TemoignageFixtures

    @Test("only published testimonies with complete consent are shown; filters by campus and région; the page's player has its captions track and the transcript",
          arguments: TestDatabase.all)
    func gallery(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, _) = try await F.campus(app)
            let other = try await Factory.campus(app.db, nom: "Numérique et cybersécurité", filiere: "numerique-telecommunications", academie: "01", region: "01")
            let published = try await F.withMedia(app, campus: campus)
            #expect(try await F.consent(app, published.id, role: "personne").status == .created)
            #expect(try await F.moderate(app, published.id, #"{"decision": "publier"}"#).status == .ok)
            let waiting = try await F.withMedia(app, campus: other)
            #expect(try await F.consent(app, waiting.id, role: "personne").status == .created)

            let gallery = try await F.get(app, "/temoignages", as: .anonymous)
            #expect(gallery.status == .ok)
            let html = gallery.body.string
            #expect(html.contains("/temoignages/\(published.id.lower)"))
            #expect(!html.contains("/temoignages/\(waiting.id.lower)"))
            #expect(html.contains("1 témoignage<"))
            let elsewhere = try await F.get(app, "/temoignages?region=01", as: .anonymous).body.string
            #expect(elsewhere.contains("0 témoignage<"))
            let here = try await F.get(app, "/temoignages?campus=\(try campus.requireID().lower)", as: .anonymous).body.string
            #expect(here.contains("/temoignages/\(published.id.lower)"))

            let page = try await F.get(app, "/temoignages/\(published.id.lower)", as: .anonymous)
            #expect(page.status == .ok)
            let body = page.body.string
            #expect(body.contains("<video id=\"lecteur\" controls"))
            #expect(body.contains("<track kind=\"captions\" srclang=\"fr\" label=\"Français\" src=\"/temoignages/\(published.id.lower)/sous-titres.vtt\" default>"))
            #expect(body.contains("En entreprise, j&#39;apprends chaque jour un geste nouveau.") || body.contains("En entreprise, j'apprends chaque jour un geste nouveau."))
            #expect(try await F.get(app, "/temoignages/\(waiting.id.lower)", as: .anonymous).status == .notFound)
        }
    }
}
