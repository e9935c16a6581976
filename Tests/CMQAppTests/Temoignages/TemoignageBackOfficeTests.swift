@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting

/// A `multipart/form-data` body: text fields and files.
struct MultipartBody {
    let boundary = "cmq-test-\(UUID().uuidString.prefix(8))"
    var bytes: [UInt8] = []

    mutating func field(_ name: String, _ value: String) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    mutating func file(_ name: String, _ filename: String, _ contents: [UInt8], type: String = "application/octet-stream") {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
        bytes += contents + Array("\r\n".utf8)
    }

    var closed: [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }
}

extension BrowserSession {
    /// Sends a file form the way a browser does: the CSRF token in the form's address (`?_csrf=`), the body multipart.
    func postMultipart(_ path: String, _ body: MultipartBody, token: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.replaceOrAdd(name: .cookie, value: cookie) }
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(body.boundary)")
        let sent = (token ?? csrf ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await app.testing().sendRequest(.POST, "\(path)?_csrf=\(sent)", headers: headers, body: ByteBuffer(bytes: body.closed))
    }
}

@Suite("Témoignages: the back-office's forms (submission, consents, moderation)")
struct TemoignageBackOfficeTests {
    typealias F = TemoignageFixtures

    static func submission(campus: Campus, video: [UInt8]?, captions: [UInt8]?, age: String = "majeur", holders: String = "0") throws -> MultipartBody {
        var body = MultipartBody()
        body.field("campusId", try campus.requireID().lower)
        body.field("titre", "Du CAP au BTS")
        body.field("prenom", "Yanis")
        body.field("texte", "Yanis raconte son apprentissage en cuisine.")
        body.field("etablissementId", "")
        body.field("formationId", "")
        body.field("categorie", "services")
        body.field("age", age)
        body.field("dateNaissance", "")
        body.field("titulairesAutorite", holders)
        if let video { body.file("video", "yanis.mp4", video, type: "video/mp4") } else { body.file("video", "", []) }
        if let captions { body.file("sousTitres", "yanis.vtt", captions, type: "text/vtt") }
        body.file("affiche", "", [])
        return body
    }

