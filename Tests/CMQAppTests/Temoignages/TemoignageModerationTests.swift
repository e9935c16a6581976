@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting

extension TemoignageFixtures {
    static let pdf = Array("%PDF-1.4\n% formulaire signé\n".utf8)

    /// Records a consent through the API, the proof as the body (PDF by default) or an e-mail confirmation.
    static func consent(_ app: Application, _ id: UUID, role: String, given: String = "2026-11-02", scopes: String = "publication,concours",
                        expires: String? = nil, proof: [UInt8]? = pdf, courriel: String? = nil, as identity: TestIdentity = .admin) async throws -> TestingHTTPResponse {
        var query = "role=\(role)&donneLe=\(given)&portees=\(scopes)"
        if let expires { query += "&expireLe=\(expires)" }
        if let courriel { query += "&courriel=\(courriel)" }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: proof == nil ? "application/octet-stream" : "application/pdf")
        switch identity {
        case .admin: headers.bearerAuthorization = BearerAuthorization(token: app.testAdminToken)
        case .anonymous: break
        case .token(let token): headers.bearerAuthorization = BearerAuthorization(token: token)
        }
        return try await app.testing().sendRequest(.POST, "/api/v1/temoignages/\(id.lower)/consentements?\(query)", headers: headers,
                                                   body: proof.map { ByteBuffer(bytes: $0) })
    }

    static func moderate(_ app: Application, _ id: UUID, _ json: String, as identity: TestIdentity = .admin) async throws -> TestingHTTPResponse {
        try await app.send(.POST, "/api/v1/temoignages/\(id.lower)/moderation", json: json, as: identity)
    }

    /// A testimony with its video and captions, submitted by `identity`.
    static func withMedia(_ app: Application, campus: Campus, as identity: TestIdentity = .admin, age: String = "majeur", holders: Int = 0) async throws -> TemoignageDTO {
        let temoignage = try await submit(app, campus: campus, as: identity, age: age, holders: holders)
        let base = "/api/v1/temoignages/\(temoignage.id.lower)"
        #expect(try await put(app, base + "/video", try bytes("cuisine-yanis.mp4"), as: identity).status == .ok)
        #expect(try await put(app, base + "/sous-titres", try bytes("cuisine-yanis.vtt"), as: identity).status == .ok)
        return temoignage
    }
}

@Suite("Témoignages: consent, moderation, withdrawal and deletion")
struct TemoignageModerationTests {
    typealias F = TemoignageFixtures

