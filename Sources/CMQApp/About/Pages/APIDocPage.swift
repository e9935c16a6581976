import CMQDomain
import Foundation

/// `/api`: the API described for people, built from the OpenAPI document the routes are tested against — the
/// operations grouped by tag, their parameters, what they answer, and a `curl` line for each.
struct APIDocPage: Sendable {
    struct Parameter: Encodable, Sendable {
        var name: String
        var location: String
        var required: Bool
        var description: String
    }

    struct Operation: Encodable, Sendable {
        var id: String
        var method: String
        var path: String
        var summary: String
        var description: String
        var parameters: [Parameter]
        var hasBody: Bool
        var needsToken: Bool
        var responses: String
        var curl: String
    }

    struct Group: Encodable, Sendable {
        var id: String
        var name: String
        var description: String
        var operations: [Operation]
    }

    struct Context: Encodable {
        var page: PageMeta
        var title: String
        var version: String
        var description: String
        var groups: [Group]
        var documentURL: String
    }

    static let shared = APIDocPage(document: OpenAPIController.document)

    let title: String
    let version: String
    let description: String
    /// The operations with `BASE` where the visitor's address goes in the curl lines.
    let groups: [Group]

    init(document: Data) {
        let root = (try? JSONSerialization.jsonObject(with: document)) as? [String: Any] ?? [:]
        let info = root["info"] as? [String: Any] ?? [:]
        title = info["title"] as? String ?? "API de cmq"
        version = info["version"] as? String ?? ""
        description = info["description"] as? String ?? ""
        let tags = (root["tags"] as? [[String: Any]] ?? []).compactMap { tag -> (String, String)? in
            guard let name = tag["name"] as? String else { return nil }
            return (name, tag["description"] as? String ?? "")
        }
        var byTag: [String: [Operation]] = [:]
        let paths = root["paths"] as? [String: [String: Any]] ?? [:]
        for path in paths.keys.sorted() {
            let item = paths[path] ?? [:]
            let shared = item["parameters"] as? [[String: Any]] ?? []
            for method in ["get", "post", "patch", "put", "delete"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                let parameters = (shared + (operation["parameters"] as? [[String: Any]] ?? [])).compactMap { parameter -> Parameter? in
                    guard let name = parameter["name"] as? String, let location = parameter["in"] as? String else { return nil }
                    return Parameter(name: name, location: Self.locationLabel(location), required: parameter["required"] as? Bool ?? false,
                                     description: parameter["description"] as? String ?? "")
                }
                let hasBody = operation["requestBody"] != nil
                let needsToken = method != "get"
                let responses = (operation["responses"] as? [String: Any] ?? [:]).keys.sorted().joined(separator: ", ")
                var curl = "curl"
                if method != "get" { curl += " -X \(method.uppercased())" }
                if needsToken { curl += " -H 'Authorization: Bearer VOTRE_JETON'" }
                if hasBody { curl += " -H 'Content-Type: application/json' -d '{…}'" }
                curl += " 'BASE\(path)'"
                let tag = (operation["tags"] as? [String])?.first ?? "Autres"
                byTag[tag, default: []].append(Operation(
                    id: operation["operationId"] as? String ?? "\(method)-\(path)", method: method.uppercased(), path: path,
                    summary: operation["summary"] as? String ?? "", description: operation["description"] as? String ?? "",
                    parameters: parameters, hasBody: hasBody, needsToken: needsToken, responses: responses, curl: curl))
            }
        }
        let known = Set(tags.map(\.0))
        groups = (tags + byTag.keys.filter { !known.contains($0) }.sorted().map { ($0, "") }).compactMap { name, text in
            guard let operations = byTag[name], !operations.isEmpty else { return nil }
            return Group(id: "groupe-" + TextFolding.slug(name), name: name, description: text, operations: operations)
        }
    }

    static func locationLabel(_ location: String) -> String {
        switch location {
        case "path": "chemin"
        case "query": "requête"
        case "header": "en-tête"
        default: location
        }
    }

    func context(baseURL: String) -> Context {
        Context(page: PageMeta(title: "Documentation de l'API", description: "Les opérations de l'API de cmq, leurs paramètres et des exemples.", section: "api"),
                title: title, version: version, description: description,
                groups: groups.map { group in
                    var group = group
                    group.operations = group.operations.map { operation in
                        var operation = operation
                        operation.curl = operation.curl.replacingOccurrences(of: "'BASE", with: "'" + baseURL)
                        return operation
                    }
                    return group
                },
                documentURL: OpenAPIURL.document.path)
    }
}
