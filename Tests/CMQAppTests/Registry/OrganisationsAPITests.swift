@testable import CMQApp
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("API: /api/v1/organisations")
struct OrganisationsAPITests {
    @Test("create, read, update and delete an organisation", arguments: TestDatabase.all)
    func crud(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // when: created with a real UAI, its département is deduced from it
            let created = try await app.send(.POST, "/api/v1/organisations", json: """
                {"nom": "Lycée professionnel Alexandre Bérard", "type": "lycee-professionnel", "public": true,
                 "lyceeDesMetiers": true, "uai": "0010001w", "commune": "Ambérieu-en-Bugey"}
                """)
            // then
            #expect(created.status == .created)
            let organisation = try created.decoded(OrganisationDTO.self)
            #expect(created.headers.first(name: .location) == "/api/v1/organisations/\(organisation.id.lower)")
            #expect(organisation.uai == "0010001W")
            #expect(organisation.departement == "01")
            #expect(organisation.academie == "10")
            #expect(organisation.region == "84")
            #expect(organisation.typeLibelle == "Lycée professionnel")

            let fetched = try await app.send(.GET, "/api/v1/organisations/\(organisation.id.lower)")
            #expect(fetched.status == .ok)
            #expect(try fetched.decoded(OrganisationDTO.self).nom == "Lycée professionnel Alexandre Bérard")

            // when: patched, absent fields are kept and null clears
            let patched = try await app.send(.PATCH, "/api/v1/organisations/\(organisation.id.lower)", json: #"{"siret": "21350016800025", "commune": null}"#)
            #expect(patched.status == .ok)
            let after = try patched.decoded(OrganisationDTO.self)
            #expect(after.siret == "21350016800025")
            #expect(after.commune == nil)
            #expect(after.uai == "0010001W")

            let deleted = try await app.send(.DELETE, "/api/v1/organisations/\(organisation.id.lower)")
            #expect(deleted.status == .noContent)
            #expect(try await Organisation.query(on: app.db).count() == 0)
            #expect(try await app.send(.GET, "/api/v1/organisations/\(organisation.id.lower)").status == .notFound)
        }
    }

