import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// One line per request, after its answer: method, route pattern (`/campus/:campusID`, never the raw path with
/// its ids or query string), status, duration in milliseconds and the signed-in account's id; the request id in
/// the `X-Request-Id` header of the answer and in the metadata of every line logged for the request.
///
/// The request id is the client's (or the proxy's) `X-Request-Id` when it is 1–128 characters of
/// `[A-Za-z0-9._-]`, otherwise a new UUID: nothing else a client sends reaches the logs.
///
/// (Of futures, as every middleware on the way to a route: see `CMQErrorMiddleware`.)
struct RequestLogMiddleware: Middleware {
    /// The level of the request line (`info` when serving; `debug` in tests, which would print a line per request).
    let level: Logger.Level

    static let metadataKey = "request-id"

    static func isValidRequestID(_ value: String) -> Bool {
        (1...128).contains(value.utf8.count) && value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let started = DispatchTime.now().uptimeNanoseconds
        let given = request.headers.first(name: .xRequestId)
        let id = given.flatMap { Self.isValidRequestID($0) ? $0 : nil } ?? UUID().uuidString.lowercased()
        request.requestLogID = id
        var logger = request.logger
        if let makeHandler = request.application.requestLogHandler {
            logger = Logger(label: "cmq.request", factory: makeHandler)
        }
        logger[metadataKey: Self.metadataKey] = .string(id)
        request.logger = logger

        let answer = next.respond(to: request)
        // The error middleware answers every error inside; an error here is answered by Vapor with a 500.
        answer.whenFailure { _ in log(request, status: .internalServerError, started: started) }
        return answer.map { response in
            response.headers.replaceOrAdd(name: .xRequestId, value: id)
            log(request, status: response.status, started: started)
            return response
        }
    }

    private func log(_ request: Request, status: HTTPResponseStatus, started: UInt64) {
        // The logger would drop the line: not built (its route and metadata are a visible share of a small request).
        guard request.logger.logLevel <= level else { return }
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds &- started) / 1_000_000
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(aucune route)"
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(Int(status.code)),
            "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
        ]
        if let account = request.auth.get(User.self)?.id {
            metadata["account"] = .string(account.uuidString.lowercased())
        }
        request.logger.log(level: level, "\(request.method.rawValue) \(route) \(status.code)", metadata: metadata)
    }
}

extension Request {
    private struct RequestLogIDKey: StorageKey { typealias Value = String }

    /// The id of this request in the logs and the `X-Request-Id` of its answer.
    var requestLogID: String? {
        get { storage[RequestLogIDKey.self] }
        set { storage[RequestLogIDKey.self] = newValue }
    }
}

extension Application {
    private struct RequestLogHandlerKey: StorageKey { typealias Value = @Sendable (String) -> any LogHandler }

    /// Where the requests' lines go when not to the logging system's handler (tests capture them here).
    var requestLogHandler: (@Sendable (String) -> any LogHandler)? {
        get { storage[RequestLogHandlerKey.self] }
        set { storage[RequestLogHandlerKey.self] = newValue }
    }
}

/// Every log line as one JSON object (`LOG_FORMAT=json`): `time` (ISO 8601, UTC), `level`, `label`, `message`,
/// `source`, then the metadata as keys of their own (`request-id`, `method`, `route`, `status`, `duration_ms`, `account`).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let write: @Sendable (String) -> Void

    init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    static let standardOutputLock = NIOLock()

    @Sendable static func standardOutput(_ line: String) {
        standardOutputLock.withLock { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        var object: [String: Any] = [:]
        for (key, value) in merged { object[key] = Self.json(value) }
        object["time"] = Self.timestamp()
        object["level"] = level.rawValue
        object["label"] = label
        object["message"] = message.description
        object["source"] = source
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return }
        write(text)
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible):
            if let number = convertible as? Int { number } else if let number = convertible as? Double, number.isFinite { number } else { convertible.description }
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
