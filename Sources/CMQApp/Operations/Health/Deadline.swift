import NIOConcurrencyHelpers
import Vapor

/// Runs `work` but answers after `seconds` at most: a database that went away (a pool pointing nowhere, a server that
/// stopped answering) must not hold a readiness probe. The work goes on in the background when the time is up; its
/// result is then dropped.
enum Deadline {
    struct Expired: Error {}

    static func run<T: Sendable>(seconds: Double, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let resumed = NIOLockedValueBox(false)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            @Sendable func finish(_ result: Result<T, any Error>) {
                let first = resumed.withLockedValue { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(with: result) }
            }
            let task = Task {
                do { finish(.success(try await work())) } catch { finish(.failure(error)) }
            }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                finish(.failure(Expired()))
                task.cancel()
            }
        }
    }
}
