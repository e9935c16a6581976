import CMQDomain
import Foundation
import Metrics
import NIOConcurrencyHelpers
import Vapor

/// What this instance keeps of the computed indicators that the dashboards draw: a campus's value of a computed
/// indicator for a school year, as computed on a given day. A national dashboard asks every campus for the same
/// figures, and they change only when the network, the offer, the pathways, the actions or the bookings do.
///
/// An entry is used while no write went through this instance since it was computed and it is younger than
/// `lifetime`: a write made here is seen by the next read; a write made elsewhere (another instance on the same
/// PostgreSQL, a `cmq` command, a nightly job) within `lifetime` (`CMQ_INDICATEURS_CACHE`, 60 seconds by default).
/// A transmitted report's figures are never read from here: the report computes them itself when it freezes them.
final class IndicatorFiguresCache: @unchecked Sendable {
    struct Key: Hashable {
        var computation: IndicatorComputation
        var campus: UUID
        var year: Int
        var day: CalendarDay
    }

    private struct Entry {
        /// nil: the campus has no value for that indicator and year.
        var value: Double?
        var generation: UInt64
        var storedAt: UInt64
    }

    private let lock = NIOLock()
    private var entries: [Key: Entry] = [:]
    private var generation: UInt64 = 0
    let lifetime: TimeInterval
    let capacity: Int
    private let hits = Counter(label: "cmq_indicator_cache_lookups_total", dimensions: [("outcome", "hit")])
    private let misses = Counter(label: "cmq_indicator_cache_lookups_total", dimensions: [("outcome", "miss")])

    init(lifetime: TimeInterval, capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// A write went through this instance: every entry computed before it is stale.
    func touch() {
        lock.withLock { generation &+= 1 }
    }

    /// The `wanted` values of a campus for a school year on `day`: those still valid here, the others from
    /// `compute` (given only the missing ones), which are then kept.
    func values(_ wanted: Set<IndicatorComputation>, campus: UUID, year: SchoolYear, day: CalendarDay,
                compute: (Set<IndicatorComputation>) async throws -> [IndicatorComputation: Double]) async throws -> [IndicatorComputation: Double] {
        let now = DispatchTime.now().uptimeNanoseconds
        let key = { (computation: IndicatorComputation) in Key(computation: computation, campus: campus, year: year.startYear, day: day) }
        var values: [IndicatorComputation: Double] = [:]
        var missing: Set<IndicatorComputation> = []
        let startGeneration: UInt64 = lock.withLock {
            for computation in wanted {
                if let entry = entries[key(computation)], entry.generation == generation, Double(now &- entry.storedAt) < lifetime * 1e9 {
                    if let value = entry.value { values[computation] = value }
                } else {
                    missing.insert(computation)
                }
            }
            return generation
        }
        if wanted.count > missing.count { hits.increment(by: wanted.count - missing.count) }
        guard !missing.isEmpty else { return values }
        misses.increment(by: missing.count)
        // Computed under the generation seen before reading: a write that lands meanwhile makes them stale at once.
        let computed = try await compute(missing)
        lock.withLock {
            if entries.count + missing.count > capacity { entries.removeAll(keepingCapacity: true) }
            for computation in missing {
                entries[key(computation)] = Entry(value: computed[computation], generation: startGeneration, storedAt: now)
            }
        }
        return values.merging(computed.filter { missing.contains($0.key) }, uniquingKeysWith: { $1 })
    }
}

/// Any request that may write (POST, PUT, PATCH, DELETE) makes the indicators computed before it stale.
/// (Of futures, as every middleware on the way to a route: see `CMQErrorMiddleware`.)
struct IndicatorFiguresCacheMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method != .GET, request.method != .HEAD, let cache = request.application.indicatorFiguresCache else {
            return next.respond(to: request)
        }
        // After the write (its commit): what a read computed under the generation before it is stale.
        return next.respond(to: request).always { _ in cache.touch() }
    }
}

extension Application {
    private struct IndicatorFiguresCacheKey: StorageKey {
        typealias Value = IndicatorFiguresCache
    }

    /// This instance's cache of computed indicators (none when `CMQ_INDICATEURS_CACHE=0`).
    var indicatorFiguresCache: IndicatorFiguresCache? {
        get { storage[IndicatorFiguresCacheKey.self] }
        set { storage[IndicatorFiguresCacheKey.self] = newValue }
    }
}
