import CMQDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// What is told once a day: the labels that expire in 12, 6 and 3 months (one notice per label and threshold,
/// whatever the number of runs or instances), and the digest of the notifications people chose to receive so.
struct DailyNotices {
    let db: any Database
    let caller: Caller

    static let thresholdsInMonths = [3, 6, 12]
    /// Months after an action when its registrants' personal data is deleted (`CMQ_ACTIONS_EFFACEMENT_MOIS`).
    var registrantRetentionMonths = 3
    /// Days after a testimony's withdrawal when its media are deleted (`CMQ_TEMOIGNAGE_EFFACEMENT_JOURS`).
    var temoignageDeletionDays = MediaRetention.defaultDelayDays

    struct Summary: Equatable, CustomStringConvertible {
        var labelNotices = 0
        var digests = 0
        var purged = 0
        var registrantsErased = 0
        var temoignages = TemoignageService.SweepResult()
        var description: String {
            "\(labelNotices) avis d'échéance de label, \(digests) résumé(s) quotidien(s) écrits ; \(purged) demande(s) ancienne(s) effacée(s) ; "
                + "\(registrantsErased) inscription(s) à des actions passées effacée(s) ; \(temoignages.retires) témoignage(s) retiré(s) "
                + "(consentement retiré ou expiré), \(temoignages.effaces) vidéo(s) de témoignage effacée(s)."
        }
    }

    func run() async throws -> Summary {
        Summary(labelNotices: try await labelDeadlines(), digests: try await DailyDigest(db: db, caller: caller).run(),
                purged: try await AccessRequests.purge(on: db, now: caller.clock.now()),
                registrantsErased: try await RegistrationLedger(db: db, caller: caller).eraseExpired(months: registrantRetentionMonths),
                temoignages: try await TemoignageService(db: db, caller: caller).sweep(delayDays: temoignageDeletionDays))
    }

    /// Tells the campus team and the région académique of each label in force that expires within a threshold, at the
    /// tightest threshold it is within. Each label is written in its own transaction; a notice another instance wrote
    /// at the same moment (the unique key) is not written twice.
    func labelDeadlines() async throws -> Int {
        let today = caller.today
        guard let widest = Self.thresholdsInMonths.max().map({ today.adding(months: $0) }) else { return 0 }
        let labels = try await LabelRecord.query(on: db).with(\.$campus).filter(\.$retraitLe == nil)
            .filter(\.$fin >= today.iso).filter(\.$fin < widest.iso).sort(\.$fin).all()
        var told = 0
        for label in labels {
            guard let end = CalendarDay(iso: label.fin),
                  let months = Self.thresholdsInMonths.first(where: { end < today.adding(months: $0) }) else { continue }
            let campus = label.campus
            let labelID = try label.requireID()
            let region = try await User.query(on: db).filter(\.$role == .regionAcademique).filter(\.$regionCode == campus.regionCode).all(\.$id)
            let recipients = try await Notifier.team(ofCampus: campus.requireID(), on: db) + region.compactMap { $0 }
            let event = Notifier.Event(
                kind: .labelExpiring, title: "Label à renouveler : \(campus.nom)",
                text: "Le label du campus « \(campus.nom) » arrive à échéance le \(end.frenchLong) (dans moins de \(months) mois). Le dossier de renouvellement s'ouvre depuis la page du campus.",
                path: LabellingURL.dossiers.path, key: "label-\(labelID.uuidString.lowercased())-\(months)")
            do {
                told += try await db.writeTransaction { db in try await Notifier(db: db, caller: caller).notify(recipients, event) }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
        }
        return told
    }
}

/// One e-mail a day that gathers the notifications of the kinds a person chose to receive so. A notification goes
/// into one digest only: it is claimed by a conditional write before the e-mail is written, in one transaction.
struct DailyDigest {
    let db: any Database
    let caller: Caller

    static let pending = "a-envoyer"
    static let sent = "envoye"

