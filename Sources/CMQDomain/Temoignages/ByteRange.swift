import Foundation

/// What a `Range` request header asks of a file of `size` bytes (RFC 9110, section 14): one range of bytes is
/// served (206); a range that starts past the end is unsatisfiable (416); anything else — no header, another unit,
/// several ranges, a malformed one — gets the whole file (200), which the RFC allows.
public enum ByteRangeRequest: Sendable, Equatable {
    case whole
    /// Inclusive bounds.
    case partial(first: UInt64, last: UInt64)
    case unsatisfiable

    public init(header: String?, size: UInt64) {
        guard let header = header?.trimmingCharacters(in: .whitespaces), header.lowercased().hasPrefix("bytes="), header.count <= 100 else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let start = spec[..<dash].trimmingCharacters(in: .whitespaces), end = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        let digits = { (text: String) in !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) }
        switch (start.isEmpty, end.isEmpty) {
        case (true, false):
            // the last `end` bytes
            guard digits(end), let suffix = UInt64(end) else { self = .whole; return }
            guard suffix > 0, size > 0 else { self = .unsatisfiable; return }
            self = .partial(first: size - min(suffix, size), last: size - 1)
        case (false, _):
            guard digits(start), let first = UInt64(start) else { self = .whole; return }
            var last = size == 0 ? 0 : size - 1
            if !end.isEmpty {
                guard digits(end), let requested = UInt64(end) else { self = .whole; return }
                guard requested >= first else { self = .whole; return }
                last = min(requested, last)
            }
            self = first < size ? .partial(first: first, last: last) : .unsatisfiable
        case (true, true):
            self = .whole
        }
    }
}
