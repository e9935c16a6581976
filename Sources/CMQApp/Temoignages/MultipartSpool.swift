import Foundation
import Vapor

/// A `multipart/form-data` body read as it arrives (the route takes `body: .stream`): its text fields kept, its
/// files written to temporary files, never the whole body in memory. The caller removes the files (`remove()`).
struct SpooledForm: Sendable {
    /// The text fields; a name sent several times (checkboxes) gives its values joined by commas.
    var fields: [String: String]
    /// The files chosen (an empty file input is left out).
    var files: [String: SpooledUpload]

    func remove() {
        files.values.forEach { $0.remove() }
    }
}

enum MultipartSpool {
    /// The file fields a form takes, each with its limit and the French message past it.
    struct FileRule: Sendable {
        var limit: UInt64
        var tooLarge: String
    }

    /// A text field holds 20 000 bytes at most, a form 40 fields: the rest of the body is files.
    static let maximumFieldBytes = 20_000
    static let maximumFields = 40

    /// Reads the form. A file past its limit, a file in a field the form does not take, a text field too long or
    /// a body that is not multipart is refused, and every file written so far is removed.
    static func receive(_ request: Request, files rules: [String: FileRule]) async throws -> SpooledForm {
        guard let type = request.headers.contentType, type.type == "multipart", type.subType == "form-data",
              let boundary = type.parameters["boundary"], !boundary.isEmpty, boundary.count <= 200 else {
            throw AppError.badRequest("Le formulaire doit être envoyé en multipart/form-data.")
        }
        let reading = MultipartReading(rules: rules)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in reading.header(name, value) }
        parser.onBody = { buffer in reading.body(&buffer) }
        parser.onPartComplete = { reading.complete() }
        let pool = request.application.threadPool
        do {
            for try await chunk in request.body {
                do { try parser.execute(chunk) } catch { throw AppError.badRequest("Le formulaire envoyé est mal formé.") }
                if let failure = reading.failure { throw failure }
                for (handle, data) in reading.takeWrites() {
                    try await pool.runIfActive { try handle.write(contentsOf: data) }
                }
            }
            guard reading.isComplete else { throw AppError.badRequest("Le formulaire envoyé est incomplet.") }
            return reading.form()
        } catch {
            reading.discard()
            throw error
        }
    }
}

/// The parser's state while one form is read; used by one task only.
private final class MultipartReading {
    private enum Part {
        case text(name: String, bytes: [UInt8])
        case file(name: String, path: String, handle: FileHandle, size: UInt64, limit: MultipartSpool.FileRule)
        case ignored
    }

    let rules: [String: MultipartSpool.FileRule]
    private var headers: [String: String] = [:]
    private var part: Part?
    private var fields: [String: String] = [:]
    private var files: [String: SpooledUpload] = [:]
    /// Every file created, to close and, on failure, remove.
    private var opened: [(name: String, path: String, handle: FileHandle)] = []
    private var writes: [(FileHandle, Data)] = []
    private(set) var failure: AppError?
    private(set) var isComplete = false

    init(rules: [String: MultipartSpool.FileRule]) {
        self.rules = rules
    }

    func header(_ name: String, _ value: String) {
        guard headers.count < 20 else { return fail(.badRequest("Le formulaire envoyé est mal formé.")) }
        headers[name.lowercased()] = value
    }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        if part == nil { part = start() }
        switch part {
        case .text(let name, var bytes):
            bytes += buffer.readableBytesView
            guard bytes.count <= MultipartSpool.maximumFieldBytes else {
                return fail(.validation([FieldError(name, "Ce champ compte \(MultipartSpool.maximumFieldBytes) octets au plus.")]))
            }
            part = .text(name: name, bytes: bytes)
        case .file(let name, let path, let handle, let size, let rule):
            let total = size + UInt64(buffer.readableBytes)
            guard total <= rule.limit else { return fail(.payloadTooLarge(rule.tooLarge)) }
            writes.append((handle, Data(buffer.readableBytesView)))
            part = .file(name: name, path: path, handle: handle, size: total, limit: rule)
        case .ignored, .none:
            break
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
    }

    func complete() {
        guard failure == nil else { return }
        if part == nil { part = start() }
        switch part {
        case .text(let name, let bytes):
            let value = String(decoding: bytes, as: UTF8.self)
            if let existing = fields[name] { fields[name] = existing + "," + value } else { fields[name] = value }
            if fields.count > MultipartSpool.maximumFields { fail(.badRequest("Le formulaire envoyé compte trop de champs.")) }
        case .file(let name, let path, _, let size, _):
            if size > 0 { files[name] = SpooledUpload(path: path, size: size) }
        case .ignored, .none:
            break
        }
        headers = [:]
        part = nil
        isComplete = true
    }

    /// The part starts with its headers: a file (with a file name) in a field the form takes, or a text field.
    private func start() -> Part {
        isComplete = false
        let disposition = Self.parameters(headers["content-disposition"] ?? "")
        guard let name = disposition["name"], !name.isEmpty, name.count <= 100 else {
            fail(.badRequest("Le formulaire envoyé est mal formé."))
            return .ignored
        }
        guard disposition["filename"] != nil else { return .text(name: name, bytes: []) }
        guard let rule = rules[name] else {
            fail(.badRequest("Ce formulaire ne prend pas de fichier « \(name) »."))
            return .ignored
        }
        guard !opened.contains(where: { $0.name == name }) else {
            fail(.badRequest("Un seul fichier « \(name) » est accepté."))
            return .ignored
        }
        let path = NSTemporaryDirectory() + "cmq-envoi-\(UUID().uuidString.lowercased())"
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            fail(.badRequest("Impossible d'écrire le fichier reçu dans le dossier temporaire."))
            return .ignored
        }
        opened.append((name, path, handle))
        return .file(name: name, path: path, handle: handle, size: 0, limit: rule)
    }

    /// `form-data; name="video"; filename="a.mp4"` → ["name": "video", "filename": "a.mp4"].
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            result[pair[0].lowercased()] = value
        }
        return result
    }

    private func fail(_ error: AppError) {
        if failure == nil { failure = error }
    }

    func takeWrites() -> [(FileHandle, Data)] {
        defer { writes = [] }
        return writes
    }

    /// The form read; every file is closed (its writes were awaited before).
    func form() -> SpooledForm {
        closeAll()
        return SpooledForm(fields: fields, files: files)
    }

    /// Closes and removes every file written.
    func discard() {
        closeAll()
        opened.forEach { try? FileManager.default.removeItem(atPath: $0.path) }
    }

    private var closed = false

    private func closeAll() {
        guard !closed else { return }
        closed = true
        opened.forEach { try? $0.handle.close() }
    }
}
