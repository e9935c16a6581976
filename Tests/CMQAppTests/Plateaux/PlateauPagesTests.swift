@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The platform fixture of the API tests, with accounts that sign in to the pages: the owner's member, the booking
/// member (CFA), the company's member (outside the network) and the campus team.
struct PlateauPagesFixture {
    let base: PlateauFixture
    static let password = "mot de passe des plateaux"

    static func make(_ app: Application, approval: Bool = true, extra: String = "") async throws -> PlateauPagesFixture {
        let base = try await PlateauFixture.make(app, approval: approval, extra: extra)
        _ = try await TestAccounts.user(app, role: .membre, email: "proprietaire@cmq.test", organisation: base.lycee.id, password: password)
        _ = try await TestAccounts.user(app, role: .membre, email: "cfa@cmq.test", organisation: base.cfa.id, password: password)
        _ = try await TestAccounts.user(app, role: .membre, email: "entreprise@cmq.test", organisation: base.entreprise.id, password: password)
        _ = try await TestAccounts.user(app, role: .equipeCampus, email: "equipe@cmq.test", campus: base.campus.id, password: password)
        return PlateauPagesFixture(base: base)
    }

    func session(_ app: Application, _ email: String) async throws -> BrowserSession {
        var browser = BrowserSession(app)
        let signedIn = try await browser.signIn(email, Self.password)
        #expect(signedIn.status == .seeOther)
        return browser
    }

    var page: String { PlateauxURL.page(base.plateauID).path }

    /// The booking form's fields for the press on day `day` of the fixture's week.
    func form(_ from: String, _ to: String, day: Int = 0) -> [(String, String)] {
        [("equipement", base.presseID.lower), ("jour", base.monday.adding(days: day).iso), ("debut", from), ("fin", to),
         ("objet", "formation"), ("participants", "12"), ("details", "Groupe BTS"), ("formationSecuriteConfirmee", "on"),
         ("semaines", ""), ("politique", "tout-ou-rien")]
    }

    static func status(_ app: Application, _ id: UUID) async throws -> String? {
        try await ReservationRecord.find(id, on: app.db)?.statut.rawValue
    }
}

extension Array where Element == (String, String) {
    /// The same form fields with `key` set to `value`.
    func setting(_ key: String, _ value: String) -> [(String, String)] { removing(key) + [(key, value)] }
    func removing(_ key: String) -> [(String, String)] { filter { $0.0 != key } }
}

