import Foundation

/// Identifiers in increasing order, for rows written by the thousand: UUID version 7 (RFC 9562), a millisecond
/// timestamp, then a counter where version 7 has random bits (its "fixed bit-length dedicated counter"), then
/// random bits. A table's index on such ids takes each new row after the last one, rather than at a random place
/// over all its pages; the ids stay as unique and as opaque as random ones.
///
/// Layout: 48 bits of time, version 7, 12 bits of counter, variant `10`, 30 more bits of counter, 32 random bits.
/// The 42-bit counter is cut into 64 ranges of 2^36 ids: builders working side by side each take their own, and
/// the ids of range `n` all come before those of range `n + 1` (at the same millisecond).
struct OrderedIDs {
    private let milliseconds: UInt64
    private var counter: UInt64

    private static let counterMask: UInt64 = (1 << 42) - 1

    /// - Parameter range: which of the 64 ranges of the counter this builder draws from (0 to 63).
    init(at date: Date, range: Int = 0) {
        milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        counter = (UInt64(max(0, min(range, 63))) << 36) & Self.counterMask
    }

    mutating func next() -> UUID {
        let value = counter
        counter = (counter + 1) & Self.counterMask
        let high = milliseconds << 16 | 0x7000 | (value >> 30)                          // time, version, counter's top 12 bits
        let low = 0x8000_0000_0000_0000 | (value & 0x3FFF_FFFF) << 32 | UInt64(UInt32.random(in: .min ... .max))
        let h = high.bigEndian, l = low.bigEndian
        return withUnsafeBytes(of: (h, l)) { bytes in
            UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                        bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }
}
