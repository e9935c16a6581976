@testable import CMQApp
import Fluent
import Foundation
import Logging
import Testing
import VaporTesting

@Suite("Request logs and request ids")
struct RequestLogTests {
    @Test("the X-Request-Id sent is echoed, and is the request-id of every line of the request", arguments: TestDatabase.all)
    func echoed(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let capture = LogCapture()
            app.requestLogHandler = capture.handler
            let response = try await app.send(.GET, "/sante", headers: ["X-Request-Id": "proxy-42.A_b"], as: .anonymous)
            #expect(response.headers.first(name: .xRequestId) == "proxy-42.A_b")
            let line = try #require(capture.lines.last)
            #expect(line.metadata["request-id"]?.description == "proxy-42.A_b")
            #expect(line.level == .debug)
            #expect(line.message == "GET /sante 200")
        }
    }

    @Test("without X-Request-Id, or with one out of bounds, a new id is generated", arguments: TestDatabase.all)
    func generated(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let capture = LogCapture()
            app.requestLogHandler = capture.handler
            var seen = Set<String>()
            for sent in [nil, "", "avec espace", "é", "a;b", String(repeating: "x", count: 129), "x\r\nInjected: 1"] {
                let headers: HTTPHeaders = sent.map { ["X-Request-Id": $0] } ?? [:]
                let response = try await app.send(.GET, "/sante", headers: headers, as: .anonymous)
                let id = try #require(response.headers.first(name: .xRequestId))
                #expect(id != sent)
                #expect(UUID(uuidString: id) != nil, "\(id)")
                #expect(capture.lines.last?.metadata["request-id"]?.description == id)
                seen.insert(id)
            }
            #expect(seen.count == 7)
            // The bounds themselves are accepted.
            let longest = String(repeating: "x", count: 128)
            #expect(try await app.send(.GET, "/sante", headers: ["X-Request-Id": longest], as: .anonymous).headers.first(name: .xRequestId) == longest)
            #expect(try await app.send(.GET, "/sante", headers: ["X-Request-Id": "1"], as: .anonymous).headers.first(name: .xRequestId) == "1")
        }
    }

    @Test("LOG_FORMAT=json: one JSON line with the request id, method, route pattern, status, duration and account; no query string", arguments: TestDatabase.all)
    func jsonLine(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let capture = LogCapture()
            app.requestLogHandler = capture.jsonHandler
            let campus = try await Factory.campus(app.db)
            let path = "/campus/\(try campus.requireID().lower)?q=jean.dupont%40exemple.fr"
            let response = try await app.send(.GET, path, headers: ["X-Request-Id": "req-1"])
            #expect(response.status == .ok)
            let lines = capture.jsonLines
            let last = try #require(lines.last)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
            #expect(object["request-id"] as? String == "req-1")
            #expect(object["method"] as? String == "GET")
            #expect(object["route"] as? String == "/campus/:campusID")
            #expect(object["status"] as? Int == 200)
            #expect((object["duration_ms"] as? Double).map { $0 >= 0 } == true)
            #expect(object["level"] as? String == "debug")
            #expect(object["message"] as? String == "GET /campus/:campusID 200")
            #expect(ISO8601DateFormatter().date(from: (object["time"] as? String ?? "").replacingOccurrences(of: #"\.\d+"#, with: "", options: .regularExpression)) != nil)
            let admin = try #require(try await User.query(on: app.db).filter(\.$email == "admin@cmq.test").first())
            #expect(object["account"] as? String == admin.id?.lower)
            // Nothing of the raw path, the query string or the token in the request's line (the other lines of the
            // request, Fluent's queries at debug level among them, carry its id).
            #expect(!last.contains("dupont") && !last.contains(app.testAdminToken) && !last.contains(campus.id!.lower))
            #expect(lines.allSatisfy { !$0.contains(app.testAdminToken) && !$0.contains("dupont") })
            #expect(lines.allSatisfy { $0.contains(#""request-id":"req-1""#) })
            // A request with no route, anonymous: "(aucune route)", no account.
            _ = try await app.send(.GET, "/nulle-part/123", as: .anonymous)
            let missingLine = try #require(capture.jsonLines.last)
            let missing = try #require(try JSONSerialization.jsonObject(with: Data(missingLine.utf8)) as? [String: Any])
            #expect(missing["route"] as? String == "(aucune route)")
            #expect(missing["status"] as? Int == 404)
            #expect(missing["account"] == nil)
        }
    }
}
