import CMQDomain
import Crypto
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// An uploaded body written to a temporary file, never held whole in memory. The caller removes it (`remove()`) in
/// every path, success or failure.
struct SpooledUpload: Sendable {
    let path: String
    let size: UInt64

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The first `count` bytes (the signature of a poster or a proof).
    func head(_ count: Int) throws -> [UInt8] {
        try FileByteSource(path: path).read(at: 0, count: count)
    }

    /// The whole file, for the small ones (captions ≤ 512 KB).
    func bytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

enum UploadSpool {
    /// Writes the request's body to a temporary file as it arrives (the route takes `body: .stream`), refusing
    /// with 413 once it passes `limit` bytes; the file is removed when anything fails.
    static func receive(_ request: Request, limit: UInt64, tooLarge: String) async throws -> SpooledUpload {
        let path = NSTemporaryDirectory() + "cmq-envoi-\(UUID().uuidString.lowercased())"
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw Abort(.internalServerError, reason: "Impossible d'écrire le fichier reçu dans le dossier temporaire.")
        }
        let writer = SpoolWriter(handle: handle, limit: limit)
        do {
            let size = try await writer.drain(request)
            return SpooledUpload(path: path, size: size)
        } catch is SpoolWriter.TooLarge {
            try? FileManager.default.removeItem(atPath: path)
            throw AppError.payloadTooLarge(tooLarge)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}

/// Appends the body's buffers to the file on the application's thread pool; the next buffer is asked for once the
/// previous one is written (back-pressure: a slow disk slows the client, memory stays bounded).
private final class SpoolWriter: @unchecked Sendable {
    struct TooLarge: Error {}

    private let handle: FileHandle
    private let limit: UInt64
    private let state = NIOLockedValueBox<(size: UInt64, done: Bool)>((0, false))

    init(handle: FileHandle, limit: UInt64) {
        self.handle = handle
        self.limit = limit
    }

    func drain(_ request: Request) async throws -> UInt64 {
        defer { try? handle.close() }
        let pool = request.application.threadPool
        let eventLoop = request.eventLoop
        // Each write starts once the previous one is done; the end waits for the last.
        let lastWrite = NIOLockedValueBox<EventLoopFuture<Void>>(eventLoop.makeSucceededVoidFuture())
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt64, any Error>) in
            request.body.drain { [self] part in
                switch part {
                case .buffer(let buffer):
                    let size = state.withLockedValue { state -> UInt64? in
                        guard !state.done else { return nil }
                        state.size += UInt64(buffer.readableBytes)
                        return state.size
                    }
                    guard let size else { return eventLoop.makeSucceededVoidFuture() }
                    guard size <= limit else {
                        finish(continuation, .failure(TooLarge()))
                        return eventLoop.makeFailedFuture(TooLarge())
                    }
                    let data = Data(buffer.readableBytesView)
                    let write = lastWrite.withLockedValue { previous in
                        let next = previous.flatMap { pool.runIfActive(eventLoop: eventLoop) { [handle = self.handle] in try handle.write(contentsOf: data) } }
                        previous = next
                        return next
                    }
                    return write.flatMapErrorThrowing { error in
                        self.finish(continuation, .failure(error))
                        throw error
                    }
                case .error(let error):
                    finish(continuation, .failure(error))
                case .end:
                    lastWrite.withLockedValue { $0 }.whenComplete { result in
                        switch result {
                        case .success: self.finish(continuation, .success(self.state.withLockedValue { $0.size }))
                        case .failure(let error): self.finish(continuation, .failure(error))
                        }
                    }
                }
                return eventLoop.makeSucceededVoidFuture()
            }
        }
    }

    private func finish(_ continuation: CheckedContinuation<UInt64, any Error>, _ result: Result<UInt64, any Error>) {
        let first = state.withLockedValue { state -> Bool in
            defer { state.done = true }
            return !state.done
        }
        if first { continuation.resume(with: result) }
    }
}

/// The media of the testimonies, stored in the database in chunks of 1 MiB (`temoignages_medias_morceaux`: `bytea`
/// on PostgreSQL, `blob` on SQLite), so that every instance sharing one database serves the same files and a
/// backup of the database holds them. Written in one transaction; read chunk by chunk.
struct MediaStore {
    let db: any Database

    static let chunkSize = 1 << 20
    static let chunks = "temoignages_medias_morceaux"

