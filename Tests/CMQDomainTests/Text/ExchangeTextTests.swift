@testable import CMQDomain
import Foundation
import Testing

/// Texts as partners write them: LHEO's XHTML subset and field lengths, LHEO's level codes, file encodings and
/// CSV quoting errors.
@Suite("Text: LHEO texts and levels, encodings, CSV errors")
struct ExchangeTextTests {
    // MARK: - LHEO

    @Test("LHEO's XHTML subset becomes plain text: paragraphs, line breaks, list items, entities; no markup is left")
    func plainText() {
        // given: ONISEP's way of writing a description (escaped XHTML once the XML is read)
        let html = "<p><b>Les objectifs :</b><br />Former des managers.</p><ul><li>Gestion de clientèles</li><li>Relation client &amp; négociation</li></ul><p>Stage&nbsp;: 16 semaines &lt;obligatoire&gt;.</p>"
        // when
        let text = LHEOText.plainText(html)
        // then
        #expect(text == "Les objectifs :\nFormer des managers.\n\n- Gestion de clientèles\n- Relation client & négociation\n\nStage : 16 semaines <obligatoire>.")
        #expect(!text.contains("<p>") && !text.contains("<b>"))
        // A plain text with signs that look like markup stays as it is.
        #expect(LHEOText.plainText("Tolérance < 0,1 mm et R&D > 5 %") == "Tolérance < 0,1 mm et R&D > 5 %")
    }

    @Test("a name longer than LHEO's 50 characters is abbreviated, then cut after a whole word with « … »")
    func shortened() {
        // given
        let name = "Lycée professionnel Condorcet - Lycée des métiers de l'industrie"
        // when
        let short = LHEOText.shortened(name, limit: 50)
        // then
        #expect(short.count <= 50)
        #expect(short.hasPrefix("LP Condorcet"))
        #expect(LHEOText.shortened("Lycée Kerneuzec", limit: 50) == "Lycée Kerneuzec")
        let cut = LHEOText.shortened(String(repeating: "mécanique ", count: 12), limit: 50)
        #expect(cut.count <= 50 && cut.hasSuffix("mécanique…"))
        // An address breaks into lines of 50 characters at most, 4 at most.
        let lines = LHEOText.lines(String(repeating: "Zone industrielle du Moulin ", count: 10), limit: 50, count: 4)
        #expect(lines.count == 4 && lines.allSatisfy { $0.count <= 50 && !$0.isEmpty })
    }

    @Test("every level code of LHEO's dictionary is read: the 1969 codes of LHEO 2.2 and the 2019 codes", arguments: [
        (4, 3), (5, 4), (6, 5), (7, 6), (8, 7), (13, 3), (14, 4), (15, 5), (16, 6), (17, 7), (18, 8),
    ])
    func levels(code: Int, level: Int) {
        #expect(LHEOLevel.level(forCode: code)?.number == level)
    }

    @Test("the codes that name no level from 3 to 8 read as no level; cmq writes the 2019 codes")
    func levelsWithout() {
        for code in [0, 1, 2, 3, 11, 12, 9, 19, -1] { #expect(LHEOLevel.level(forCode: code) == nil) }
        #expect(Level.allCases.map(LHEOLevel.code(for:)) == [13, 14, 15, 16, 17, 18])
    }

    // MARK: - Encodings

    @Test("UTF-8 with and without BOM is read as UTF-8")
    func utf8() throws {
        let text = "intitule;lien\nMécanique’s;x\n"
        for data in [Data(text.utf8), Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)] {
            let decoded = try TextEncoding.decode(data)
            #expect(decoded.text == text)
            #expect(decoded.encoding == .utf8)
        }
    }

    @Test("a Windows-1252 file keeps its accents and its typographic apostrophes (0x92 is ’, not a control character)")
    func windows1252() throws {
        // given: « Élève d’un CAP… » in Windows-1252
        let bytes: [UInt8] = [0xC9, 0x6C, 0xE8, 0x76, 0x65, 0x20, 0x64, 0x92, 0x75, 0x6E, 0x20, 0x43, 0x41, 0x50, 0x85, 0x80]
        // when
        let (text, encoding) = try TextEncoding.decode(Data(bytes))
        // then
        #expect(encoding == .windows1252)
        #expect(text == "Élève d’un CAP…€")
    }

    @Test("UTF-16 and bytes that Windows-1252 does not have are refused, naming the encoding to use")
    func refused() {
        for data in [Data([0xFF, 0xFE, 0x41, 0x00]), Data([0x41, 0x00, 0x42, 0x00]), Data([0x41, 0x81, 0xE9])] {
            do {
                _ = try TextEncoding.decode(data)
                Issue.record("\(Array(data)) must be refused")
            } catch {
                #expect(error.description.contains("UTF-8"))
            }
        }
    }

    // MARK: - CSV

