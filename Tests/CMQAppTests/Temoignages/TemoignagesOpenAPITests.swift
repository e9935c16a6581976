@testable import CMQApp
import CMQDomain
import Foundation
import Testing
import VaporTesting

/// The testimonies' API answers, successes and errors, match the OpenAPI document.
@Suite("Témoignages API against the OpenAPI document")
struct TemoignagesOpenAPITests {
    typealias F = TemoignageFixtures

    /// Checks an answer sent by another helper (binary uploads) against the documented schema of its status.
    static func documented(_ response: TestingHTTPResponse, _ validator: OpenAPIValidator, _ method: String, _ template: String,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let (mediaType, schema) = validator.responseSchema(method: method, path: template, status: Int(response.status.code)) else {
            Issue.record("\(method) \(template) answered \(response.status.code), which is not documented", sourceLocation: sourceLocation)
            return
        }
        guard !mediaType.isEmpty else { return }
        #expect(response.headers.contentType?.description.hasPrefix(mediaType) == true, sourceLocation: sourceLocation)
        let faults = validator.violations(of: try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body)), against: schema)
        #expect(faults.isEmpty, "\(method) \(template) \(response.status.code): \(faults)", sourceLocation: sourceLocation)
    }

    @Test("submission, uploads, consents, moderation and their refusals", arguments: TestDatabase.all)
    func answers(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let (campus, _) = try await F.campus(app)
            let list = "/api/v1/temoignages"
            let created = try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: try F.body(campus: campus)).decoded(TemoignageDTO.self)
            _ = try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: #"{"titre": 3}"#)
            _ = try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: "{")
            _ = try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: try F.body(campus: campus), as: .anonymous)
            let item = "/api/v1/temoignages/{temoignageId}"
            let base = "/api/v1/temoignages/\(created.id.lower)"
            _ = try await OpenAPITests.conforms(app, v, .GET, base, template: item)
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/temoignages/\(UUID().lower)", template: item)

            try Self.documented(try await F.put(app, base + "/video", try F.bytes("soudure-lea.png")), v, "PUT", item + "/video")
            try Self.documented(try await F.put(app, base + "/video", try F.bytes("soudure-lea.webm")), v, "PUT", item + "/video")
            try Self.documented(try await F.put(app, base + "/sous-titres", try F.bytes("soudure-lea.vtt")), v, "PUT", item + "/sous-titres")
            try Self.documented(try await F.put(app, base + "/affiche", try F.bytes("soudure-lea.vtt")), v, "PUT", item + "/affiche")

            let moderation = item + "/moderation"
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/moderation", template: moderation, json: #"{"decision": "publier"}"#)
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/moderation", template: moderation, json: #"{"decision": "refuser"}"#)
            try Self.documented(try await F.consent(app, created.id, role: "personne", proof: nil), v, "POST", item + "/consentements")
            try Self.documented(try await F.consent(app, created.id, role: "personne"), v, "POST", item + "/consentements")
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/moderation", template: moderation, json: #"{"decision": "publier", "note": "ok"}"#)
            let withdrawal = item + "/consentements/{consentementId}/retrait"
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/consentements/\(UUID().lower)/retrait", template: withdrawal, json: #"{"motif": "x"}"#)
            _ = try await OpenAPITests.conforms(app, v, .POST, base + "/moderation", template: moderation, json: #"{"decision": "retirer", "motif": "Fin du projet."}"#)
        }
    }
}
