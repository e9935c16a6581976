import CMQDomain
import Foundation
import Testing

@Suite("UAI")
struct UAITests {
    @Test("real UAIs of the DEPP and annuaire files are accepted", arguments: [
        "0010001W", // Lycée professionnel Alexandre Bérard, Ambérieu-en-Bugey
        "0020079A", // Lycée professionnel Condorcet, Saint-Quentin
        "0622801H", // Lycée professionnel Jean Bertin, Bruay-la-Buissière
        "0572022N", // Lycée polyvalent Félix Mayer, Creutzwald
        "0350122T", // École primaire publique les Lucioles, Baulon
        "9740001H", // Lycée général et technologique Leconte de Lisle, La Réunion
    ])
    func acceptsReal(code: String) throws {
        // when
        let uai = try UAI(code)
        // then
        #expect(uai.value == code)
    }

    @Test("the check letter is the number modulo 23 in the alphabet without I, O and Q")
    func checkLetter() {
        #expect(UAI.checkLetter(forDigits: "0010001") == "W")
        #expect(UAI.checkLetter(forDigits: "0000000") == "A")
        #expect(UAI.checkLetter(forDigits: "0000022") == "Z")
        #expect(UAI.checkLetter(forDigits: "0000008") == "J")
    }

    @Test("blanks and lower case are forgiven")
    func normalises() throws {
        #expect(try UAI(" 0010001w ").value == "0010001W")
    }

    @Test("a wrong check letter is refused and the right one named")
    func wrongLetter() {
        #expect(throws: IdentifierError(.checksum, "La lettre de contrôle de l'UAI « 0010001A » est incorrecte : pour 0010001, la lettre attendue est W.")) {
            try UAI("0010001A")
        }
    }

    @Test("a wrong shape is refused with a French message", arguments: ["001001W", "00100011W", "A010001W", "00100011", "0010001-"])
    func wrongShape(code: String) {
        do {
            _ = try UAI(code)
            Issue.record("\(code) should be refused")
        } catch {
            #expect(error.reason == .format)
            #expect(error.message.contains("7 chiffres suivis d'une lettre"))
        }
    }

    @Test("an empty UAI is refused")
    func empty() {
        #expect(throws: IdentifierError.self) { try UAI("  ") }
    }

    @Test("the département comes from the first three digits", arguments: [
        ("0020079A", "02"), ("0622801H", "62"), ("9740001Z", "974"), ("6200002G", "2A"), ("7200009X", "2B"),
    ])
    func departement(code: String, expected: String) throws {
        let digits = String(code.prefix(7))
        let uai = try UAI(digits + String(UAI.checkLetter(forDigits: digits)))
        #expect(uai.departementCode == expected)
    }
}

@Suite("SIRET")
struct SIRETTests {
    @Test("real SIRETs of the annuaire are accepted", arguments: [
        "21350016800025", // commune de Baulon (annuaire de l'éducation)
        "77778441400016", // Lycée professionnel Abbé Pierre, Tinténiac
        "19350053500011", // a public establishment of Ille-et-Vilaine (annuaire)
    ])
    func acceptsReal(code: String) throws {
        #expect(try SIRET(code).value == code)
    }

    @Test("spaces are allowed when typing")
    func spaces() throws {
        #expect(try SIRET("213 500 168 00025").value == "21350016800025")
    }

    @Test("a wrong Luhn key is refused")
    func luhn() {
        do {
            _ = try SIRET("21350016800026")
            Issue.record("should be refused")
        } catch {
            #expect(error.reason == .checksum)
            #expect(error.message.contains("Luhn"))
        }
    }

    @Test("A La Poste SIRET is valid when either the digit-sum rule or Luhn holds, as the official validators say")
    func laPoste() throws {
        // given: 35600000000001 fails Luhn but its digits sum to 15; the head office 35600000000048 passes Luhn but
        // sums to 26; 35600000000013 passes neither
        // then
        #expect(try SIRET("35600000000001").value == "35600000000001")
        #expect(try SIRET("35600000000048").value == "35600000000048")
        do {
            _ = try SIRET("35600000000013")
            Issue.record("a La Poste SIRET that passes neither rule must be refused")
        } catch {
            #expect(error.reason == .checksum)
            #expect(error.message.contains("La Poste"))
        }
    }

