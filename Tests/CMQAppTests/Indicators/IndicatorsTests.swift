@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("A campus's indicators: computed, entered, targets")
struct IndicatorsTests {
    struct Board: Decodable {
        struct Line: Decodable {
            struct Indicator: Decodable { let code: String; let source: String; let `public`: Bool }
            struct Target: Decodable { let initiale: Double; let cible: Double; let echeance: String }
            let indicateur: Indicator
            let valeur: Double?
            let valeurTexte: String?
            let precedente: Double?
            let cible: Target?
            let progression: Double?
        }
        let annee: String
        let modifiable: Bool
        let indicateurs: [Line]

        func line(_ code: String) -> Line? { indicateurs.first { $0.indicateur.code == code } }
    }

    @Test("the computed indicators of a school year, checked by hand: network, offer and platforms", arguments: TestDatabase.all)
    func computed(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app, approval: false)
            // The network: the lycée and the CFA of the fixture, a company, a laboratory; a member that left long ago.
            try await Factory.membership(app.db, campus: f.campus, organisation: f.entreprise)
            let lab = try await Factory.organisation(app.db, nom: "Laboratoire des polymères", kind: "laboratoire-recherche")
            try await Factory.membership(app.db, campus: f.campus, organisation: lab)
            let former = try await Factory.organisation(app.db, nom: "Ancien membre", kind: "entreprise")
            let left = try await Factory.membership(app.db, campus: f.campus, organisation: former)
            left.jusquA = "2001-06-30"
            try await left.save(on: app.db)
            // The offer: one bac pro (level 4) under two statuses.
            #expect(try await app.send(.POST, "/api/v1/formations", json: FormationsAPITests.body(f.lycee)).status == .created)
            // The platform: 4 h booked by the CFA, 2 h by the lycée that owns it, on the same day.
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "12:00", day: 1, equipement: f.presseID), as: f.booker).status == .created)
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "10:00", day: 1, equipement: f.centreID), as: f.owner).status == .created)

            let year = SchoolYear(containing: f.monday.adding(days: 1))
            let values = try await IndicatorComputer(db: app.db).compute(Set(IndicatorComputation.allCases), campus: f.campus, year: year, today: year.lastDay)
            #expect(values[.membres] == 4)
            #expect(values[.membresEntreprises] == 1)
            #expect(values[.membresRecherche] == 1)
            #expect(values[.formations] == 1)
            // Level 4 lacks the student and continuing statuses (2); levels 3, 5, 6, 7 and 8 lack everything (5).
            #expect(values[.lacunesCouverture] == 7)
            // Offered to pupils and to apprentices; not in continuing education; not higher education.
            #expect(values[.formationsApprentissage] == 1 && values[.formationsInitiale] == 1)
            #expect(values[.formationsContinue] == 0 && values[.formationsSuperieur] == 0)
            // By exit level: the bac pro is level 4.
            #expect(values[.formationsNiveau4] == 1 && values[.formationsNiveau3] == 0 && values[.formationsNiveau5] == 0)
            #expect(values[.formationsNiveau6] == 0 && values[.formationsNiveau7] == 0)
            // No pathway file, no InserJeunes figures loaded: no value (not a zero).
            #expect(values[.apprenants] == nil && values[.insertionDevenirFavorable] == nil)
            #expect(values[.actions] == 0)
            #expect(values[.plateauxHeures] == 6)
            // 4 of the 6 hours by another organisation than the owner: 66.7 %.
            #expect(values[.plateauxMutualisation] == 66.7)
            #expect(values[.plateauxHeuresEntreprises] == 0)
            // Occupied 4 h (08:00–12:00) of the platform's open hours over the school year.
            let occupation = try #require(values[.plateauxOccupation])
            #expect(occupation > 0 && occupation < 1)
            // A school year that has not begun has no computed value.
            #expect(try await IndicatorComputer(db: app.db).compute(Set(IndicatorComputation.allCases), campus: f.campus, year: year.next, today: year.lastDay).isEmpty)
        }
    }

    @Test("entered values and targets: the campus team writes them, the public reads only public indicators, others are refused", arguments: TestDatabase.all)
    func enteredAndTargets(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let id = campus.id!.lower
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id)
            let otherTeam = try await TestAccounts.identity(app, .equipeCampus, campus: try await Factory.campus(app.db, nom: "Autre campus").id)
            let year = SchoolYear(containing: CalendarDay.today)

            // Anonymous: public indicators only, nothing to edit.
            let anonymous = try await app.send(.GET, "/api/v1/campus/\(id)/indicateurs", as: .anonymous).decoded(Board.self)
            #expect(anonymous.annee == year.description && !anonymous.modifiable)
            #expect(anonymous.indicateurs.allSatisfy { $0.indicateur.public })
            #expect(anonymous.line("GOU-01") == nil)

            // Writing: 401 anonymous, 403 another campus's team, 200 the team.
            let path = "/api/v1/campus/\(id)/indicateurs/GOU-02/valeurs/\(year)"
            #expect(try await app.send(.PUT, path, json: #"{"valeur": 12}"#, as: .anonymous).status == .unauthorized)
            #expect(try await app.send(.PUT, path, json: #"{"valeur": 12}"#, as: otherTeam).status == .forbidden)
            let saved = try await app.send(.PUT, path, json: #"{"valeur": 12}"#, as: team)
            #expect(saved.status == .ok, "\(saved.body.string)")
            #expect(try await app.send(.PUT, path, json: #"{"valeur": 14}"#, as: team).status == .ok)
            #expect(try await IndicatorValueRecord.query(on: app.db).count() == 1)

            // Refusals: a computed indicator, a percentage over 100, a school year to come, an unknown code, no value.
            let computed = try await app.send(.PUT, "/api/v1/campus/\(id)/indicateurs/RES-01/valeurs/\(year)", json: #"{"valeur": 3}"#, as: team)
            #expect(computed.status == .unprocessableEntity && computed.messages.contains("calculé par cmq"))
            #expect(try await app.send(.PUT, "/api/v1/campus/\(id)/indicateurs/GOU-04/valeurs/\(year)", json: #"{"valeur": 120}"#, as: team).status == .unprocessableEntity)
            #expect(try await app.send(.PUT, "/api/v1/campus/\(id)/indicateurs/GOU-02/valeurs/\(year.next)", json: #"{"valeur": 1}"#, as: team).status == .unprocessableEntity)
            #expect(try await app.send(.PUT, "/api/v1/campus/\(id)/indicateurs/NOPE-1/valeurs/\(year)", json: #"{"valeur": 1}"#, as: team).status == .notFound)
            #expect(try await app.send(.PUT, path, json: #"{}"#, as: team).status == .unprocessableEntity)
            #expect(try await app.send(.PUT, "/api/v1/campus/\(id)/indicateurs/GOU-02/valeurs/2025", json: #"{"valeur": 1}"#, as: team).status == .unprocessableEntity)
            #expect(try await IndicatorValueRecord.query(on: app.db).first()?.valeur == 14)

            // A target: in the good direction only; progress from the initial value.
            let target = "/api/v1/campus/\(id)/indicateurs/GOU-02/cible"
            let wrongWay = try await app.send(.PUT, target, json: #"{"initiale": 10, "cible": 5, "echeance": "2029-08-31"}"#, as: team)
            #expect(wrongWay.status == .unprocessableEntity && wrongWay.messages.contains("plus haut est mieux"))
            #expect(try await app.send(.PUT, target, json: #"{"initiale": 10, "cible": 20, "echeance": "2029-08-31"}"#, as: otherTeam).status == .forbidden)
            #expect(try await app.send(.PUT, target, json: #"{"initiale": 10, "cible": 20, "echeance": "2029-08-31"}"#, as: team).status == .ok)

            let board = try await app.send(.GET, "/api/v1/campus/\(id)/indicateurs", as: team).decoded(Board.self)
            #expect(board.modifiable)
            #expect(board.line("GOU-01") != nil)
            let line = try #require(board.line("GOU-02"))
            #expect(line.valeur == 14 && line.valeurTexte == "14")
            #expect(line.cible?.cible == 20 && line.cible?.echeance == "2029-08-31")
            #expect(line.progression == 0.4)
            // The audit trail has the value (created then changed) and the target.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "indicateur-valeur").count() == 2)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "indicateur-cible").count() == 1)
            // A bad school year in the query.
            #expect(try await app.send(.GET, "/api/v1/campus/\(id)/indicateurs?annee=2025", as: .anonymous).status == .unprocessableEntity)
        }
    }

    @Test("the page shows the public indicators to everyone and the forms to the team only; a form's refusal is explained", arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let page = try await app.send(.GET, "/campus/\(campus.id!.lower)/indicateurs", as: .anonymous)
            #expect(page.status == .ok, "\(page.body.string.prefix(3000))")
            #expect(page.body.string.contains("Membres du réseau") && page.body.string.contains("Mobilités internationales sortantes"))
            #expect(!page.body.string.contains("Réunions des instances de gouvernance"))
            #expect(!page.body.string.contains("Enregistrer la cible"))
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id)
            let teamPage = try await app.send(.GET, "/campus/\(campus.id!.lower)/indicateurs", as: team)
            #expect(teamPage.body.string.contains("Réunions des instances de gouvernance") && teamPage.body.string.contains("Enregistrer la cible"))
        }
    }

    @Test("the indicators' answers, successes and errors, match the OpenAPI document", arguments: TestDatabase.all)
    func documented(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let campus = try await Factory.campus(app.db)
            let id = campus.id!.lower
            let year = SchoolYear(containing: CalendarDay.today)
            let board = "/api/v1/campus/{campusId}/indicateurs"
            let value = "/api/v1/campus/{campusId}/indicateurs/{code}/valeurs/{annee}"
            let target = "/api/v1/campus/{campusId}/indicateurs/{code}/cible"
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/indicateurs", template: "/api/v1/indicateurs")
            _ = try await OpenAPITests.conforms(app, v, .PUT, "/api/v1/campus/\(id)/indicateurs/GOU-02/valeurs/\(year)", template: value, json: #"{"valeur": 3}"#)
            _ = try await OpenAPITests.conforms(app, v, .PUT, "/api/v1/campus/\(id)/indicateurs/GOU-02/cible", template: target, json: #"{"initiale": 1, "cible": 4, "echeance": "2029-08-31"}"#)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/campus/\(id)/indicateurs", template: board)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/campus/\(id)/indicateurs?annee=\(year.previous)", template: board, as: .anonymous)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/campus/\(id)/indicateurs?annee=demain", template: board)
            _ = try await OpenAPITests.conforms(app, v, .PUT, "/api/v1/campus/\(id)/indicateurs/RES-01/valeurs/\(year)", template: value, json: #"{"valeur": 3}"#)
            _ = try await OpenAPITests.conforms(app, v, .PUT, "/api/v1/campus/\(id)/indicateurs/GOU-02/cible", template: target, json: #"{"initiale": 1}"#)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/campus/\(UUID().lower)/indicateurs", template: board)
            // The activity report.
            let report = "/api/v1/campus/{campusId}/rapports/{annee}", base = "/api/v1/campus/\(id)/rapports/\(year)"
            _ = try await OpenAPITests.conforms(app, v, .GET, base, template: report)
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/transmission", template: report + "/transmission")
            _ = try await OpenAPITests.conforms(app, v, .PUT, base + "/textes", template: report + "/textes", json: #"{"reseau": "Texte", "offre": null}"#)
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/transmission", template: report + "/transmission")
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/prise-en-compte", template: report + "/prise-en-compte", json: #"{"commentaire": "Vu."}"#)
            _ = try await OpenAPITests.conforms(app, v, .GET, base, template: report, as: .anonymous)
        }
    }

    @Test("a catalogue file extends the catalogue; a faulty one is refused whole", arguments: TestDatabase.all)
    func loading(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let good = #"{"indicateurs": [{"code": "ATT-01", "libelle": "Visiteurs des portes ouvertes", "definition": "Visiteurs comptés.", "unite": "nombre", "famille": "attractivite", "source": "saisi", "sens": "hausse", "public": true}]}"#
            #expect(try await IndicatorService.load(Data(good.utf8), now: Date(), on: app.db).map(\.code) == ["ATT-01"])
            #expect(try await IndicatorService.catalog(on: app.db).indicator(code: "ATT-01") != nil)
            let again = #"{"indicateurs": [{"code": "ATT-01", "libelle": "X", "definition": "X", "unite": "nombre", "famille": "attractivite", "source": "saisi", "sens": "hausse", "public": true}]}"#
            await #expect(throws: AppError.self) { _ = try await IndicatorService.load(Data(again.utf8), now: Date(), on: app.db) }
            #expect(try await IndicatorCatalogueRecord.query(on: app.db).count() == 1)
            let catalogue = try await app.send(.GET, "/api/v1/indicateurs", as: .anonymous)
            #expect(catalogue.status == .ok && catalogue.body.string.contains("ATT-01"))
        }
    }
}
