import Fluent
import Foundation
import SQLKit
import Vapor

/// The outbox: e-mails are written with the change that causes them (same transaction, same `db`), and sent
/// later by `OutboxWorker`. A change that fails leaves no message; a message is never lost when no SMTP server
/// is configured (it waits, visible with `cmq mail outbox`).
enum Outbox {
    /// Attempts before a message is given up (marked `echec`).
    static let maximumAttempts = 8
    /// How long a worker holds a message it claimed; longer than one SMTP exchange can last.
    static let claimDuration: TimeInterval = 10 * 60

    /// Writes a message to send. Call it with the transaction's `db`.
    static func enqueue(_ message: MailMessage, kind: String, userID: UUID?, now: Date, on db: any Database) async throws {
        try await OutboxMessage(createdAt: now, userID: userID, recipient: message.to, kind: kind, subject: message.subject,
                                text: message.text, html: message.html, unsubscribeURL: message.unsubscribeURL).create(on: db)
    }

    /// The wait before attempt `attempts + 1`: 1 minute, then doubling, at most 6 hours.
    static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(60 * pow(2, Double(max(attempts - 1, 0))), 6 * 3600)
    }

    /// Claims up to `limit` messages due now for the worker `worker`: a conditional UPDATE per message, so that of
    /// several workers (or instances) only one gets each message. Returns the messages claimed.
    static func claim(limit: Int, worker: String, now: Date, on db: any Database) async throws -> [OutboxMessage] {
        let due = try await OutboxMessage.query(on: db)
            .filter(\.$status == .pending)
            .filter(\.$nextAttempt <= now)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .sort(\.$nextAttempt).limit(limit).all(\.$id)
        var claimed: [UUID] = []
        for id in due.compactMap({ $0 }) {
            // One short write transaction per message (on SQLite it waits for the write lock instead of failing).
            let won = try await db.writeTransaction { db in
                guard let sql = db as? any SQLDatabase else { return false }
                return try await !sql.update(OutboxMessage.schema)
                .set("reserve_jusqu_a", to: SQLBind(now.addingTimeInterval(claimDuration)))
                .set("reserve_par", to: SQLBind(worker))
                .where("id", .equal, SQLBind(id))
                .where("statut", .equal, SQLBind(OutboxMessage.Status.pending.rawValue))
                .where("prochain_essai", .lessThanOrEqual, SQLBind(now))
                .where(SQLGroupExpression(SQLBinaryExpression(
                    SQLBinaryExpression(SQLIdentifier("reserve_jusqu_a"), .is, SQLLiteral.null), .or,
                    SQLBinaryExpression(SQLIdentifier("reserve_jusqu_a"), .lessThan, SQLBind(now)))))
                .returning("id").all().isEmpty
            }
            if won { claimed.append(id) }
        }
        guard !claimed.isEmpty else { return [] }
        return try await OutboxMessage.query(on: db).filter(\.$id ~~ claimed).sort(\.$nextAttempt).all()
    }

    /// Records the outcome of an attempt by the worker that holds the message.
    static func record(_ id: UUID, worker: String, outcome: Result<Void, SMTPError>, now: Date, on db: any Database) async throws {
        try await db.writeTransaction { db in try await record(id, worker: worker, outcome: outcome, now: now, in: db) }
    }

    private static func record(_ id: UUID, worker: String, outcome: Result<Void, SMTPError>, now: Date, in db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        var update = sql.update(OutboxMessage.schema)
            .set("reserve_jusqu_a", to: SQLLiteral.null)
            .set("reserve_par", to: SQLLiteral.null)
        switch outcome {
        case .success:
            update = update.set("statut", to: SQLBind(OutboxMessage.Status.sent.rawValue))
                .set("envoye_le", to: SQLBind(now))
                .set("derniere_erreur", to: SQLLiteral.null)
                .set("tentatives", to: SQLBinaryExpression(SQLIdentifier("tentatives"), .add, SQLLiteral.numeric("1")))
        case .failure(let error):
            guard let message = try await OutboxMessage.find(id, on: db) else { return }
            let attempts = message.attempts + 1
            let giveUp = error.permanent || attempts >= maximumAttempts
            update = update.set("tentatives", to: SQLBind(attempts))
                .set("derniere_erreur", to: SQLBind(String(error.description.prefix(1000))))
                .set("prochain_essai", to: SQLBind(now.addingTimeInterval(backoff(afterAttempts: attempts))))
                .set("statut", to: SQLBind((giveUp ? OutboxMessage.Status.failed : .pending).rawValue))
        }
        try await update.where("id", .equal, SQLBind(id)).where("reserve_par", .equal, SQLBind(worker)).run()
    }

    /// The messages for `cmq mail outbox`: those waiting or failed first, then the latest sent.
    struct Summary: Sendable {
        var pending: Int
        var sent: Int
        var failed: Int
    }

    static func summary(on db: any Database) async throws -> Summary {
        Summary(pending: try await OutboxMessage.query(on: db).filter(\.$status == .pending).count(),
                sent: try await OutboxMessage.query(on: db).filter(\.$status == .sent).count(),
                failed: try await OutboxMessage.query(on: db).filter(\.$status == .failed).count())
    }
}