    @Test("wrong lengths and letters are refused", arguments: ["2135001680002", "213500168000251", "2135001680002A"])
    func shape(code: String) {
        do {
            _ = try SIRET(code)
            Issue.record("\(code) should be refused")
        } catch {
            #expect(error.reason == .format)
        }
    }
}

@Suite("RNCP and CFD")
struct CertificationCodeTests {
    @Test func rncp() throws {
        #expect(try RNCP("RNCP35190").value == "RNCP35190")
        #expect(try RNCP("rncp 35190").value == "RNCP35190")
        #expect(throws: IdentifierError.self) { try RNCP("35190") }
        #expect(throws: IdentifierError.self) { try RNCP("RNCP") }
        #expect(throws: IdentifierError.self) { try RNCP("RNCP35A90") }
        #expect(try RNCP(lenient: "35190").value == "RNCP35190")
    }

    @Test func cfd() throws {
        #expect(try CFD("40025214").value == "40025214")
        #expect(try CFD("5002511a").value == "5002511A")
        #expect(throws: IdentifierError.self) { try CFD("4002521") }
        #expect(throws: IdentifierError.self) { try CFD("400-2521") }
    }
}

@Suite("Telephone numbers")
struct PhoneNumberTests {
    @Test("French numbers are written the French way, whatever their spelling; international ones keep their digits")
    func accepted() throws {
        for text in ["03 23 62 12 34", "0323621234", "03.23.62.12.34", "+33 3 23 62 12 34", "0033323621234", "03-23-62-12-34"] {
            #expect(try PhoneNumber(text).value == "03 23 62 12 34", "\(text)")
        }
        #expect(try PhoneNumber("03 23 62 12 34").telURI == "tel:+33323621234")
        #expect(try PhoneNumber("+32 2 555 12 34").value == "+3225551234")
    }

    @Test("anything else is refused in French")
    func refused() {
        for text in ["", "12", "00 23 62 12 34", "03 23 62 12 3", "téléphone", "+33 3 23 62 12 34 56 78 90 12"] {
            #expect(throws: IdentifierError.self, "\(text)") { try PhoneNumber(text) }
        }
    }
}

@Suite("UUID text")
struct UUIDTextTests {
    @Test("canonical identifiers read as Foundation reads them, in either case")
    func canonical() {
        for _ in 0..<2_000 {
            let id = UUID()
            #expect(UUID(canonical: id.uuidString) == id)
            #expect(UUID(canonical: id.uuidString.lowercased()) == id)
            #expect(UUID(canonical: id.uuidString.lowercased()) == UUID(uuidString: id.uuidString.lowercased()))
        }
        let mixed = "0000513b-48D5-498b-AC3F-089511d257f9"
        #expect(UUID(canonical: mixed) == UUID(uuidString: mixed))
        #expect(UUID(canonical: "00000000-0000-0000-0000-000000000000") == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(UUID(canonical: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")?.uuidString == "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")
    }

    @Test("identifiers are written as Foundation writes them, in either case")
    func written() {
        for _ in 0..<2_000 {
            let id = UUID()
            #expect(id.text() == id.uuidString)
            #expect(id.text(lowercase: true) == id.uuidString.lowercased())
        }
        for id in [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), UUID(canonical: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!,
                   UUID(canonical: "0000513b-48D5-498b-AC3F-089511d257f9")!] {
            #expect(id.text() == id.uuidString && UUID(canonical: id.text(lowercase: true)) == id)
        }
    }

    @Test("anything but the canonical form is refused", arguments: [
        "", "0000513B-48D5-498B-AC3F-089511D257F", "0000513B-48D5-498B-AC3F-089511D257F90",
        "0000513B48D5-498B-AC3F-089511D257F9-", "0000513B-48D5-498B-AC3F_089511D257F9", "0000513G-48D5-498B-AC3F-089511D257F9",
        " 000513B-48D5-498B-AC3F-089511D257F9", "+000513B-48D5-498B-AC3F-089511D257F9", "{0000513B-48D5-498B-AC3F-089511D257F9}",
        "0000513B-48D5-498B-AC3F-089511D257F9 ", "0000513B-48D5-498B-AC3F-089511D257É", "0000513b48d5498bac3f089511d257f9",
    ])
    func refused(text: String) {
        #expect(UUID(canonical: text) == nil)
    }
}
