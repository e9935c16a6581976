@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("The dashboards: national, région académique, campus; public and staff versions; CSV with Table Schema")
struct DashboardTests {
    /// Three campuses, two in Hauts-de-France (32), one in Pays de la Loire (52), with values of the public
    /// indicator GOU-02 (12, 3, 7) and of the private GOU-01 (Alpha: 4), a target on Alpha's GOU-02 (10 → 20), last
    /// year's GOU-02 of Alpha (8), a label of Alpha ending in four months (started 44 months ago), a label
    /// Excellence of Gamma (started a year ago, five years), and a draft dossier for each.
    struct Fixture {
        var alpha: Campus
        var beta: Campus
        var gamma: Campus
        var year: SchoolYear

        static func make(_ app: Application) async throws -> Fixture {
            let alpha = try await Factory.campus(app.db, nom: "Alpha", filiere: "materiaux-innovants", academie: "20", region: "32")
            let beta = try await Factory.campus(app.db, nom: "Bêta", filiere: "batiment-eco-construction", academie: "09", region: "32")
            let gamma = try await Factory.campus(app.db, nom: "Gamma", filiere: "mobilite-aeronautique-transports", academie: "17", region: "52")
            let year = SchoolYear(containing: CalendarDay.today)
            for (campus, code, value, annee) in [(alpha, "GOU-02", 12, year), (beta, "GOU-02", 3, year), (gamma, "GOU-02", 7, year),
                                                 (alpha, "GOU-01", 4, year), (alpha, "GOU-02", 8, year.previous)] {
                let saved = try await app.send(.PUT, "/api/v1/campus/\(campus.id!.lower)/indicateurs/\(code)/valeurs/\(annee)", json: #"{"valeur": \#(value)}"#)
                #expect(saved.status == .ok, "\(saved.body.string)")
            }
            #expect(try await app.send(.PUT, "/api/v1/campus/\(alpha.id!.lower)/indicateurs/GOU-02/cible", json: #"{"initiale": 10, "cible": 20, "echeance": "2029-08-31"}"#).status == .ok)
            for (campus, start, years, excellence) in [(alpha, -44, 4, false), (gamma, -12, 5, true)] {
                let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(campus.id!.lower)", "referentiel": "2019", "nature": "creation"}"#)
                #expect(created.status == .created, "\(created.body.string)")
                let label = LabelRecord()
                label.$campus.id = try campus.requireID()
                label.$dossier.id = try created.decoded(DossierDTO.self).id
                label.debut = CalendarDay.today.adding(months: start).iso
                label.duree = years
                label.fin = CalendarDay.today.adding(months: start + 12 * years).previousDay.iso
                label.excellence = excellence
                label.referentiel = "2019"
                try await label.create(on: app.db)
            }
            return Fixture(alpha: alpha, beta: beta, gamma: gamma, year: year)
        }
    }

