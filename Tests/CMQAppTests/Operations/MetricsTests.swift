@testable import CMQApp
import Foundation
import Testing
import VaporTesting

// Serialized: the gauges are the process's, and a scrape records them (another scrape at the same time would too).
@Suite("Prometheus metrics (GET /metriques)", .serialized)
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

    /// The value of the sample `name{labels…}` whose labels contain every one of `labels`.
    static func value(_ text: String, _ name: String, _ labels: [String] = []) -> Double? {
        text.split(separator: "\n").first { line in
            (line.hasPrefix(name + "{") || line.hasPrefix(name + " ")) && labels.allSatisfy { line.contains($0) }
        }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("the scrape reports the database pool, the outbox, the catalogue cache, the requests in flight and long operations' progress", arguments: TestDatabase.all)
    func operationalGauges(database: TestDatabase) async throws {
        // Bootstrapped before the application is made: its cache and request counters are then real ones.
        CMQMetrics.bootstrap()
        try await withTestApp(database) { app in
            app.cmqConfig.metricsToken = Self.token
            try await Outbox.enqueue(MailMessage(to: "a@example.fr", subject: "Essai", text: "Essai", html: "<p>Essai</p>"),
                                     kind: "essai", userID: nil, now: Date(), on: app.db)
            // The same public read twice: a miss, then a hit.
            for _ in 0..<2 { #expect(try await app.send(.GET, "/api/v1/formations?q=metriques-\(database)", as: .anonymous).status == .ok) }
            ConsoleProgress(console: app.console).step("Essai des métriques \(database)", done: 40, total: 160)

            let text = try await app.send(.GET, "/metriques", as: .token(Self.token)).body.string
            #expect(Self.value(text, "cmq_outbox_messages", [#"status="a-envoyer""#]) == 1)
            #expect(Self.value(text, "cmq_outbox_messages", [#"status="echec""#]) == 0)
            #expect((Self.value(text, "cmq_db_pool_max_connections") ?? 0) > 0)
            #expect((Self.value(text, "cmq_db_pool_connections", [#"state="open""#]) ?? 0) >= 1)
            #expect(Self.value(text, "cmq_db_pool_waiting") != nil)
            #expect((Self.value(text, "cmq_catalogue_cache_lookups_total", [#"kind="response""#, #"outcome="hit""#]) ?? 0) >= 1)
            #expect((Self.value(text, "cmq_catalogue_cache_lookups_total", [#"kind="response""#, #"outcome="miss""#]) ?? 0) >= 1)
            #expect(Self.value(text, "cmq_progress_items", [#"operation="Essai des métriques \#(database)""#, #"state="done""#]) == 40)
            #expect(Self.value(text, "cmq_progress_items", [#"operation="Essai des métriques \#(database)""#, #"state="total""#]) == 160)
            // The gauge is the process's (other test applications running at once write it too): present; its count
            // is checked by the graceful shutdown's test (one request in flight).
            #expect(Self.value(text, "http_requests_in_flight") != nil)
        }
    }

    @Test("a progress step past its total, with no total or before its start prints a whole bar and does not stop the command")
    func progressOutOfBounds() {
        let progress = ConsoleProgress(console: Terminal())
        progress.step("Essai des bornes", done: 5, total: 4)
        progress.step("Essai des bornes", done: 3, total: 0)
        progress.step("Essai des bornes", done: -1, total: 4)
    }

    @Test("a command writes its progress to CMQ_METRICS_TEXTFILE, whole (written beside, then renamed)")
    func textfile() throws {
        CMQMetrics.bootstrap()
        let path = NSTemporaryDirectory() + "cmq-metriques-\(UUID().uuidString).prom"
        defer { try? FileManager.default.removeItem(atPath: path) }
        CMQMetrics.textfile.withLockedValue { $0 = path }
        defer { CMQMetrics.textfile.withLockedValue { $0 = nil } }
        ConsoleProgress(console: Terminal()).step("Essai du fichier", done: 3, total: 4)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(Self.value(text, "cmq_progress_items", [#"operation="Essai du fichier""#, #"state="done""#]) == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasSuffix(".prom.\(getpid()).tmp") }.isEmpty)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_METRICS_TEXTFILE": "/tmp/metriques.txt"]) }
        #expect(try AppConfig.fromEnvironment(["CMQ_METRICS_TEXTFILE": "/var/lib/node_exporter/cmq.prom"]).metricsTextfile == "/var/lib/node_exporter/cmq.prom")
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