@Suite("Platform pages")
struct PlateauPagesTests {
    @Test("the public page shows the platform and its week, busy time without who booked, closures with their reason", arguments: TestDatabase.all)
    func publicPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: a closure on Wednesday, an accepted booking of the press on Monday, a request for the whole platform on Tuesday
            let wednesday = CalendarDay.today.adding(days: 14).mondayOfWeek.adding(days: 2).iso
            let f = try await PlateauPagesFixture.make(app, extra: #", "fermetures": [{"debut": "\#(wednesday)", "fin": "\#(wednesday)", "raison": "maintenance", "motif": "Révision de la presse"}]"#)
            let b = f.base
            let accepted = try await app.send(.POST, "/api/v1/reservations", json: b.booking("08:00", "10:00", equipement: b.presseID), as: b.booker)
            let acceptedID = try accepted.decoded(ReservationDTO.self).id
            #expect(try await app.send(.POST, "/api/v1/reservations/\(acceptedID.lower)/acceptation", as: b.owner).status == .ok)
            #expect(try await app.send(.POST, "/api/v1/reservations", json: b.booking("14:00", "16:00", day: 1), as: b.booker).status == .created)
            // when: anyone opens the page at that week
            var visitor = BrowserSession(app)
            let response = try await visitor.get("\(f.page)?semaine=\(b.monday.adding(days: 3).iso)")
            // then
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.contains("<h1>Atelier plasturgie</h1>") && html.contains("Lycée Jean Moulin") && html.contains("12 rue des Forges"))
            #expect(html.contains(RegistryURL.organisation(b.lycee.id!).path) && html.contains(RegistryURL.campus(b.campus.id!).path))
            #expect(html.contains("<th scope=\"row\">Presse à injecter 80 t</th>") && html.contains("<strong>Requise</strong>"))
            #expect(html.contains("08:00–12:00, 13:00–18:00") && html.contains("Préavis : une réservation se fait au moins 24 heures avant son début."))
            #expect(html.contains("Une réservation dure au plus 8\u{00A0}h"))
            #expect(html.contains(PlateauxURL.apiCalendar(b.plateauID).path))
            #expect(html.contains("<caption>Semaine du \(b.monday.frenchWithWeekday) au \(b.monday.adding(days: 6).frenchWithWeekday), plateau entier</caption>"))
            #expect(html.contains("<strong>Réservé</strong> <span class=\"nowrap\">08:00–10:00</span> · Presse à injecter 80 t"))
            #expect(html.contains("<strong>Demande en attente</strong> <span class=\"nowrap\">14:00–16:00</span> · plateau entier"))
            #expect(html.contains("Fermé le \(b.monday.adding(days: 2).frenchLong) (maintenance : Révision de la presse)"))
            #expect(html.contains("<th scope=\"col\">Jour</th>") && html.contains("<th scope=\"row\">Lundi \(b.monday.frenchLong)"))
            // never who booked
            #expect(!html.contains("CFA de l") && !html.contains("@cmq.test") && !html.contains("Groupe BTS"))
            // the other weeks, and a visitor is asked to sign in to book
            #expect(html.contains("semaine=\(b.monday.adding(days: -7).iso)") && html.contains("semaine=\(b.monday.adding(days: 7).iso)"))
            #expect(html.contains("Se connecter pour réserver") && !html.contains("Envoyer la réservation"))
            // the week of the machining centre shows the whole platform's request, not the press's booking
            let centre = try await visitor.get("\(f.page)?semaine=\(b.monday.iso)&equipement=\(b.centreID.lower)").body.string
            #expect(centre.contains("Demande en attente</strong> <span class=\"nowrap\">14:00–16:00</span> · plateau entier") && !centre.contains("Réservé</strong>"))
            #expect(centre.contains(", Centre d&#39;usinage 5 axes</caption>"))
            // a wrong week or item is explained
            let wrong = try await visitor.get("\(f.page)?semaine=lundi")
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("n&#39;est pas une date au format AAAA-MM-JJ"))
            #expect(try await visitor.get("\(f.page)?equipement=\(UUID().lower)").status == .unprocessableEntity)
            #expect(try await visitor.get(PlateauxURL.page(UUID()).path).status == .notFound)
        }
    }

    @Test("a member books through the form; a conflicting booking shows the French 409 naming the booking and writes nothing", arguments: TestDatabase.all)
    func bookingForm(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauPagesFixture.make(app)
            var cfa = try await f.session(app, "cfa@cmq.test")
            let page = try await cfa.get(f.page).body.string
            #expect(page.contains("Envoyer la réservation") && page.contains("Au nom de <strong>CFA de l&#39;industrie</strong>"))
            #expect(page.contains("type=\"date\"") && page.contains("type=\"time\"") && page.contains("Formation à la sécurité requise pour : Presse à injecter 80 t"))
            // when: a valid request
            let made = try await cfa.post("\(f.page)/reserver", f.form("08:00", "10:00"))
            // then: back to the page of that week, with a notice
            #expect(made.status == .seeOther)
            let location = try #require(made.headers.first(name: .location))
            #expect(location.hasPrefix("\(f.page)?semaine=\(f.base.monday.iso)&fait=demande"))
            #expect(try await cfa.get(location).body.string.contains("Votre demande de réservation est enregistrée"))
            let booking = try #require(try await ReservationRecord.query(on: app.db).first())
            #expect(booking.statut == .demandee && booking.equipementID == f.base.presseID && booking.details == "Groupe BTS")
            // the owner accepts it
            var owner = try await f.session(app, "proprietaire@cmq.test")
            _ = try await owner.get(PlateauxURL.bookings.path)
            #expect(try await owner.post(PlateauxURL.decision(booking.id!, .accepter).path, []).status == .seeOther)
            // when: another request overlapping the accepted booking
            _ = try await cfa.get(f.page)
            let clash = try await cfa.post("\(f.page)/reserver", f.form("09:00", "11:00").setting("equipement", ""))
            // then: 409, the French message names the booking, the values stay in the form, nothing is written
            #expect(clash.status == .conflict)
            let html = clash.body.string
            // whose booking holds it (the member's own), on which item, and the free créneaux of the same length nearby
            #expect(html.contains("Ce créneau est déjà pris : il chevauche votre réservation (Presse à injecter 80 t, "))
            #expect(html.contains("Créneaux libres de même durée : ") && html.contains("de 10:00 à 12:00"))
            #expect(html.contains("Réservation n° \(booking.id!.lower)"))
            #expect(html.contains("href=\"#reservation-creneau\"") && html.contains("value=\"09:00\""))
            // the week shown is the one asked for, with the booking holding the slot
            #expect(html.contains("Semaine du \(f.base.monday.frenchWithWeekday)") && html.contains("<strong>Réservé</strong>"))
            #expect(try await PlateauFixture.count(app) == 1)
            // a request the rules refuse lists every reason (422), and nothing is written
            _ = try await cfa.get(f.page)
            let refused = try await cfa.post("\(f.page)/reserver", f.form("12:00", "13:30").removing("formationSecuriteConfirmee"))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("en dehors des heures d&#39;ouverture") && refused.body.string.contains("demande une formation à la sécurité"))
            // a form with missing or wrong values names each field
            _ = try await cfa.get(f.page)
            let wrong = try await cfa.post("\(f.page)/reserver", [("equipement", ""), ("jour", ""), ("debut", "10:00"), ("fin", "09:00"), ("objet", ""), ("participants", "douze"), ("semaines", "80")])
            #expect(wrong.status == .unprocessableEntity)
            let faults = wrong.body.string
            #expect(faults.contains("Le champ « Jour » est obligatoire.") && faults.contains("Le champ « Objet » est obligatoire."))
            #expect(faults.contains("« Nombre de participants » doit être un nombre") && faults.contains("« Répéter chaque semaine pendant » doit être compris entre 1 et 52"))
            #expect(try await PlateauFixture.count(app) == 1)
            // a weekly series without the conflicts: 3 weeks asked, the first taken, 2 booked
            _ = try await cfa.get(f.page)
            let series = try await cfa.post("\(f.page)/reserver", f.form("08:00", "09:00").setting("semaines", "3").setting("politique", "sans-les-conflits"))
            #expect(series.status == .seeOther)
            #expect(series.headers.first(name: .location)?.contains("fait=serie&nombre=2&ignorees=1") == true)
            #expect(try await PlateauFixture.count(app) == 3)
            // all or nothing: nothing when one week fails, and the page lists the weeks
            _ = try await cfa.get(f.page)
            let none = try await cfa.post("\(f.page)/reserver", f.form("08:00", "09:00").setting("semaines", "2"))
            #expect(none.status == .conflict && none.body.string.contains("La série n&#39;est pas réservée"))
            #expect(try await PlateauFixture.count(app) == 3)
            // a visitor cannot post the form, a campus team is told who books
            var visitor = BrowserSession(app)
            _ = try await visitor.get("/connexion")
            #expect(try await visitor.post("\(f.page)/reserver", f.form("13:00", "14:00")).status == .unauthorized)
            var team = try await f.session(app, "equipe@cmq.test")
            let teamPage = try await team.get(f.page).body.string
            #expect(!teamPage.contains("Envoyer la réservation") && teamPage.contains("au nom d&#39;une organisation membre"))
            // a company outside the network is told the rules of the platform
            var company = try await f.session(app, "entreprise@cmq.test")
            #expect(try await company.get(f.page).body.string.contains("Ce plateau est réservé aux membres du campus."))
            #expect(try await PlateauFixture.count(app) == 3)
        }
    }

    @Test("accept, refuse and cancel through the back-office forms; others are refused with 403 and nothing is written", arguments: TestDatabase.all)
    func decisions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauPagesFixture.make(app)
            let b = f.base
            var ids: [UUID] = []
            for (from, to) in [("08:00", "10:00"), ("10:00", "12:00")] {
                let made = try await app.send(.POST, "/api/v1/reservations", json: b.booking(from, to, equipement: b.presseID), as: b.booker)
                ids.append(try made.decoded(ReservationDTO.self).id)
            }
            // the booking member sees its requests, not the decision forms
            var cfa = try await f.session(app, "cfa@cmq.test")
            let mine = try await cfa.get(PlateauxURL.bookings.path).body.string
            #expect(mine.contains("Les réservations de CFA de l&#39;industrie") && mine.contains("status-demandee"))
            #expect(!mine.contains("Demandes à traiter") && !mine.contains("/accepter"))
            // when: the booker accepts its own request, a company member cancels it: 403, nothing written
            #expect(try await cfa.post(PlateauxURL.decision(ids[0], .accepter).path, []).status == .forbidden)
            var company = try await f.session(app, "entreprise@cmq.test")
            _ = try await company.get(PlateauxURL.bookings.path)
            #expect(try await company.post(PlateauxURL.decision(ids[0], .annuler).path, [("motif", "")]).status == .forbidden)
            #expect(try await company.post(PlateauxURL.decision(ids[0], .refuser).path, [("motif", "Non")]).status == .forbidden)
            #expect(try await PlateauPagesFixture.status(app, ids[0]) == "demandee")
            // the owner sees both requests with their forms
            var owner = try await f.session(app, "proprietaire@cmq.test")
            let awaiting = try await owner.get(PlateauxURL.bookings.path).body.string
            #expect(awaiting.contains("Demandes à traiter") && awaiting.contains(PlateauxURL.decision(ids[0], .accepter).path) && awaiting.contains(PlateauxURL.decision(ids[1], .refuser).path))
            #expect(awaiting.contains("CFA de l&#39;industrie") && awaiting.contains("Presse à injecter 80 t"))
            // a refusal without motif is explained, nothing written
            let bare = try await owner.post(PlateauxURL.decision(ids[1], .refuser).path, [("motif", " ")])
            #expect(bare.status == .unprocessableEntity && bare.body.string.contains("Le motif du refus doit être indiqué."))
            #expect(try await PlateauPagesFixture.status(app, ids[1]) == "demandee")
            // accept one, refuse the other with a motif
            let accepted = try await owner.post(PlateauxURL.decision(ids[0], .accepter).path, [])
            #expect(accepted.status == .seeOther && accepted.headers.first(name: .location) == "\(PlateauxURL.bookings.path)?fait=acceptee")
            #expect(try await owner.post(PlateauxURL.decision(ids[1], .refuser).path, [("motif", "Presse en maintenance")]).status == .seeOther)
            #expect(try await PlateauPagesFixture.status(app, ids[0]) == "acceptee")
            #expect(try await PlateauPagesFixture.status(app, ids[1]) == "refusee")
            // deciding again is a conflict, shown on the page
            let again = try await owner.post(PlateauxURL.decision(ids[1], .accepter).path, [])
            #expect(again.status == .conflict && again.body.string.contains("Cette réservation a été refusée"))
            // the booker sees the statuses and the motif, and cancels its accepted booking
            let after = try await cfa.get(PlateauxURL.bookings.path).body.string
            #expect(after.contains("status-acceptee") && after.contains("Presse en maintenance"))
            #expect(after.contains(PlateauxURL.decision(ids[0], .annuler).path) && !after.contains(PlateauxURL.decision(ids[1], .annuler).path))
            #expect(try await cfa.post(PlateauxURL.decision(ids[0], .annuler).path, [("motif", "Classe en stage")]).status == .seeOther)
            let cancelled = try #require(try await ReservationRecord.find(ids[0], on: app.db))
            #expect(cancelled.statut == .annulee && cancelled.motif == "Classe en stage")
            // the campus team decides on its campus's platforms
            let third = try await app.send(.POST, "/api/v1/reservations", json: b.booking("13:00", "15:00", equipement: b.centreID), as: b.booker)
            let thirdID = try third.decoded(ReservationDTO.self).id
            var team = try await f.session(app, "equipe@cmq.test")
            #expect(try await team.get(PlateauxURL.bookings.path).body.string.contains(PlateauxURL.decision(thirdID, .accepter).path))
            #expect(try await team.post(PlateauxURL.decision(thirdID, .accepter).path, []).status == .seeOther)
            #expect(try await PlateauPagesFixture.status(app, thirdID) == "acceptee")
            // a visitor is sent to sign in
            var visitor = BrowserSession(app)
            #expect(try await visitor.get(PlateauxURL.bookings.path).headers.first(name: .location)?.hasPrefix("/connexion") == true)
        }
    }

    @Test("the platform form: invalid hours, closures and items are shown beside their fields and nothing is written; items keep their ids", arguments: TestDatabase.all)
    func platformForm(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauPagesFixture.make(app)
            let b = f.base
            var team = try await f.session(app, "equipe@cmq.test")
            let newURL = PlateauxURL.new(campus: b.campus.id!)
            let blank = try await team.get(newURL)
            #expect(blank.status == .ok && blank.body.string.contains("Nouveau plateau technique") && blank.body.string.contains("CFA de l&#39;industrie"))
            func fields(_ hours: String, closures: String = "", items: String = "Tour ; Usinage ; 1 ; non") -> [(String, String)] {
                [("nom", "Salle de métrologie"), ("organisationId", b.cfa.id!.lower), ("description", "Mesure tridimensionnelle"), ("adresse", ""),
                 ("horaires-lundi", hours), ("horaires-mardi", "08:00-12:00"), ("fermetures", closures), ("validation", "on"),
                 ("preavisHeures", "48"), ("dureeMaximaleMinutes", "240"), ("ouvertEntreprises", "on"), ("equipements", items)]
            }
            // when: overlapping and unreadable hours, a wrong closure and a wrong item
            let refused = try await team.post(newURL, fields("08:00-12:00, 11:00-14:00", closures: "2026-12-24 2026-12-20 vacances\nNoël", items: "Tour ; Usinage ; zéro"))
            // then
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("Lundi : les plages 08:00–12:00 et 11:00–14:00 se chevauchent."))
            #expect(html.contains("Ligne 1 : La fermeture se termine") && html.contains("Ligne 2 : « Noël » n&#39;est pas une date"))
            #expect(html.contains("Ligne 1 : la quantité de « Tour » doit être un nombre entier d&#39;au moins 1"))
            #expect(html.contains("aria-invalid=\"true\"") && html.contains("href=\"#champ-horaires-lundi\"") && html.contains("value=\"Salle de métrologie\""))
            let bad = try await team.post(newURL, fields("matin ; 14:00-13:00"))
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Le formulaire contient une erreur"))
            #expect(bad.body.string.contains("Lundi : « matin » : écrivez chaque plage début-fin, par exemple 08:00-12:00. La plage de 14:00 à 13:00 se termine avant de commencer."))
            #expect(try await PlateauRecord.query(on: app.db).count() == 1)
            // when: valid
            let created = try await team.post(newURL, fields("8:00-12:00, 13:30-17:00", closures: "2026-12-21 2027-01-03 vacances Noël\n11/11/2026 autre Armistice"))
            #expect(created.status == .seeOther)
            let location = try #require(created.headers.first(name: .location))
            #expect(location.hasSuffix("?fait=cree"))
            let id = try #require(UUID(uuidString: String(location.dropFirst("/plateaux/".count).prefix(36))))
            let stored = try await PlateauService(db: app.db, caller: .command("test")).load(id).plateau
            #expect(stored.organisationID == b.cfa.id && stored.openingHours.describe(.lundi) == "lundi : 08:00–12:00, 13:30–17:00")
            #expect(stored.closures.count == 2 && stored.closures[0].explanation == "Armistice" && stored.rules.openTo.contains(.companies))
            #expect(stored.rules.minimumNoticeHours == 48 && stored.rules.maximumDurationMinutes == 240 && stored.adresse == PlateauService.address(of: b.cfa))
            #expect(try await team.get(location).body.string.contains("Le plateau technique est créé."))

            // editing the fixture's platform: the form shows its items; a renamed line is a new item, a kept name keeps its id
            var owner = try await f.session(app, "proprietaire@cmq.test")
            let edit = try await owner.get(PlateauxURL.edit(b.plateauID).path).body.string
            #expect(edit.contains("Presse à injecter 80 t ; Plasturgie ; 1 ; oui") && edit.contains("value=\"08:00-12:00, 13:00-18:00\""))
            var values = PlateauForm.values(of: try await PlateauService(db: app.db, caller: .command("test")).load(b.plateauID).plateau).fields
            values["equipements"] = "presse à injecter 80 T ; Plasturgie ; 2 ; oui\nFour de traitement ; Métallurgie ; 1 ; oui"
            let saved = try await owner.post(PlateauxURL.edit(b.plateauID).path, values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            #expect(saved.status == .seeOther)
            let items = try await PlateauService(db: app.db, caller: .command("test")).load(b.plateauID).plateau.equipements
            #expect(items.count == 2 && items[0].id == b.presseID && items[0].quantite == 2 && items[1].nom == "Four de traitement")
            #expect(!items.contains { $0.id == b.centreID })
            // another organisation's member may not edit it
            var cfa = try await f.session(app, "cfa@cmq.test")
            #expect(try await cfa.get(PlateauxURL.edit(b.plateauID).path).status == .forbidden)
            #expect(try await cfa.post(PlateauxURL.edit(b.plateauID).path, [("nom", "Pris")]).status == .forbidden)
            #expect(try await PlateauService(db: app.db, caller: .command("test")).load(b.plateauID).plateau.nom == "Atelier plasturgie")

            // deletion: refused while a booking is to come, then done
            let booked = try await app.send(.POST, "/api/v1/reservations", json: b.booking("08:00", "10:00", equipement: b.presseID), as: b.booker)
            #expect(booked.status == .created)
            #expect(try await owner.get(PlateauxURL.delete(b.plateauID).path).body.string.contains("Supprimer définitivement le plateau"))
            let kept = try await owner.post(PlateauxURL.delete(b.plateauID).path, [])
            #expect(kept.status == .conflict && kept.body.string.contains("1 réservation à venir"))
            #expect(try await PlateauRecord.find(b.plateauID, on: app.db) != nil)
            let bookingID = try booked.decoded(ReservationDTO.self).id
            _ = try await cfa.get(PlateauxURL.bookings.path)
            #expect(try await cfa.post(PlateauxURL.decision(bookingID, .annuler).path, [("motif", "")]).status == .seeOther)
            _ = try await owner.get(PlateauxURL.delete(b.plateauID).path)
            let deleted = try await owner.post(PlateauxURL.delete(b.plateauID).path, [])
            #expect(deleted.status == .seeOther && deleted.headers.first(name: .location) == RegistryURL.campus(b.campus.id!).path + "?plateau-supprime=1#plateaux")
            #expect(try await PlateauRecord.find(b.plateauID, on: app.db) == nil)
        }
    }

    @Test("the campus page shows its platforms and the usage of the school half-year; the organisation page lists its platforms", arguments: TestDatabase.all)
    func campusUsage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauPagesFixture.make(app)
            let b = f.base
            // given: an accepted 4-hour booking on the first Tuesday of the current half-year (booked "before" it, as the demo does)
            let semester = PlateauUsage.semester(containing: .today)
            let first = semester.lowerBound.firstDay
            let tuesday = first.adding(days: (Weekday.mardi.index - first.weekday.index + 7) % 7)
            let service = BookingService(db: app.db, caller: .command("test", clock: .fixed(LocalDateTime(day: tuesday.adding(days: -7), time: .midnight).date)))
            let booking = try await service.book(.init(plateauID: b.plateauID, target: .equipement(b.centreID), creneau: try TimeRange(day: tuesday, from: "08:00", to: "12:00"),
                                                       purpose: .prototypeEntreprise, participants: 3, details: nil, safetyTrainingConfirmed: false, organisationID: b.cfa.id))
            _ = try await service.accept(booking.booking.id)
            // when
            var visitor = BrowserSession(app)
            let html = try await visitor.get(RegistryURL.campus(b.campus.id!).path).body.string
            // then
            #expect(html.contains("Plateaux techniques et mutualisation") && html.contains(PlateauxURL.page(b.plateauID).path))
            #expect(html.contains("Mutualisation, de \(semester.lowerBound.french) à \(semester.upperBound.french)"))
            #expect(html.contains("Heures réservées par organisation membre") && html.contains("<th scope=\"row\">CFA de l&#39;industrie</th><td class=\"num\">4\u{00A0}h</td>"))
            #expect(html.contains("<th scope=\"row\">Prototype d&#39;entreprise</th>"))
            #expect(html.contains("<th scope=\"row\">\(semester.lowerBound.french.capitalizingFirstLetter)</th>"))
            #expect(html.contains(PlateauxURL.apiCampusStatistics(b.campus.id!).path))
            #expect(!html.contains("Ajouter un plateau technique"))
            // the campus team and the owner may add platforms; a member outside the network may not
            var team = try await f.session(app, "equipe@cmq.test")
            #expect(try await team.get(RegistryURL.campus(b.campus.id!).path).body.string.contains("Ajouter un plateau technique"))
            var company = try await f.session(app, "entreprise@cmq.test")
            #expect(!(try await company.get(RegistryURL.campus(b.campus.id!).path).body.string.contains("Ajouter un plateau technique")))
            #expect(try await company.get(PlateauxURL.new(campus: b.campus.id!)).status == .forbidden)
            var owner = try await f.session(app, "proprietaire@cmq.test")
            let home = try await owner.get("/gestion").body.string
            #expect(home.contains(PlateauxURL.bookings.path) && home.contains(PlateauxURL.new(campus: b.campus.id!)))
            // the organisation page
            let organisation = try await visitor.get(RegistryURL.organisation(b.lycee.id!).path).body.string
            #expect(organisation.contains("Plateaux techniques qu'elle partage") && organisation.contains(PlateauxURL.page(b.plateauID).path))
        }
    }
}
