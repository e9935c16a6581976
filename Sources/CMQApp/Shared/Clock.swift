import CMQDomain
import Foundation
import Vapor

/// What time it is for cmq. The application has one (the system's, unless a test or the demo sets another); the
/// services read it from their `Caller`, the pages from the request: "today" is never read from the system elsewhere.
struct AppClock: Sendable {
    let now: @Sendable () -> Date

    static let system = AppClock { Date() }

    /// A clock stopped at `date` (the demo's past bookings, tests).
    static func fixed(_ date: Date) -> AppClock { AppClock { date } }

    /// The day in Paris.
    var today: CalendarDay { CalendarDay(date: now()) }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    /// The application's clock: the system's by default.
    var clock: AppClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    var clock: AppClock { application.clock }
    var today: CalendarDay { application.clock.today }
}
