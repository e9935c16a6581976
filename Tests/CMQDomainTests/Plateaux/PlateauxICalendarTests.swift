import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: iCalendar feeds")
struct PlateauxICalendarTests {
    typealias F = PlateauxFixtures

    /// Every CR is followed by LF and every LF preceded by CR.
    func onlyCRLF(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.indices.allSatisfy { i in
            switch bytes[i] {
            case 0x0D: i + 1 < bytes.count && bytes[i + 1] == 0x0A
            case 0x0A: i > 0 && bytes[i - 1] == 0x0D
            default: true
            }
        }
    }

    /// The physical lines, as bytes.
    func physicalLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                lines.append([])
                i += 2
            } else {
                lines[lines.count - 1].append(bytes[i])
                i += 1
            }
        }
        return lines
    }

    @Test("TEXT values are escaped: backslash, semicolon, comma, line breaks")
    func escaping() {
        #expect(ICalendar.escape(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalendar.escape("ligne 1\nligne 2\r\nligne 3\rfin") == #"ligne 1\nligne 2\nligne 3\nfin"#)
        #expect(ICalendar.escape("tab\tok\u{07}") == "tab\tok")
    }

    @Test("a long French summary is folded at 75 octets without splitting a character, and unfolds back")
    func folding() throws {
        let summary = "Réservation du plateau « Usinage à commande numérique » — Lycée des métiers Condorcet, Saint-Quentin ; "
            + "formation continue des opérateurs régleurs : ébauche, finition, contrôle dimensionnel, sécurité 👩‍🔧 et écoconception"
        let line = "SUMMARY:" + ICalendar.escape(summary)
        let folded = ICalendar.fold(line)
        #expect(line.utf8.count > 150)
        #expect(folded != line)
        let lines = physicalLines(folded)
        #expect(lines.count >= 3)
        for (index, bytes) in lines.enumerated() {
            #expect(bytes.count <= 75)
            #expect(String(bytes: bytes, encoding: .utf8) != nil, "line \(index) splits a character")
            if index > 0 { #expect(bytes.first == 0x20) }
        }
        #expect(ICalendar.unfold(folded) == line)
        // Only accents: two octets each, never cut in half.
        let accents = "DESCRIPTION:" + String(repeating: "é", count: 100)
        for bytes in physicalLines(ICalendar.fold(accents)) {
            #expect(bytes.count <= 75 && String(bytes: bytes, encoding: .utf8) != nil)
        }
        #expect(ICalendar.unfold(ICalendar.fold(accents)) == accents)
        // A short line is left alone.
        #expect(ICalendar.fold("SUMMARY:Réservé") == "SUMMARY:Réservé")
    }

    @Test("the feed of a platform: calendar header, one event per booking in UTC, CRLF everywhere")
    func feed() throws {
        let plateau = try F.plateau()
        var accepted = F.booking(1, try F.range("2026-03-30", "08:30", "12:00"), target: .equipement(F.presse), purpose: .prototypeEntreprise)
        let requested = F.booking(2, try F.range("2026-03-27", "08:30", "10:00"), status: .demandee)
        var refused = F.booking(3, try F.range("2026-03-27", "13:30", "15:00"), status: .demandee)
        try refused.refuse(motif: "Complet")
        let stamp = try F.at("2026-03-01T12:00").date
        let events = [accepted, requested, refused].compactMap { plateau.calendarEvent(for: $0, organisationName: "Lycée Condorcet, Saint-Quentin") }
        #expect(events.count == 2)
        let text = ICalendar.feed(name: "Plateau plasturgie", events: events, stamp: stamp)
        #expect(onlyCRLF(text) && text.hasSuffix("END:VCALENDAR\r\n"))
        let lines = ICalendar.unfold(text).components(separatedBy: "\r\n")
        #expect(Array(lines.prefix(7)) == [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//cmq//plateaux//FR", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:Plateau plasturgie", "X-WR-TIMEZONE:Europe/Paris",
        ])
        let first = Array(lines[7...17])
        #expect(first == [
            "BEGIN:VEVENT",
            "UID:00000000-0000-0000-0000-000000000001@cmq",
            "DTSTAMP:20260301T110000Z",
            "DTSTART:20260330T063000Z",
            "DTEND:20260330T100000Z",
            #"SUMMARY:Presse à injecter — Lycée Condorcet\, Saint-Quentin"#,
            #"DESCRIPTION:Plateau : Plateau plasturgie\nÉquipement : Presse à injecter\nObjet : Prototype d'entreprise\nParticipants : 10\nStatut : Acceptée"#,
            #"LOCATION:Lycée Condorcet\, Saint-Quentin"#,
            "STATUS:CONFIRMED",
            "END:VEVENT",
            "BEGIN:VEVENT",
        ])
        #expect(lines.contains("DTSTART:20260327T073000Z"))
        #expect(lines.contains("STATUS:TENTATIVE"))
        #expect(!text.contains("000000000003@cmq"))

        try accepted.cancel()
        let cancelled = ICalendar.feed(name: "x", events: [plateau.calendarEvent(for: accepted, organisationName: "Lycée")!], stamp: stamp)
        #expect(cancelled.contains("STATUS:CANCELLED\r\n"))
    }

    @Test("the public feed shows what is booked, not who")
    func publicFeed() throws {
        let plateau = try F.plateau()
        let bookings = [
            F.booking(1, try F.range("2026-11-23", "08:00", "10:00"), target: .equipement(F.presse), organisation: F.entreprise),
            F.booking(2, try F.range("2026-11-24", "08:00", "10:00"), plateau: F.id(99)),
        ]
        let text = plateau.publicCalendar(bookings: bookings, stamp: try F.now())
        let lines = ICalendar.unfold(text).components(separatedBy: "\r\n")
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        #expect(lines.contains("SUMMARY:Réservé"))
        #expect(lines.contains("DESCRIPTION:Équipement : Presse à injecter"))
        #expect(!text.contains(F.entreprise.uuidString) && !text.contains("Objet") && !text.contains("Participants"))
    }

    @Test("UTC stamps")
    func utc() {
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 1_795_419_000.9)) == "20261123T073000Z")
    }
}
