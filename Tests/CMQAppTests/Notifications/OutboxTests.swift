@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOPosix
import Testing
import VaporTesting

extension Application {
    /// An outbox worker of this application for `server`.
    func outboxWorker(_ settings: SMTPSettings) -> OutboxWorker {
        let app = self
        return OutboxWorker(settings: settings, db: { app.db }, group: eventLoopGroup, logger: logger, clock: clock)
    }
}

enum OutboxFactory {
    static func enqueue(_ app: Application, count: Int, to recipient: String = "destinataire@cmq.test") async throws -> [UUID] {
        var ids: [UUID] = []
        for index in 0..<count {
            try await Outbox.enqueue(MailMessage(to: recipient, subject: "Message \(index) — réservation", text: "Texte \(index)", html: "<p>Texte \(index)</p>"),
                                     kind: "test", userID: nil, now: app.clock.now(), on: app.db)
        }
        ids = try await OutboxMessage.query(on: app.db).all(\.$id).compactMap { $0 }
        return ids
    }
}

@Suite("The outbox: written with its cause, sent once, retried, never lost")
struct OutboxTests {
    @Test("a booking request writes its notification and e-mail in its transaction; a refused request writes neither", arguments: TestDatabase.all)
    func sameTransaction(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let owners = try await User.query(on: app.db).filter(\.$organisationID == f.lycee.id!).all()
            let team = try await User.query(on: app.db).filter(\.$campusID == f.campus.id!).all()
            // when: a request refused by the rules (outside the opening hours)
            let refused = try await app.send(.POST, "/api/v1/reservations", json: f.booking("19:00", "20:00", equipement: f.presseID), as: f.booker)
            #expect(refused.status == .unprocessableEntity)
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
            #expect(try await AppNotification.query(on: app.db).count() == 0)
            // when: a request accepted
            let made = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "12:00", equipement: f.presseID), as: f.booker)
            #expect(made.status == .created)
            // then: the owner's accounts and the campus team are told, in the application and by e-mail
            let messages = try await OutboxMessage.query(on: app.db).all()
            #expect(Set(messages.map(\.recipient)) == Set((owners + team).map(\.email)))
            #expect(messages.allSatisfy { $0.kind == "reservation-demandee" && $0.status == .pending && $0.subject == "Demande de réservation : Atelier plasturgie" })
            #expect(messages.allSatisfy { $0.text.contains("CFA de l'industrie demande à réserver") && $0.text.contains("/gestion/reservations") })
            #expect(try await AppNotification.query(on: app.db).count() == owners.count + team.count)
            // A change that fails after the message was written leaves none: the transaction is undone as a whole.
            let before = try await OutboxMessage.query(on: app.db).count()
            struct Failure: Error {}
            await #expect(throws: Failure.self) {
                try await app.db.writeTransaction { db in
                    try await Outbox.enqueue(MailMessage(to: "x@cmq.test", subject: "s", text: "t", html: "h"), kind: "test", userID: nil, now: Date(), on: db)
                    throw Failure()
                }
            }
            #expect(try await OutboxMessage.query(on: app.db).count() == before)
            // The decision goes to the requester.
            let id = try made.decoded(ReservationDTO.self).id
            #expect(try await app.send(.POST, "/api/v1/reservations/\(id.lower)/refus", json: #"{"motif": "Presse en maintenance"}"#, as: f.owner).status == .ok)
            let booker = try #require(try await User.query(on: app.db).filter(\.$organisationID == f.cfa.id!).first())
            let refusal = try #require(try await OutboxMessage.query(on: app.db).filter(\.$kind == "reservation-refusee").first())
            #expect(refusal.recipient == booker.email)
            #expect(refusal.text.contains("Motif : Presse en maintenance"))
        }
    }

    @Test("two applications on one database, each with two workers at once: every message is sent exactly once", arguments: TestDatabase.all)
    func exactlyOnce(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await OutboxFactory.enqueue(app, count: 40)
            let second = try await Application.make(.testing)
            do {
                try await configure(second, config: AppConfig(database: app.cmqConfig.database, demoOnFirstStart: false))
                try await withSMTPServer { server in
                    var workers = [app.outboxWorker(server.settings()), app.outboxWorker(server.settings()),
                                   second.outboxWorker(server.settings()), second.outboxWorker(server.settings())]
                    for index in workers.indices { workers[index].batchSize = 5 }
                    let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                        for worker in workers {
                            group.addTask {
                                var total = 0
                                while true {
                                    let batch = try await worker.runOnce()
                                    total += batch
                                    if batch == 0 { return total }
                                }
                            }
                        }
                        return try await group.reduce(0, +)
                    }
                    let received = try await server.waitFor(40)
                    #expect(sent == 40)
                    #expect(received.count == 40)
                    #expect(Set(received.map(\.subject)).count == 40)
                    #expect(try await OutboxMessage.query(on: app.db).filter(\.$status == .sent).count() == 40)
                    #expect(try await OutboxMessage.query(on: app.db).filter(\.$attempts == 1).count() == 40)
                }
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
        }
    }

    @Test("a stopping instance sends what the last requests queued before it ends (the outbox worker's flush)", arguments: TestDatabase.all)
    func flushOnShutdown(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await withSMTPServer { server in
                app.cmqConfig.smtp = server.settings()
                // A worker that would not come back for an hour: only the flush at shutdown can send the messages.
                let lifecycle = OutboxWorkerLifecycle(interval: .seconds(3600))
                try await lifecycle.didBootAsync(app)
                try await Task.sleep(for: .seconds(1))  // its first round, on an empty outbox
                _ = try await OutboxFactory.enqueue(app, count: 3)
                await lifecycle.shutdownAsync(app)
                #expect(try await OutboxMessage.query(on: app.db).filter(\.$status == .sent).count() == 3)
                #expect(try await server.waitFor(3).count == 3)
            }
        }
    }

    @Test("a temporary refusal is retried after a growing wait, with the error recorded; a permanent one gives up", arguments: TestDatabase.all)
    func retries(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let start = Date()
            app.clock = .fixed(start)
            _ = try await OutboxFactory.enqueue(app, count: 1)
            try await withSMTPServer(refuseFirst: 1) { server in
                let worker = app.outboxWorker(server.settings())
                #expect(try await worker.runOnce() == 0)
                let waiting = try #require(try await OutboxMessage.query(on: app.db).first())
                #expect(waiting.status == .pending && waiting.attempts == 1)
                #expect(waiting.lastError?.contains("451") == true)
                #expect(abs(waiting.nextAttempt.timeIntervalSince(start) - 60) < 1)
                #expect(waiting.claimedUntil == nil)
                // Not due yet: nothing is attempted.
                #expect(try await worker.runOnce() == 0)
                #expect(try await OutboxMessage.query(on: app.db).first()?.attempts == 1)
                // Due: sent.
                app.clock = .fixed(start.addingTimeInterval(61))
                #expect(try await app.outboxWorker(server.settings()).runOnce() == 1)
                let sent = try #require(try await OutboxMessage.query(on: app.db).first())
                #expect(sent.status == .sent && sent.attempts == 2 && sent.sentAt != nil && sent.lastError == nil)
                #expect(try await server.waitFor(1).count == 1)
            }
            #expect(Outbox.backoff(afterAttempts: 1) == 60 && Outbox.backoff(afterAttempts: 3) == 240 && Outbox.backoff(afterAttempts: 20) == 6 * 3600)
            // A permanent refusal (wrong password: 535) gives up at once.
            _ = try await OutboxFactory.enqueue(app, count: 1, to: "autre@cmq.test")
            try await withSMTPServer(auth: "cmq:secret") { server in
                _ = try await app.outboxWorker(server.settings(username: "cmq", password: "faux")).runOnce()
                let failed = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "autre@cmq.test").first())
                #expect(failed.status == .failed && failed.attempts == 1 && failed.lastError?.contains("535") == true)
            }
            // The outbox lists what waits or failed, with a summary line.
            let listing = try await OutboxListing.text(all: false, smtpConfigured: false, on: app.db)
            #expect(listing.contains("autre@cmq.test") && listing.contains("echec") && listing.contains("535"))
            #expect(listing.contains("File d'envoi : 0 à envoyer, 1 en échec, 1 envoyé(s)."))
            #expect(listing.contains("CMQ_SMTP_URL n'est pas défini"))
        }
    }

    @Test("a server that cannot be reached keeps the message, to be sent later", arguments: TestDatabase.all)
    func unreachable(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await OutboxFactory.enqueue(app, count: 2)
            var settings = SMTPSettings(host: "127.0.0.1", port: 9, security: .opportunistic, from: "cmq@cmq.test")
            settings.timeout = .seconds(2)
            #expect(try await app.outboxWorker(settings).runOnce() == 0)
            let messages = try await OutboxMessage.query(on: app.db).all()
            #expect(messages.count == 2 && messages.allSatisfy { $0.status == .pending && $0.attempts == 1 && $0.lastError != nil })
        }
    }
}
