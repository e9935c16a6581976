@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The day of the rules comes from the application's clock, not from the system: a clock set elsewhere moves
/// every answer that depends on "today".
@Suite("The application's clock")
struct ClockTests {
    @Test("the compliance of a network is computed on the clock's day, and a write is dated by it", arguments: TestDatabase.all)
    func clockDrivesToday(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let noon = LocalDateTime(day: CalendarDay(iso: "2031-05-02")!, time: TimeOfDay(minutes: 12 * 60)!).date
            app.clock = .fixed(noon)
            let campus = try await Factory.campus(app.db)
            let compliance = try await app.send(.GET, "/api/v1/campus/\(campus.id!.lower)/conformite").decoded(ComplianceDTO.self)
            #expect(compliance.date == "2031-05-02")
            // A change made through the API is recorded at the clock's time.
            let changed = try await app.send(.PATCH, "/api/v1/campus/\(campus.id!.lower)", json: #"{"description": "Nouvelle description"}"#)
            #expect(changed.status == .ok)
            let entry = try await AuditEntry.query(on: app.db).filter(\.$entityID == campus.id!).sort(\.$at, .descending).first()
            #expect(entry?.at == noon)
        }
    }
}
