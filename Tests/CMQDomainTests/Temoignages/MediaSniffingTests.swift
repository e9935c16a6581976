import CMQDomain
import Foundation
import Testing

/// The demo clips (generated with ffmpeg, see their README) and forged variants of them.
enum DemoMedia {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CMQApp/Resources/Data/demo/temoignages")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }

    static func index(of pattern: String, in bytes: [UInt8], after start: Int = 0) -> Int? {
        let needle = Array(pattern.utf8)
        guard bytes.count >= needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    static func bigEndian(_ value: UInt64, bytes count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// The MP4 with its `mvhd` duration set to `seconds` (timescale kept).
    static func mp4(_ name: String, seconds: Double) throws -> [UInt8] {
        var bytes = try bytes(name)
        let type = try #require(index(of: "mvhd", in: bytes))
        #expect(bytes[type + 4] == 0)  // version 0
        let fields = type + 8
        let timescale = bytes[(fields + 8)..<(fields + 12)].reduce(0) { $0 << 8 | UInt64($1) }
        bytes.replaceSubrange((fields + 12)..<(fields + 16), with: bigEndian(UInt64(seconds * Double(timescale)), bytes: 4))
        return bytes
    }

    /// The WebM with its Segment/Info/Duration (a float of 4 or 8 bytes, in TimecodeScale units) set to `seconds`.
    static func webm(_ name: String, seconds: Double) throws -> [UInt8] {
        var bytes = try bytes(name)
        let id: [UInt8] = [0x44, 0x89]
        let at = try #require((0..<(bytes.count - 2)).first { Array(bytes[$0..<($0 + 2)]) == id })
        let size = Int(bytes[at + 2] & 0x7F)
        let ticks = seconds * 1000  // TimecodeScale 1,000,000 ns: milliseconds
        let raw: [UInt8] = size == 8 ? bigEndian(ticks.bitPattern, bytes: 8) : bigEndian(UInt64(Float(ticks).bitPattern), bytes: 4)
        bytes.replaceSubrange((at + 3)..<(at + 3 + size), with: raw)
        return bytes
    }
}

@Suite("Témoignages: what a video file really is")
struct VideoSnifferTests {
    @Test("the demo clips: WebM (VP9) and MP4 (H.264), 6 seconds, moov before or after the media data", arguments: [
        ("soudure-lea.webm", VideoContainer.webm), ("maintenance-ines.webm", .webm),
        ("cuisine-yanis.mp4", .mp4), ("logistique-hugo.mp4", .mp4),
    ])
    func realFiles(name: String, container: VideoContainer) throws {
        let probe = try VideoSniffer.check(try FileByteSource(path: DemoMedia.path(name)))
        #expect(probe.container == container)
        #expect(abs(probe.durationSeconds - 6) < 0.1)
    }

    @Test("moov after mdat is found (the file was not made 'fast start')")
    func moovAtTheEnd() throws {
        let bytes = try DemoMedia.bytes("logistique-hugo.mp4")
        let moov = try #require(DemoMedia.index(of: "moov", in: bytes))
        let mdat = try #require(DemoMedia.index(of: "mdat", in: bytes))
        #expect(moov > mdat)
        #expect(try VideoSniffer.probe(MemoryByteSource(bytes)).container == .mp4)
    }

    @Test("a video over 3 minutes is refused with its duration in French; exactly 3 minutes passes")
    func durationLimit() throws {
        for forged in [try DemoMedia.mp4("cuisine-yanis.mp4", seconds: 181), try DemoMedia.webm("soudure-lea.webm", seconds: 181)] {
            #expect(throws: MediaError.tooLong(seconds: 181, limit: 180)) { try VideoSniffer.check(MemoryByteSource(forged)) }
        }
        #expect(MediaError.tooLong(seconds: 181, limit: 180).message == "Cette vidéo dure 3 min 01 s : la durée maximale est de 3 min.")
        for forged in [try DemoMedia.mp4("logistique-hugo.mp4", seconds: 180), try DemoMedia.webm("maintenance-ines.webm", seconds: 180)] {
            #expect(try VideoSniffer.check(MemoryByteSource(forged)).durationSeconds == 180)
        }
    }

    @Test("files that are not MP4 or WebM are refused, whatever their name")
    func notVideos() throws {
        let png = try DemoMedia.bytes("soudure-lea.png")
        let vtt = try DemoMedia.bytes("soudure-lea.vtt")
        let pdf = Array("%PDF-1.7\n1 0 obj\n".utf8)
        for bytes in [png, vtt, pdf, [UInt8](repeating: 0, count: 4096)] {
            #expect(throws: MediaError.notAVideo) { try VideoSniffer.probe(MemoryByteSource(bytes)) }
        }
        #expect(throws: MediaError.empty) { try VideoSniffer.probe(MemoryByteSource([])) }
    }

    @Test("an ftyp of another kind (HEIC image, QuickTime) is refused by its brand")
    func otherBrands() throws {
        var bytes = try DemoMedia.bytes("cuisine-yanis.mp4")
        let ftypSize = Int(bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) })
        // every brand of the ftyp box becomes "heic"
        for offset in stride(from: 8, to: ftypSize, by: 4) where offset != 12 {
            bytes.replaceSubrange(offset..<(offset + 4), with: Array("heic".utf8))
        }
        #expect(throws: MediaError.unsupportedBrand("heic")) { try VideoSniffer.probe(MemoryByteSource(bytes)) }
    }

