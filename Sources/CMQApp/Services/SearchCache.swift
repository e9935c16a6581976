import CMQDomain
import Foundation
import SQLKit
import Vapor

/// Recent catalogue search results of this instance, valid while the catalogue's version (kept by database
/// triggers, see `AddCatalogueVersion`) has not moved. A hit costs one read of that version.
final class SearchCache: @unchecked Sendable {
    struct Key: Hashable {
        var criteria: String
        var page: Int
        var per: Int
        var day: String
    }

    private struct Entry {
        var version: Int64
        var result: CatalogueSearch.Result
        var used: UInt64
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    let capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    func result(for key: Key, version: Int64) -> CatalogueSearch.Result? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[key], entry.version == version else { return nil }
        clock += 1
        entries[key]?.used = clock
        return entry.result
    }

    func store(_ result: CatalogueSearch.Result, for key: Key, version: Int64) {
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        if entries.count >= capacity, entries[key] == nil {
            // Drop the least recently used quarter (stale versions go first: they are never used again).
            let victims = entries.sorted { $0.value.used < $1.value.used }.prefix(max(1, capacity / 4)).map(\.key)
            for victim in victims { entries[victim] = nil }
        }
        entries[key] = Entry(version: version, result: result, used: clock)
    }

    /// The current version of the catalogue in the database.
    static func version(on sql: any SQLDatabase) async throws -> Int64 {
        struct Row: Decodable { let version: Int64 }
        return try await sql.raw("SELECT version FROM catalogue_version WHERE id = 1").first(decoding: Row.self)?.version ?? 0
    }
}

extension Application {
    private struct SearchCacheKey: StorageKey {
        typealias Value = SearchCache
    }

    /// This instance's cache of search results (none when `CMQ_SEARCH_CACHE=0`, to measure the database alone).
    var searchCache: SearchCache? {
        get { storage[SearchCacheKey.self] }
        set { storage[SearchCacheKey.self] = newValue }
    }
}
