import Foundation
import Metrics
import NIOConcurrencyHelpers
import Vapor

/// The requests whose handler is running, counted by `InFlightMiddleware`: a stopping instance waits for them
/// before it closes the database pools (a handler that outlives its pool would trap on `req.db`).
final class InFlightRequests: Sendable {
    private let count = NIOLockedValueBox(0)
    private let gauge = Gauge(label: "http_requests_in_flight")

    var current: Int { count.withLockedValue { $0 } }

    func enter() { gauge.record(count.withLockedValue { $0 += 1; return $0 }) }
    func leave() { gauge.record(count.withLockedValue { $0 -= 1; return $0 }) }

    /// Waits until no request is running or `deadline` passes; returns how many still run.
    func drained(before deadline: ContinuousClock.Instant) async -> Int {
        while current > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return current
    }
}

extension Application {
    private struct InFlightKey: StorageKey { typealias Value = InFlightRequests }

    /// The requests in flight (created by `configure`).
    var requestsInFlight: InFlightRequests {
        get {
            guard let value = storage[InFlightKey.self] else { preconditionFailure("configure(_:config:) has not run") }
            return value
        }
        set { storage[InFlightKey.self] = newValue }
    }
}

/// Counts every request while its handler (and the middleware after this one) runs.
/// (Of futures, as every middleware on the way to a route: see `CMQErrorMiddleware`.)
struct InFlightMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let inFlight = request.application.requestsInFlight
        inFlight.enter()
        return next.respond(to: request).always { _ in inFlight.leave() }
    }
}

/// On SIGTERM (or Ctrl-C): stop accepting connections, let the requests in flight finish — at most
/// `CMQ_SHUTDOWN_TIMEOUT` seconds — and only then let the other handlers stop (the outbox worker sends what the
/// last requests queued, the database pools close).
///
/// Vapor shuts its lifecycle handlers down in reverse order and the HTTP server only after all of them, with the
/// database pools already closed: this handler, registered last, stops the server first.
struct GracefulShutdown: LifecycleHandler {
    func shutdownAsync(_ app: Application) async {
        let timeout = app.cmqConfig.shutdownTimeout
        let deadline = ContinuousClock.now + .seconds(timeout)
        let running = app.requestsInFlight.current
        app.logger.notice("Arrêt demandé : l'instance n'accepte plus de connexion et termine \(running) requête(s) en cours (au plus \(timeout) s).")
        // Closes the listening socket, then each connection once its answer is sent (Vapor's quiescing).
        await app.server.shutdown()
        // A handler may outlive its connection (the client went away): wait for it too, within the same bound.
        let left = await app.requestsInFlight.drained(before: deadline)
        if left > 0 {
            // Closing the pools under a running handler would trap; the process ends here instead, as a supervisor
            // would end it after its own delay. Nothing half-written remains: every write is a transaction.
            app.logger.error("Arrêt : \(left) requête(s) encore en cours après \(timeout) s, interrompue(s).")
            exit(0)
        }
        app.logger.notice("Arrêt : les requêtes en cours sont terminées.")
    }
}
