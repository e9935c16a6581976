import CMQDomain
import Testing

@Suite("Témoignages: the byte ranges of a video request")
struct ByteRangeTests {
    @Test("first bytes, middle, open end, suffix", arguments: [
        ("bytes=0-99", ByteRangeRequest.partial(first: 0, last: 99)),
        ("bytes=1000-1999", .partial(first: 1000, last: 1999)),
        ("bytes=9000-", .partial(first: 9000, last: 9999)),
        ("bytes=9000-20000", .partial(first: 9000, last: 9999)),
        ("bytes=-500", .partial(first: 9500, last: 9999)),
        ("bytes=-20000", .partial(first: 0, last: 9999)),
        ("Bytes= 5-5 ", .partial(first: 5, last: 5)),
    ])
    func served(header: String, expected: ByteRangeRequest) {
        #expect(ByteRangeRequest(header: header, size: 10_000) == expected)
    }

    @Test("past the end, or an empty suffix: 416")
    func unsatisfiable() {
        #expect(ByteRangeRequest(header: "bytes=10000-", size: 10_000) == .unsatisfiable)
        #expect(ByteRangeRequest(header: "bytes=20000-30000", size: 10_000) == .unsatisfiable)
        #expect(ByteRangeRequest(header: "bytes=-0", size: 10_000) == .unsatisfiable)
    }

    @Test("no header, another unit, several ranges, malformed or reversed: the whole file", arguments: [
        nil, "items=0-5", "bytes=0-5,10-20", "bytes=abc-", "bytes=5-1", "bytes=-", "bytes=1-x", "bytes=99999999999999999999999-",
        "bytes=٣-٤",
    ])
    func whole(header: String?) {
        #expect(ByteRangeRequest(header: header, size: 10_000) == .whole)
    }
}
