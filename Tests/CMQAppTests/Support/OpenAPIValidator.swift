@testable import CMQApp
import Foundation
import Testing

/// Checks JSON values against the schemas of cmq's OpenAPI document: enough of JSON Schema for what the
/// document uses ($ref, type with null, properties, required, additionalProperties false, items, enum,
/// minimum/maximum, anyOf/oneOf/allOf).
struct OpenAPIValidator {
    let document: [String: Any]
    /// The keys seen in the answers checked, per schema of `components/schemas`.
    let coverage = KeyCoverage()

    /// The keys seen per named schema, to compare with the schema's properties.
    final class KeyCoverage {
        var seen: [String: Set<String>] = [:]
    }

    /// For each named schema an answer used: the documented properties never sent, and the keys sent but not documented.
    func keyMismatches(schemas names: Set<String>? = nil) -> [String] {
        let components = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        var result: [String] = []
        for (name, keys) in coverage.seen.sorted(by: { $0.key < $1.key }) where names?.contains(name) ?? true {
            let properties = Set((resolve(components[name] ?? [:])["properties"] as? [String: Any] ?? [:]).keys)
            let neverSent = properties.subtracting(keys), undocumented = keys.subtracting(properties)
            if !neverSent.isEmpty { result.append("\(name): documented but never sent: \(neverSent.sorted())") }
            if !undocumented.isEmpty { result.append("\(name): sent but not documented: \(undocumented.sorted())") }
        }
        return result
    }

    init() throws {
        document = try #require(try JSONSerialization.jsonObject(with: OpenAPIController.document) as? [String: Any])
    }

    var paths: [String: [String: Any]] { document["paths"] as? [String: [String: Any]] ?? [:] }

    /// The documented operations, as "GET /api/v1/campus/{campusId}".
    var operations: Set<String> {
        var result = Set<String>()
        for (path, item) in paths {
            for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                result.insert("\(method.uppercased()) \(path)")
            }
        }
        return result
    }

    private func resolve(_ node: Any) -> [String: Any] {
        guard let object = node as? [String: Any] else { return [:] }
        guard let ref = object["$ref"] as? String, ref.hasPrefix("#/") else { return object }
        var current: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            current = (current as? [String: Any])?[String(part)] ?? [:]
        }
        return resolve(current)
    }

    /// The schema of the documented response, or nil when the status is not documented.
    func responseSchema(method: String, path: String, status: Int) -> (mediaType: String, schema: [String: Any])? {
        guard let operation = paths[path]?[method.lowercased()] as? [String: Any],
              let responses = operation["responses"] as? [String: Any],
              let response = responses[String(status)] else { return nil }
        let resolved = resolve(response)
        guard let content = resolved["content"] as? [String: Any] else { return ("", [:]) }
        guard let (mediaType, media) = content.first, let schema = (media as? [String: Any])?["schema"] as? [String: Any] else { return nil }
        return (mediaType, schema)
    }

    func requestSchema(method: String, path: String) -> [String: Any]? {
        guard let operation = paths[path]?[method.lowercased()] as? [String: Any],
              let body = operation["requestBody"] as? [String: Any],
              let content = (resolve(body)["content"] as? [String: Any])?["application/json"] as? [String: Any],
              let schema = content["schema"] else { return nil }
        return resolve(schema)
    }

    /// Every way `value` breaks `schema`, as readable lines (empty when it conforms).
    func violations(of value: JSONValue, against schemaNode: Any, at location: String = "$", recording: Bool = true) -> [String] {
        if recording, let ref = (schemaNode as? [String: Any])?["$ref"] as? String, ref.hasPrefix("#/components/schemas/"), case .object(let object) = value {
            coverage.seen[String(ref.dropFirst("#/components/schemas/".count)), default: []].formUnion(object.keys)
        }
        let schema = resolve(schemaNode)
        var faults: [String] = []
        if let alternatives = (schema["anyOf"] ?? schema["oneOf"]) as? [Any] {
            if !alternatives.contains(where: { violations(of: value, against: $0, at: location, recording: recording).isEmpty }) {
                faults.append("\(location): matches none of the alternatives")
            }
        }
        if let all = schema["allOf"] as? [Any] {
            for part in all { faults += violations(of: value, against: part, at: location, recording: recording) }
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String].compactMap { $0 }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                faults.append("\(location): \(value.typeName) is not \(allowed.joined(separator: "|"))")
                return faults
            }
        }
        if let values = schema["enum"] as? [Any] {
            let allowed = values.compactMap { $0 as? String }
            if case .string(let text) = value, !allowed.contains(text) {
                faults.append("\(location): \(text) is not one of \(allowed)")
            }
        }
        if case .number(let number) = value {
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, number < minimum { faults.append("\(location): below \(minimum)") }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, number > maximum { faults.append("\(location): above \(maximum)") }
        }
        if case .object(let object) = value {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                faults.append("\(location): required property \(name) is missing")
            }
            for (name, item) in object {
                if let property = properties[name] {
                    faults += violations(of: item, against: property, at: "\(location).\(name)", recording: recording)
                } else if (schema["additionalProperties"] as? Bool) == false {
                    faults.append("\(location): property \(name) is not documented")
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] {
            for (index, item) in array.enumerated() {
                faults += violations(of: item, against: items, at: "\(location)[\(index)]", recording: recording)
            }
        }
        return faults
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .number(let n)): n == n.rounded()
        default: false
        }
    }
}
