import CMQDomain
import Fluent
import Foundation
import SQLKit

extension TemoignageService {
    /// A moderator's decision.
    enum Decision: Sendable {
        /// Publish: only with the video, its captions and every consent.
        case publish(note: String?)
        /// Refuse, with the reason shown to the submitter and an internal note.
        case refuse(motif: String, note: String?)
        /// Take a published (or waiting) testimony off the site, with its reason.
        case withdraw(motif: String, note: String?)
        /// A refused testimony, corrected, waits again (its submitter or the team).
        case resubmit

        var target: TemoignageEtat {
            switch self {
            case .publish: .publie
            case .refuse: .refuse
            case .withdraw: .retire
            case .resubmit: .enAttente
            }
        }
    }

    /// Moves the testimony; of concurrent moderators exactly one moves it from the state read. The history is the
    /// audit trail's.
    func moderate(_ id: UUID, _ decision: Decision) async throws -> Loaded {
        let current = try await load(id)
        let scope = current.scope(on: today)
        if case .resubmit = decision {
            try caller.authorize(.update, .temoignage(scope))
        } else {
            try caller.authorize(.update, .temoignageModeration(scope))
        }
        let from = current.record.etat, next = decision.target
        guard from.mayBecome(next) else { throw TemoignageError.illegalMove(from: from, to: next).appError }
        var motif: String?, note: String?
        switch decision {
        case .publish(let n):
            let problems = current.publicationCheck(today).problems
            guard problems.isEmpty else { throw TemoignageError.notPublishable(problems).appError }
            note = n
        case .refuse(let m, let n), .withdraw(let m, let n):
            motif = m.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let text = motif, !text.isEmpty, text.count <= 1000 else { throw TemoignageError.reasonRequired.appError }
            note = n
        case .resubmit:
            break
        }
        if let text = note?.trimmingCharacters(in: .whitespacesAndNewlines), text.count > 2000 {
            throw AppError.validation([FieldError("note", "La note interne compte 2000 caractères au plus.")])
        }
        let now = now
        let (reason, internalNote) = (motif, note)
        try await db.writeTransaction { db in
            guard try await db.claim("temoignages", id: id, expected: [("etat", from.rawValue)], changes: [("etat", next.rawValue)]) else {
                let fresh = try await TemoignageRecord.find(id, on: db)
                throw TemoignageError.illegalMove(from: fresh?.etat ?? from, to: next).appError
            }
            guard let record = try await TemoignageRecord.find(id, on: db) else { return }
            var before = record.auditSnapshot
            before["etat"] = from.rawValue
            switch decision {
            case .publish:
                record.publieLe = now
                record.motifRefus = nil
            case .refuse:
                record.motifRefus = reason
            case .withdraw:
                record.motifRetrait = reason
                record.retireLe = now
            case .resubmit:
                break
            }
            if let note = internalNote?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty { record.noteInterne = note }
            try await record.update(on: db)
            try await caller.audit.record(.update, record, id: id, before: before, on: db)
            if case .refuse = decision, let reason { try await RefusalMail.queue(record, motif: reason, caller: caller, on: db) }
        }
        return try await load(id)
    }

    struct SweepResult: Equatable, Sendable {
        var retires = 0
        var effaces = 0
    }

    /// Once a day (and `cmq rgpd purge-temoignages`): testimonies (published, waiting or refused) whose consent was
    /// withdrawn or has expired leave the site; the video, captions and poster of those withdrawn `delayDays` ago or more are deleted (the proofs
    /// of consent stay, as the record of what was agreed and withdrawn).
    func sweep(delayDays: Int) async throws -> SweepResult {
        var result = SweepResult()
        let day = today
        let live = try await TemoignageRecord.query(on: db).filter(\.$etat ~~ [.publie, .enAttente, .refuse]).all()
        for record in live {
            guard let id = record.id, let loaded = try await Self.load(id, on: db) else { continue }
            let status = loaded.consentStatus(on: day)
            guard status.isEnded else { continue }
            try await withdraw(id, consents: [], motif: status.message)
            result.retires += 1
        }
        let now = now
        let due = try await TemoignageRecord.query(on: db).filter(\.$etat == .retire).filter(\.$mediasEffacesLe == nil).all()
        for record in due {
            guard let id = record.id, let withdrawn = record.retireLe,
                  MediaRetention.deletionDue(withdrawnAt: withdrawn, delayDays: delayDays, now: now) else { continue }
            try await db.writeTransaction { db in
                guard let record = try await TemoignageRecord.find(id, on: db), record.mediasEffacesLe == nil else { return }
                let media = try await TemoignageMediaRecord.query(on: db).filter(\.$temoignage.$id == id)
                    .filter(\.$nature != .justificatif).all().compactMap(\.id)
                let before = record.auditSnapshot
                record.videoID = nil
                record.sousTitresID = nil
                record.afficheID = nil
                record.transcription = nil
                record.mediasEffacesLe = now
                try await record.update(on: db)
                try await MediaStore.delete(media, on: db)
                try await caller.audit.record(.update, record, id: id, before: before, on: db)
            }
            result.effaces += 1
        }
        return result
    }
}