    @Test("an EBML file that is Matroska, not WebM, is refused")
    func matroska() throws {
        var bytes = try DemoMedia.bytes("soudure-lea.webm")
        let at = try #require(DemoMedia.index(of: "webm", in: bytes))
        bytes.replaceSubrange(at..<(at + 4), with: Array("mkvx".utf8))
        #expect(throws: MediaError.unsupportedBrand("mkvx")) { try VideoSniffer.probe(MemoryByteSource(bytes)) }
    }

    @Test("truncated and forged headers end with an error, never a crash or a loop")
    func forged() throws {
        let mp4 = try DemoMedia.bytes("cuisine-yanis.mp4")
        let webm = try DemoMedia.bytes("soudure-lea.webm")
        // the head only
        for bytes in [Array(mp4.prefix(40)), Array(webm.prefix(40)), Array(mp4.prefix(12)), Array(webm.prefix(5))] {
            #expect(throws: MediaError.self) { try VideoSniffer.probe(MemoryByteSource(bytes)) }
        }
        // a box declaring more bytes than the file has
        var huge = mp4
        huge.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xF0])
        #expect(throws: MediaError.notAVideo) { try VideoSniffer.probe(MemoryByteSource(huge)) }
        // a box of size 1 whose 64-bit size is 0 (would loop on itself)
        let loop = Array("\u{0}\u{0}\u{0}\u{14}ftypisom\u{0}\u{0}\u{0}\u{0}isom".utf8) + [0, 0, 0, 1] + Array("free".utf8) + [UInt8](repeating: 0, count: 8)
        #expect(throws: MediaError.notAVideo) { try VideoSniffer.probe(MemoryByteSource(loop)) }
        // a WebM whose element sizes are all 0xFF…: unknown size, then nothing
        let ebml: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0xFF] + [UInt8](repeating: 0xFF, count: 64)
        #expect(throws: MediaError.self) { try VideoSniffer.probe(MemoryByteSource(ebml)) }
        // a zero duration is unreadable
        #expect(throws: MediaError.unreadableDuration) { try VideoSniffer.probe(MemoryByteSource(try DemoMedia.mp4("cuisine-yanis.mp4", seconds: 0))) }
        // random bytes after a valid signature, many times
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = Bool.random(using: &generator) ? mp4 : webm
            for _ in 0..<8 { bytes[Int.random(in: 0..<min(bytes.count, 600), using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? VideoSniffer.probe(MemoryByteSource(bytes))
        }
    }

    @Test("an MP4 whose only track is sound is refused: no video track")
    func soundOnly() throws {
        var bytes = try DemoMedia.bytes("cuisine-yanis.mp4")
        let hdlr = try #require(DemoMedia.index(of: "hdlr", in: bytes))
        let handler = hdlr + 4 + 8
        #expect(Array(bytes[handler..<(handler + 4)]) == Array("vide".utf8))
        bytes.replaceSubrange(handler..<(handler + 4), with: Array("soun".utf8))
        #expect(throws: MediaError.noVideoTrack) { try VideoSniffer.probe(MemoryByteSource(bytes)) }
    }
}

