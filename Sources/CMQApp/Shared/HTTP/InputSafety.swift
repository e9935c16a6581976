import Vapor

/// What no route of cmq accepts, refused before any route sees the request: an address longer than
/// `maxTargetLength` (414), control characters in the path (404), in a
/// query parameter or in any text of a form or JSON body (422 naming the field), and a JSON object that
/// repeats a key (400). Texts may hold tab, line feed and carriage return (a text area sends CR LF), nothing
/// else below U+0020, nor U+007F: PostgreSQL refuses U+0000 in text, and none of them belongs in cmq's data.
///
/// (Of futures, as every middleware on the way to a route: see `CMQErrorMiddleware`; a task only to read a body.)
struct InputSafetyMiddleware: Middleware {
    /// The longest request target (path and query) cmq reads. (Beyond about 80 KB, the HTTP parser of
    /// SwiftNIO closes the connection before cmq sees the request.)
    static let maxTargetLength = 8192

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let faults: [FieldError]
        do {
            faults = try Self.addressFaults(request)
        } catch {
            return request.eventLoop.makeFailedFuture(error)
        }
        if let contentType = request.headers.contentType, request.method != .GET, request.method != .HEAD,
           contentType == .urlEncodedForm || contentType.type == "application" && contentType.subType.hasSuffix("json") {
            return request.eventLoop.makeFutureWithTask {
                let all = try await faults + Self.bodyFaults(request, contentType: contentType)
                if !all.isEmpty { throw AppError.validation(all) }
            }.flatMap { next.respond(to: request) }
        }
        guard faults.isEmpty else { return request.eventLoop.makeFailedFuture(AppError.validation(faults)) }
        return next.respond(to: request)
    }

    /// Refuses an address too long or with a control character in its path; the query's fields that hold one.
    private static func addressFaults(_ request: Request) throws -> [FieldError] {
        // The path and the query as sent (Vapor's `URI.string` rebuilds the whole address: a visible share of a
        // small request's time); a control character can only come percent-encoded.
        let path = request.url.path
        if path.utf8.count + (request.url.query.map { $0.utf8.count + 1 } ?? 0) > Self.maxTargetLength {
            throw AppError.uriTooLong("L'adresse demandée est trop longue : \(Self.maxTargetLength) caractères au plus.")
        }
        if TextSafety.containsControl(path) || path.utf8.contains(UInt8(ascii: "%")) && path.removingPercentEncoding.map(TextSafety.containsControl) == true {
            throw AppError.notFound("Cette adresse ne correspond à aucune ressource.")
        }
        var faults: [FieldError] = []
        for (key, value) in request.queryParameters.sorted(by: { $0.key < $1.key })
        where TextSafety.containsControl(key) || TextSafety.containsControl(value) {
            faults.append(TextSafety.fault(key))
        }
        return faults
    }

    /// The fields of a form or JSON body that hold a control character; refuses a JSON object that repeats a key.
    private static func bodyFaults(_ request: Request, contentType: HTTPMediaType) async throws -> [FieldError] {
        let body = try await collect(request)
        var faults: [FieldError] = []
        if contentType == .urlEncodedForm {
            for (key, value) in URLEncodedPairs.decode(body) where TextSafety.containsControl(key) || TextSafety.containsControl(value) {
                faults.append(TextSafety.fault(key))
            }
        } else {
            var inspector = JSONInspector(bytes: Array(body.utf8))
            switch inspector.inspect() {
            case .duplicateKey(let path):
                throw AppError.badRequest("Le corps JSON répète la clé « \(path) » : chaque clé ne peut figurer qu'une fois par objet.")
            case .tooDeep:
                throw AppError.badRequest("Le corps JSON est imbriqué sur plus de \(JSONInspector.maxDepth) niveaux.")
            case .checked(let controlPaths):
                faults += controlPaths.map(TextSafety.fault)
            }
        }
        return faults
    }

    /// The whole body as text (within the route's size limit, 512 KB for forms and JSON).
    private static func collect(_ request: Request) async throws -> String {
        guard let buffer = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get() else { return "" }
        return String(decoding: buffer.readableBytesView, as: UTF8.self)
    }
}

