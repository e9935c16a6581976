import Fluent
import Vapor

/// `cmq mail …`: the outbox of e-mails.
struct MailCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = ["outbox": MailOutboxCommand(), "send": MailSendCommand(), "quotidien": MailDailyCommand()]
    var help: String { "E-mail: list the outbox, send what is due." }
}

/// `cmq mail outbox [--all]`: the messages waiting or failed (all with `--all`), and a summary line.
struct MailOutboxCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "all", help: "List the messages sent too (the latest 200).")
        var all: Bool
    }

    var help: String { "List the e-mails waiting in the outbox (and the failed ones), with a summary line." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        context.console.print(try await OutboxListing.text(all: signature.all, smtpConfigured: app.cmqConfig.smtp != nil, on: app.db))
    }
}

/// `cmq mail send`: one pass of the worker now (what `serve` does every 15 seconds).
struct MailSendCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Send the e-mails due now through CMQ_SMTP_URL (the server does it by itself every 15 seconds)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let settings = app.cmqConfig.smtp else {
            throw CommandFailure("CMQ_SMTP_URL n'est pas défini : les courriels restent dans la file d'envoi (cmq mail outbox).")
        }
        try await DatabaseSchema.prepareForCommand(app)
        let worker = OutboxWorker(settings: settings, db: { app.db }, group: app.eventLoopGroup, logger: app.logger, clock: app.clock)
        var sent = 0
        while true {
            let batch = try await worker.runOnce()
            sent += batch
            if batch == 0 { break }
        }
        context.console.success("\(sent) courriel(s) envoyé(s).")
        context.console.print(try await OutboxListing.summaryLine(on: app.db))
    }
}

/// `cmq mail quotidien`: the daily notices now (what `serve` does at 07:00): labels that expire, digests.
struct MailDailyCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Write the daily notices now: labels expiring in 12, 6 or 3 months (once per label and threshold), the daily digests." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let summary = try await DailyNotices(db: app.db, caller: Caller.command("mail quotidien").withSiteBase(app.siteBase),
                                         registrantRetentionMonths: app.cmqConfig.registrantRetentionMonths,
                                         temoignageDeletionDays: app.cmqConfig.temoignageDeletionDays).run()
        context.console.success(summary.description)
    }
}

/// The outbox as text, for `cmq mail outbox`.
enum OutboxListing {
    static func text(all: Bool, smtpConfigured: Bool, on db: any Database) async throws -> String {
        var query = OutboxMessage.query(on: db)
        if !all { query = query.filter(\.$status != .sent) }
        let messages = try await query.sort(\.$createdAt, .descending).limit(200).all()
        var lines: [String] = []
        for message in messages {
            var line = "\(stamp(message.createdAt))  \(message.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(message.recipient)  « \(message.subject) »"
            if message.attempts > 0 { line += "  (\(message.attempts) tentative(s)" + (message.lastError.map { " ; dernière erreur : \($0)" } ?? "") + ")" }
            if message.status == .pending, message.attempts > 0 { line += "  prochain essai \(stamp(message.nextAttempt))" }
            lines.append(line)
        }
        lines.append(try await summaryLine(on: db))
        if !smtpConfigured { lines.append("CMQ_SMTP_URL n'est pas défini : les courriels attendent ici jusqu'à ce qu'il le soit.") }
        return lines.joined(separator: "\n")
    }

    static func summaryLine(on db: any Database) async throws -> String {
        let summary = try await Outbox.summary(on: db)
        return "File d'envoi : \(summary.pending) à envoyer, \(summary.failed) en échec, \(summary.sent) envoyé(s)."
    }

    private static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "fr_FR")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
