import Foundation

/// The text of a file as publishers write it: UTF-8 with or without a byte-order mark, or Windows-1252 (what
/// Excel and many French public bodies still save, the BCN's tables among them). Anything else is refused with
/// a message that names the encoding to use, never read as something it is not.
public enum TextEncoding: String, Sendable, Equatable {
    case utf8 = "UTF-8"
    case windows1252 = "Windows-1252"

    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The text of `data` and the encoding it was read in.
    public static func decode(_ data: Data) throws(Refusal) -> (text: String, encoding: TextEncoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Refusal(description: "Le fichier est en UTF-16 : enregistrez-le en UTF-8 (ou Windows-1252), par exemple « CSV UTF-8 » dans un tableur.")
        }
        // (A null character is a null byte in both encodings: looked for among the bytes. The text's `contains`,
        // Foundation's search, was most of the time this reading took.)
        if bytes.contains(0) {
            throw Refusal(description: "Le fichier contient des caractères nuls (UTF-16 sans marque, ou fichier binaire) : enregistrez-le en UTF-8.")
        }
        if let text = String(validating: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        // Five bytes have no character in Windows-1252: a file that has them is in another encoding.
        if let position = bytes.firstIndex(where: { undefined.contains($0) }) {
            throw Refusal(description: "Le fichier n'est ni en UTF-8 ni en Windows-1252 (octet 0x\(String(bytes[position], radix: 16, uppercase: true)) à la position \(position + 1)) : enregistrez-le en UTF-8.")
        }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte) {
                scalars.append(Unicode.Scalar(windows1252High[Int(byte - 0x80)])!)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return (String(scalars), .windows1252)
    }

    private static let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// The characters of the bytes 0x80 to 0x9F in Windows-1252 (the other bytes are those of Latin-1).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
