@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The dossier list: dates, waiting time, filters by campus words and referentiel, orders, pages, CSV; the API
/// takes the same `q` and `tri`.
@Suite("Dossier list")
struct DossierListTests {
    @Test("dates and waiting time, filters, orders, CSV and the API's q and tri", arguments: TestDatabase.all)
    func list(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let metal = try await Factory.campus(app.db, nom: "Métallurgie et plasturgie")
            let bois = try await Factory.campus(app.db, nom: "Bois et ameublement")
            for campus in [metal, bois] {
                let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(campus.id!.lower)", "referentiel": "2019"}"#)
                #expect(created.status == .created, "\(created.body.string)")
            }
            let page = try await app.send(.GET, "/gestion/dossiers?tri=campus").body.string
            #expect(page.contains("2 dossier(s)") && page.contains("Ouvert le") && page.contains("depuis aujourd&#39;hui"))
            let bois1 = try #require(page.range(of: "Bois et ameublement")), metal1 = try #require(page.range(of: "Métallurgie et plasturgie</a>"))
            #expect(bois1.lowerBound < metal1.lowerBound)
            let filtered = try await app.send(.GET, "/gestion/dossiers?q=metal").body.string
            #expect(filtered.contains("1 dossier(s)") && !filtered.contains(">Bois et ameublement</a>"))
            #expect(try await app.send(.GET, "/gestion/dossiers?tri=hasard").status == .unprocessableEntity)

            let csv = try await app.send(.GET, "/gestion/dossiers.csv?tri=campus")
            let lines = csv.body.string.split(whereSeparator: \.isNewline)
            #expect(csv.status == .ok && lines.count == 3 && lines[1].hasPrefix("Bois et ameublement;32;2019;"))

            let api = try await app.send(.GET, "/api/v1/dossiers?q=bois&tri=campus").decoded(PageDTO<DossierSummaryDTO>.self)
            #expect(api.total == 1 && api.items.first?.campusNom == "Bois et ameublement" && api.items.first?.creeLe != nil && api.items.first?.depot == nil)
            #expect(try await app.send(.GET, "/api/v1/dossiers?q=\(String(repeating: "0", count: 201))").status == .unprocessableEntity)
            let member = try await TestAccounts.identity(app, .membre, organisation: try await Factory.organisation(app.db).id)
            #expect(try await app.send(.GET, "/gestion/dossiers.csv", as: member).status == .forbidden)
        }
    }
}
