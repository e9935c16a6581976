@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Notifications of the labelling: a dossier at a body's step, the decision, the labels that expire")
struct LabellingNoticesTests {
    static func recipients(_ app: Application, kind: NotificationKind) async throws -> Set<String> {
        let notices = try await AppNotification.query(on: app.db).filter(\.$kind == kind).with(\.$user).all()
        return Set(notices.map(\.user.email))
    }

    static func email(_ app: Application, _ identity: TestIdentity) async throws -> String {
        guard case .token(let token) = identity else { return "" }
        let record = try await APIToken.query(on: app.db).filter(\.$hash == APITokens.hash(token)).with(\.$user).first()
        return record?.user.email ?? ""
    }

    @Test("the deposit reaches the CAEN of the campus's académie and the CREFOP of its région, not the others; the decision the team and the région", arguments: TestDatabase.all)
    func dossierSteps(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await LabellingAPITests.cast(app)
            let otherCAEN = try await TestAccounts.identity(app, .instance, instance: .caen, academie: "01")
            _ = try await LabellingAPITests.labelled2019(app, cast, decision: "2019-07-10", years: 5)
            let step = try await Self.recipients(app, kind: .dossierStep)
            let caen = try await Self.email(app, cast.caen), crefop = try await Self.email(app, cast.crefop)
            let expert = try await Self.email(app, cast.expert1), other = try await Self.email(app, otherCAEN)
            let team = try await Self.email(app, cast.team), region = try await Self.email(app, cast.region)
            #expect(step.contains(caen) && step.contains(crefop) && step.contains(expert))
            #expect(!step.contains(other) && !step.contains(team))
            #expect(try await Self.recipients(app, kind: .decision) == [team, region])
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$kind == "decision").first())
            #expect(mail.subject == "Décision de labellisation : Métallurgie et plasturgie")
            #expect(mail.text.contains("est labellisé pour 5 ans, jusqu'au 9 juillet 2024"))
            #expect(mail.text.contains("/gestion/dossiers/"))
        }
    }

    @Test("a label expiring is told once per threshold (6 then 3 months), however often the daily job runs", arguments: TestDatabase.all)
    func labelDeadlines(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await LabellingAPITests.cast(app)
            let today = CalendarDay.today
            // A one-year label that ends in about five months.
            _ = try await LabellingAPITests.labelled2019(app, cast, decision: today.adding(months: -7).iso, years: 1)
            try await AppNotification.query(on: app.db).delete()
            try await OutboxMessage.query(on: app.db).delete()
            let job = DailyNotices(db: app.db, caller: .command("test"))
            #expect(try await job.labelDeadlines() == 2)
            #expect(try await job.labelDeadlines() == 0)
            let team = try await Self.email(app, cast.team), region = try await Self.email(app, cast.region)
            #expect(try await Self.recipients(app, kind: .labelExpiring) == [team, region])
            #expect(try await AppNotification.query(on: app.db).all().allSatisfy { $0.key?.hasSuffix("-6") == true })
            // Three months later: the 3-month notice, once.
            let later = DailyNotices(db: app.db, caller: .command("test", clock: .fixed(Date().addingTimeInterval(92 * 86_400))))
            #expect(try await later.labelDeadlines() == 2)
            #expect(try await later.labelDeadlines() == 0)
            #expect(try await AppNotification.query(on: app.db).count() == 4)
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$kind == "label-echeance").first())
            #expect(mail.subject == "Label à renouveler : Métallurgie et plasturgie")
        }
    }

    @Test("the daily digest gathers the notifications chosen so in one e-mail, once", arguments: TestDatabase.all)
    func digest(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let user = try await TestAccounts.user(app, role: .administrateurNational, email: "resume@cmq.test")
            try await NotificationPreferences.set(userID: user.requireID(), kind: .decision, mode: .digest, on: app.db)
            let notifier = Notifier(db: app.db, caller: .command("test"))
            for index in 1...3 {
                try await notifier.notify([user.requireID()], .init(kind: .decision, title: "Décision \(index)", text: "Texte \(index)", path: "/gestion/dossiers"))
            }
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
            let digest = DailyDigest(db: app.db, caller: .command("test"))
            #expect(try await digest.run() == 1)
            #expect(try await digest.run() == 0)
            let mail = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(mail.subject == "Votre résumé du jour : 3 notifications")
            #expect(mail.text.contains("Décision 1") && mail.text.contains("Décision 3"))
        }
    }
}
