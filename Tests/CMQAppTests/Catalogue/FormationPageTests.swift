@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// A formation's page answers a parent's questions: where it is, how to apply for it, and the public pages of
/// its references.
@Suite("Formation page")
struct FormationPageTests {
    static func page(_ app: Application, _ json: String) async throws -> String {
        let created = try await app.send(.POST, "/api/v1/formations", json: json)
        #expect(created.status == .created)
        let id = try created.decoded(FormationDTO.self).id
        let page = try await app.send(.GET, "/formations/\(id.lower)")
        #expect(page.status == .ok)
        return page.body.string
    }

    @Test("where: address, phone, site, map, nearby; references as links to their public pages", arguments: TestDatabase.all)
    func whereAndReferences(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A", departement: "02")
            #expect(try await app.send(.PATCH, "/api/v1/organisations/\(lycee.id!.lower)", json: """
                {"adresse": "2 rue Condorcet", "codePostal": "02100", "commune": "Saint-Quentin", "telephone": "03 23 62 12 34",
                 "siteWeb": "https://condorcet.example.org", "latitude": 49.8465, "longitude": 3.2876}
                """).status == .ok)
            let html = try await Self.page(app, FormationsAPITests.body(lycee, #", "lien": "http://www.onisep.fr/http/redirection/formation/slug/FOR.1496""#))
            #expect(html.contains("2 rue Condorcet<br>02100 Saint-Quentin"))
            #expect(html.contains(#"href="tel:+33323621234""#))
            #expect(html.contains(#"href="https://condorcet.example.org""#))
            #expect(html.contains("<svg"))
            #expect(html.contains("/formations?niveau=4&amp;pres=Saint-Quentin%20(02)"))
            #expect(html.contains(#"href="https://www.onisep.fr/http/redirection/formation/slug/FOR.1496""#))
            #expect(!html.contains(">http://www.onisep.fr"))
            #expect(html.contains(#"href="https://www.francecompetences.fr/recherche/rncp/35191/""#))
            #expect(html.contains(#"href="https://candidat.francetravail.fr/metierscope/fiche-metier/H3202""#))
        }
    }

    @Test("how to apply follows the level and the statuses", arguments: TestDatabase.all)
    func howToApply(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await Factory.organisation(app.db)
            let bacPro = try await Self.page(app, FormationsAPITests.body(lycee))
            #expect(bacPro.contains("Affelnet") && bacPro.contains("La bonne alternance") && !bacPro.contains("Parcoursup"))
            let bts = try await Self.page(app, #"{"intitule": "Conception et réalisation en chaudronnerie industrielle", "organisationId": "\#(lycee.id!.lower)", "typeDiplome": "bts", "statuts": ["scolaire"]}"#)
            #expect(bts.contains("Parcoursup") && !bts.contains("Affelnet") && !bts.contains("La bonne alternance"))
            let adults = try await Self.page(app, #"{"intitule": "Soudage", "organisationId": "\#(lycee.id!.lower)", "typeDiplome": "cap", "statuts": ["formation-continue"]}"#)
            #expect(adults.contains("Mon compte formation") && !adults.contains("Affelnet"))
            #expect(adults.contains("Contacter l&#39;établissement"))
        }
    }

    @Test("public references: only well-formed codes and ONISEP addresses become links")
    func references() {
        #expect(PublicReferences.rncp("RNCP38432") == "https://www.francecompetences.fr/recherche/rncp/38432/")
        #expect(PublicReferences.rncp("38432") == "https://www.francecompetences.fr/recherche/rncp/38432/")
        #expect(PublicReferences.rncp("RNCP") == nil && PublicReferences.rncp("12a") == nil)
        #expect(PublicReferences.rome("H3203") == "https://candidat.francetravail.fr/metierscope/fiche-metier/H3203")
        #expect(PublicReferences.rome("H32") == nil && PublicReferences.rome("33203") == nil)
        #expect(PublicReferences.onisep("http://www.onisep.fr/x") == "https://www.onisep.fr/x")
        #expect(PublicReferences.onisep("https://evil.example/onisep.fr") == nil)
        #expect(PublicReferences.web("javascript:alert(1)") == nil && PublicReferences.web("https://a.fr") == "https://a.fr")
    }
}
