import Foundation

/// Bytes read at any offset of a file being checked: the sniffers read only the headers they need, never the
/// whole file. `FileByteSource` reads a file on disk, `MemoryByteSource` bytes in memory (tests, small files).
public protocol ByteSource {
    var size: UInt64 { get }
    /// At most `count` bytes from `offset` (fewer at the end of the source).
    func read(at offset: UInt64, count: Int) throws -> [UInt8]
}

public struct MemoryByteSource: ByteSource {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var size: UInt64 { UInt64(bytes.count) }

    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard offset < size, count > 0 else { return [] }
        let start = Int(offset)
        return Array(bytes[start..<min(bytes.count, start + count)])
    }
}

/// A file on disk, read by seeks (the handle is closed when the source is released); one read at a time.
public final class FileByteSource: ByteSource, @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    public let size: UInt64

    public init(path: String) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        size = try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    public func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard offset < size, count > 0 else { return [] }
        lock.lock()
        defer { lock.unlock() }
        try handle.seek(toOffset: offset)
        return [UInt8](try handle.read(upToCount: count) ?? Data())
    }
}

/// The video containers cmq accepts: MP4 (ISO base media file, H.264 inside in practice) and WebM.
public enum VideoContainer: String, Sendable, Codable, CaseIterable {
    case mp4
    case webm

    public var mimeType: String {
        switch self {
        case .mp4: "video/mp4"
        case .webm: "video/webm"
        }
    }
}

/// What the sniffer found in a video file.
public struct VideoProbe: Sendable, Equatable {
    public var container: VideoContainer
    /// The duration the file itself declares (MP4: `moov/mvhd`; WebM: `Segment/Info/Duration`).
    public var durationSeconds: Double

    public init(container: VideoContainer, durationSeconds: Double) {
        self.container = container
        self.durationSeconds = durationSeconds
    }
}

/// The still images accepted as a poster (and, with PDF, as the proof of a consent).
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case png, jpeg, webp

    public var mimeType: String { "image/\(rawValue)" }
}

/// Why a file is refused, in French.
public enum MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAVideo
    case unsupportedBrand(String)
    case noVideoTrack
    case unreadableDuration
    case tooLong(seconds: Double, limit: Double)
    case tooLarge(bytes: UInt64, limit: UInt64)
    case empty
    case notWebVTT
    case notUTF8
    case noCue
    case notAnImage
    case notAProof

    public var message: String {
        switch self {
        case .notAVideo:
            "Ce fichier n'est pas une vidéo MP4 ou WebM (son contenu a été vérifié, pas seulement son nom)."
        case .unsupportedBrand(let brand):
            "Ce fichier MP4 est de type « \(brand) » : seules les vidéos MP4 (ISO, H.264) et WebM sont acceptées."
        case .noVideoTrack:
            "Ce fichier ne contient pas de piste vidéo."
        case .unreadableDuration:
            "La durée de cette vidéo est illisible dans le fichier : enregistrez-la de nouveau en MP4 ou WebM."
        case .tooLong(let seconds, let limit):
            "Cette vidéo dure \(Self.minutes(seconds)) : la durée maximale est de \(Self.minutes(limit))."
        case .tooLarge(_, let limit):
            "Ce fichier dépasse la taille maximale de \(Self.size(limit))."
        case .empty:
            "Le fichier est vide."
        case .notWebVTT:
            "Les sous-titres doivent être un fichier WebVTT (il commence par « WEBVTT »)."
        case .notUTF8:
            "Le fichier de sous-titres doit être encodé en UTF-8."
        case .noCue:
            "Le fichier de sous-titres ne contient aucun sous-titre horodaté."
        case .notAnImage:
            "L'image doit être au format PNG, JPEG ou WebP."
        case .notAProof:
            "Le justificatif doit être un PDF ou une image PNG, JPEG ou WebP."
        }
    }

    public var description: String { message }

    /// "2 min 05 s", "45 s".
    public static func minutes(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (m, s) = (total / 60, total % 60)
        if m == 0 { return "\(s) s" }
        return s == 0 ? "\(m) min" : "\(m) min \(s < 10 ? "0" : "")\(s) s"
    }

    /// "200 Mo", "512 ko".
    static func size(_ bytes: UInt64) -> String {
        bytes >= 1_000_000 ? "\(bytes / 1_000_000) Mo" : "\(max(bytes / 1000, 1)) ko"
    }
}

