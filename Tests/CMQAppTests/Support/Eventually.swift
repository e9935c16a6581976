@testable import CMQApp
import Foundation
import SQLKit
import Testing
import Vapor

/// Waits until `condition` holds, checking every 50 ms, for at most `seconds`: what another instance (or a background
/// task) does "soon" is awaited rather than slept for, so that a loaded machine does not fail the test. Returns whether
/// it held; the test then checks the values themselves.
@discardableResult
func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock(), end = clock.now.advanced(by: .milliseconds(Int(seconds * 1_000)))
    while true {
        if try await condition() { return true }
        if clock.now >= end { return false }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// Waits (at most 10 s) until the instance's catalogue index has read the catalogue's current version, written by
/// another instance, a command or SQL that did not touch it: it checks the version every `checkInterval` (200 ms).
func catalogueIndexCaughtUp(_ app: Application) async throws {
    let index = try #require(app.catalogueIndex)
    let sql = try #require(app.db as? any SQLDatabase)
    let caughtUp = try await eventually {
        let version = try await CatalogueIndex.CatalogueState.read(on: sql).version
        return try await index.current(on: sql, today: .today).version >= version
    }
    #expect(caughtUp, "the catalogue index did not read the catalogue's version within 10 s")
}