    @Test("a minor's testimony is published only once the person and both holders of parental authority have consented",
          arguments: TestDatabase.all)
    func minorConsents(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!)
            // given: a teacher's submission for a minor with two holders of parental authority
            let (campus, lycee) = try await F.campus(app)
            let teacher = try await TestAccounts.identity(app, .membre, organisation: lycee.requireID())
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.requireID())
            let temoignage = try await F.withMedia(app, campus: campus, as: teacher, age: "mineur", holders: 2)
            let id = temoignage.id
            // the submitter does not moderate
            #expect(try await F.moderate(app, id, #"{"decision": "publier"}"#, as: teacher).status == .forbidden)
            // when: no consent yet
            let early = try await F.moderate(app, id, #"{"decision": "publier"}"#, as: team)
            // then
            #expect(early.status == .conflict)
            #expect(early.problem?.detail.contains("la personne elle-même") == true)

            #expect(try await F.consent(app, id, role: "personne", as: teacher).status == .created)
            #expect(try await F.consent(app, id, role: "representant-1", proof: nil, courriel: "parent@example.fr", as: teacher).status == .created)
            let one = try await F.moderate(app, id, #"{"decision": "publier"}"#, as: team)
            #expect(one.status == .conflict)
            #expect(one.problem?.detail == "Ce témoignage ne peut pas être publié : Consentement manquant : le second titulaire de l'autorité parentale.")
            #expect(try await F.get(app, "/temoignages/\(id.lower)/video", as: .anonymous).status == .notFound)

            let png = try F.bytes("soudure-lea.png")
            #expect(try await F.consent(app, id, role: "representant-2", proof: png, as: teacher).status == .created)
            let published = try await F.moderate(app, id, #"{"decision": "publier", "note": "Vérifié avec le lycée."}"#, as: team)
            #expect(published.status == .ok, "\(published.body.string)")
            #expect(try published.decoded(TemoignageDTO.self).publie)
            let video = try await F.get(app, "/temoignages/\(id.lower)/video", range: "bytes=0-7", as: .anonymous)
            #expect(video.status == .partialContent)
            #expect(video.headers.first(name: .cacheControl) == "public, max-age=86400")
            // the moderation is in the audit trail
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entity == "temoignage").filter(\.$entityID == id).all()
            #expect(entries.contains { $0.decodedChanges["etat"]?.apres == "publie" && $0.decodedChanges["etat"]?.avant == "en-attente" })
        }
    }

    @Test("a consent needs its proof (signed form or e-mail), a declared holder, a date not in the future", arguments: TestDatabase.all)
    func consentRefusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.submit(app, campus: campus, age: "mineur", holders: 1)
            let id = temoignage.id
            let none = try await F.consent(app, id, role: "personne", proof: nil)
            #expect(none.status == .unprocessableEntity)
            #expect(none.faultyFields == ["justificatif"])
            let zip = try await F.consent(app, id, role: "personne", proof: Array("PK\u{3}\u{4}archive".utf8))
            #expect(zip.faultyFields == ["justificatif"])
            #expect(try await F.consent(app, id, role: "representant-2").faultyFields == ["role"])
            #expect(try await F.consent(app, id, role: "personne", given: "2999-01-01").faultyFields == ["donneLe"])
            #expect(try await F.consent(app, id, role: "personne", scopes: "partout").faultyFields == ["portees"])
            #expect(try await F.consent(app, id, role: "tuteur").faultyFields == ["role"])
            #expect(try await ConsentementRecord.query(on: app.db).count() == 0)
            #expect(try await F.mediaCount(app) == 0)
        }
    }

    @Test("refusal: a reason is required and shown to the submitter, who corrects and sends it back", arguments: TestDatabase.all)
    func refusal(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, lycee) = try await F.campus(app)
            let teacher = try await TestAccounts.identity(app, .membre, organisation: lycee.requireID())
            let temoignage = try await F.withMedia(app, campus: campus, as: teacher)
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "refuser"}"#).faultyFields == ["motif"])
            let refused = try await F.moderate(app, temoignage.id, #"{"decision": "refuser", "motif": "Le nom de l'entreprise est visible.", "note": "Voir avec le DDFPT."}"#)
            #expect(refused.status == .ok)
            let seen = try await F.get(app, "/api/v1/temoignages/\(temoignage.id.lower)", as: teacher).decoded(TemoignageDTO.self)
            #expect(seen.etat == "refuse")
            #expect(seen.motifRefus == "Le nom de l'entreprise est visible.")
            // refused → published is not a move; the submitter corrects and sends it back
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "publier"}"#).status == .conflict)
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "resoumettre"}"#, as: teacher).status == .ok)
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "valider"}"#).faultyFields == ["decision"])
        }
    }

    @Test("withdrawal by the family's private link unpublishes at once; the video is deleted after the delay, the proofs stay",
          arguments: TestDatabase.all)
    func withdrawalAndDeletion(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let start = ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!
            app.clock = .fixed(start)
            let (campus, _) = try await F.campus(app)
            let submitted = try await F.submit(app, campus: campus)
            let token = try #require(submitted.jetonRetrait)
            let id = submitted.id
            let base = "/api/v1/temoignages/\(id.lower)"
            #expect(try await F.put(app, base + "/video", try F.bytes("soudure-lea.webm")).status == .ok)
            #expect(try await F.put(app, base + "/sous-titres", try F.bytes("soudure-lea.vtt")).status == .ok)
            #expect(try await F.consent(app, id, role: "personne").status == .created)
            #expect(try await F.moderate(app, id, #"{"decision": "publier"}"#).status == .ok)
            #expect(try await F.get(app, "/temoignages/\(id.lower)/video", as: .anonymous).status == .ok)

            // the link's page, then the withdrawal
            let page = try await F.get(app, "/temoignages/retrait/\(token)", as: .anonymous)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Retirer mon consentement"))
            #expect(try await F.get(app, "/temoignages/retrait/\(String(repeating: "0", count: 64))", as: .anonymous).status == .notFound)
            _ = try await TemoignageService.withdrawByLink(token: token, motif: nil, db: app.db, clock: app.clock)
            #expect(try await F.get(app, "/temoignages/\(id.lower)/video", as: .anonymous).status == .notFound)
            let record = try #require(try await TemoignageRecord.find(id, on: app.db))
            #expect(record.etat == .retire)
            #expect(try await ConsentementRecord.query(on: app.db).filter(\.$retireLe == nil).count() == 0)

            // the daily sweep: nothing before 30 days, then the video, captions go; the proof of consent stays
            let sweeper = TemoignageService(db: app.db, caller: .command("test", clock: .fixed(start.addingTimeInterval(29 * 86_400))))
            #expect(try await sweeper.sweep(delayDays: 30) == .init(retires: 0, effaces: 0))
            #expect(try await F.mediaCount(app) == 3)
            let later = TemoignageService(db: app.db, caller: .command("test", clock: .fixed(start.addingTimeInterval(30 * 86_400))))
            #expect(try await later.sweep(delayDays: 30) == .init(retires: 0, effaces: 1))
            let remaining = try await TemoignageMediaRecord.query(on: app.db).all()
            #expect(remaining.map(\.nature) == [.justificatif])
            let erased = try #require(try await TemoignageRecord.find(id, on: app.db))
            #expect(erased.videoID == nil && erased.sousTitresID == nil && erased.mediasEffacesLe != nil)
            // once only
            #expect(try await later.sweep(delayDays: 30) == .init(retires: 0, effaces: 0))
        }
    }

    @Test("an expired consent takes a published testimony off the site at once, and the sweep withdraws it", arguments: TestDatabase.all)
    func expiry(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let start = ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!
            app.clock = .fixed(start)
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.withMedia(app, campus: campus)
            #expect(try await F.consent(app, temoignage.id, role: "personne", expires: "2026-12-31").status == .created)
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "publier"}"#).status == .ok)
            app.clock = .fixed(start.addingTimeInterval(60 * 86_400))
            // off the site before any sweep: publication is read with the consents of the day
            #expect(try await F.get(app, "/temoignages/\(temoignage.id.lower)/video", as: .anonymous).status == .notFound)
            let sweeper = TemoignageService(db: app.db, caller: .command("test", clock: app.clock))
            #expect(try await sweeper.sweep(delayDays: 30).retires == 1)
            let record = try #require(try await TemoignageRecord.find(temoignage.id, on: app.db))
            #expect(record.etat == .retire)
            #expect(record.motifRetrait == "Le consentement de la personne elle-même a expiré le 31 décembre 2026.")
        }
    }

    @Test("a consent withdrawn on a testimony refused in moderation withdraws it: its media are deleted after the delay",
          arguments: TestDatabase.all)
    func withdrawalAfterRefusal(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let start = ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!
            app.clock = .fixed(start)
            // given: a refused testimony with its video, captions and a consent
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.withMedia(app, campus: campus)
            #expect(try await F.consent(app, temoignage.id, role: "personne").status == .created)
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "refuser", "motif": "Le son est inaudible."}"#).status == .ok)
            // when: the consent is withdrawn
            let consent = try #require(try await ConsentementRecord.query(on: app.db).first()?.id)
            let path = "/api/v1/temoignages/\(temoignage.id.lower)/consentements/\(consent.lower)/retrait"
            let withdrawn = try await app.send(.POST, path, json: #"{"motif": "La famille ne souhaite plus participer."}"#)
            // then: withdrawn at once, cannot be sent back, and the sweep deletes its media after the delay
            #expect(withdrawn.status == .ok)
            #expect(try withdrawn.decoded(TemoignageDTO.self).etat == "retire")
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "resoumettre"}"#).status == .conflict)
            let record = try #require(try await TemoignageRecord.find(temoignage.id, on: app.db))
            #expect(record.retireLe != nil)
            let later = TemoignageService(db: app.db, caller: .command("test", clock: .fixed(start.addingTimeInterval(30 * 86_400))))
            #expect(try await later.sweep(delayDays: 30) == .init(retires: 0, effaces: 1))
            #expect(try await TemoignageMediaRecord.query(on: app.db).all().map(\.nature) == [.justificatif])
        }
    }

    @Test("an expired consent on a refused testimony withdraws it in the sweep", arguments: TestDatabase.all)
    func expiryAfterRefusal(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let start = ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!
            app.clock = .fixed(start)
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.withMedia(app, campus: campus)
            #expect(try await F.consent(app, temoignage.id, role: "personne", expires: "2026-12-31").status == .created)
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "refuser", "motif": "Le son est inaudible."}"#).status == .ok)
            let sweeper = TemoignageService(db: app.db, caller: .command("test", clock: .fixed(start.addingTimeInterval(60 * 86_400))))
            #expect(try await sweeper.sweep(delayDays: 30).retires == 1)
            #expect(try await TemoignageRecord.find(temoignage.id, on: app.db)?.etat == .retire)
        }
    }

    @Test("a consent withdrawn by the campus team unpublishes at once, with its reason", arguments: TestDatabase.all)
    func teamWithdrawal(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.withMedia(app, campus: campus)
            let recorded = try await F.consent(app, temoignage.id, role: "personne")
            #expect(try await F.moderate(app, temoignage.id, #"{"decision": "publier"}"#).status == .ok)
            _ = recorded
            let consent = try #require(try await ConsentementRecord.query(on: app.db).first()?.id)
            let path = "/api/v1/temoignages/\(temoignage.id.lower)/consentements/\(consent.lower)/retrait"
            #expect(try await app.send(.POST, path, json: #"{}"#).faultyFields == ["motif"])
            let withdrawn = try await app.send(.POST, path, json: #"{"motif": "Demande de la personne par téléphone."}"#)
            #expect(withdrawn.status == .ok)
            #expect(try withdrawn.decoded(TemoignageDTO.self).etat == "retire")
            #expect(try await F.get(app, "/temoignages/\(temoignage.id.lower)/video", as: .anonymous).status == .notFound)
        }
    }
}