    @Test("a CSV that breaks the quoting rules is refused in French, with its line and what was expected", arguments: [
        ("a;b\n1;2\nx;\"ab\"c\n", 3, "« ; » ou une fin de ligne était attendu, pas « c »"),
        ("a;b\n\"1\"C;2\n", 2, "« ; » ou une fin de ligne était attendu, pas « C »"),
        ("a;b\n1;2\n3;\"jamais fermé\n4;5\n", 3, "jamais fermé"),
    ])
    func csvErrors(text: String, line: Int, expected: String) {
        do {
            _ = try DelimitedText(text)
            Issue.record("the text must be refused")
        } catch let error as DelimitedText.ParseError {
            #expect(error.line == line)
            #expect(error.description.hasPrefix("ligne \(line) : "))
            #expect(error.reason.contains(expected), "\(error.reason)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a well-quoted CSV is read as before: quotes doubled, separators and line breaks inside quotes")
    func csvQuoted() throws {
        let table = try DelimitedText("a;b\n\"x;\"\"y\"\"\";\"deux\nlignes\"\n")
        #expect(table.rows == [["x;\"y\"", "deux\nlignes"]])
    }

    @Test("a quote inside a field that is not quoted is a character of the field, as real files (the BCN's) write it")
    func csvLooseQuotes() throws {
        let table = try DelimitedText("a;b;c\nle libellé \"CPES\" pour;x\"\"y;3\n")
        #expect(table.rows == [["le libellé \"CPES\" pour", "x\"y", "3"]])
    }

    @Test("a large text read by slices side by side gives the rows of the whole text: quoted line breaks, quotes, blank lines")
    func csvSlices() throws {
        var lines = ["id;texte;n"]
        for index in 0..<3_000 {
            switch index % 5 {
            case 0: lines.append("\(index);\"sur deux\nlignes ; « \"\"cité\"\" »\";\(index)")
            case 1: lines.append("\(index);le libellé \"\"CPES\"\" pour;\(index)")
            case 2: lines.append("")
            case 3: lines.append("\(index);\"\";")
            default: lines.append("\(index);Électrotechnique, œnologie;\(index)")
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        let whole = try DelimitedText.parse(text, delimiter: ";", slices: 1)
        #expect(whole.rows.count > 2_000)
        for slices in [2, 3, 7, 64] {
            let sliced = try DelimitedText.parse(text, delimiter: ";", slices: slices)
            #expect(sliced.header == whole.header && sliced.rows == whole.rows, "\(slices) slices")
            #expect(DelimitedText.recordBounds(text, slices: slices).count > 3)
        }
        // Through the reader, as files are read (the text is over the slicing size).
        let large = lines[0] + "\n" + Array(repeating: lines.dropFirst().joined(separator: "\n"), count: 4).joined(separator: "\n") + "\n"
        #expect(large.utf8.count > DelimitedText.sliceSize)
        #expect(try DelimitedText(large).rows == DelimitedText.parse(large, delimiter: ";", slices: 1).rows)
    }

    @Test("a text without quotes is read from its bytes exactly as the CSV reader reads it; a character that could change how the reader reads it leaves the text to the reader")
    func csvUnquotedAsTheReader() throws {
        // Random texts of pieces, the risky ones among them: blanks, combining and prepended marks, other line breaks.
        let pieces = ["a", "é", "É", "e\u{301}", ";", "\n", " ", "\t", "Lycée des métiers", "’", "€", "🙂", "x y", ";;", "\n\n", " ;", "\t;",
                      "\u{A0}", "\u{301}", "\u{600}", "\u{200D}", "\u{2028}", "\u{85}", "\r", "\u{B}", "ß", "中", "0440074S", "\u{3000}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var read = 0
        for _ in 0..<4_000 {
            let text = (0..<next(30)).map { _ in pieces[next(pieces.count)] }.joined()
            let reader = try DelimitedText.readByCSVReader(text, delimiter: ";")
            for delimiter: Character in [";"] {
                guard let fast = DelimitedText.unquoted(text, delimiter: delimiter) else { continue }
                read += 1
                #expect(fast.header == reader.header && fast.rows == reader.rows, "\(text.debugDescription)")
            }
        }
        #expect(read > 500)
        // A tab as delimiter is a delimiter, not a blank.
        let tabbed = "a\tb\n\tx\t y\n"
        #expect(DelimitedText.unquoted(tabbed, delimiter: "\t").map { [$0.header] + $0.rows } == [["a", "b"], ["", "x", "y"]])
        #expect(try DelimitedText.readByCSVReader(tabbed, delimiter: "\t").rows == [["", "x", "y"]])
        // Ordinary French lines are read from their bytes; the risky ones by the reader.
        #expect(DelimitedText.unquoted("id;nom\n1; École des métiers ;Électrotechnique\n\n", delimiter: ";")?.rows == [["1", "École des métiers ", "Électrotechnique"], [""]])
        for risky in ["a;b\n\u{A0}x;y\n", "a;\u{301}x\n", "a;b\u{600};y\n", "a\rb\n", "a\u{2028}b\n", "a;\"b\"\n", "a;b\n \u{301}x\n"] {
            #expect(DelimitedText.unquoted(risky, delimiter: ";") == nil, "\(risky.debugDescription)")
        }
    }
}
