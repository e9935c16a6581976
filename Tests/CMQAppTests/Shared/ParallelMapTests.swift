import Foundation
import Testing

@testable import CMQApp

/// Work spread over the processors keeps the order of its inputs and reports a failure.
@Suite("Parallel map")
struct ParallelMapTests {
    struct Failure: Error, Equatable { let index: Int }

    @Test("the results come in the order of the elements, each computed once")
    func order() async throws {
        let items = Array(0..<1_000)
        let squares = try await items.parallelMap { $0 * $0 }
        #expect(squares == items.map { $0 * $0 })
        #expect(try await [7].parallelMap { $0 + 1 } == [8])
        #expect(try await [Int]().parallelMap { $0 } == [])
    }

    @Test("an element's error is thrown once all are done")
    func failure() async {
        await #expect(throws: Failure(index: 3)) {
            _ = try await Array(0..<10).parallelMap { index -> Int in
                if index == 3 { throw Failure(index: index) }
                return index
            }
        }
    }
}
