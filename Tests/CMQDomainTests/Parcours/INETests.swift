import CMQDomain
import Foundation
import Testing

@Suite("INE")
struct INETests {
    @Test("each national format is recognised", arguments: [
        ("1234567890V", INE.Format.bea),     // 1234567890 = 23 × 53676864 + 18 → the 19th letter without I, O, Q: V
        ("0000000001B", .bea),               // 1 mod 23 = 1 → B
        ("0000000023A", .bea),               // 23 mod 23 = 0 → A
        ("123456789AB", .rnie),              // 9 digits, 2 letters
        ("2019A12345K", .sifa),              // 4 digits, A, 5 digits, a letter
        ("ABCDEFGHIJ5", .base36),            // 6 × (10 + 11 + … + 18) + 19 = 6 × 126 + 19 = 775 → 5
        ("01234567895", .base36),            // 6 × (0 + 1 + … + 8) + 9 = 225 → 5
    ])
    func formats(code: String, format: INE.Format) throws {
        let ine = try INE(code)
        #expect(ine.format == format)
        #expect(ine.value == code)
    }

    @Test("blanks and lower case are forgiven")
    func normalised() throws {
        #expect(try INE(" 123456789ab ").value == "123456789AB")
    }

    @Test("check keys computed by hand")
    func keys() {
        #expect(INE.beaCheckLetter(forDigits: "1234567890") == "V")
        #expect(INE.beaCheckLetter(forDigits: "0000000022") == "Z")
        #expect(INE.beaCheckLetter(forDigits: "0000000008") == "J")
        #expect(INE.base36CheckDigit(for: "ABCDEFGHIJ") == "5")
        #expect(INE.base36CheckDigit(for: "ZZZZZZZZZZ") == "5") // 6 × 9 × 35 + 35 = 1925
    }

    @Test("malformed INEs are refused with the reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("1234567890", .format),        // 10 characters
        ("1234567890VV", .format),      // 12 characters
        ("12345678-0V", .format),       // a hyphen
        ("1234567890É", .format),       // an accented letter
        ("1234567890A", .checksum),     // BEA with the wrong letter (V expected)
        ("ABCDEFGHIJ6", .checksum),     // Base 36 with the wrong digit (5 expected)
        ("12AB567890Z", .format),       // letters where no format has them, a final letter
    ])
    func malformed(code: String, reason: IdentifierError.Reason) {
        #expect(throws: IdentifierError.self) { try INE(code) }
        do { _ = try INE(code) } catch { #expect(error.reason == reason) }
    }

    @Test("a refusal never quotes the INE")
    func messagesHideTheValue() {
        do { _ = try INE("1234567890A") } catch { #expect(!error.message.contains("1234567890")) }
    }
}

@Suite("Pseudonymiser")
struct PseudonymiserTests {
    @Test("HMAC-SHA256 of the INE under the key, in hexadecimal")
    func knownValue() throws {
        // given: computed independently with `printf 1234567890V | openssl dgst -sha256 -hmac "$KEY"`
        let key = String(repeating: "k", count: 32)
        let pseudonymiser = try Pseudonymiser(secret: key)
        // when
        let pseudonym = pseudonymiser.pseudonym(try INE("1234567890V"))
        // then
        #expect(pseudonym == "06230e23c7a602be8b5862f133b646d2fa0d34e07fc5350624100befe329654f")
        #expect(pseudonym.count == 64)
    }

    @Test("the same INE gives the same pseudonym; another key another one")
    func keyed() throws {
        let ine = try INE("123456789AB")
        let a = try Pseudonymiser(secret: String(repeating: "a", count: 40))
        let b = try Pseudonymiser(secret: String(repeating: "b", count: 40))
        #expect(a.pseudonym(ine) == a.pseudonym(try INE("123456789ab")))
        #expect(a.pseudonym(ine) != b.pseudonym(ine))
        #expect(!a.pseudonym(ine).contains("123456789"))
    }

    @Test("a short key is refused")
    func shortKey() {
        #expect(throws: Pseudonymiser.KeyError.self) { try Pseudonymiser(secret: "court") }
    }
}