    static func csv(_ app: Application, _ path: String, as identity: TestIdentity = .anonymous) async throws -> [String] {
        let response = try await app.send(.GET, path, as: identity)
        #expect(response.status == .ok, "\(path): \(response.body.string)")
        #expect(response.headers.contentType?.description.hasPrefix("text/csv") == true)
        return response.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test("national: campuses by filière × région, an indicator by région (sum) on the map and in its table, labels by year, expiring labels", arguments: TestDatabase.all)
    func national(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await Fixture.make(app)
            let page = try await app.send(.GET, "/tableau-de-bord?indicateur=GOU-02", as: .anonymous)
            #expect(page.status == .ok, "\(page.body.string.prefix(2000))")
            let html = page.body.string
            #expect(html.contains("3 campus retenus"))
            // The choropleth: Hauts-de-France 12 + 3 = 15, Pays de la Loire 7; its table twin says the same.
            #expect(html.contains("<title>Hauts-de-France : 15</title>") && html.contains("<title>Pays de la Loire : 7</title>"), "\(html.components(separatedBy: "<title>").filter { $0.contains("Pays de la Loire") })")
            #expect(html.contains("<th scope=\"row\">Hauts-de-France</th><td class=\"num\">2</td><td class=\"num\">15</td>"))
            // Labels: one a year (44 months and 12 months ago), the second Excellence.
            let labels = try await Self.csv(app, "/tableau-de-bord/donnees/labels-annee.csv")
            let startA = CalendarDay.today.adding(months: -44).year, startG = CalendarDay.today.adding(months: -12).year
            #expect(labels == ["id;annee;labels;excellence;part_excellence", "\(startA);\(startA);1;0;0", "\(startG);\(startG);1;1;100"])
            // Expiring within 24 months: Alpha's only.
            let expiring = try await Self.csv(app, "/tableau-de-bord/donnees/labels-expirant.csv")
            #expect(expiring.count == 2 && expiring[1].contains(";Alpha;Hauts-de-France;") && expiring[1].hasSuffix(";false"))
            #expect(html.contains("(Excellence)") == false && html.contains("Labels arrivant à échéance"))
            // The indicator by région and by campus, as CSV.
            let byRegion = try await Self.csv(app, "/tableau-de-bord/donnees/indicateur-region.csv?indicateur=GOU-02")
            #expect(byRegion[0] == "id;region;campus_avec_valeur;valeur")
            #expect(byRegion.contains("32;Hauts-de-France;2;15") && byRegion.contains("52;Pays de la Loire;1;7") && byRegion.contains("11;Île-de-France;0;"), "\(byRegion)")
            let byCampus = try await Self.csv(app, "/tableau-de-bord/donnees/indicateur-campus.csv?indicateur=GOU-02&region=32")
            #expect(byCampus.count == 3 && byCampus[1] == "\(f.alpha.id!.lower);Alpha;Hauts-de-France;Matériaux, matériaux innovants;12", "\(byCampus)")
            // Campuses by région × filière.
            let cross = try await Self.csv(app, "/tableau-de-bord/donnees/campus-filiere-region.csv")
            #expect(cross.count == 4 && cross.contains("32-materiaux-innovants;32;Hauts-de-France;materiaux-innovants;Matériaux, matériaux innovants;1"), "\(cross)")
            // The filters: the label status Excellence keeps Gamma only; a filière keeps Bêta only.
            #expect(try await app.send(.GET, "/tableau-de-bord?statut=excellence", as: .anonymous).body.string.contains("1 campus retenus"))
            let building = try await Self.csv(app, "/tableau-de-bord/donnees/indicateur-campus.csv?indicateur=GOU-02&filiere=batiment-eco-construction")
            #expect(building.count == 2 && building[1].hasSuffix(";Bêta;Hauts-de-France;Infrastructures, bâtiment, éco-construction;3"))
        }
    }

    @Test("public visitors see the public indicators only; the national level sees everything, a région only its own région's whole dashboard", arguments: TestDatabase.all)
    func publicAndPrivate(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await Fixture.make(app)
            let hdf = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.alpha.id)

            // National: the private indicator and the dossiers are the national level's.
            let anonymous = try await app.send(.GET, "/tableau-de-bord", as: .anonymous).body.string
            #expect(!anonymous.contains("GOU-01") && !anonymous.contains("Dossiers de labellisation en cours"))
            // A page asks the anonymous visitor to sign in first.
            let refused = try await app.send(.GET, "/tableau-de-bord?indicateur=GOU-01", as: .anonymous)
            #expect(refused.status == .seeOther && refused.headers.first(name: .location)?.hasPrefix("/connexion") == true, "\(refused.status)")
            #expect(try await app.send(.GET, "/tableau-de-bord?indicateur=GOU-01", as: hdf).status == .forbidden)
            #expect(try await app.send(.GET, "/tableau-de-bord/donnees/dossiers-etapes.csv", as: hdf).status == .notFound)
            let admin = try await app.send(.GET, "/tableau-de-bord?indicateur=GOU-01").body.string
            #expect(admin.contains("<title>Hauts-de-France : 4</title>"))
            // Two drafts, waiting since today.
            let steps = try await Self.csv(app, "/tableau-de-bord/donnees/dossiers-etapes.csv", as: .admin)
            #expect(steps == ["id;statut;etape;dossiers;attente_moyenne_jours;attente_max_jours", "brouillon|;En préparation;En préparation;2;0;0"])

            // The région's dashboard: Hauts-de-France's staff see everything of it, the public and a campus team the public part.
            let path = "/regions/hauts-de-france/tableau-de-bord"
            let regionPage = try await app.send(.GET, path + "?indicateur=GOU-01", as: hdf)
            #expect(regionPage.status == .ok && regionPage.body.string.contains("Rapports d'activité \(f.year) : <strong>0 reçus</strong>, <strong>2 manquants</strong>"))
            #expect(try await app.send(.GET, path + "?indicateur=GOU-01", as: team).status == .forbidden)
            #expect(try await app.send(.GET, "/regions/pays-de-la-loire/tableau-de-bord?indicateur=GOU-01", as: hdf).status == .forbidden)
            let publicRegion = try await app.send(.GET, path, as: .anonymous).body.string
            #expect(!publicRegion.contains("Rapports d'activité") && !publicRegion.contains("GOU-01") && publicRegion.contains("Alpha"))
            #expect(try await app.send(.GET, path + "/donnees/rapports.csv", as: .anonymous).status == .notFound)

