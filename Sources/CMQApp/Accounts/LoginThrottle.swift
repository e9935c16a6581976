import Fluent
import Foundation

/// Limits sign-in attempts fairly, over the failures of the last 15 minutes:
///
/// - **one account from one address**: after 5 failures, the next attempt waits until the oldest leaves the
///   window (whoever types a wrong password five times waits, nobody else);
/// - **one account from every address**: from the 10th failure on, each attempt waits twice as long as the
///   one before after the latest failure (2 s, 4 s, 8 s… at most 15 minutes): a guesser spread over many
///   addresses is slowed down, the owner is never locked out for longer than that;
/// - **one address**: after 50 failures (a school behind one address signs in many people), the address waits
///   like an account. The address is the client's, taken from `X-Forwarded-For` only when the request comes
///   from a proxy named in `CMQ_TRUSTED_PROXIES` (see `ClientAddress`).
struct LoginThrottle {
    let db: any Database
    static let window: TimeInterval = 15 * 60
    static let maxFailuresPerAccountAndAddress = 5
    static let accountFailuresBeforeDelay = 10
    static let maxFailuresPerAddress = 50

    /// How long to wait before a new attempt, or nil when one may be made now.
    func wait(email: String, address: String, now: Date = Date()) async throws -> TimeInterval? {
        let since = now.addingTimeInterval(-Self.window)
        func failures(_ filter: (QueryBuilder<LoginAttempt>) -> QueryBuilder<LoginAttempt>) async throws -> [Date] {
            try await filter(LoginAttempt.query(on: db)).filter(\.$succeeded == false).filter(\.$at >= since)
                .sort(\.$at, .ascending).all(\.$at)
        }
        var waits: [TimeInterval] = []
        let pair = try await failures { $0.filter(\.$email == email).filter(\.$address == address) }
        if pair.count >= Self.maxFailuresPerAccountAndAddress, let oldest = pair.first {
            waits.append(oldest.addingTimeInterval(Self.window).timeIntervalSince(now))
        }
        let account = try await failures { $0.filter(\.$email == email) }
        if let delay = Self.growingDelay(failures: account.count, threshold: Self.accountFailuresBeforeDelay), let latest = account.last {
            waits.append(latest.addingTimeInterval(delay).timeIntervalSince(now))
        }
        let fromAddress = try await failures { $0.filter(\.$address == address) }
        if let delay = Self.growingDelay(failures: fromAddress.count, threshold: Self.maxFailuresPerAddress), let latest = fromAddress.last {
            waits.append(latest.addingTimeInterval(delay).timeIntervalSince(now))
        }
        guard let longest = waits.max(), longest > 0 else { return nil }
        return longest
    }

    /// 2 s at the threshold, doubling with each failure beyond it, at most the window; nil below the threshold.
    static func growingDelay(failures: Int, threshold: Int) -> TimeInterval? {
        guard failures >= threshold else { return nil }
        let exponent = min(failures - threshold + 1, 10)
        return min(pow(2, Double(exponent)), window)
    }

    /// "3 minutes", "20 secondes": how long to wait, in French.
    static func frenchDuration(_ seconds: TimeInterval) -> String {
        if seconds < 60 {
            let value = max(1, Int(seconds.rounded(.up)))
            return "\(value) seconde\(value > 1 ? "s" : "")"
        }
        let minutes = Int((seconds / 60).rounded(.up))
        return "\(minutes) minute\(minutes > 1 ? "s" : "")"
    }

    func record(email: String, address: String, succeeded: Bool, now: Date = Date()) async throws {
        try await LoginAttempt(email: email, address: address, succeeded: succeeded, at: now).create(on: db)
    }
}