    @Test("a teacher submits with video and captions; publication waits for the consent; a refusal e-mails the reason; then the gallery",
          arguments: TestDatabase.all)
    func submitConsentModerate(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z")!)
            // given: a teacher of a member lycée and the campus team
            let (campus, lycee) = try await F.campus(app)
            _ = try await TestAccounts.user(app, role: .membre, email: "prof@cmq.test", organisation: lycee.requireID(), password: "mot de passe prof")
            _ = try await TestAccounts.user(app, role: .equipeCampus, email: "equipe@cmq.test", campus: campus.requireID(), password: "mot de passe équipe")
            var teacher = BrowserSession(app)
            _ = try await teacher.signIn("prof@cmq.test", "mot de passe prof")
            let form = try await teacher.get("/gestion/temoignages")
            #expect(form.status == .ok)
            #expect(form.body.string.contains("Soumettre un témoignage") && form.body.string.contains("/gestion/temoignages?_csrf="))
            #expect(try await teacher.get("/gestion").body.string.contains("/gestion/temoignages"))

            // when: the teacher submits with the video and its captions
            let sent = try await teacher.postMultipart("/gestion/temoignages",
                                                       try Self.submission(campus: campus, video: try F.bytes("cuisine-yanis.mp4"), captions: try F.bytes("cuisine-yanis.vtt")))
            // then: it waits, with its files, and the family's withdrawal link is shown once
            #expect(sent.status == .created, "\(sent.body.string.prefix(2000))")
            #expect(sent.body.string.contains("/temoignages/retrait/"))
            let record = try #require(try await TemoignageRecord.query(on: app.db).first())
            let id = try record.requireID()
            #expect(record.etat == .enAttente && record.videoID != nil && record.sousTitresID != nil && record.categorie == "services")
            #expect(record.$soumisPar.id != nil)

            // the team sees it waiting on its home, and may not publish it before the consent
            var team = BrowserSession(app)
            _ = try await team.signIn("equipe@cmq.test", "mot de passe équipe")
            #expect(BackOfficeHomeTests.blocks(try await team.get("/gestion").body.string)["Témoignages à modérer"] == 1)
            let page = try await team.get("/gestion/temoignages/\(id.lower)")
            #expect(page.status == .ok && page.body.string.contains("Publier"))
            let early = try await team.post("/gestion/temoignages/\(id.lower)/moderation", [("decision", "publier")])
            #expect(early.status == .conflict)
            #expect(early.body.string.contains("Consentement manquant"))
            #expect(try await TemoignageRecord.find(id, on: app.db)?.etat == .enAttente)

            // the consent, with the signed form as its proof
            var consent = MultipartBody()
            consent.field("role", "personne")
            consent.field("donneLe", "2026-11-19")
            consent.field("portees", "publication")
            consent.field("portees", "concours")
            consent.field("expireLe", "")
            consent.field("courriel", "")
            consent.file("justificatif", "formulaire.pdf", F.pdf, type: "application/pdf")
            let recorded = try await team.postMultipart("/gestion/temoignages/\(id.lower)/consentements", consent)
            #expect(recorded.status == .seeOther, "\(recorded.body.string.prefix(2000))")
            let consents = try await ConsentementRecord.query(on: app.db).all()
            #expect(consents.count == 1 && consents.first?.portees.split(separator: ",").count == 2 && consents.first?.$justificatif.id != nil)

            // refused: the reason is required, then e-mailed to the teacher (never the internal note)
            let noReason = try await team.post("/gestion/temoignages/\(id.lower)/moderation", [("decision", "refuser"), ("motif", "")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$kind == RefusalMail.kind).count() == 0)
            let refused = try await team.post("/gestion/temoignages/\(id.lower)/moderation",
                                              [("decision", "refuser"), ("motif", "Le nom du restaurant est visible."), ("note", "Voir avec le chef de travaux.")])
            #expect(refused.status == .seeOther)
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$kind == RefusalMail.kind).first())
            #expect(mail.recipient == "prof@cmq.test" && mail.text.contains("Le nom du restaurant est visible.") && !mail.text.contains("chef de travaux"))
            let seen = try await teacher.get("/gestion/temoignages/\(id.lower)").body.string
            #expect(seen.contains("Le nom du restaurant est visible.") && !seen.contains("chef de travaux"))

            // the teacher sends it back, the team publishes: it is in the gallery with its captions
            #expect(try await teacher.post("/gestion/temoignages/\(id.lower)/moderation", [("decision", "resoumettre")]).status == .seeOther)
            #expect(try await team.post("/gestion/temoignages/\(id.lower)/moderation", [("decision", "publier")]).status == .seeOther)
            #expect(try await TemoignageRecord.find(id, on: app.db)?.etat == .publie)
            #expect(try await F.get(app, "/temoignages", as: .anonymous).body.string.contains("Du CAP au BTS"))
            #expect(try await F.get(app, "/temoignages/\(id.lower)", as: .anonymous).body.string.contains("kind=\"captions\""))
        }
    }

    @Test("the submission form refuses without writing: not a video, no captions, a file field it does not take, a forged token",
          arguments: TestDatabase.all)
    func submissionRefusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, lycee) = try await F.campus(app)
            _ = try await TestAccounts.user(app, role: .membre, email: "prof2@cmq.test", organisation: lycee.requireID(), password: "mot de passe prof")
            var teacher = BrowserSession(app)
            _ = try await teacher.signIn("prof2@cmq.test", "mot de passe prof")
            _ = try await teacher.get("/gestion/temoignages")

            // captions sent as the video, and no captions
            let wrong = try await teacher.postMultipart("/gestion/temoignages",
                                                        try Self.submission(campus: campus, video: try F.bytes("cuisine-yanis.vtt"), captions: nil))
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("champ-video") && wrong.body.string.contains("champ-sousTitres"))
            #expect(wrong.body.string.contains("value=\"Du CAP au BTS\""))
            // a field error and a file error are listed together
            var noTitle = try Self.submission(campus: campus, video: try F.bytes("cuisine-yanis.mp4"), captions: nil)
            noTitle.field("prenom", "Yanis Dupont")
            #expect(try await teacher.postMultipart("/gestion/temoignages", noTitle).status == .unprocessableEntity)
            // a file the form does not take
            var extra = try Self.submission(campus: campus, video: try F.bytes("cuisine-yanis.mp4"), captions: try F.bytes("cuisine-yanis.vtt"))
            extra.file("autre", "x.bin", [1, 2, 3])
            #expect(try await teacher.postMultipart("/gestion/temoignages", extra).status == .badRequest)
            // a forged token
            let forged = try await teacher.postMultipart("/gestion/temoignages",
                                                         try Self.submission(campus: campus, video: try F.bytes("cuisine-yanis.mp4"), captions: try F.bytes("cuisine-yanis.vtt")),
                                                         token: "autre-jeton")
            #expect(forged.status == .forbidden)
            #expect(try await TemoignageRecord.query(on: app.db).count() == 0)
            #expect(try await F.mediaCount(app) == 0)
        }
    }

    @Test("another campus's team neither sees nor moderates a testimony; a member does not moderate", arguments: TestDatabase.all)
    func rights(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, lycee) = try await F.campus(app)
            let other = try await Factory.campus(app.db, nom: "Campus d'ailleurs")
            let temoignage = try await F.withMedia(app, campus: campus)
            _ = try await TestAccounts.user(app, role: .equipeCampus, email: "ailleurs@cmq.test", campus: other.requireID(), password: "mot de passe ailleurs")
            _ = try await TestAccounts.user(app, role: .membre, email: "membre@cmq.test", organisation: lycee.requireID(), password: "mot de passe membre")
            var stranger = BrowserSession(app)
            _ = try await stranger.signIn("ailleurs@cmq.test", "mot de passe ailleurs")
            #expect(try await stranger.get("/gestion/temoignages/\(temoignage.id.lower)").status == .notFound)
            #expect(!(try await stranger.get("/gestion/temoignages").body.string.contains("Du CAP au BTS")))
            _ = try await stranger.get("/gestion")
            #expect(try await stranger.post("/gestion/temoignages/\(temoignage.id.lower)/moderation", [("decision", "refuser"), ("motif", "Non.")]).status == .notFound)
            var member = BrowserSession(app)
            _ = try await member.signIn("membre@cmq.test", "mot de passe membre")
            _ = try await member.get("/gestion")
            let attempt = try await member.post("/gestion/temoignages/\(temoignage.id.lower)/moderation", [("decision", "refuser"), ("motif", "Non.")])
            #expect(attempt.status == .notFound || attempt.status == .forbidden)
            #expect(try await TemoignageRecord.find(temoignage.id, on: app.db)?.etat == .enAttente)
        }
    }
}