            // The campus's dashboard: the public indicators for the public, every one for the team.
            let campusPath = "/campus/\(f.alpha.id!.lower)/tableau-de-bord"
            let publicCampus = try await app.send(.GET, campusPath, as: .anonymous).body.string
            #expect(publicCampus.contains("Conventions signées (GOU-02)") && !publicCampus.contains("GOU-01"))
            #expect(!publicCampus.contains("Rapport d'activité \(f.year)"))
            let teamCampus = try await app.send(.GET, campusPath, as: team).body.string
            #expect(teamCampus.contains("(GOU-01)") && teamCampus.contains("Rapport d'activité \(f.year) : <strong>Pas encore commencé</strong>"))
        }
    }

    @Test("région: its campuses side by side, reports received and missing, frozen figures of a transmitted report, open dossiers", arguments: TestDatabase.all)
    func region(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await Fixture.make(app)
            let hdf = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            let path = "/regions/32/tableau-de-bord"
            let bars = try await Self.csv(app, path + "/donnees/indicateur-campus.csv?indicateur=GOU-02")
            #expect(bars.count == 3 && bars[1].hasSuffix(";Alpha;Hauts-de-France;Matériaux, matériaux innovants;12") && bars[2].hasSuffix(";3"))
            let page = try await app.send(.GET, path + "?indicateur=GOU-02", as: .anonymous).body.string
            // The bars and their table twin: the same figures.
            #expect(page.contains("<th scope=\"row\">Alpha</th><td class=\"num\">12</td>") && page.contains("<th scope=\"row\">Bêta</th><td class=\"num\">3</td>"))
            #expect(page.contains(">12</text>") && page.contains(">3</text>") && !page.contains("Gamma"))

            // Alpha transmits its report; then its GOU-02 changes: the dashboard keeps the frozen 12.
            let base = "/api/v1/campus/\(f.alpha.id!.lower)/rapports/\(f.year)"
            #expect(try await app.send(.PUT, base + "/textes", json: #"{"reseau": "Le réseau grandit."}"#).status == .ok)
            #expect(try await app.send(.POST, base + "/transmission").status == .ok)
            #expect(try await app.send(.PUT, "/api/v1/campus/\(f.alpha.id!.lower)/indicateurs/GOU-02/valeurs/\(f.year)", json: #"{"valeur": 50}"#).status == .ok)
            let frozen = try await Self.csv(app, path + "/donnees/indicateur-campus.csv?indicateur=GOU-02")
            #expect(frozen[1].hasSuffix(";12"))
            let reports = try await Self.csv(app, path + "/donnees/rapports.csv", as: hdf)
            #expect(reports.count == 3 && reports[1].hasSuffix(";Alpha;Hauts-de-France;Matériaux, matériaux innovants;transmis;true") && reports[2].hasSuffix(";absent;false"), "\(reports)")
            let staff = try await app.send(.GET, path, as: hdf).body.string
            #expect(staff.contains("<strong>1 reçus</strong>, <strong>1 manquants</strong>"))
            let dossiers = try await Self.csv(app, path + "/donnees/dossiers.csv", as: hdf)
            #expect(dossiers.count == 2 && dossiers[1].contains(";Alpha;En préparation;En préparation;0"))
        }
    }

    @Test("campus: each indicator against its initial value and target, its trend over five school years, the same figures in the tables", arguments: TestDatabase.all)
    func campus(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await Fixture.make(app)
            let path = "/campus/\(f.alpha.id!.lower)/tableau-de-bord"
            let page = try await app.send(.GET, path, as: .anonymous)
            #expect(page.status == .ok, "\(page.body.string.prefix(2000))")
            let html = page.body.string
            #expect(html.contains("Valeur : 12 ; valeur initiale : 10 ; cible : 20."))
            #expect(html.contains("<th scope=\"row\">Valeur initiale</th><td class=\"num\">10</td>"))
            #expect(html.contains("<th scope=\"row\">\(f.year.previous)</th><td class=\"num\">8</td>") && html.contains("<th scope=\"row\">\(f.year)</th><td class=\"num\">12</td>"))
            let current = try await Self.csv(app, path + "/donnees/indicateurs.csv")
            #expect(current.contains("GOU-02;Conventions signées;nombre;12;10;20;2029-08-31"))
            let trend = try await Self.csv(app, path + "/donnees/evolution.csv")
            #expect(trend.contains("GOU-02-\(f.year.previous);GOU-02;\(f.year.previous);8") && trend.contains("GOU-02-\(f.year);GOU-02;\(f.year);12"))
            #expect(!trend.contains { $0.hasPrefix("GOU-01") })
        }
    }

    @Test("every table's schema describes its CSV; bad filters are refused in French and unknown files are 404", arguments: TestDatabase.all)
    func schemasAndRefusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await Fixture.make(app)
            for (csv, table) in [("/tableau-de-bord/donnees/indicateur-region", "indicateur-region"), ("/regions/32/tableau-de-bord/donnees/labels-expirant", "labels-expirant"),
                                 ("/campus/\(f.alpha.id!.lower)/tableau-de-bord/donnees/evolution", "evolution")] {
                let schema = try await app.send(.GET, csv + ".schema.json", as: .anonymous)
                #expect(schema.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: schema.body)) as? [String: Any])
                #expect(json["name"] as? String == table && json["primaryKey"] as? [String] == ["id"])
                let names = (json["fields"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                let header = try await Self.csv(app, csv + ".csv")[0]
                #expect(names.joined(separator: ";") == header)
            }
            for bad in ["/tableau-de-bord?indicateur=NOPE-1", "/tableau-de-bord?annee=2025", "/tableau-de-bord?statut=partout", "/tableau-de-bord?filiere=cuisine",
                        "/tableau-de-bord?region=atlantide", "/tableau-de-bord?indicateur=\(String(repeating: "A", count: 40))", "/tableau-de-bord?annee=3000-3001"] {
                let response = try await app.send(.GET, bad, as: .anonymous)
                #expect(response.status == .unprocessableEntity, "\(bad)")
            }
            #expect(try await app.send(.GET, "/tableau-de-bord/donnees/inconnue.csv", as: .anonymous).status == .notFound)
            #expect(try await app.send(.GET, "/tableau-de-bord/donnees/labels-annee.xlsx", as: .anonymous).status == .notFound)
            #expect(try await app.send(.GET, "/regions/atlantide/tableau-de-bord", as: .anonymous).status == .notFound)
            #expect(try await app.send(.GET, "/campus/\(UUID().lower)/tableau-de-bord", as: .anonymous).status == .notFound)
        }
    }
}