/// Reads what a video file really is: its container from its first bytes and its duration from its own headers,
/// whatever the file's name or the type the browser declared. Every read is bounded: a forged file ends the
/// check with an error, never a loop or a large allocation.
public enum VideoSniffer {
    /// The longest testimony accepted (3 minutes).
    public static let maximumDuration: Double = 180

    /// The container and duration of the video in `source`, or why it is refused.
    public static func probe(_ source: any ByteSource) throws(MediaError) -> VideoProbe {
        guard source.size > 0 else { throw .empty }
        let head = (try? source.read(at: 0, count: 12)) ?? []
        if head.count >= 8, Array(head[4..<8]) == Array("ftyp".utf8) {
            return VideoProbe(container: .mp4, durationSeconds: try MP4Reader(source: source).duration())
        }
        if head.count >= 4, Array(head[0..<4]) == [0x1A, 0x45, 0xDF, 0xA3] {
            return VideoProbe(container: .webm, durationSeconds: try WebMReader(source: source).duration())
        }
        throw .notAVideo
    }

    /// The probe, refusing a video longer than `limit` seconds.
    public static func check(_ source: any ByteSource, limit: Double = maximumDuration) throws(MediaError) -> VideoProbe {
        let probe = try probe(source)
        // A frame's rounding is tolerated (a 3:00 clip may declare 180.02 s).
        guard probe.durationSeconds <= limit + 0.05 else { throw .tooLong(seconds: probe.durationSeconds, limit: limit) }
        return probe
    }
}

// MARK: - MP4 (ISO base media file format)

/// The boxes of an MP4 file: `ftyp` first (its brands say what the file is), `moov` anywhere at the top level
/// (before the media data when "fast start", after it otherwise), `mvhd` inside it with the timescale and the
/// duration, and at least one `trak` whose `mdia/hdlr` handler is `vide`.
struct MP4Reader {
    let source: any ByteSource

