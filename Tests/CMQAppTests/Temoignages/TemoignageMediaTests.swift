@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import VaporTesting

/// The demo clips shipped with the application, and testimonies to attach them to.
enum TemoignageFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CMQApp/Resources/Data/demo/temoignages")

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }

    /// A real MP4 made larger than two chunks by a `free` box of `padding` bytes at its end (still a valid MP4).
    static func largeMP4(padding: Int = 2_500_000) throws -> [UInt8] {
        let size = UInt32(padding + 8)
        var bytes = try bytes("cuisine-yanis.mp4")
        bytes += [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + Array("free".utf8)
        bytes += (0..<padding).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        return bytes
    }

    /// A campus with a member organisation, and a testimony submitted through the API by `identity`.
    static func campus(_ app: Application) async throws -> (Campus, Organisation) {
        let campus = try await Factory.campus(app.db)
        let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet")
        try await Factory.membership(app.db, campus: campus, organisation: lycee)
        return (campus, lycee)
    }

    static func body(campus: Campus, age: String = "majeur", holders: Int = 0) throws -> String {
        """
        {"campusId": "\(try campus.requireID().lower)", "titre": "Du CAP au BTS", "prenom": "Léa",
         "texte": "Léa raconte son parcours.", "age": "\(age)", "titulairesAutorite": \(holders)}
        """
    }

    static func submit(_ app: Application, campus: Campus, as identity: TestIdentity = .admin, age: String = "majeur", holders: Int = 0) async throws -> TemoignageDTO {
        let response = try await app.send(.POST, "/api/v1/temoignages", json: try body(campus: campus, age: age, holders: holders), as: identity)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.decoded(TemoignageDTO.self)
    }

    static func put(_ app: Application, _ path: String, _ bytes: [UInt8], contentType: String = "application/octet-stream",
                    as identity: TestIdentity = .admin) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        switch identity {
        case .admin: headers.bearerAuthorization = BearerAuthorization(token: app.testAdminToken)
        case .anonymous: break
        case .token(let token): headers.bearerAuthorization = BearerAuthorization(token: token)
        }
        return try await app.testing().sendRequest(.PUT, path, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    static func get(_ app: Application, _ path: String, range: String? = nil, headers extra: HTTPHeaders = [:], as identity: TestIdentity = .admin) async throws -> TestingHTTPResponse {
        var headers = extra
        if let range { headers.replaceOrAdd(name: .range, value: range) }
        if case .admin = identity { headers.bearerAuthorization = BearerAuthorization(token: app.testAdminToken) }
        if case .token(let token) = identity { headers.bearerAuthorization = BearerAuthorization(token: token) }
        return try await app.testing().sendRequest(.GET, path, headers: headers)
    }

    static func mediaCount(_ app: Application) async throws -> Int {
        try await TemoignageMediaRecord.query(on: app.db).count()
    }
}

@Suite("Témoignages: media stored in the database, served with ranges")
struct TemoignageMediaTests {
    typealias F = TemoignageFixtures

    @Test("a video larger than two chunks is stored and served: whole, first bytes, middle across a chunk boundary, suffix, 416",
          arguments: TestDatabase.all)
    func ranges(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.submit(app, campus: campus)
            let video = try F.largeMP4()
            // when
            let upload = try await F.put(app, "/api/v1/temoignages/\(temoignage.id.lower)/video", video, contentType: "video/mp4")
            // then
            #expect(upload.status == .ok, "\(upload.body.string)")
            let stored = try upload.decoded(TemoignageDTO.self)
            #expect(stored.video == "/temoignages/\(temoignage.id.lower)/video")
            #expect(abs((stored.dureeSecondes ?? 0) - 6) < 0.1)
            let chunks = try await (app.db as! any SQLDatabase).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("temoignages_medias_morceaux").first()?.decode(column: "n", as: Int.self)
            #expect(chunks == (video.count + MediaStore.chunkSize - 1) / MediaStore.chunkSize)

            let path = stored.video!
            let whole = try await F.get(app, path)
            #expect(whole.status == .ok)
            #expect([UInt8](whole.body.readableBytesView) == video)
            #expect(whole.headers.first(name: .acceptRanges) == "bytes")
            #expect(whole.headers.first(name: .contentType) == "video/mp4")
            #expect(whole.headers.first(name: .eTag)?.hasPrefix("\"") == true)
            // not published: the reader's browser only
            #expect(whole.headers.first(name: .cacheControl) == "private, no-cache")

            let first = try await F.get(app, path, range: "bytes=0-99")
            #expect(first.status == .partialContent)
            #expect(first.headers.first(name: .contentRange) == "bytes 0-99/\(video.count)")
            #expect([UInt8](first.body.readableBytesView) == Array(video[0...99]))

            let boundary = MediaStore.chunkSize
            let middle = try await F.get(app, path, range: "bytes=\(boundary - 10)-\(boundary + 9)")
            #expect(middle.status == .partialContent)
            #expect([UInt8](middle.body.readableBytesView) == Array(video[(boundary - 10)...(boundary + 9)]))

            let suffix = try await F.get(app, path, range: "bytes=-500")
            #expect(suffix.status == .partialContent)
            #expect(suffix.headers.first(name: .contentRange) == "bytes \(video.count - 500)-\(video.count - 1)/\(video.count)")
            #expect([UInt8](suffix.body.readableBytesView) == Array(video.suffix(500)))

            let past = try await F.get(app, path, range: "bytes=\(video.count)-")
            #expect(past.status == .rangeNotSatisfiable)
            #expect(past.headers.first(name: .contentRange) == "bytes */\(video.count)")

            let cached = try await F.get(app, path, headers: ["If-None-Match": whole.headers.first(name: .eTag)!])
            #expect(cached.status == .notModified)
        }
    }

    @Test("WebM and captions: the captions are served as text/vtt and give the transcript", arguments: TestDatabase.all)
    func webmAndCaptions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.submit(app, campus: campus)
            let base = "/api/v1/temoignages/\(temoignage.id.lower)"
            #expect(try await F.put(app, base + "/video", try F.bytes("soudure-lea.webm")).status == .ok)
            let captions = try await F.put(app, base + "/sous-titres", try F.bytes("soudure-lea.vtt"), contentType: "text/vtt")
            #expect(captions.status == .ok)
            #expect(try captions.decoded(TemoignageDTO.self).transcription?.hasPrefix("Contenu de démonstration : je m'appelle Léa") == true)
            let poster = try await F.put(app, base + "/affiche", try F.bytes("soudure-lea.png"), contentType: "image/png")
            #expect(poster.status == .ok)

            let video = try await F.get(app, "/temoignages/\(temoignage.id.lower)/video", range: "bytes=0-3")
            #expect(video.headers.first(name: .contentType) == "video/webm")
            #expect([UInt8](video.body.readableBytesView) == [0x1A, 0x45, 0xDF, 0xA3])
            let vtt = try await F.get(app, "/temoignages/\(temoignage.id.lower)/sous-titres.vtt")
            #expect(vtt.headers.first(name: .contentType) == "text/vtt; charset=utf-8")
            #expect(vtt.body.string.hasPrefix("WEBVTT"))
            #expect(try await F.get(app, "/temoignages/\(temoignage.id.lower)/affiche").headers.first(name: .contentType) == "image/png")
            // a new video replaces the old one: its chunks go
            #expect(try await F.put(app, base + "/video", try F.bytes("maintenance-ines.webm")).status == .ok)
            #expect(try await F.mediaCount(app) == 3)
        }
    }

    @Test("what is not a video, too long, or too large is refused in French and nothing is stored", arguments: TestDatabase.all)
    func refusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.submit(app, campus: campus)
            let path = "/api/v1/temoignages/\(temoignage.id.lower)/video"

            let png = try await F.put(app, path, try F.bytes("soudure-lea.png"), contentType: "video/mp4")
            #expect(png.status == .unprocessableEntity)
            #expect(png.problem?.errors?.first?.detail == MediaError.notAVideo.message)

            var long = try F.bytes("cuisine-yanis.mp4")
            let mvhd = try #require((0..<long.count - 4).first { Array(long[$0..<($0 + 4)]) == Array("mvhd".utf8) })
            let timescale = long[(mvhd + 16)..<(mvhd + 20)].reduce(0) { $0 << 8 | UInt32($1) }
            let duration = 181 * timescale
            long.replaceSubrange((mvhd + 20)..<(mvhd + 24), with: [UInt8(duration >> 24), UInt8(duration >> 16 & 0xFF), UInt8(duration >> 8 & 0xFF), UInt8(duration & 0xFF)])
            let tooLong = try await F.put(app, path, long, contentType: "video/mp4")
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.problem?.errors?.first?.detail == "Cette vidéo dure 3 min 01 s : la durée maximale est de 3 min.")

            let srt = try await F.put(app, "/api/v1/temoignages/\(temoignage.id.lower)/sous-titres", Array("1\n00:00:00,000 --> 00:00:01,000\nBonjour\n".utf8))
            #expect(srt.status == .unprocessableEntity)

            app.cmqConfig.temoignageVideoMaxMegabytes = 1
            let large = try await F.put(app, path, try F.largeMP4(), contentType: "video/mp4")
            #expect(large.status == .payloadTooLarge)
            #expect(large.isProblemJSON)
            #expect(large.problem?.detail == "Ce fichier dépasse la taille maximale de 1 Mo.")

            let empty = try await F.put(app, path, [], contentType: "video/mp4")
            #expect(empty.status == .unprocessableEntity)

            #expect(try await F.mediaCount(app) == 0)
            #expect(try await F.get(app, "/temoignages/\(temoignage.id.lower)/video").status == .notFound)
        }
    }

    @Test("rights: the public does not see an unpublished video; a member outside the network may not submit; only the submitter completes (404 to the others)",
          arguments: TestDatabase.all)
    func rights(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, lycee) = try await F.campus(app)
            let outsider = try await Factory.organisation(app.db, nom: "Lycée d'ailleurs")
            let teacher = try await TestAccounts.identity(app, .membre, organisation: lycee.requireID())
            let colleague = try await TestAccounts.identity(app, .membre, organisation: lycee.requireID())
            let stranger = try await TestAccounts.identity(app, .membre, organisation: outsider.requireID())

            let refused = try await app.send(.POST, "/api/v1/temoignages", json: try F.body(campus: campus), as: stranger)
            #expect(refused.status == .forbidden)
            #expect(try await TemoignageRecord.query(on: app.db).count() == 0)

            let temoignage = try await F.submit(app, campus: campus, as: teacher)
            #expect(temoignage.jetonRetrait?.count == 64)
            #expect(temoignage.etat == "en-attente")
            let path = "/api/v1/temoignages/\(temoignage.id.lower)/video"
            #expect(try await F.put(app, path, try F.bytes("cuisine-yanis.mp4"), as: colleague).status == .notFound)
            #expect(try await F.put(app, path, try F.bytes("cuisine-yanis.mp4"), as: .anonymous).status == .unauthorized)
            #expect(try await F.mediaCount(app) == 0)
            #expect(try await F.put(app, path, try F.bytes("cuisine-yanis.mp4"), as: teacher).status == .ok)

            #expect(try await F.get(app, "/temoignages/\(temoignage.id.lower)/video", as: .anonymous).status == .notFound)
            #expect(try await F.get(app, "/api/v1/temoignages/\(temoignage.id.lower)", as: .anonymous).status == .notFound)
            #expect(try await F.get(app, "/temoignages/\(temoignage.id.lower)/video", as: teacher).status == .ok)
            #expect(try await F.get(app, "/temoignages/\(temoignage.id.lower)/video", as: colleague).status == .notFound)
        }
    }

    @Test("over a real connection the body arrives in pieces: a 2.5 MB video is streamed to disk, stored and read back by ranges",
          arguments: TestDatabase.all)
    func overASocket(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, _) = try await F.campus(app)
            let temoignage = try await F.submit(app, campus: campus)
            let video = try F.largeMP4()
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "video/mp4")
            headers.bearerAuthorization = BearerAuthorization(token: app.testAdminToken)
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            let sent = try await live.sendRequest(.PUT, "/api/v1/temoignages/\(temoignage.id.lower)/video", headers: headers, body: ByteBuffer(bytes: video))
            #expect(sent.status == .ok, "\(sent.body.string)")
            var rangeHeaders = HTTPHeaders()
            rangeHeaders.bearerAuthorization = BearerAuthorization(token: app.testAdminToken)
            rangeHeaders.replaceOrAdd(name: .range, value: "bytes=2000000-2099999")
            let read = try await live.sendRequest(.GET, "/temoignages/\(temoignage.id.lower)/video", headers: rangeHeaders)
            #expect(read.status == .partialContent)
            #expect([UInt8](read.body.readableBytesView) == Array(video[2_000_000...2_099_999]))
            // (the testing client reads at most 1 MiB of an answer: the end of the file by a suffix range)
            rangeHeaders.replaceOrAdd(name: .range, value: "bytes=-1000")
            let end = try await live.sendRequest(.GET, "/temoignages/\(temoignage.id.lower)/video", headers: rangeHeaders)
            #expect([UInt8](end.body.readableBytesView) == Array(video.suffix(1000)))
            #expect(try await TemoignageMediaRecord.query(on: app.db).first()?.taille == Int64(video.count))
        }
    }
}