    @Test("every wrong field is listed in one 422, and nothing is written", arguments: TestDatabase.all)
    func validation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.POST, "/api/v1/organisations", json: """
                {"type": "chateau", "uai": "0010001A", "siret": "123", "public": "oui", "latitude": 120,
                 "departement": "99", "siteWeb": "ftp://x", "couleur": "bleu"}
                """)
            #expect(response.status == .unprocessableEntity)
            #expect(response.isProblemJSON)
            #expect(Set(response.faultyFields) == ["nom", "type", "uai", "siret", "public", "latitude", "departement", "siteWeb", "couleur"])
            let problem = try #require(response.problem)
            #expect(problem.status == 422)
            #expect(problem.title == "Données invalides")
            #expect(problem.errors?.first { $0.field == "uai" }?.detail.contains("la lettre attendue est W") == true)
            #expect(try await Organisation.query(on: app.db).count() == 0)
        }
    }

    @Test("a UAI or a SIRET already taken is a 409 naming the holder, and nothing is written", arguments: TestDatabase.all)
    func uniqueness(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let holder = try await Factory.organisation(app.db, nom: "Lycée Alexandre Bérard", uai: "0010001W", siret: "21350016800025")
            let sameUAI = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Autre", "type": "cfa", "uai": "0010001W"}"#)
            #expect(sameUAI.status == .conflict)
            #expect(sameUAI.problem?.detail.contains("Lycée Alexandre Bérard") == true)
            let sameSIRET = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Autre", "type": "entreprise", "siret": "213 500 168 00025"}"#)
            #expect(sameSIRET.status == .conflict)
            #expect(try await Organisation.query(on: app.db).count() == 1)

            // a PATCH that takes another's UAI is refused too, and changes nothing
            let other = try await Factory.organisation(app.db, nom: "Autre lycée", uai: "0020079A")
            let patch = try await app.send(.PATCH, "/api/v1/organisations/\(other.id!.lower)", json: #"{"uai": "0010001W", "nom": "Renommé"}"#)
            #expect(patch.status == .conflict)
            let reloaded = try #require(try await Organisation.find(other.id, on: app.db))
            #expect(reloaded.uai == "0020079A" && reloaded.nom == "Autre lycée")
            _ = holder
        }
    }

    @Test("organisations without UAI nor SIRET may coexist", arguments: TestDatabase.all)
    func optionalIdentifiers(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for name in ["Valeo", "Arkema"] {
                let response = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "\#(name)", "type": "entreprise"}"#)
                #expect(response.status == .created)
            }
            #expect(try await Organisation.query(on: app.db).count() == 2)
        }
    }

    @Test("a body that is not JSON is a 400; another media type a 415; nothing is written", arguments: TestDatabase.all)
    func unreadableBodies(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let broken = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Valeo", "type": "#)
            #expect(broken.status == .badRequest)
            #expect(broken.isProblemJSON)
            #expect(broken.problem?.detail == "Le corps de la requête n'est pas un JSON valide.")
            let array = try await app.send(.POST, "/api/v1/organisations", json: #"[1, 2]"#)
            #expect(array.status == .badRequest)
            let empty = try await app.send(.POST, "/api/v1/organisations", json: "")
            #expect(empty.status == .badRequest)
            let form = try await app.send(.POST, "/api/v1/organisations", json: "nom=Valeo", contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .unsupportedMediaType)
            #expect(form.isProblemJSON)
            #expect(try await Organisation.query(on: app.db).count() == 0)
        }
    }

    @Test("unknown or malformed ids are 404 problems", arguments: TestDatabase.all)
    func notFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/api/v1/organisations/\(UUID().lower)", "/api/v1/organisations/pas-un-uuid"] {
                let response = try await app.send(.GET, path)
                #expect(response.status == .notFound)
                #expect(response.isProblemJSON)
                #expect(response.problem?.detail.hasPrefix("Aucune organisation") == true)
            }
            let patch = try await app.send(.PATCH, "/api/v1/organisations/\(UUID().lower)", json: #"{"nom": "X"}"#)
            #expect(patch.status == .notFound)
            let delete = try await app.send(.DELETE, "/api/v1/organisations/\(UUID().lower)")
            #expect(delete.status == .notFound)
        }
    }

    @Test("an organisation still in a network cannot be deleted (409) and stays", arguments: TestDatabase.all)
    func deleteMember(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db)
            try await Factory.membership(app.db, campus: campus, organisation: lycee)
            let response = try await app.send(.DELETE, "/api/v1/organisations/\(lycee.id!.lower)")
            #expect(response.status == .conflict)
            #expect(response.problem?.detail.contains("Métallurgie et plasturgie") == true)
            #expect(try await Organisation.query(on: app.db).count() == 1)
        }
    }

    @Test("filters: uai, siret, kind, département, accent-insensitive name; pagination with the total", arguments: TestDatabase.all)
    func filters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.organisation(app.db, nom: "Lycée professionnel Alexandre Bérard", uai: "0010001W", departement: "01")
            try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A", departement: "02")
            try await Factory.organisation(app.db, nom: "Valeo", kind: "entreprise", isPublic: false, siret: "21350016800025")

            func names(_ query: String) async throws -> [String] {
                let response = try await app.send(.GET, "/api/v1/organisations?\(query)")
                #expect(response.status == .ok)
                return try response.decoded(PageDTO<OrganisationDTO>.self).items.map(\.nom)
            }
            #expect(try await names("uai=0010001W") == ["Lycée professionnel Alexandre Bérard"])
            #expect(try await names("siret=21350016800025") == ["Valeo"])
            #expect(try await names("kind=entreprise") == ["Valeo"])
            #expect(try await names("departement=02") == ["Lycée professionnel Condorcet"])
            #expect(try await names("q=BERARD") == ["Lycée professionnel Alexandre Bérard"])
            #expect(try await names("q=lyc%C3%A9e%20condorcet") == ["Lycée professionnel Condorcet"])

            let page = try await app.send(.GET, "/api/v1/organisations?per=2&page=2").decoded(PageDTO<OrganisationDTO>.self)
            #expect(page.total == 3 && page.items.count == 1 && page.page == 2 && page.per == 2)

            let bad = try await app.send(.GET, "/api/v1/organisations?uai=123&kind=chateau&per=500&page=0")
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.faultyFields) == ["uai", "kind", "per", "page"])
        }
    }
}

extension OrganisationsAPITests {
    @Test("a telephone number is written the French way, a wrong one refused on its field, an empty one erased", arguments: TestDatabase.all)
    func telephone(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let created = try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "CFA du bâtiment", "type": "cfa", "telephone": "+33 3 22 33 44 55"}"#)
            #expect(created.status == .created)
            let organisation = try created.decoded(OrganisationDTO.self)
            #expect(organisation.telephone == "03 22 33 44 55")
            let path = "/api/v1/organisations/\(organisation.id.lower)"
            let wrong = try await app.send(.PATCH, path, json: #"{"telephone": "12 34"}"#)
            #expect(wrong.status == .unprocessableEntity && wrong.faultyFields == ["telephone"])
            #expect(try await app.send(.GET, path).decoded(OrganisationDTO.self).telephone == "03 22 33 44 55")
            #expect(try await app.send(.PATCH, path, json: #"{"telephone": null}"#).decoded(OrganisationDTO.self).telephone == nil)
        }
    }
}