/// Sends the outbox: every `interval`, claims the messages due and hands them to the SMTP server, one at a time.
/// Started with `cmq serve` when `CMQ_SMTP_URL` is set; tests call `runOnce`.
struct OutboxWorker: Sendable {
    let settings: SMTPSettings
    let db: @Sendable () -> any Database
    let group: any EventLoopGroup
    let logger: Logger
    let clock: AppClock
    /// A name unique to this worker, recorded on the messages it holds.
    let name: String = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    var batchSize = 20

    /// Sends what is due; returns how many messages were sent.
    @discardableResult
    func runOnce() async throws -> Int {
        let claimed = try await Outbox.claim(limit: batchSize, worker: name, now: clock.now(), on: db())
        let client = SMTPClient(settings: settings, group: group)
        var sent = 0
        for message in claimed {
            guard let id = message.id else { continue }
            let outcome: Result<Void, SMTPError>
            do {
                try await client.send(message.mail, date: clock.now())
                outcome = .success(())
                sent += 1
            } catch let error as SMTPError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(SMTPError(description: "\(error)"))
            }
            if case .failure(let error) = outcome {
                logger.warning("Courriel \(id) non envoyé à \(message.recipient) : \(error.description)")
            }
            try await Outbox.record(id, worker: name, outcome: outcome, now: clock.now(), on: db())
        }
        return sent
    }
}

/// Runs the outbox worker while the server runs.
final class OutboxWorkerLifecycle: LifecycleHandler, @unchecked Sendable {
    let interval: Duration
    private var task: Task<Void, Never>?
    private var worker: OutboxWorker?
    static let flushTimeout = 10.0

    init(interval: Duration = .seconds(15)) {
        self.interval = interval
    }

    func didBootAsync(_ app: Application) async throws {
        guard let settings = app.cmqConfig.smtp else {
            app.logger.notice("CMQ_SMTP_URL n'est pas défini : les courriels restent dans la file d'envoi (cmq mail outbox).")
            return
        }
        let worker = OutboxWorker(settings: settings, db: { app.db }, group: app.eventLoopGroup, logger: app.logger, clock: app.clock)
        self.worker = worker
        let interval = interval
        let logger = app.logger
        task = Task {
            while !Task.isCancelled {
                do { try await worker.runOnce() } catch { logger.error("File d'envoi des courriels : \(error)") }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Stops the loop, then sends once more what the last requests queued (at most `flushTimeout` seconds; a
    /// message not sent by then waits in the database for the next instance).
    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        _ = await task?.value
        guard let worker else { return }
        do {
            let sent = try await Deadline.run(seconds: Self.flushTimeout) { try await worker.runOnce() }
            app.logger.notice("Arrêt : file d'envoi vidée (\(sent) courriel(s) envoyé(s)).")
        } catch {
            app.logger.warning("Arrêt : la file d'envoi n'a pas été vidée (\(error)) ; les courriels restants partiront avec une autre instance.")
        }
    }
}