    /// Copies the spooled file into a new media of `temoignageID`, chunk by chunk, with its SHA-256, inside the
    /// caller's transaction `db`.
    static func store(_ file: SpooledUpload, temoignageID: UUID, nature: TemoignageMediaRecord.Nature, mimeType: String,
                      pool: NIOThreadPool, on db: any Database) async throws -> TemoignageMediaRecord {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let id = UUID()
        let media = TemoignageMediaRecord(id: id, temoignageID: temoignageID, nature: nature, typeMime: mimeType, taille: Int64(file.size), sha256: "")
        try await media.create(on: db)
        let source = try FileByteSource(path: file.path)
        var hasher = SHA256()
        var offset: UInt64 = 0
        var seq = 0
        while offset < file.size {
            let chunk = try await pool.runIfActive { [offset] in try source.read(at: offset, count: chunkSize) }
            guard !chunk.isEmpty else { break }
            hasher.update(data: chunk)
            try await sql.insert(into: chunks).columns("media_id", "seq", "octets")
                .values(SQLBind(id), SQLBind(seq), SQLBind(Data(chunk))).run()
            offset += UInt64(chunk.count)
            seq += 1
        }
        guard offset == file.size else { throw Abort(.internalServerError, reason: "Le fichier reçu a changé pendant sa copie.") }
        media.sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        try await media.update(on: db)
        return media
    }

    /// Deletes media and their chunks.
    static func delete(_ ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty, let sql = db as? any SQLDatabase else { return }
        try await sql.delete(from: chunks).where("media_id", .in, SQLBind.group(ids)).run()
        try await TemoignageMediaRecord.query(on: db).filter(\.$id ~~ ids).delete()
    }

    /// The bytes `first...last` of a media, read from the chunks that hold them, one chunk at a time.
    func bytes(of id: UUID, first: UInt64, last: UInt64, _ write: (ByteBuffer) async throws -> Void) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let size = UInt64(Self.chunkSize)
        for seq in Int(first / size)...Int(last / size) {
            guard let row = try await sql.select().column("octets").from(Self.chunks)
                .where("media_id", .equal, SQLBind(id)).where("seq", .equal, SQLBind(seq)).first() else {
                throw Abort(.internalServerError, reason: "Un morceau du fichier manque.")
            }
            let data = try row.decode(column: "octets", as: Data.self)
            let chunkStart = UInt64(seq) * size
            let from = Int(max(first, chunkStart) - chunkStart)
            let to = Int(min(last, chunkStart + UInt64(data.count) - 1) - chunkStart)
            guard from <= to, to < data.count else { throw Abort(.internalServerError, reason: "Un morceau du fichier est incomplet.") }
            try await write(ByteBuffer(bytes: data[data.startIndex + from...data.startIndex + to]))
        }
    }

    /// The answer to `GET` of a media: the whole file (200) or the range asked (206), 416 for a range past the end,
    /// 304 when the client has it; `Accept-Ranges`, `Content-Type`, `ETag` and `Cache-Control` always.
    func response(for media: TemoignageMediaRecord, request: Request, isPublic: Bool, contentType: String? = nil) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .acceptRanges, value: "bytes")
        headers.replaceOrAdd(name: .eTag, value: media.etag)
        headers.replaceOrAdd(name: .contentType, value: contentType ?? media.typeMime)
        // A published media may be kept a day by any cache; one before publication only by the reader's browser.
        headers.replaceOrAdd(name: .cacheControl, value: isPublic ? "public, max-age=86400" : "private, no-cache")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        let size = UInt64(media.taille)
        if request.headers.first(name: .ifNoneMatch).map({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(media.etag) }) == true {
            return Response(status: .notModified, headers: headers)
        }
        var range = ByteRangeRequest(header: request.headers.first(name: .range), size: size)
        // If-Range with another validator: the whole (new) file.
        if let ifRange = request.headers.first(name: "If-Range"), ifRange != media.etag { range = .whole }
        let first: UInt64, last: UInt64, status: HTTPResponseStatus
        switch range {
        case .unsatisfiable:
            headers.replaceOrAdd(name: .contentRange, value: "bytes */\(size)")
            headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
            let problem = #"{"type":"about:blank","title":"Plage demandée invalide","status":416,"detail":"La plage demandée commence après la fin du fichier (\#(size) octets)."}"#
            return Response(status: .rangeNotSatisfiable, headers: headers, body: .init(string: problem))
        case .whole:
            guard size > 0 else { return Response(status: .ok, headers: headers) }
            (first, last, status) = (0, size - 1, .ok)
        case .partial(let from, let to):
            (first, last, status) = (from, to, .partialContent)
            headers.replaceOrAdd(name: .contentRange, value: "bytes \(from)-\(to)/\(size)")
        }
        guard let id = media.id else { return Response(status: .notFound) }
        let db = self.db
        let body = Response.Body(managedAsyncStream: { writer in
            try await MediaStore(db: db).bytes(of: id, first: first, last: last) { try await writer.write(.buffer($0)) }
        }, count: Int(last - first + 1))
        return Response(status: status, headers: headers, body: body)
    }
}
