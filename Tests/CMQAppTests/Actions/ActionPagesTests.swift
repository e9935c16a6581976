@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Actions: public pages, registration by the form, calendar files and feeds")
struct ActionPagesTests {
    @Test("/actions lists the published upcoming actions, filtered by département or postcode; the archive the past ones", arguments: TestDatabase.all)
    func list(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let published = try await f.published(app)
            let service = ActionService(db: app.db, caller: f.team)
            var draft = try f.draft()
            draft.titre = "Brouillon invisible"
            _ = try await service.create(campusID: f.campus.id!, draft)
            draft.titre = "Salon de printemps"
            draft.type = .salonForum
            draft.horaires = [try TimeRange(iso: "2026-03-14T09:00", "2026-03-14T17:00")]
            let past = try await service.create(campusID: f.campus.id!, draft)
            _ = try await service.moderate(past.record.id!, to: .publie)

            let all = try await app.send(.GET, "/actions", as: .anonymous)
            #expect(all.status == .ok)
            #expect(all.body.string.contains("Journée portes ouvertes") && !all.body.string.contains("Brouillon invisible") && !all.body.string.contains("Salon de printemps"))
            #expect(try await app.send(.GET, "/actions?departement=80", as: .anonymous).body.string.contains(published.record.titre))
            #expect(try await app.send(.GET, "/actions?cp=80000", as: .anonymous).body.string.contains(ActionsURL.page(published.record.id).path))
            #expect(!(try await app.send(.GET, "/actions?departement=02", as: .anonymous).body.string.contains(ActionsURL.page(published.record.id).path)))
            #expect(!(try await app.send(.GET, "/actions?public=entreprises", as: .anonymous).body.string.contains(ActionsURL.page(published.record.id).path)))
            #expect(try await app.send(.GET, "/actions?public=parents&type=portes-ouvertes&du=2027-02-13&au=2027-02-13", as: .anonymous).body.string
                .contains(ActionsURL.page(published.record.id).path))
            let archive = try await app.send(.GET, "/actions/archives", as: .anonymous).body.string
            #expect(archive.contains("Salon de printemps") && !archive.contains(ActionsURL.page(published.record.id).path))
            // the home page and the campus page show the next published actions
            #expect(try await app.send(.GET, "/", as: .anonymous).body.string.contains(ActionsURL.page(published.record.id).path))
            let campusPage = try await app.send(.GET, "/campus/\(f.campus.id!.lower)", as: .anonymous).body.string
            #expect(campusPage.contains(ActionsURL.page(published.record.id).path) && !campusPage.contains("Brouillon invisible"))
            let bad = try await app.send(.GET, "/actions?cp=8000&type=fete&du=2027-13-01", as: .anonymous)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("La requête contient 3 erreurs"))
        }
    }

    @Test("/actions?vue=carte: the actions as named points on the map, the areas linked to the map narrowed, the list of the points; without JavaScript", arguments: TestDatabase.all)
    func map(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            f.lycee.latitude = 49.894
            f.lycee.longitude = 2.302
            try await f.lycee.update(on: app.db)
            let published = try await f.published(app)
            var draft = try f.draft()
            draft.titre = "Webinaire des métiers"
            draft.lieu = .enLigne(url: "https://visio.example.fr/metiers")
            let online = try await ActionService(db: app.db, caller: f.team).create(campusID: f.campus.id!, draft)
            _ = try await ActionService(db: app.db, caller: f.team).moderate(online.record.id!, to: .publie)
            // the list offers the map, keeping the filters
            let list = try await app.send(.GET, "/actions?departement=80", as: .anonymous).body.string
            #expect(list.contains(#"<a href="/actions?departement=80&amp;vue=carte">Carte</a>"#) || list.contains(#"<a href="/actions?departement=80&vue=carte">Carte</a>"#))
            let response = try await app.send(.GET, "/actions?vue=carte", as: .anonymous)
            #expect(response.status == .ok)
            let html = response.body.string
            let point = "Journée portes ouvertes (13 février 2027)"
            // a point for the action at the lycée, named in the drawing and in the list beside it; none for the online one
            #expect(html.contains("<svg class=\"map\"") && html.contains("<title>\(point)</title>"))
            #expect(html.contains(#"<a href="\#(ActionsURL.page(published.record.id).path)">\#(point)</a>"#))
            #expect(!html.contains("<title>Webinaire des métiers") && html.contains("1 action en ligne ou sans coordonnées n&#39;apparaît pas sur la carte."))
            #expect(html.contains("Lieu d&#39;une action") && html.contains("Hauts-de-France : 2 actions") && !html.contains("<script"))
            #expect(html.contains(#"aria-current="page">Carte</a>"#) && !html.contains("Page 1 sur"))
            // a région: its académies
            let region = try await app.send(.GET, "/actions?vue=carte&region=32", as: .anonymous).body.string
            #expect(region.contains("Amiens : 2 actions") && region.contains("<title>\(point)</title>"))
            let bad = try await app.send(.GET, "/actions?vue=plan", as: .anonymous)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("La vue est « liste » ou « carte »."))
        }
    }

    @Test("an action's page: timings, place, JSON-LD Event, safe description, calendar file; a draft is not found by the public", arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let service = ActionService(db: app.db, caller: f.team)
            var draft = try f.draft()
            draft.description = "## Programme\n<script>alert(1)</script> **ateliers**"
            let created = try await service.create(campusID: f.campus.id!, draft)
            let path = ActionsURL.page(created.record.id).path
            #expect(try await app.send(.GET, path, as: .anonymous).status == .notFound)
            _ = try await service.moderate(created.record.id!, to: .publie)
            let html = try await app.send(.GET, path, as: .anonymous).body.string
            #expect(html.contains("samedi 13 février 2027 de 09:00 à 17:00"))
            #expect(html.contains("Lycée Condorcet"))
            #expect(html.contains(#""@type":"EducationEvent""#) && html.contains(#""startDate":"2027-02-13T09:00:00+01:00""#))
            #expect(html.contains("<h3>Programme</h3>") && html.contains("&lt;script&gt;") && !html.contains("<script>alert"))
            #expect(html.contains("30 places restantes."))
            let ics = try await app.send(.GET, ActionsURL.calendarFile(created.record.id).path, as: .anonymous)
            #expect(ics.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(ics.body.string.contains("DTSTART:20270213T080000Z\r\n") && ics.body.string.contains("SUMMARY:Journée portes ouvertes\r\n"))
            let feed = try await app.send(.GET, "/actions/calendrier.ics?region=32", as: .anonymous).body.string
            #expect(feed.components(separatedBy: "BEGIN:VEVENT").count == 2)
            let agenda = try await app.send(.GET, "/actions/openagenda.json?region=32", as: .anonymous)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(agenda.body.string.utf8)) as? [String: Any])
            let event = try #require((json["events"] as? [[String: Any]])?.first)
            #expect(json["total"] as? Int == 1 && (event["title"] as? [String: String])?["fr"] == "Journée portes ouvertes")
            #expect(event["status"] as? Int == 1 && event["attendanceMode"] as? Int == 1)
            #expect((event["timings"] as? [[String: String]])?.first?["begin"] == "2027-02-13T09:00:00+01:00")
            #expect((event["accessibility"] as? [String: Bool])?["mi"] == true && (event["accessibility"] as? [String: Bool])?["vi"] == false)
            #expect((event["location"] as? [String: Any])?["name"] as? String == "Lycée Condorcet")
            let otherRegion = try await app.send(.GET, "/actions/calendrier.ics?region=84", as: .anonymous).body.string
            #expect(!otherRegion.contains("BEGIN:VEVENT"))
        }
    }

    @Test("the registration form: faults beside the fields and nothing written; then registered, and cancelled by its own link", arguments: TestDatabase.all)
    func registration(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let id = try await f.published(app, capacity: 2).record.id!
            let form = ActionsURL.register(id).path
            let refused = try await app.submit(form, [("nom", ""), ("courriel", "pas-une-adresse"), ("categorie", "parent"), ("personnes", "30")])
            #expect(refused.status == .unprocessableEntity)
            let page = FormPage(refused)
            #expect(page.error("champ-nom") != nil && page.error("champ-personnes") != nil)
            #expect(try await InscriptionRecord.query(on: app.db).count() == 0)
            let done = try await app.submit(form, [("nom", "Famille Martin"), ("courriel", "martin@example.fr"), ("categorie", "parent"), ("personnes", "2")])
            #expect(done.status == .seeOther)
            let location = try #require(done.headers.first(name: .location))
            #expect(location.hasPrefix("/actions/inscriptions/ins_") && location.hasSuffix("?fait=inscrit"))
            let own = try await app.send(.GET, location, as: .anonymous).body.string
            #expect(own.contains(#"<dd id="etat-inscription">Inscrit</dd>"#))
            let full = try await app.submit(form, [("nom", "Léa"), ("courriel", "lea@example.fr"), ("categorie", "eleve"), ("personnes", "1")])
            #expect(full.headers.first(name: .location)?.hasSuffix("?fait=attente") == true)
            let cancelPath = String(location.prefix { $0 != "?" })
            let cancelled = try await app.submit(cancelPath, [])
            #expect(cancelled.status == .seeOther)
            #expect(try await app.send(.GET, cancelPath, as: .anonymous).body.string.contains(#"<dd id="etat-inscription">Annulé</dd>"#))
            // Léa moved up from the waiting list
            #expect(try await InscriptionRecord.query(on: app.db).filter(\.$etat == .inscrit).count() == 1)
            #expect(try await app.send(.GET, "/actions/inscriptions/ins_inconnu", as: .anonymous).status == .notFound)
        }
    }
}
