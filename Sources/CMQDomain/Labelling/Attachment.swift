import Foundation

/// The formats a dossier accepts for its attachments.
public enum AttachmentFormat: String, CaseIterable, Codable, Sendable, Hashable {
    case pdf, odt, docx

    public var label: String {
        switch self {
        case .pdf: "PDF"
        case .odt: "ODT"
        case .docx: "DOCX"
        }
    }

    public var mimeType: String {
        switch self {
        case .pdf: "application/pdf"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    }

    /// "pdf".
    public var fileExtension: String { rawValue }
}

/// Why an attachment was refused, in French.
public enum AttachmentError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyName
    case unsupportedFormat(fileName: String)
    case empty(fileName: String)
    case tooLarge(fileName: String, size: Int)
    case contentMismatch(fileName: String, declared: AttachmentFormat)
    case invalidDigest

    public var message: String {
        switch self {
        case .emptyName:
            "Le nom du fichier est vide."
        case .unsupportedFormat(let name):
            "Le fichier « \(name) » n'est pas accepté : seuls les fichiers PDF, ODT et DOCX peuvent être joints au dossier."
        case .empty(let name):
            "Le fichier « \(name) » est vide."
        case .tooLarge(let name, let size):
            "Le fichier « \(name) » pèse \(AttachmentPolicy.megabytes(size)) : la taille maximale est de 20 Mo."
        case .contentMismatch(let name, let declared):
            "Le fichier « \(name) » porte l'extension .\(declared.fileExtension) mais son contenu n'est pas un document \(declared.label)."
        case .invalidDigest:
            "L'empreinte SHA-256 doit comporter 64 caractères hexadécimaux."
        }
    }

    public var description: String { message }
}

/// What an attachment must be: a PDF, ODT or DOCX file of at most 20 Mo whose content matches its extension.
/// The application computes the SHA-256 digest (swift-crypto) once the file is accepted.
public enum AttachmentPolicy {
    /// 20 Mo (20 × 1024 × 1024 bytes).
    public static let maximumSize = 20 * 1024 * 1024

    /// The file name without any directory a browser may send ("C:\\Dossier\\projet.pdf" → "projet.pdf").
    public static func cleanFileName(_ raw: String) throws(AttachmentError) -> String {
        let name = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init)?.trimmed ?? ""
        guard !name.isEmpty else { throw .emptyName }
        return name
    }

    /// The format a file name announces by its extension, in any case.
    public static func format(ofFileName raw: String) throws(AttachmentError) -> AttachmentFormat {
        let name = try cleanFileName(raw)
        guard let dot = name.lastIndex(of: "."), let format = AttachmentFormat(rawValue: name[name.index(after: dot)...].lowercased()) else {
            throw .unsupportedFormat(fileName: name)
        }
        return format
    }

    /// The size alone, to refuse an upload before reading it all.
    public static func checkSize(_ size: Int, fileName: String) throws(AttachmentError) {
        guard size > 0 else { throw .empty(fileName: fileName) }
        guard size <= maximumSize else { throw .tooLarge(fileName: fileName, size: size) }
    }

    /// Checks the extension, the size and that the content is what the extension says.
    public static func validate(fileName raw: String, contents: Data) throws(AttachmentError) -> AttachmentFormat {
        let name = try cleanFileName(raw)
        let format = try format(ofFileName: name)
        try checkSize(contents.count, fileName: name)
        guard matches(contents, format) else { throw .contentMismatch(fileName: name, declared: format) }
        return format
    }

    /// Content sniffing: a PDF starts with "%PDF-"; ODT and DOCX are ZIP archives ("PK\u{3}\u{4}"); an ODT
    /// names its mimetype in its first entry, a DOCX holds "[Content_Types].xml" and a "word/" folder.
    static func matches(_ contents: Data, _ format: AttachmentFormat) -> Bool {
        switch format {
        case .pdf:
            return contents.starts(with: Array("%PDF-".utf8))
        case .odt:
            guard contents.starts(with: zipSignature) else { return false }
            let head = contents.prefix(1024)
            guard let range = head.range(of: Data("application/vnd.oasis.opendocument.text".utf8)) else { return false }
            // "…opendocument.text-template" and "…text-master" are other kinds of documents.
            return range.upperBound >= head.endIndex || head[range.upperBound] != UInt8(ascii: "-")
        case .docx:
            return contents.starts(with: zipSignature)
                && contents.range(of: Data("[Content_Types].xml".utf8)) != nil
                && contents.range(of: Data("word/".utf8)) != nil
        }
    }

    static let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    /// "23,4 Mo", rounded up so that a file just over the limit does not read "20,0 Mo".
    static func megabytes(_ size: Int) -> String {
        let tenths = Int((Double(size) / Double(1024 * 1024) * 10).rounded(.up))
        return "\(tenths / 10),\(tenths % 10) Mo"
    }
}

/// An attachment of a dossier as stored: its name, format, size and SHA-256 digest.
public struct Attachment: Sendable, Hashable, Codable {
    public let fileName: String
    public let format: AttachmentFormat
    public let size: Int
    /// Lower-case hexadecimal, 64 characters.
    public let sha256: String

    /// The name, size and digest of a file the application accepted with `AttachmentPolicy.validate`.
    public init(fileName: String, size: Int, sha256: String) throws(AttachmentError) {
        let name = try AttachmentPolicy.cleanFileName(fileName)
        format = try AttachmentPolicy.format(ofFileName: name)
        try AttachmentPolicy.checkSize(size, fileName: name)
        let digest = sha256.trimmed.lowercased()
        guard digest.count == 64, digest.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else {
            throw .invalidDigest
        }
        self.fileName = name
        self.size = size
        self.sha256 = digest
    }
}