    /// Writes the digests due; returns how many.
    func run() async throws -> Int {
        let userIDs = Set(try await AppNotification.query(on: db).filter(\.$digest == Self.pending).all(\.$user.$id))
        var written = 0
        for userID in userIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            let now = caller.clock.now()
            let base = caller.siteBase
            written += try await db.writeTransaction { db in
                guard let user = try await User.find(userID, on: db), let sql = db as? any SQLDatabase else { return 0 }
                let claimed = try await sql.update(AppNotification.schema).set("resume", to: SQLBind(Self.sent))
                    .where("utilisateur_id", .equal, SQLBind(userID)).where("resume", .equal, SQLBind(Self.pending))
                    .returning("id").all().map { try $0.decode(column: "id", as: UUID.self) }
                guard !claimed.isEmpty else { return 0 }
                let notices = try await AppNotification.query(on: db).filter(\.$id ~~ claimed).sort(\.$createdAt).all()
                try await Outbox.enqueue(Self.compose(to: user, notices, base: base), kind: "resume", userID: userID, now: now, on: db)
                return 1
            }
        }
        return written
    }

    static func compose(to user: User, _ notices: [AppNotification], base: String) -> MailMessage {
        let subject = notices.count == 1 ? "Votre résumé du jour : 1 notification" : "Votre résumé du jour : \(notices.count) notifications"
        let items = notices.map { "- \($0.title)\n  \($0.text)\n  \(base + $0.link)" }.joined(separator: "\n\n")
        let text = """
        Bonjour \(user.nom),

        Voici ce qui s'est passé depuis votre dernier résumé :

        \(items)

        --
        Campus des métiers et des qualifications
        Pour choisir comment vous recevez les notifications : \(base + AccountsURL.account.path)
        """
        let htmlItems = notices.map {
            "<li><a href=\"\(NotificationMail.escape(base + $0.link))\">\(NotificationMail.escape($0.title))</a><br>\(NotificationMail.escape($0.text))</li>"
        }.joined()
        let html = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>\(NotificationMail.escape(subject))</title></head><body>
        <p>Bonjour \(NotificationMail.escape(user.nom)),</p><p>Voici ce qui s'est passé depuis votre dernier résumé :</p><ul>\(htmlItems)</ul>
        <hr><p style="font-size:small"><a href="\(NotificationMail.escape(base + AccountsURL.account.path))">Choisir comment je reçois les notifications</a></p>
        </body></html>
        """
        return MailMessage(to: user.email, subject: subject, text: text, html: html)
    }
}

/// Runs the daily notices at 07:00 (Paris) while the server runs.
final class DailyNoticesLifecycle: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        let logger = app.logger
        let caller = Caller.command("notifications quotidiennes").withSiteBase(app.siteBase)
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(Self.secondsUntilNextRun(from: Date())))
                if Task.isCancelled { return }
                do {
                    let summary = try await DailyNotices(db: app.db, caller: caller, registrantRetentionMonths: app.cmqConfig.registrantRetentionMonths,
                                                        temoignageDeletionDays: app.cmqConfig.temoignageDeletionDays).run()
                    logger.notice("Notifications quotidiennes : \(summary)")
                } catch {
                    logger.error("Notifications quotidiennes : \(error)")
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        _ = await task?.value
    }

    /// Seconds until the next 07:00 in Paris (at least one).
    static func secondsUntilNextRun(from now: Date) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let next = calendar.nextDate(after: now, matching: DateComponents(hour: 7, minute: 0, second: 0), matchingPolicy: .nextTime) ?? now.addingTimeInterval(86_400)
        return max(1, next.timeIntervalSince(now))
    }
}

extension Caller {
    func withSiteBase(_ base: String) -> Caller {
        var caller = self
        caller.siteBase = base
        return caller
    }
}

extension Application {
    /// The site's public address outside a request (`CMQ_PUBLIC_URL`, or the address the server listens on).
    var siteBase: String {
        cmqConfig.publicURL ?? "http://\(cmqConfig.host):\(cmqConfig.port)"
    }
}
