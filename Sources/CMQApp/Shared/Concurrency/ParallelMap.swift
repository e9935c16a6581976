import Dispatch
import NIOConcurrencyHelpers

extension Array where Element: Sendable {
    /// `transform` applied to every element on every processor at once, the results in the elements' order; the first
    /// error met is thrown once all are done. The work runs on Dispatch's threads: Swift's tasks run on the server's
    /// event loops (`CMQMain`), where the children of a task group would all share their parent's loop.
    func parallelMap<Result: Sendable>(_ transform: @escaping @Sendable (Element) throws -> Result) async throws -> [Result] {
        guard count > 1 else { return try map(transform) }
        let items = self
        let outcomes = NIOLockedValueBox([Swift.Result<Result, any Error>?](repeating: nil, count: items.count))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                DispatchQueue.concurrentPerform(iterations: items.count) { index in
                    let outcome = Swift.Result { try transform(items[index]) }
                    outcomes.withLockedValue { $0[index] = outcome }
                }
                continuation.resume()
            }
        }
        return try outcomes.withLockedValue { $0 }.map { try $0!.get() }
    }
}
