import Foundation
import NIOCore
import Vapor

/// JSON written straight into bytes, for the catalogue's most frequent answers (a page of the search, one
/// formation: Foundation's encoder took a fifth of a filtered list's time) and an import's audit entries. The text
/// is what `JSONEncoder` writes with Vapor's settings (ISO 8601 dates, upper-case UUIDs, absent optionals left out,
/// `/` escaped unless told otherwise), key order aside; `CatalogueJSONTests` and `AuditTests` compare both.
struct JSONText {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member or element is the first of its object or array.
    private var first = true
    private static let hex = Array("0123456789abcdef".utf8)
    /// Whether `/` is written `\/` (as `JSONEncoder` does unless `.withoutEscapingSlashes`).
    private let escapingSlashes: Bool

    init(capacity: Int = 8192, escapingSlashes: Bool = true) {
        bytes.reserveCapacity(capacity)
        self.escapingSlashes = escapingSlashes
    }

    mutating func beginObject() { begin(UInt8(ascii: "{")) }
    mutating func endObject() { end(UInt8(ascii: "}")) }
    mutating func beginArray() { begin(UInt8(ascii: "[")) }
    mutating func endArray() { end(UInt8(ascii: "]")) }

    private mutating func begin(_ bracket: UInt8) {
        bytes.append(bracket)
        first = true
    }

    private mutating func end(_ bracket: UInt8) {
        bytes.append(bracket)
        first = false
    }

    /// Before an element of an array.
    mutating func element() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    /// Before a member's value.
    mutating func key(_ name: String) {
        element()
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [0x5C, 0x22]
            case UInt8(ascii: "\\"): bytes += [0x5C, 0x5C]
            case UInt8(ascii: "/") where escapingSlashes: bytes += [0x5C, 0x2F]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0x08: bytes += [0x5C, UInt8(ascii: "b")]
            case 0x0C: bytes += [0x5C, UInt8(ascii: "f")]
            case 0..<0x20:
                bytes += [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) { bytes += String(value).utf8 }

    mutating func double(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            int(Int(value))
        } else {
            bytes += value.description.utf8
        }
    }

    mutating func bool(_ value: Bool) { bytes += (value ? "true" : "false").utf8 }

    mutating func uuid(_ value: UUID) { string(value.uuidString) }

    mutating func date(_ value: Date) { string(value.formatted(.iso8601)) }

    // Members; an optional one is left out when absent, as `JSONEncoder` leaves out a nil optional.

    mutating func member(_ name: String, _ value: String?) { if let value { key(name); string(value) } }
    mutating func member(_ name: String, _ value: Int?) { if let value { key(name); int(value) } }
    mutating func member(_ name: String, _ value: Double?) { if let value { key(name); double(value) } }
    mutating func member(_ name: String, _ value: Bool) { key(name); bool(value) }
    mutating func member(_ name: String, _ value: UUID?) { if let value { key(name); uuid(value) } }
    mutating func member(_ name: String, _ value: Date?) { if let value { key(name); date(value) } }

    mutating func member(_ name: String, _ values: [String]) {
        key(name)
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    /// An answer carrying this JSON, typed as Vapor types its JSON answers.
    func response(status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
    }
}
