@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Actions: the back-office (form, publication, duplication, participation, exports, counts)")
struct ActionManagementTests {
    func form(_ f: ActionFixture, extra: [(String, String)] = []) -> [(String, String)] {
        [("campus", f.campus.id!.lower), ("titre", "Mercredi découverte des métiers"), ("resume", "Pour les élèves de 3e."),
         ("description", "Ateliers **plasturgie**."), ("type", "decouverte-collegiens"), ("public-collegiens", "on"), ("niveau-3", "on"),
         ("horaires", "2027-03-10 09:00 12:00\n2027-03-17 09:00 12:00"), ("lieuType", "adresse"), ("nomLieu", "Lycée Condorcet"),
         ("adresse", "Rue Jean-Jaurès"), ("codePostal", "80000"), ("commune", "Amiens"), ("codeInsee", "80021"), ("latitude", "49,894"),
         ("longitude", "2.302"), (ActionForm.organiserField(f.lycee.id!), "on"), ("inscription", "cmq"), ("capacite", "24"), ("statut", "programme")] + extra
    }

    @Test("the campus team creates an action by the form, faults beside their fields; publishes, duplicates, records the participation", arguments: TestDatabase.all)
    func teamWorkflow(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.campus.id)
            let newForm = try await app.send(.GET, "/gestion/actions/nouvelle?campus=\(f.campus.id!.lower)", as: team)
            #expect(newForm.status == .ok && newForm.body.string.contains("Organise : Lycée Condorcet"))
            // a member's form is for its organisation's campus, its organisation ticked as organiser
            let member = try await TestAccounts.identity(app, .membre, organisation: f.lycee.id)
            let memberForm = FormPage(try await app.send(.GET, "/gestion/actions/nouvelle", as: member))
            #expect(memberForm.control("champ-" + ActionForm.organiserField(f.lycee.id!))?.contains("checked") == true)
            // refused: overlapping timings, no title
            var bad = form(f).filter { $0.0 != "titre" && $0.0 != "horaires" }
            bad.append(("horaires", "2027-03-10 09:00 12:00\n2027-03-10 11:00 13:00\nlundi matin"))
            let refused = try await app.submit("/gestion/actions/nouvelle", bad, as: team)
            #expect(refused.status == .unprocessableEntity)
            let page = FormPage(refused)
            #expect(page.error("champ-horaires")?.contains("Ligne 3") == true)
            #expect(try await ActionRecord.query(on: app.db).count() == 0)
            let created = try await app.submit("/gestion/actions/nouvelle", form(f), as: team)
            #expect(created.status == .seeOther)
            let action = try #require(try await ActionRecord.query(on: app.db).first())
            let id = action.id!
            #expect(action.departement == "80" && action.capacite == 24 && action.latitude == 49.894 && action.moderation == .brouillon)
            let list = try await app.send(.GET, "/gestion/actions", as: team).body.string
            #expect(list.contains(ActionsURL.publish(id).path) && list.contains(ActionsURL.edit(id).path))
            #expect(try await app.submit(ActionsURL.publish(id).path, [], as: team).status == .seeOther)
            #expect(try await ActionRecord.find(id, on: app.db)?.moderation == .publie)
            // the edit form shows what was saved
            let edit = FormPage(try await app.send(.GET, ActionsURL.edit(id).path, as: team))
            #expect(edit.html.contains("2027-03-10 09:00 12:00"))
            // duplicated a year later (same weekday), as a draft
            let copy = try await app.submit(ActionsURL.duplicate(id).path, [], as: team)
            #expect(copy.status == .seeOther)
            let copies = try await ActionRecord.query(on: app.db).filter(\.$id != id).all()
            #expect(copies.count == 1 && copies[0].moderation == .brouillon)
            #expect(try copies[0].timings.first?.start.iso == "2028-03-08T09:00")
            // the région sees the list without the links to change it
            let region = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            let regionList = try await app.send(.GET, "/gestion/actions", as: region).body.string
            #expect(regionList.contains("Mercredi découverte des métiers") && !regionList.contains(ActionsURL.edit(id).path))
            #expect(try await app.send(.GET, ActionsURL.edit(id).path, as: region).status == .forbidden)
            #expect(try await app.send(.GET, ActionsURL.registrationsCSV(id).path, as: region).status == .forbidden)
        }
    }

    @Test("participation, the registrants in CSV, and the counts by school year per campus, région and nation", arguments: TestDatabase.all)
    func participationAndCounts(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ActionFixture.make(app)
            let id = try await f.published(app).record.id!
            _ = try await RegistrationLedger(db: app.db, caller: f.visitor).register(actionID: id, name: "=HYPERLINK(\"x\")", email: "martin@example.fr", category: .parent, people: 2)
            app.clock = .fixed(ISO8601DateFormatter().date(from: "2027-02-14T10:00:00Z")!)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.campus.id)
            let csv = try await app.send(.GET, ActionsURL.registrationsCSV(id).path, as: team)
            #expect(csv.headers.contentType?.description == "text/csv; charset=utf-8")
            #expect(csv.body.string.contains("\"'=HYPERLINK(\"\"x\"\")\";martin@example.fr;Parent;2;Inscrit"))
            let refused = try await app.submit(ActionsURL.participation(id).path, [("participants-collegiens", "-3")], as: team)
            #expect(refused.status == .unprocessableEntity)
            let done = try await app.submit(ActionsURL.participation(id).path, [("participants-collegiens", "120"), ("participants-parents", "80"),
                                                                              ("etablissements", "Collège Rimbaud\nCollège Hugo"), ("bilan", "Belle journée.")], as: team)
            #expect(done.status == .seeOther)
            let counts = try await app.send(.GET, "/gestion/actions/comptes?niveau=national", as: .admin).body.string
            #expect(counts.contains("2026-2027") && counts.contains("<td class=\"num\">200</td>"))
            let regionCSV = try await app.send(.GET, "/gestion/actions/comptes.csv?niveau=region", as: .admin).body.string
            #expect(regionCSV.contains("Hauts-de-France;2026-2027;Journée portes ouvertes;1;120;0;0;0;0;80;0;0;200"))
            let other = try await TestAccounts.identity(app, .equipeCampus, campus: f.otherCampus.id)
            #expect(!(try await app.send(.GET, "/gestion/actions/comptes.csv", as: other).body.string.contains("Journée portes ouvertes")))
        }
    }
}