@Suite("Témoignages: captions, posters and proofs")
struct CaptionsAndImagesTests {
    @Test("a WebVTT file gives its cues and a transcript without the voice tags")
    func webVTT() throws {
        let captions = try WebVTT(bytes: DemoMedia.bytes("soudure-lea.vtt"))
        #expect(captions.cues.count == 2)
        #expect(captions.cues[0].timing == "00:00:00.000 --> 00:00:03.000")
        #expect(captions.transcript == "Contenu de démonstration : je m'appelle Léa, je prépare un bac pro soudage. J'ai choisi ce métier pour fabriquer des choses qui durent.")
    }

    @Test("a byte order mark, CRLF lines, NOTE blocks and entities are read")
    func variants() throws {
        let text = "\u{FEFF}WEBVTT - sous-titres\r\n\r\nNOTE écrit à la main\r\n\r\n00:01.000 --> 00:02.000\r\nR&amp;D &lt;3\r\n"
        let captions = try WebVTT(bytes: Array(text.utf8))
        #expect(captions.transcript == "R&D <3")
    }

    @Test("what is not WebVTT is refused: no signature, SRT, not UTF-8, no cue, too large, empty")
    func refused() throws {
        #expect(throws: MediaError.notWebVTT) { try WebVTT(bytes: Array("1\n00:00:00,000 --> 00:00:01,000\nBonjour\n".utf8)) }
        #expect(throws: MediaError.notWebVTT) { try WebVTT(bytes: Array("WEBVTTX\n\n00:01.000 --> 00:02.000\nA\n".utf8)) }
        #expect(throws: MediaError.notUTF8) { try WebVTT(bytes: Array("WEBVTT\n\n00:01.000 --> 00:02.000\n".utf8) + [0xE9, 0x0A]) }
        #expect(throws: MediaError.noCue) { try WebVTT(bytes: Array("WEBVTT\n\nNOTE rien\n".utf8)) }
        #expect(throws: MediaError.empty) { try WebVTT(bytes: []) }
        let large = Array("WEBVTT\n\n".utf8) + [UInt8](repeating: 0x41, count: WebVTT.maximumSize)
        #expect(throws: MediaError.tooLarge(bytes: UInt64(large.count), limit: UInt64(WebVTT.maximumSize))) { try WebVTT(bytes: large) }
    }

    @Test("posters: PNG, JPEG and WebP by their signatures; proofs: PDF or those images")
    func images() throws {
        #expect(ImageSniffer.format(try DemoMedia.bytes("soudure-lea.png")) == .png)
        #expect(ImageSniffer.format([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageSniffer.format(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(ImageSniffer.format(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)) == nil)
        #expect(ImageSniffer.format(Array("GIF89a".utf8)) == nil)
        #expect(try ProofSniffer.mimeType(Array("%PDF-1.4".utf8)) == "application/pdf")
        #expect(try ProofSniffer.mimeType([0xFF, 0xD8, 0xFF, 0xDB]) == "image/jpeg")
        #expect(throws: MediaError.notAProof) { try ProofSniffer.mimeType(Array("PK\u{3}\u{4}".utf8)) }
    }
}
