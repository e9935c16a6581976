import CMQDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// A consent as the submitter records it (API query or form), checked.
struct ConsentInput: Sendable {
    var role: ConsentRole
    var donneLe: CalendarDay
    var portees: Set<ConsentScope>
    var expireLe: CalendarDay?
    /// The e-mail confirmation, when the consent was given by e-mail rather than on a signed form.
    var courriel: String?

    static func read(_ reader: inout InputReader, today: CalendarDay) throws(AppError) -> ConsentInput {
        let role = reader.choice("role", ConsentRole.self, required: true).value
        let donne = reader.day("donneLe", required: true).value
        let portees = (reader.text("portees", required: true, maxLength: 100).value ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var scopes: Set<ConsentScope> = []
        for value in portees where !value.isEmpty {
            if let scope = ConsentScope(rawValue: value) { scopes.insert(scope) } else {
                reader.fail("portees", "« \(value) » n'est pas une portée : publication, concours.")
            }
        }
        if scopes.isEmpty, !reader.hasErrors { reader.fail("portees", "Indiquez au moins une portée : publication, concours.") }
        let expire = reader.day("expireLe").value
        let courriel = reader.email("courriel").value
        if let donne, donne > today { reader.fail("donneLe", "Un consentement ne peut pas être daté du futur.") }
        if let donne, let expire, expire <= donne { reader.fail("expireLe", "La fin du consentement doit suivre sa date.") }
        try reader.finish()
        return ConsentInput(role: role!, donneLe: donne!, portees: scopes, expireLe: expire, courriel: courriel)
    }
}

extension TemoignageService {
    // MARK: - Consents

    /// Records a consent with its proof: the signed form (PDF or image, ≤ 10 MB, sniffed) or the e-mail confirmation.
    func recordConsent(_ id: UUID, _ input: ConsentInput, proof: SpooledUpload?, pool: NIOThreadPool) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: today)))
        if current.record.etat == .retire { throw AppError.conflict("Ce témoignage est retiré : il ne reçoit plus de consentement.") }
        var problems: [FieldError] = []
        let holders = current.record.titulairesAutorite
        if input.role == .representant1 && holders < 1 || input.role == .representant2 && holders < 2 {
            problems.append(FieldError("role", "Ce titulaire de l'autorité parentale n'est pas déclaré pour ce témoignage (\(holders) déclaré(s))."))
        }
        var proofType: String?
        if let proof, proof.size > 0 {
            if proof.size > UInt64(ProofSniffer.maximumSize) { throw MediaError.tooLarge(bytes: proof.size, limit: UInt64(ProofSniffer.maximumSize)).appError("justificatif") }
            do { proofType = try ProofSniffer.mimeType(try proof.head(12)) } catch let error as MediaError { problems.append(FieldError("justificatif", error.message)) }
        } else if input.courriel == nil {
            problems.append(FieldError("justificatif", "Joignez le formulaire signé (PDF ou image) ou indiquez l'adresse de la confirmation par courriel."))
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let consent = ConsentRecord(role: input.role, givenOn: input.donneLe, scopes: input.portees, expiresOn: input.expireLe)
        let author = caller.author.displayName
        let proofMime = proofType
        try await db.writeTransaction { db in
            var proofID: UUID?
            if let proof, let proofMime {
                proofID = try await MediaStore.store(proof, temoignageID: id, nature: .justificatif, mimeType: proofMime, pool: pool, on: db).id
            }
            let record = ConsentementRecord(temoignageID: id, consent: consent, justificatifID: proofID, courriel: input.courriel, enregistrePar: author)
            try await record.create(on: db)
            try await caller.audit.record(.create, record, id: record.requireID(), on: db)
        }
        return try await load(id)
    }

    /// Withdraws one consent (the campus team, the submitter): the testimony leaves the site at once; its media are
    /// deleted after the configured delay.
    func withdrawConsent(_ id: UUID, consentID: UUID, motif: String) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: today)))
        guard current.consents.contains(where: { $0.id == consentID }) else {
            throw AppError.notFound("Ce témoignage n'a pas de consentement d'identifiant \(consentID.uuidString.lowercased()).")
        }
        try await withdraw(id, consents: [consentID], motif: motif)
        return try await load(id)
    }

    /// The private link given to the family: every consent of the testimony is withdrawn and it leaves the site.
    /// Nobody is signed in; the token names the testimony (only its SHA-256 is stored).
    static func withdrawByLink(token: String, motif: String?, db: any Database, clock: AppClock) async throws -> UUID {
        guard token.count == 64, token.allSatisfy(\.isHexDigit),
              let record = try await TemoignageRecord.query(on: db).filter(\.$jetonRetrait == hash(token)).first(), let id = record.id else {
            throw AppError.notFound("Ce lien de retrait n'est pas valide.")
        }
        let caller = Caller(actor: nil, author: AuditAuthor(userID: nil, label: "lien de retrait (famille)"), isOperator: true, clock: clock)
        let service = TemoignageService(db: db, caller: caller)
        let consents = try await ConsentementRecord.query(on: db).filter(\.$temoignage.$id == id).filter(\.$retireLe == nil).all().compactMap(\.id)
        let reason = (motif?.isEmpty ?? true) ? "Consentement retiré par la famille (lien privé)." : motif!
        try await service.withdraw(id, consents: consents, motif: reason)
        return id
    }

    /// Marks the consents withdrawn today and takes the testimony off the site (waiting or published → withdrawn),
    /// in one transaction.
    func withdraw(_ id: UUID, consents: [UUID], motif: String) async throws {
        let motif = motif.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !motif.isEmpty, motif.count <= 500 else { throw TemoignageError.reasonRequired.appError }
        let today = today.iso, now = now
        try await retryingStaleState {
            try await db.writeTransaction { db in
                for consentID in consents {
                    guard let consent = try await ConsentementRecord.find(consentID, on: db), consent.retireLe == nil else { continue }
                    let before = consent.auditSnapshot
                    consent.retireLe = today
                    consent.motifRetrait = motif
                    try await consent.update(on: db)
                    try await caller.audit.record(.update, consent, id: consentID, before: before, on: db)
                }
                guard let record = try await TemoignageRecord.find(id, on: db), record.etat.mayBecome(.retire) else { return }
                guard try await db.claim("temoignages", id: id, expected: [("etat", record.etat.rawValue)], changes: [("etat", TemoignageEtat.retire.rawValue)]) else {
                    throw StaleStateError()
                }
                let before = record.auditSnapshot
                record.etat = .retire
                record.motifRetrait = motif
                record.retireLe = now
                try await record.update(on: db)
                try await caller.audit.record(.update, record, id: id, before: before, on: db)
            }
        }
    }
}
