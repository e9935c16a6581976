import CMQDomain
import Foundation
import Testing

@Suite("Labelling: attachments of a dossier")
struct LabellingAttachmentTests {
    let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)

    /// The start of a ZIP archive whose first entry is stored uncompressed, as ODF requires for "mimetype".
    func zip(firstEntry name: String, content: String, then rest: String = "") -> Data {
        var data = Data([0x50, 0x4B, 0x03, 0x04, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00])
        data.append(Data(repeating: 0, count: 16)) // time, date, CRC, sizes
        data.append(contentsOf: [UInt8(name.utf8.count), 0, 0, 0]) // name length, extra length
        data.append(Data(name.utf8))
        data.append(Data(content.utf8))
        data.append(Data([0x50, 0x4B, 0x03, 0x04]))
        data.append(Data(rest.utf8))
        return data
    }

    var odt: Data { zip(firstEntry: "mimetype", content: "application/vnd.oasis.opendocument.text", then: "content.xml") }
    var docx: Data { zip(firstEntry: "[Content_Types].xml", content: "<Types/>", then: "word/document.xml") }

    @Test("PDF, ODT and DOCX files whose content matches their extension are accepted, in any case of extension")
    func accepted() throws {
        #expect(try AttachmentPolicy.validate(fileName: "Projet.PDF", contents: pdf) == .pdf)
        #expect(try AttachmentPolicy.validate(fileName: "projet.odt", contents: odt) == .odt)
        #expect(try AttachmentPolicy.validate(fileName: "C:\\Dossiers\\conventions.docx", contents: docx) == .docx)
        #expect(AttachmentFormat.docx.mimeType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    }

    @Test("other formats are refused")
    func unsupported() {
        for name in ["projet.doc", "projet.exe", "projet", "projet.pdf.zip", "archive.odt.tar"] {
            #expect(throws: AttachmentError.unsupportedFormat(fileName: name), "\(name)") { try AttachmentPolicy.validate(fileName: name, contents: pdf) }
        }
        #expect(AttachmentError.unsupportedFormat(fileName: "projet.doc").message
            == "Le fichier « projet.doc » n'est pas accepté : seuls les fichiers PDF, ODT et DOCX peuvent être joints au dossier.")
        #expect(throws: AttachmentError.emptyName) { try AttachmentPolicy.validate(fileName: " / ", contents: pdf) }
    }

    @Test("a content that is not what the extension says is refused")
    func sniffing() {
        #expect(throws: AttachmentError.contentMismatch(fileName: "projet.pdf", declared: .pdf)) {
            try AttachmentPolicy.validate(fileName: "projet.pdf", contents: docx)
        }
        #expect(throws: AttachmentError.contentMismatch(fileName: "projet.docx", declared: .docx)) {
            try AttachmentPolicy.validate(fileName: "projet.docx", contents: odt)
        }
        #expect(throws: AttachmentError.contentMismatch(fileName: "projet.odt", declared: .odt)) {
            try AttachmentPolicy.validate(fileName: "projet.odt", contents: docx)
        }
        let template = zip(firstEntry: "mimetype", content: "application/vnd.oasis.opendocument.text-template")
        #expect(throws: AttachmentError.contentMismatch(fileName: "modele.odt", declared: .odt)) {
            try AttachmentPolicy.validate(fileName: "modele.odt", contents: template)
        }
        #expect(throws: AttachmentError.contentMismatch(fileName: "faux.pdf", declared: .pdf)) {
            try AttachmentPolicy.validate(fileName: "faux.pdf", contents: Data("Bonjour".utf8))
        }
        #expect(AttachmentError.contentMismatch(fileName: "projet.pdf", declared: .pdf).message
            == "Le fichier « projet.pdf » porte l'extension .pdf mais son contenu n'est pas un document PDF.")
    }

    @Test("a file is at most 20 Mo and not empty")
    func size() throws {
        #expect(AttachmentPolicy.maximumSize == 20 * 1024 * 1024)
        var big = pdf
        big.append(Data(repeating: 0x20, count: AttachmentPolicy.maximumSize - pdf.count))
        #expect(try AttachmentPolicy.validate(fileName: "gros.pdf", contents: big) == .pdf)
        big.append(0x20)
        #expect(throws: AttachmentError.tooLarge(fileName: "gros.pdf", size: AttachmentPolicy.maximumSize + 1)) {
            try AttachmentPolicy.validate(fileName: "gros.pdf", contents: big)
        }
        #expect(AttachmentError.tooLarge(fileName: "gros.pdf", size: AttachmentPolicy.maximumSize + 1).message
            == "Le fichier « gros.pdf » pèse 20,1 Mo : la taille maximale est de 20 Mo.")
        #expect(throws: AttachmentError.empty(fileName: "vide.pdf")) { try AttachmentPolicy.validate(fileName: "vide.pdf", contents: Data()) }
        #expect(throws: AttachmentError.tooLarge(fileName: "x.pdf", size: 25 * 1024 * 1024)) {
            try AttachmentPolicy.checkSize(25 * 1024 * 1024, fileName: "x.pdf")
        }
    }

    @Test("a stored attachment has its format from its name and a 64-character SHA-256")
    func attachment() throws {
        let digest = String(repeating: "AB", count: 32)
        let attachment = try Attachment(fileName: "projet.pdf", size: 1200, sha256: digest)
        #expect(attachment.format == .pdf)
        #expect(attachment.sha256 == String(repeating: "ab", count: 32))
        #expect(throws: AttachmentError.invalidDigest) { try Attachment(fileName: "projet.pdf", size: 1200, sha256: "abc") }
        #expect(throws: AttachmentError.invalidDigest) { try Attachment(fileName: "projet.pdf", size: 1200, sha256: String(repeating: "g", count: 64)) }
        #expect(AttachmentError.invalidDigest.message == "L'empreinte SHA-256 doit comporter 64 caractères hexadécimaux.")
    }
}
