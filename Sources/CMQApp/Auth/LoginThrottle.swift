import Fluent
import Foundation

/// Limits sign-in attempts: after 5 failures in 15 minutes for an account, or from an address, the next
/// attempts are refused until the oldest failure leaves the window.
struct LoginThrottle {
    let db: any Database
    static let maxFailures = 5
    static let window: TimeInterval = 15 * 60

    /// Minutes to wait, or nil when a new attempt may be made.
    func minutesToWait(email: String, address: String, now: Date = Date()) async throws -> Int? {
        let since = now.addingTimeInterval(-Self.window)
        for filter in [(\LoginAttempt.$email, email), (\LoginAttempt.$address, address)] {
            let failures = try await LoginAttempt.query(on: db)
                .filter(filter.0 == filter.1).filter(\.$succeeded == false).filter(\.$at >= since)
                .sort(\.$at, .ascending).all()
            if failures.count >= Self.maxFailures, let oldest = failures.first {
                let seconds = oldest.at.addingTimeInterval(Self.window).timeIntervalSince(now)
                return max(1, Int((seconds / 60).rounded(.up)))
            }
        }
        return nil
    }

    func record(email: String, address: String, succeeded: Bool, now: Date = Date()) async throws {
        try await LoginAttempt(email: email, address: address, succeeded: succeeded, at: now).create(on: db)
    }
}
