import CMQDomain
import Foundation
import Metrics
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// What this instance keeps of the catalogue's reads — search results and the public API's answers — valid
/// while the catalogue's version (kept by database triggers, see `AddCatalogueVersion`) has not moved.
///
/// The version is read from the database at most every `checkInterval`; a write made through this instance
/// forces the next read to check it. A write made elsewhere (another instance behind the same load balancer,
/// a `cmq import` command) is therefore seen within `checkInterval` (200 ms by default).
final class SearchCache: @unchecked Sendable {
    struct Key: Hashable {
        var criteria: String
        var page: Int
        var per: Int
        var day: String
    }

    private struct Entry<Value> {
        var version: Int64
        var value: Value
        var used: UInt64
    }

    /// A stored API answer.
    struct StoredResponse: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: ByteBuffer
    }

    private let lock = NIOLock()
    private var results: [Key: Entry<CatalogueSearch.Result>] = [:]
    private var responses: [String: Entry<StoredResponse>] = [:]
    private var clock: UInt64 = 0
    private var knownVersion: Int64 = -1
    private var checkedAt: UInt64 = 0
    let capacity: Int
    /// `cmq_catalogue_cache_lookups_total{kind="result|response", outcome="hit|miss"}` (created with the cache,
    /// after the metrics system is bootstrapped).
    private let resultHits = Counter(label: "cmq_catalogue_cache_lookups_total", dimensions: [("kind", "result"), ("outcome", "hit")])
    private let resultMisses = Counter(label: "cmq_catalogue_cache_lookups_total", dimensions: [("kind", "result"), ("outcome", "miss")])
    private let responseHits = Counter(label: "cmq_catalogue_cache_lookups_total", dimensions: [("kind", "response"), ("outcome", "hit")])
    private let responseMisses = Counter(label: "cmq_catalogue_cache_lookups_total", dimensions: [("kind", "response"), ("outcome", "miss")])
    let checkInterval: TimeInterval

    init(capacity: Int = 2_048, checkInterval: TimeInterval = 0.2) {
        self.capacity = capacity
        self.checkInterval = checkInterval
    }

    /// The catalogue's version, read from the database when the last reading is older than `checkInterval`.
    func version(on sql: any SQLDatabase) async throws -> Int64 {
        let now = DispatchTime.now().uptimeNanoseconds
        let fresh: Int64? = lock.withLock {
            knownVersion >= 0 && Double(now &- checkedAt) < checkInterval * 1e9 ? knownVersion : nil
        }
        if let fresh { return fresh }
        let version = try await Self.version(on: sql)
        lock.withLock {
            knownVersion = version
            checkedAt = now
        }
        return version
    }

    /// A write went through this instance: the next read checks the version again.
    func touch() {
        lock.withLock { knownVersion = -1 }
    }

    func result(for key: Key, version: Int64) -> CatalogueSearch.Result? {
        let found: CatalogueSearch.Result? = lock.withLock {
            guard let entry = results[key], entry.version == version else { return nil }
            clock += 1
            results[key]?.used = clock
            return entry.value
        }
        (found == nil ? resultMisses : resultHits).increment()
        return found
    }

    func store(_ result: CatalogueSearch.Result, for key: Key, version: Int64) {
        lock.withLock {
            clock += 1
            Self.evict(&results, capacity: capacity, keeping: key)
            results[key] = Entry(version: version, value: result, used: clock)
        }
    }

    func response(for key: String, version: Int64) -> StoredResponse? {
        let found: StoredResponse? = lock.withLock {
            guard let entry = responses[key], entry.version == version else { return nil }
            clock += 1
            responses[key]?.used = clock
            return entry.value
        }
        (found == nil ? responseMisses : responseHits).increment()
        return found
    }

    func store(_ response: StoredResponse, for key: String, version: Int64) {
        lock.withLock {
            clock += 1
            Self.evict(&responses, capacity: capacity, keeping: key)
            responses[key] = Entry(version: version, value: response, used: clock)
        }
    }

    /// Drops the least recently used quarter when full (entries of an old version are never used again).
    private static func evict<K: Hashable, V>(_ entries: inout [K: Entry<V>], capacity: Int, keeping key: K) {
        guard entries.count >= capacity, entries[key] == nil else { return }
        for victim in entries.sorted(by: { $0.value.used < $1.value.used }).prefix(max(1, capacity / 4)).map(\.key) {
            entries[victim] = nil
        }
    }

    /// The current version of the catalogue in the database.
    static func version(on sql: any SQLDatabase) async throws -> Int64 {
        struct Row: Decodable { let version: Int64 }
        return try await sql.raw("SELECT version FROM catalogue_version WHERE id = 1").first(decoding: Row.self)?.version ?? 0
    }
}

/// Serves the public catalogue reads of the API (`GET /api/v1/formations…`) from the cache while the
/// catalogue is unchanged: their answers are the same for everyone. Any other request that may write
/// (POST, PATCH, PUT, DELETE) makes the next read check the catalogue's version. (Of futures, as every middleware on
/// the way to a route: see `CMQErrorMiddleware`; a task only for the reads the cache answers.)
struct CatalogueCacheMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET else {
            return next.respond(to: request).always { _ in
                request.application.searchCache?.touch()
                request.application.catalogueIndex?.touch()
            }
        }
        guard let cache = request.application.searchCache else { return next.respond(to: request) }
        let path = request.url.path, list = CatalogueURL.apiFormations.path, one = list + "/"
        // The list and one formation (not the exports, nor a campus's offer).
        guard path == list || (path.hasPrefix(one) && !path.dropFirst(one.count).contains("/")),
              let sql = request.db as? any SQLDatabase else {
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask { try await Self.cached(request, cache: cache, sql: sql, next: next) }
    }

    private static func cached(_ request: Request, cache: SearchCache, sql: any SQLDatabase, next: any Responder) async throws -> Response {
        let key = request.url.string
        let version = try await cache.version(on: sql)
        if let stored = cache.response(for: key, version: version) {
            let response = Response(status: stored.status, body: .init(buffer: stored.body))
            response.headers.replaceOrAdd(name: .contentType, value: stored.contentType)
            return response
        }
        let response = try await next.respond(to: request).get()
        if response.status == .ok, let buffer = response.body.buffer {
            cache.store(.init(status: response.status, contentType: response.headers.first(name: .contentType) ?? "application/json; charset=utf-8", body: buffer),
                        for: key, version: version)
        }
        return response
    }
}

extension Application {
    private struct SearchCacheKey: StorageKey {
        typealias Value = SearchCache
    }

    /// This instance's catalogue cache (none when `CMQ_SEARCH_CACHE=0`, to measure the search itself).
    var searchCache: SearchCache? {
        get { storage[SearchCacheKey.self] }
        set { storage[SearchCacheKey.self] = newValue }
    }

    private struct CatalogueIndexKey: StorageKey {
        typealias Value = CatalogueIndex
    }

    /// This instance's in-memory index of the catalogue, which the search counts on.
    var catalogueIndex: CatalogueIndex? {
        get { storage[CatalogueIndexKey.self] }
        set { storage[CatalogueIndexKey.self] = newValue }
    }
}
