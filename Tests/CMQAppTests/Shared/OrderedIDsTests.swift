@testable import CMQApp
import Foundation
import Testing

@Suite("Shared: identifiers in increasing order (UUID v7)")
struct OrderedIDsTests {
    /// The bytes of an id as a string of hex digits (the order of the databases' indexes).
    static func hex(_ id: UUID) -> String { id.uuidString.replacingOccurrences(of: "-", with: "") }

    @Test("ids drawn one after the other increase, are distinct, and carry version 7, the RFC's variant and the time")
    func increasing() {
        let date = Date(timeIntervalSince1970: 1_764_590_400.123)
        var ids = OrderedIDs(at: date)
        let drawn = (0..<5000).map { _ in ids.next() }
        #expect(Set(drawn).count == drawn.count)
        #expect(zip(drawn, drawn.dropFirst()).allSatisfy { Self.hex($0) < Self.hex($1) })
        for id in drawn {
            #expect(id.uuid.6 >> 4 == 7)
            #expect(id.uuid.8 >> 6 == 0b10)
            #expect(Self.hex(id).prefix(12) == String(1_764_590_400_123, radix: 16, uppercase: true).leftPadded(to: 12))
        }
    }

    @Test("builders started at disjoint counters give ranges in the counters' order, across the counter's twelve high bits")
    func ranges() {
        let date = Date()
        var first = OrderedIDs(at: date, range: 0), second = OrderedIDs(at: date, range: 1)
        let a = (0..<100).map { _ in first.next() }, b = (0..<100).map { _ in second.next() }
        #expect(Self.hex(a.last!) < Self.hex(b.first!))
        #expect(Set(a + b).count == 200)
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
