@testable import CMQApp
import Foundation
import Testing
import VaporTesting

@Suite("Prometheus metrics (GET /metriques)")
struct MetricsTests {
    static let token = "jeton-des-metriques-0123456789abcdef"

    @Test("the scrape needs the token, and counts the requests by route pattern and status with a latency histogram", arguments: TestDatabase.all)
    func scrape(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Not configured: the route does not exist.
            #expect(try await app.send(.GET, "/metriques", as: .anonymous).status == .notFound)
            app.cmqConfig.metricsToken = Self.token
            CMQMetrics.bootstrap()
            for _ in 0..<3 { _ = try await app.send(.GET, "/sante", as: .anonymous) }
            let campus = try await Factory.campus(app.db)
            _ = try await app.send(.GET, "/campus/\(try campus.requireID().lower)", as: .anonymous)

            let refused = try await app.send(.GET, "/metriques", as: .anonymous)
            #expect(refused.status == .unauthorized && refused.isProblemJSON)
            #expect(refused.problem?.detail.contains("jeton des métriques") == true)
            #expect(try await app.send(.GET, "/metriques", as: .token("jeton-des-metriques-0123456789abcdeX")).status == .unauthorized)
            let response = try await app.send(.GET, "/metriques", as: .token(Self.token))
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.headers.first(name: .cacheControl) == "no-store")
            let text = response.body.string
            // Every sample line is `name{labels} value` (the text exposition format).
            let sample = try Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfa]+$"#)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.wholeMatch(of: sample) != nil, "\(line)")
            }
            let count = text.split(separator: "\n").first {
                $0.hasPrefix("http_requests_total{") && $0.contains(#"path="/sante""#) && $0.contains(#"status="200""#)
            }
            let value = try #require(count.flatMap { Double($0.split(separator: " ").last ?? "") })
            #expect(value >= 3)
            // The route pattern, never the id.
            #expect(text.contains(#"path="/campus/:campusID""#))
            #expect(!text.contains(try campus.requireID().lower))
            #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
            #expect(text.contains("http_request_duration_seconds_bucket{"))
        }
    }

    @Test("CMQ_METRICS_TOKEN is checked at start")
    func configuration() throws {
        #expect(try AppConfig.fromEnvironment([:]).metricsToken == nil)
        #expect(try AppConfig.fromEnvironment(["CMQ_METRICS_TOKEN": Self.token]).metricsToken == Self.token)
        for bad in ["court", "avec des espaces dans le jeton 0123456789", String(repeating: "x", count: 257)] {
            #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_METRICS_TOKEN": bad]) }
        }
    }
}
