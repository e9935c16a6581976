import Foundation
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import Vapor

/// The process's metrics, through swift-metrics into a Prometheus registry: Vapor records every request
/// (`http_requests_total`, `http_request_errors_total` and the `http_request_duration_seconds` histogram, by
/// method, route pattern and status). The metrics system is bootstrapped once per process, when the first
/// application with a `CMQ_METRICS_TOKEN` is configured.
enum CMQMetrics {
    static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    static func bootstrap() {
        _ = bootstrapped
    }

    /// The Prometheus text exposition of every metric.
    static func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// Where a command writes its metrics (`CMQ_METRICS_TEXTFILE`, for node_exporter's text file collector).
    static let textfile = NIOLockedValueBox<String?>(nil)

    /// Rewrites the text file of the metrics, whole or not at all (written beside it, then renamed).
    static func writeTextfile() {
        textfile.withLockedValue { path in
            guard let path else { return }
            let partial = path + ".\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: partial, contents: Data(exposition())) else { return }
            if rename(partial, path) != 0 { unlink(partial) }
        }
    }
}

/// `GET /metriques`: the Prometheus scrape, with `Authorization: Bearer <CMQ_METRICS_TOKEN>`; absent (404) when the
/// token is not configured.
struct MetricsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("metriques") { req async throws -> Response in
            guard let expected = req.application.cmqConfig.metricsToken else {
                throw AppError.notFound("Les métriques ne sont pas activées sur cette instance (CMQ_METRICS_TOKEN).")
            }
            guard let given = req.headers.bearerAuthorization?.token, Self.equalInConstantTime(given, expected) else {
                // A scraper, not a person: a 401 problem, never the sign-in page the other pages redirect to.
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
                headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
                headers.replaceOrAdd(name: .cacheControl, value: "no-store")
                let problem = #"{"type":"about:blank","title":"Non authentifié","status":401,"detail":"Le jeton des métriques est absent ou incorrect (en-tête Authorization: Bearer)."}"#
                return Response(status: .unauthorized, headers: headers, body: .init(string: problem))
            }
            await MetricsSampler.sample(req.application)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: CMQMetrics.exposition())))
        }
    }

    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
