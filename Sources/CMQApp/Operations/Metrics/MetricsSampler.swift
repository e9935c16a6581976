import AsyncKit
import Fluent
import Metrics
import PostgresKit
import SQLiteKit
import SQLKit
import Vapor

/// The gauges read at each scrape: the outbox's queue and the database connection pool's use.
enum MetricsSampler {
    static func sample(_ app: Application) async {
        await sampleOutbox(app)
        await samplePool(app)
    }

    /// `cmq_outbox_messages{status="a-envoyer|echec"}`: the e-mails waiting to be sent, and those given up.
    static func sampleOutbox(_ app: Application) async {
        do {
            for status in [OutboxMessage.Status.pending, .failed] {
                let count = try await Deadline.run(seconds: Readiness.databaseTimeout) {
                    try await OutboxMessage.query(on: app.db).filter(\.$status == status).count()
                }
                Gauge(label: "cmq_outbox_messages", dimensions: [("status", status.rawValue)]).record(count)
            }
        } catch {
            app.logger.warning("Métriques : la file d'envoi n'a pas pu être comptée (\(error)).")
        }
    }

    /// The pool of the default database, summed over the event loops: `cmq_db_pool_connections{state="open|idle"}`,
    /// `cmq_db_pool_waiting` (requests waiting for a connection) and `cmq_db_pool_max_connections`.
    static func samplePool(_ app: Application) async {
        guard let usage = await poolUsage(app) else { return }
        Gauge(label: "cmq_db_pool_connections", dimensions: [("state", "open")]).record(usage.open)
        Gauge(label: "cmq_db_pool_connections", dimensions: [("state", "idle")]).record(usage.idle)
        Gauge(label: "cmq_db_pool_waiting").record(usage.waiting)
        Gauge(label: "cmq_db_pool_max_connections").record(usage.maximum)
    }

    struct PoolUsage: Equatable, Sendable {
        var open = 0, idle = 0, waiting = 0, maximum = 0
    }

    /// AsyncKit's pools publish no figures: their counters are read by reflection, on each pool's own event loop
    /// (where the pool lives, so nothing changes while it is read). `nil` when the drivers' layout is not the one
    /// known here (the metrics tests then fail).
    static func poolUsage(_ app: Application) async -> PoolUsage? {
        _ = app.db  // the default driver exists from the first use of the database
        guard let drivers = child("drivers", of: app.databases) as? [DatabaseID: any DatabaseDriver] else { return nil }
        var usage = PoolUsage()
        var found = false
        for driver in drivers.values {
            guard let pool = child("pool", of: driver) else { continue }
            let loops = Array(app.eventLoopGroup.makeIterator())
            if let pool = pool as? EventLoopGroupConnectionPool<SQLiteConnectionSource> {
                found = true
                for loop in loops { usage.add(await read(pool.pool(for: loop))) }
            } else if let pool = pool as? EventLoopGroupConnectionPool<PostgresConnectionSource> {
                found = true
                for loop in loops { usage.add(await read(pool.pool(for: loop))) }
            }
        }
        return found ? usage : nil
    }

    private static func read<Source>(_ pool: EventLoopConnectionPool<Source>) async -> PoolUsage {
        let box = UncheckedPool(pool: pool)
        return (try? await pool.eventLoop.submit {
            let pool = box.pool
            var usage = PoolUsage()
            usage.open = child("activeConnections", of: pool) as? Int ?? 0
            usage.idle = (child("available", of: pool) as? any Collection)?.count ?? 0
            usage.waiting = (child("waiters", of: pool) as? any Collection)?.count ?? 0
            usage.maximum = child("maxConnections", of: pool) as? Int ?? 0
            return usage
        }.get()) ?? PoolUsage()
    }

    private struct UncheckedPool<Source: ConnectionPoolSource>: @unchecked Sendable {
        let pool: EventLoopConnectionPool<Source>
    }

    private static func child(_ label: String, of value: Any) -> Any? {
        Mirror(reflecting: value).children.first { $0.label == label }?.value
    }
}

extension MetricsSampler.PoolUsage {
    mutating func add(_ other: Self) {
        open += other.open
        idle += other.idle
        waiting += other.waiting
        maximum += other.maximum
    }
}