/// The rule on control characters, shared by the middleware and the importers.
enum TextSafety {
    /// Whether `text` holds a control character other than tab, line feed and carriage return.
    static func containsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isForbidden)
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F: true
        default: false
        }
    }

    static func fault(_ field: String) -> FieldError {
        let name = field.unicodeScalars.filter { !isForbidden($0) }.map(String.init).joined()
        return FieldError(name, "Le champ « \(name) » contient un caractère de contrôle (comme U+0000) : seuls la tabulation et les retours à la ligne sont acceptés.")
    }
}

/// `application/x-www-form-urlencoded` pairs, decoded (`+` is a space, `%xx` a byte of UTF-8).
enum URLEncodedPairs {
    static func decode(_ body: String) -> [(String, String)] {
        body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func text(_ raw: Substring) -> String {
                let spaced = raw.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (text(parts[0]), parts.count > 1 ? text(parts[1]) : "")
        }
    }
}

/// Walks a JSON text once, without building it, to find what Foundation's decoder lets through: a key
/// repeated in one object (the decoder keeps one of the values silently) and control characters written as
/// `\u0000` escapes in strings (keys or values). A text that is not JSON is left to the decoder, which
/// refuses it; the walk stops there. Nesting is bounded, so that no body can exhaust the stack.
struct JSONInspector {
    static let maxDepth = 64

    enum Outcome: Equatable {
        /// The paths of the strings holding control characters (empty: the body is clean).
        case checked([String])
        case duplicateKey(String)
        case tooDeep
    }

    private let bytes: [UInt8]
    private var index = 0
    private var controlPaths: [String] = []

    private enum Stop: Error {
        case malformed
        case duplicate(String)
        case tooDeep
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func inspect() -> Outcome {
        do {
            try value(path: "", depth: 0)
        } catch Stop.duplicate(let path) {
            return .duplicateKey(path)
        } catch Stop.tooDeep {
            return .tooDeep
        } catch {
            // Not JSON: the decoder gives the 400.
        }
        return .checked(controlPaths)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value(path: String, depth: Int) throws(Stop) {
        guard depth <= Self.maxDepth else { throw .tooDeep }
        skipSpace()
        guard index < bytes.count else { throw .malformed }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var keys = Set<String>()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipSpace()
                let key = try string(path: path)
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                guard keys.insert(key).inserted else { throw .duplicate(keyPath) }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw .malformed }
                index += 1
                try value(path: keyPath, depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw .malformed }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return }
                throw .malformed
            }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
            var position = 0
            while true {
                try value(path: "\(path)[\(position)]", depth: depth + 1)
                position += 1
                skipSpace()
                guard index < bytes.count else { throw .malformed }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return }
                throw .malformed
            }
        case UInt8(ascii: "\""):
            _ = try string(path: path)
        default:
            // A number, true, false or null: up to the next delimiter.
            let start = index
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            if index == start { throw .malformed }
        }
    }

    /// A string at `index`, decoded; records `path` when it holds a control character.
    private mutating func string(path: String) throws(Stop) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw .malformed }
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        var hasControl = false
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                let text = String(scalars)
                if hasControl { controlPaths.append(path.isEmpty ? text : path) }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw .malformed }
                let escape = bytes[index]
                index += 1
                if escape == UInt8(ascii: "u") {
                    guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                        throw .malformed
                    }
                    index += 4
                    flush()
                    if let scalar = Unicode.Scalar(code) {
                        if TextSafety.isForbidden(scalar) { hasControl = true }
                        scalars.append(scalar)
                    }
                } else {
                    let map: [UInt8: UInt8] = [UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09, UInt8(ascii: "r"): 0x0D,
                                               UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C]
                    if let control = map[escape] {
                        if TextSafety.isForbidden(Unicode.Scalar(control)) { hasControl = true }
                        raw.append(control)
                    } else {
                        raw.append(escape)
                    }
                }
            default:
                if byte < 0x20 || byte == 0x7F { hasControl = true }
                raw.append(byte)
            }
        }
        throw .malformed
    }
}
