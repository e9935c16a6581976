@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Notifications: in the application, by e-mail or in a digest, as each person chooses")
struct NotificationsTests {
    @Test("preferences are respected: in-app only writes no e-mail; the page shows the notification, the header its count", arguments: TestDatabase.all)
    func preferences(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let owner = try #require(try await User.query(on: app.db).filter(\.$organisationID == f.lycee.id!).first())
            owner.passwordHash = try await app.password.async.hash("mot de passe du lycée")
            try await owner.save(on: app.db)
            // given: the owner chooses "in the application only" for booking requests, on the account page
            var browser = BrowserSession(app)
            #expect(try await browser.signIn(owner.email, "mot de passe du lycée").status == .seeOther)
            let account = try await browser.get("/compte")
            #expect(account.body.string.contains("name=\"mode-reservation-demandee\" value=\"courriel\" checked"))
            let bad = try await browser.post("/compte/notifications/preferences", [("mode-reservation-demandee", "pigeon")])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await NotificationPreference.query(on: app.db).count() == 0)
            let saved = try await browser.post("/compte/notifications/preferences", [("mode-reservation-demandee", "application"), ("mode-reservation-annulee", "resume")])
            #expect(saved.status == .seeOther)
            // when: a member requests a booking
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "12:00", equipement: f.presseID), as: f.booker).status == .created)
            // then: the owner gets the notification but no e-mail; the campus team (default: e-mail) gets both
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == owner.email).count() == 0)
            #expect(try await AppNotification.query(on: app.db).filter(\.$user.$id == owner.requireID()).count() == 1)
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)
            let page = try await browser.get("/compte/notifications")
            #expect(page.body.string.contains("Demande de réservation : Atelier plasturgie"))
            #expect(page.body.string.contains("1 notification non lue."))
            #expect(page.body.string.contains(">Notifications <span class=\"badge\""))
            // Marking it read takes to the item and clears the count.
            let id = try #require(try await AppNotification.query(on: app.db).filter(\.$user.$id == owner.requireID()).first()?.id)
            let opened = try await browser.post("/compte/notifications/\(id.uuidString.lowercased())/lue", [])
            #expect(opened.headers.first(name: .location) == "/gestion/reservations")
            #expect(try await browser.get("/compte/notifications").body.string.contains("Aucune notification non lue."))
            // Nobody reads another's notifications.
            var anonymous = BrowserSession(app)
            #expect(try await anonymous.get("/compte/notifications").status == .seeOther)
        }
    }

    @Test("the unsubscription link works without signing in, only for its account and kind; a forged one is refused", arguments: TestDatabase.all)
    func unsubscribe(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let user = try await TestAccounts.user(app, role: .administrateurNational, email: "abonne@cmq.test")
            let userID = try user.requireID()
            let token = try await UnsubscribeToken.make(userID: userID, kind: .bookingAccepted, on: app.db)
            var browser = BrowserSession(app)
            let page = try await browser.get("/desabonnement/\(token)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Réservation acceptée"))
            // Following the link changes nothing; the button (or the mail client's one-click POST) does.
            #expect(try await NotificationPreference.query(on: app.db).count() == 0)
            let done = try await app.testing().sendRequest(.POST, "/desabonnement/\(token)")
            #expect(done.status == .ok)
            #expect(done.body.string.contains("vous ne recevrez plus par courriel"))
            let preference = try #require(try await NotificationPreference.query(on: app.db).first())
            #expect(preference.kind == .bookingAccepted && preference.mode == .inApp && preference.$user.id == userID)
            // A token for another account or kind, changed by hand, is refused and writes nothing.
            let forged = token.replacingOccurrences(of: "reservation-acceptee", with: "reservation-refusee")
            #expect(try await app.testing().sendRequest(.POST, "/desabonnement/\(forged)").status == .notFound)
            #expect(try await browser.get("/desabonnement/\(forged)").status == .notFound)
            #expect(try await NotificationPreference.query(on: app.db).count() == 1)
            // The e-mails carry it.
            let mail = try await NotificationMail.compose(to: user, event: .init(kind: .decision, title: "Décision", text: "Le campus est labellisé.", path: "/gestion/dossiers"),
                                                          base: "https://cmq.example.fr", on: app.db)
            #expect(mail.unsubscribeURL?.hasPrefix("https://cmq.example.fr/desabonnement/") == true)
            #expect(mail.text.contains("https://cmq.example.fr/gestion/dossiers") && mail.html.contains("Ne plus les recevoir par courriel"))
        }
    }

    @Test("the demo loader tells nobody; a person is not told what they did themselves", arguments: TestDatabase.all)
    func silentCallers(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let user = try await TestAccounts.user(app, role: .administrateurNational, email: "moi@cmq.test")
            let event = Notifier.Event(kind: .decision, title: "t", text: "x", path: "/")
            #expect(try await Notifier(db: app.db, caller: .demo()).notify([user.requireID()], event) == 0)
            #expect(try await Notifier(db: app.db, caller: .viewer(user.actor)).notify([user.requireID()], event) == 0)
            #expect(try await Notifier(db: app.db, caller: .command("test")).notify([user.requireID()], event) == 1)
            // A keyed notification happens once per person.
            let keyed = Notifier.Event(kind: .labelExpiring, title: "t", text: "x", path: "/", key: "label-1-6")
            #expect(try await Notifier(db: app.db, caller: .command("test")).notify([user.requireID()], keyed) == 1)
            #expect(try await Notifier(db: app.db, caller: .command("test")).notify([user.requireID()], keyed) == 0)
            #expect(try await OutboxMessage.query(on: app.db).count() == 2)
        }
    }
}