@Suite("The dashboards' API: the same tables as JSON, documented")
struct DashboardAPITests {
    @Test("the API twins give the pages' tables under the same filters and rights, and match the OpenAPI document", arguments: TestDatabase.all)
    func api(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await DashboardTests.Fixture.make(app)
            let v = try OpenAPIValidator()
            let hdf = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            let national = "/api/v1/tableaux-de-bord/national", region = "/api/v1/tableaux-de-bord/regions/{region}", campus = "/api/v1/tableaux-de-bord/campus/{campusId}"
            let answer = try await OpenAPITests.conforms(app, v, .GET, national + "?indicateur=GOU-02&region=32", template: national, as: .anonymous)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any])
            let tables = try #require(json["tables"] as? [[String: Any]])
            #expect(tables.compactMap { $0["nom"] as? String } == ["campus-filiere-region", "indicateur-region", "indicateur-campus", "labels-annee", "lacunes", "mutualisation", "labels-expirant"])
            let byRegion = try #require(tables.first { $0["nom"] as? String == "indicateur-region" }?["lignes"] as? [[String: Any]])
            #expect(byRegion.first { $0["id"] as? String == "32" }?["valeur"] as? Double == 15)
            _ = try await OpenAPITests.conforms(app, v, .GET, national + "?indicateur=GOU-01", template: national, as: .anonymous)
            _ = try await OpenAPITests.conforms(app, v, .GET, national + "?indicateur=GOU-01", template: national, as: hdf)
            _ = try await OpenAPITests.conforms(app, v, .GET, national + "?indicateur=GOU-01&statut=excellence", template: national)
            _ = try await OpenAPITests.conforms(app, v, .GET, national + "?annee=2025", template: national)
            let staff = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/tableaux-de-bord/regions/32?indicateur=GOU-01", template: region, as: hdf)
            #expect(staff.status == .ok && staff.body.string.contains("\"nom\":\"rapports\"") && staff.body.string.contains("\"nom\":\"dossiers\""))
            let visitor = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/tableaux-de-bord/regions/hauts-de-france", template: region, as: .anonymous)
            #expect(visitor.status == .ok && !visitor.body.string.contains("\"nom\":\"rapports\""))
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/tableaux-de-bord/regions/atlantide", template: region)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/tableaux-de-bord/campus/\(f.alpha.id!.lower)", template: campus, as: .anonymous)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/tableaux-de-bord/campus/\(f.alpha.id!.lower)?annee=demain", template: campus)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/tableaux-de-bord/campus/\(UUID().lower)", template: campus)
        }
    }
}
