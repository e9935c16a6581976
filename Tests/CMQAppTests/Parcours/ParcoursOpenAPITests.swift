@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting

/// The pathways' API answers, successes and errors, match the OpenAPI document, keys included.
@Suite("Pathways API against the OpenAPI document")
struct ParcoursOpenAPITests {
    static func conforms(_ app: Application, _ validator: OpenAPIValidator, _ method: HTTPMethod, _ path: String, template: String,
                         csv: String? = nil, as identity: TestIdentity, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await app.send(method, path, json: csv, contentType: "text/csv", as: identity)
        guard let (mediaType, schema) = validator.responseSchema(method: method.rawValue, path: template, status: Int(response.status.code)) else {
            Issue.record("\(method) \(template) answered \(response.status.code), which is not documented", sourceLocation: sourceLocation)
            return
        }
        #expect(response.headers.contentType?.description.hasPrefix(mediaType) == true, sourceLocation: sourceLocation)
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
        let faults = validator.violations(of: body, against: schema)
        #expect(faults.isEmpty, "\(method) \(path) \(response.status.code): \(faults)", sourceLocation: sourceLocation)
    }

    @Test("flows for each audience, uploads and their refusals", arguments: TestDatabase.all)
    func documented(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let f = try await ParcoursFixture.make(app)
            let upload = "/api/v1/organisations/{organisationId}/parcours", flows = "/api/v1/campus/{campusId}/parcours"
            let lyceeA = "/api/v1/organisations/\(try f.lyceeA.requireID().lower)/parcours"
            try await Self.conforms(app, v, .POST, lyceeA, template: upload, csv: ParcoursFixture.file(uai: "0020079A", learners: 1...8), as: f.memberA)
            try await Self.conforms(app, v, .POST, lyceeA, template: upload, csv: ParcoursFixture.file(uai: "0020079A", learners: 1...9), as: f.memberA)
            try await Self.conforms(app, v, .POST, lyceeA, template: upload, csv: "ine\n1\n", as: f.memberA)
            try await Self.conforms(app, v, .POST, lyceeA, template: upload, csv: ParcoursFixture.file(uai: "0020079A", learners: 1...2), as: .anonymous)
            try await Self.conforms(app, v, .POST, lyceeA, template: upload, csv: ParcoursFixture.file(uai: "0020079A", learners: 1...2), as: f.memberB)
            try await Self.conforms(app, v, .POST, "/api/v1/organisations/\(UUID().lower)/parcours", template: upload, csv: "x", as: f.team)
            try await ParcoursTests.network(app, f)
            let campus = "/api/v1/campus/\(try f.campus.requireID().lower)/parcours"
            for identity in [f.team, f.memberA, f.memberB, .anonymous, .admin] {
                try await Self.conforms(app, v, .GET, campus, template: flows, as: identity)
            }
            try await Self.conforms(app, v, .GET, "/api/v1/campus/\(UUID().lower)/parcours", template: flows, as: .anonymous)
            app.cmqConfig.pseudonymKey = nil
            try await Self.conforms(app, v, .POST, lyceeA, template: upload, csv: ParcoursFixture.file(uai: "0020079A", learners: 1...2), as: f.memberA)
        }
    }
}
