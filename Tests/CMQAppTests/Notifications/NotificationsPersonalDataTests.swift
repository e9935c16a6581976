@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("cmq rgpd covers notifications, e-mails, password and access requests")
struct NotificationsPersonalDataTests {
    @Test("export lists them; deletion erases them", arguments: TestDatabase.all)
    func exportAndDelete(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let user = try await TestAccounts.user(app, role: .administrateurNational, email: "rgpd@cmq.test")
            let other = try await TestAccounts.user(app, role: .administrateurNational, email: "autre@cmq.test")
            try await NotificationPreferences.set(userID: user.requireID(), kind: .decision, mode: .digest, on: app.db)
            let notifier = Notifier(db: app.db, caller: .command("test"))
            try await notifier.notify([user.requireID(), other.requireID()], .init(kind: .bookingAccepted, title: "Réservation acceptée", text: "x", path: "/"))
            _ = try await PasswordReset(db: app.db, clock: .system, siteBase: "http://x").request(email: "rgpd@cmq.test", clientAddress: "10.0.0.9")
            _ = try await AccessRequests(db: app.db, caller: .command("test")).submit(
                .init(nom: "Moi", email: "rgpd@cmq.test", organisation: "Lycée", role: "membre", campus: nil, message: "Bonjour"), clientAddress: "10.0.0.9")
            // when
            let export = try await PersonalData(db: app.db).export(email: "rgpd@cmq.test")
            // then
            #expect(export.notifications.map(\.titre) == ["Réservation acceptée"])
            #expect(export.preferencesDeNotification.map(\.mode) == ["resume"])
            #expect(Set(export.courriels.map(\.sujet)) == ["Réservation acceptée", "Choisir un nouveau mot de passe"])
            #expect(export.demandesDeMotDePasse.count == 1 && export.demandesDAcces.map(\.message) == ["Bonjour"])
            let summary = try await PersonalData(db: app.db).delete(email: "rgpd@cmq.test", caller: .command("rgpd delete"))
            #expect(summary.notifications == 1 && summary.mails == 4)
            #expect(try await AppNotification.query(on: app.db).count() == 1)
            #expect(try await NotificationPreference.query(on: app.db).count() == 0)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "rgpd@cmq.test").count() == 0)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "autre@cmq.test").count() == 1)
            #expect(try await PasswordResetToken.query(on: app.db).count() == 0)
            #expect(try await AccessRequest.query(on: app.db).count() == 0)
        }
    }
}