    /// Brands of the video files cmq accepts; image (`heic`, `avif`), audio (`M4A `) and QuickTime (`qt  `) files
    /// also begin with `ftyp` and are refused.
    static let videoBrands: Set<String> = ["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "M4V ", "mmp4", "MSNV"]
    /// At most this many boxes are read at one level (a forged file of tiny boxes stops here).
    static let maximumBoxes = 100_000

    struct Box {
        var type: String
        /// Where its content starts and ends.
        var contentStart: UInt64
        var end: UInt64
    }

    func duration() throws(MediaError) -> Double {
        let top = try boxes(from: 0, to: source.size)
        guard let ftyp = top.first, ftyp.type == "ftyp" else { throw .notAVideo }
        let brands = try ftypBrands(ftyp)
        guard let major = brands.first else { throw .notAVideo }
        guard brands.contains(where: Self.videoBrands.contains) else { throw .unsupportedBrand(major.trimmingCharacters(in: .whitespaces)) }
        guard let moov = top.first(where: { $0.type == "moov" }) else { throw .unreadableDuration }
        let inside = try boxes(from: moov.contentStart, to: moov.end)
        guard let mvhd = inside.first(where: { $0.type == "mvhd" }) else { throw .unreadableDuration }
        let duration = try mvhdDuration(mvhd)
        for trak in inside where trak.type == "trak" {
            if try isVideoTrack(trak) { return duration }
        }
        throw .noVideoTrack
    }

    func bytes(_ offset: UInt64, _ count: Int) throws(MediaError) -> [UInt8] {
        guard let bytes = try? source.read(at: offset, count: count), bytes.count == count else { throw .notAVideo }
        return bytes
    }

    /// The boxes between `start` and `end`, one level.
    func boxes(from start: UInt64, to end: UInt64) throws(MediaError) -> [Box] {
        var result: [Box] = []
        var offset = start
        while offset + 8 <= end {
            guard result.count < Self.maximumBoxes else { throw .notAVideo }
            let header = try bytes(offset, 8)
            var size = UInt64(Self.uint(header[0..<4]))
            let type = String(decoding: header[4..<8], as: UTF8.self)
            var headerLength: UInt64 = 8
            if size == 1 {
                size = Self.uint(try bytes(offset + 8, 8)[...])
                headerLength = 16
            } else if size == 0 {
                size = end - offset
            }
            guard size >= headerLength, size <= end - offset else { throw .notAVideo }
            result.append(Box(type: type, contentStart: offset + headerLength, end: offset + size))
            offset += size
        }
        return result
    }

    func ftypBrands(_ box: Box) throws(MediaError) -> [String] {
        let length = box.end - box.contentStart
        guard length >= 8, length <= 1024 else { throw .notAVideo }
        let content = try bytes(box.contentStart, Int(length))
        // major brand, minor version, then the compatible brands
        var brands = [String(decoding: content[0..<4], as: UTF8.self)]
        var index = 8
        while index + 4 <= content.count {
            brands.append(String(decoding: content[index..<(index + 4)], as: UTF8.self))
            index += 4
        }
        return brands
    }

    func mvhdDuration(_ box: Box) throws(MediaError) -> Double {
        let version = try bytes(box.contentStart, 1)[0]
        let timescale: UInt64, duration: UInt64
        switch version {
        case 0:
            let fields = try bytes(box.contentStart + 4, 16)
            timescale = Self.uint(fields[8..<12])
            duration = Self.uint(fields[12..<16])
            guard duration != 0xFFFF_FFFF else { throw .unreadableDuration }
        case 1:
            let fields = try bytes(box.contentStart + 4, 28)
            timescale = Self.uint(fields[16..<20])
            duration = Self.uint(fields[20..<28])
            guard duration != .max else { throw .unreadableDuration }
        default:
            throw .unreadableDuration
        }
        guard timescale > 0, duration > 0 else { throw .unreadableDuration }
        return Double(duration) / Double(timescale)
    }

    func isVideoTrack(_ trak: Box) throws(MediaError) -> Bool {
        guard let mdia = try boxes(from: trak.contentStart, to: trak.end).first(where: { $0.type == "mdia" }),
              let hdlr = try boxes(from: mdia.contentStart, to: mdia.end).first(where: { $0.type == "hdlr" }),
              hdlr.end - hdlr.contentStart >= 12 else { return false }
        return try bytes(hdlr.contentStart + 8, 4) == Array("vide".utf8)
    }

    static func uint(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

// MARK: - WebM (Matroska's EBML)

/// The EBML elements of a WebM file: the EBML header (`1A 45 DF A3`) whose DocType is `webm`, then the Segment
/// (`18 53 80 67`, its size may be unknown when streamed) with its Info (`15 49 A9 66`: TimecodeScale `2A D7 B1`,
/// Duration `44 89`, a float in TimecodeScale units) and its Tracks (`16 54 AE 6B`, a TrackEntry `AE` whose
/// TrackType `83` is 1 for video).
struct WebMReader {
    let source: any ByteSource

    static let ebml: UInt64 = 0x1A45_DFA3
    static let docType: UInt64 = 0x4282
    static let segment: UInt64 = 0x1853_8067
    static let info: UInt64 = 0x1549_A966
    static let timecodeScale: UInt64 = 0x2AD7B1
    static let durationID: UInt64 = 0x4489
    static let tracks: UInt64 = 0x1654_AE6B
    static let trackEntry: UInt64 = 0xAE
    static let trackType: UInt64 = 0x83
    static let cluster: UInt64 = 0x1F43_B675
    static let maximumElements = 100_000

    struct Element {
        var id: UInt64
        var contentStart: UInt64
        /// nil: unknown size (runs to the end of its parent).
        var size: UInt64?
        func end(within parentEnd: UInt64) -> UInt64 { size.map { min(contentStart + $0, parentEnd) } ?? parentEnd }
    }

    func duration() throws(MediaError) -> Double {
        let top = try elements(from: 0, to: source.size, stopAt: Self.segment)
        guard let header = top.first, header.id == Self.ebml, let headerSize = header.size else { throw .notAVideo }
        let headerChildren = try elements(from: header.contentStart, to: header.contentStart + headerSize)
        guard let docType = headerChildren.first(where: { $0.id == Self.docType }), let length = docType.size, length <= 64 else { throw .notAVideo }
        let name = String(decoding: try bytes(docType.contentStart, Int(length)).prefix { $0 != 0 }, as: UTF8.self)
        guard name == "webm" else { throw .unsupportedBrand(name) }
        guard let segment = top.first(where: { $0.id == Self.segment }) else { throw .unreadableDuration }
        let segmentEnd = segment.end(within: source.size)
        // The Info and the Tracks come before the first Cluster in the files encoders write.
        let children = try elements(from: segment.contentStart, to: segmentEnd, stopAt: Self.cluster)
        guard let info = children.first(where: { $0.id == Self.info }) else { throw .unreadableDuration }
        let infoChildren = try elements(from: info.contentStart, to: info.end(within: segmentEnd))
        var scale: UInt64 = 1_000_000
        if let element = infoChildren.first(where: { $0.id == Self.timecodeScale }), let size = element.size, (1...8).contains(size) {
            scale = try bytes(element.contentStart, Int(size)).reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard scale > 0, let element = infoChildren.first(where: { $0.id == Self.durationID }), let size = element.size else { throw .unreadableDuration }
        let raw = try bytes(element.contentStart, Int(min(size, 8)))
        let ticks: Double
        switch size {
        case 4: ticks = Double(Float(bitPattern: UInt32(raw.reduce(0) { $0 << 8 | UInt64($1) })))
        case 8: ticks = Double(bitPattern: raw.reduce(0) { $0 << 8 | UInt64($1) })
        default: throw .unreadableDuration
        }
        let seconds = ticks * Double(scale) / 1_000_000_000
        guard seconds.isFinite, seconds > 0 else { throw .unreadableDuration }
        guard let tracks = children.first(where: { $0.id == Self.tracks }) else { throw .noVideoTrack }
        let entries = try elements(from: tracks.contentStart, to: tracks.end(within: segmentEnd)).filter { $0.id == Self.trackEntry }
        for entry in entries {
            let fields = try elements(from: entry.contentStart, to: entry.end(within: segmentEnd))
            if let type = fields.first(where: { $0.id == Self.trackType }), type.size == 1, try bytes(type.contentStart, 1)[0] == 1 {
                return seconds
            }
        }
        throw .noVideoTrack
    }

    func bytes(_ offset: UInt64, _ count: Int) throws(MediaError) -> [UInt8] {
        guard let bytes = try? source.read(at: offset, count: count), bytes.count == count else { throw .notAVideo }
        return bytes
    }

    /// The elements between `start` and `end`, one level; reading stops after an element of id `stopAt` (whose
    /// content is not skipped: a Segment or Cluster of unknown size runs to the end).
    func elements(from start: UInt64, to end: UInt64, stopAt: UInt64? = nil) throws(MediaError) -> [Element] {
        var result: [Element] = []
        var offset = start
        while offset < end {
            guard result.count < Self.maximumElements else { throw .notAVideo }
            let (id, idLength) = try vint(at: offset, keepMarker: true, maximumLength: 4)
            let (rawSize, sizeLength) = try vint(at: offset + idLength, keepMarker: false, maximumLength: 8)
            let contentStart = offset + idLength + sizeLength
            let unknown = rawSize == (UInt64(1) << (7 * sizeLength)) - 1
            let element = Element(id: id, contentStart: contentStart, size: unknown ? nil : rawSize)
            guard contentStart <= end else { throw .notAVideo }
            result.append(element)
            if id == stopAt { break }
            guard let size = element.size else { break }
            guard size <= end - contentStart else { throw .notAVideo }
            offset = contentStart + size
        }
        return result
    }

    /// An EBML variable-length integer: its length is given by the first byte's leading zeros.
    func vint(at offset: UInt64, keepMarker: Bool, maximumLength: Int) throws(MediaError) -> (UInt64, UInt64) {
        let first = try bytes(offset, 1)[0]
        guard first != 0 else { throw .notAVideo }
        let length = first.leadingZeroBitCount + 1
        guard length <= maximumLength else { throw .notAVideo }
        var value = UInt64(keepMarker ? first : first & (0xFF >> length))
        if length > 1 {
            for byte in try bytes(offset + 1, length - 1) { value = value << 8 | UInt64(byte) }
        }
        return (value, UInt64(length))
    }
}

// MARK: - Captions, posters, proofs

/// A WebVTT captions file: `WEBVTT` first (after an optional byte order mark), UTF-8, at least one cue.
public struct WebVTT: Sendable, Equatable {
    /// The largest captions file accepted (512 KB).
    public static let maximumSize = 512 * 1024

    public struct Cue: Sendable, Equatable {
        public var timing: String
        public var text: String
    }

    public var cues: [Cue]

    public init(bytes: [UInt8]) throws(MediaError) {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= Self.maximumSize else { throw .tooLarge(bytes: UInt64(bytes.count), limit: UInt64(Self.maximumSize)) }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard body.starts(with: Array("WEBVTT".utf8)) else { throw .notWebVTT }
        let after = body.dropFirst(6).first
        guard after == nil || [0x20, 0x09, 0x0A, 0x0D].contains(after!) else { throw .notWebVTT }
        guard let text = String(bytes: body, encoding: .utf8) else { throw .notUTF8 }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .components(separatedBy: "\n")
        var cues: [Cue] = []
        var block: [String] = []
        func close() {
            defer { block = [] }
            guard let timingIndex = block.firstIndex(where: { $0.contains("-->") }), timingIndex <= 1 else { return }
            let words = block[(timingIndex + 1)...].map(Self.plainText).filter { !$0.isEmpty }
            cues.append(Cue(timing: block[timingIndex].trimmingCharacters(in: .whitespaces), text: words.joined(separator: " ")))
        }
        for line in lines.dropFirst() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { close() } else { block.append(line) }
        }
        close()
        guard !cues.isEmpty else { throw .noCue }
        self.cues = cues
    }

    /// The spoken text, cue after cue: the transcript shown under the player.
    public var transcript: String {
        cues.map(\.text).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A cue's line without its tags (`<v Léa>`, `<i>`) and with the entities WebVTT allows decoded.
    static func plainText(_ line: String) -> String {
        var result = ""
        var inTag = false
        for character in line {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { result.append(character) }
        }
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\u{00A0}"), ("&lrm;", ""), ("&rlm;", ""), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: entity, with: value)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}

public enum ImageSniffer {
    /// The format of an image from its signature, nil when it is none of PNG, JPEG and WebP.
    public static func format(_ head: [UInt8]) -> ImageFormat? {
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }
}

/// The proof of a consent: the signed form scanned (PDF or image).
public enum ProofSniffer {
    /// The largest proof accepted (10 MB).
    public static let maximumSize = 10_000_000

    /// The MIME type of the proof whose first bytes are `head`.
    public static func mimeType(_ head: [UInt8]) throws(MediaError) -> String {
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if let image = ImageSniffer.format(head) { return image.mimeType }
        throw .notAProof
    }
}
