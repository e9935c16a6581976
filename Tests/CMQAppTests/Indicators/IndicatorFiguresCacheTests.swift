@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@Suite("The dashboards' cache of computed indicators: kept while nothing is written here and for its lifetime, never across a write")
struct IndicatorFiguresCacheTests {
    static let campus = UUID()
    static let year = SchoolYear(startYear: 2025)
    static let day = CalendarDay(year: 2026, month: 3, day: 2)!

    /// Counts what `compute` was asked for.
    final class Computer: Sendable {
        let asked = NIOLockedValueBox<[Set<IndicatorComputation>]>([])
        func compute(_ wanted: Set<IndicatorComputation>) -> [IndicatorComputation: Double] {
            asked.withLockedValue { $0.append(wanted) }
            // RES-01 has a value, the mobilities none (not recorded is not zero).
            return wanted.contains(.membres) ? [.membres: 7] : [:]
        }
    }

    @Test("a second read within the lifetime computes nothing; a value the campus lacks is kept as lacking")
    func keeps() async throws {
        let cache = IndicatorFiguresCache(lifetime: 60), computer = Computer()
        for _ in 0..<3 {
            let values = try await cache.values([.membres, .mobilitesSortantes], campus: Self.campus, year: Self.year, day: Self.day) { computer.compute($0) }
            #expect(values == [.membres: 7])
        }
        #expect(computer.asked.withLockedValue { $0 } == [[.membres, .mobilitesSortantes]])
        // Only what is missing is computed; another day, year or campus is another entry.
        _ = try await cache.values([.membres, .actions], campus: Self.campus, year: Self.year, day: Self.day) { computer.compute($0) }
        _ = try await cache.values([.membres], campus: Self.campus, year: Self.year, day: Self.day.adding(days: 1)) { computer.compute($0) }
        _ = try await cache.values([.membres], campus: UUID(), year: Self.year, day: Self.day) { computer.compute($0) }
        #expect(computer.asked.withLockedValue { $0 }.dropFirst() == [[.actions], [.membres], [.membres]])
    }

    @Test("a write through the instance, or the end of the lifetime, makes every kept value stale")
    func stale() async throws {
        let cache = IndicatorFiguresCache(lifetime: 60), computer = Computer()
        _ = try await cache.values([.membres], campus: Self.campus, year: Self.year, day: Self.day) { computer.compute($0) }
        cache.touch()
        _ = try await cache.values([.membres], campus: Self.campus, year: Self.year, day: Self.day) { computer.compute($0) }
        #expect(computer.asked.withLockedValue { $0.count } == 2)

        let expired = IndicatorFiguresCache(lifetime: 0), other = Computer()
        for _ in 0..<2 { _ = try await expired.values([.membres], campus: Self.campus, year: Self.year, day: Self.day) { other.compute($0) } }
        #expect(other.asked.withLockedValue { $0.count } == 2)
    }

    @Test("a write that lands while a value is computed: the value is returned but not kept")
    func writeDuringComputation() async throws {
        let cache = IndicatorFiguresCache(lifetime: 60), computer = Computer()
        let first = try await cache.values([.membres], campus: Self.campus, year: Self.year, day: Self.day) { wanted in
            cache.touch()
            return computer.compute(wanted)
        }
        #expect(first == [.membres: 7])
        _ = try await cache.values([.membres], campus: Self.campus, year: Self.year, day: Self.day) { computer.compute($0) }
        #expect(computer.asked.withLockedValue { $0.count } == 2)
    }

    @Test("CMQ_INDICATEURS_CACHE: 60 seconds by default, 0 turns it off, anything outside 0…3600 stops cmq at start")
    func configuration() throws {
        #expect(try AppConfig.fromEnvironment([:]).indicatorCacheSeconds == 60)
        #expect(try AppConfig.fromEnvironment(["CMQ_INDICATEURS_CACHE": "0"]).indicatorCacheSeconds == 0)
        #expect(try AppConfig.fromEnvironment(["CMQ_INDICATEURS_CACHE": "3600"]).indicatorCacheSeconds == 3600)
        for wrong in ["-1", "3601", "une minute"] {
            #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_INDICATEURS_CACHE": wrong]) }
        }
    }

    @Test("the national dashboard: a member added behind the instance's back waits for the lifetime; a write through it is seen at once",
          arguments: TestDatabase.all)
    func dashboard(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db, nom: "Alpha")
            let first = try await Factory.organisation(app.db, nom: "Lycée Alpha", uai: "0590001A", siret: nil)
            _ = try await Factory.membership(app.db, campus: campus, organisation: first)
            let path = "/tableau-de-bord/donnees/indicateur-campus.csv?indicateur=RES-01"
            func members() async throws -> String? {
                let response = try await app.send(.GET, path, as: .anonymous)
                #expect(response.status == .ok, "\(response.body.string)")
                return response.body.string.components(separatedBy: "\r\n").first { $0.hasPrefix(campus.id!.lower) }?.components(separatedBy: ";").last
            }
            #expect(try await members() == "1")

            // Another instance (here: the database directly) adds a member: this instance keeps its figure.
            let second = try await Factory.organisation(app.db, nom: "Entreprise Bêta", kind: "entreprise", uai: nil, siret: nil)
            _ = try await Factory.membership(app.db, campus: campus, organisation: second)
            #expect(try await members() == "1")

            // A write through this instance (a third member, by the API): the next read computes again.
            let third = try await Factory.organisation(app.db, nom: "Université Gamma", kind: "universite", uai: "0593559Y", siret: nil)
            let added = try await app.send(.POST, "/api/v1/campus/\(campus.id!.lower)/membres", json: #"{"organisationId": "\#(third.id!.lower)", "role": "membre"}"#)
            #expect(added.status == .created, "\(added.body.string)")
            #expect(try await members() == "3")
        }
    }
}
