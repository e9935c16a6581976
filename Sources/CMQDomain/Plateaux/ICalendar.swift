import Foundation

/// iCalendar (RFC 5545) feeds of bookings, for calendar programs to subscribe to.
///
/// Times are written in UTC (`DTSTART:20261123T073000Z`), so the feed needs no VTIMEZONE; TEXT values are
/// escaped (§3.3.11); content lines end with CRLF and are folded at 75 octets without splitting a character (§3.1).
public enum ICalendar {
    public enum EventStatus: String, Sendable, Hashable {
        case confirmed = "CONFIRMED"
        case tentative = "TENTATIVE"
        case cancelled = "CANCELLED"
    }

    public struct Event: Hashable, Sendable {
        /// Unique and stable across feeds: calendar programs update an event by its UID.
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String?
        public var location: String?
        public var status: EventStatus

        public init(uid: String, start: Date, end: Date, summary: String, description: String? = nil, location: String? = nil, status: EventStatus) {
            self.uid = uid
            self.start = start
            self.end = end
            self.summary = summary
            self.description = description
            self.location = location
            self.status = status
        }
    }

    public static let productID = "-//cmq//plateaux//FR"

    /// The whole feed, CRLF line endings. `stamp` is the DTSTAMP of every event: when the feed is made.
    public static func feed(name: String, events: [Event], stamp: Date = Date()) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:\(productID)",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:\(escape(name))",
            "X-WR-TIMEZONE:\(LocalDateTime.timeZone.identifier)",
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(event.uid)",
                "DTSTAMP:\(utc(stamp))",
                "DTSTART:\(utc(event.start))",
                "DTEND:\(utc(event.end))",
                "SUMMARY:\(escape(event.summary))",
            ]
            if let description = event.description { lines.append("DESCRIPTION:\(escape(description))") }
            if let location = event.location, !location.isEmpty { lines.append("LOCATION:\(escape(location))") }
            lines += ["STATUS:\(event.status.rawValue)", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map { fold($0) + "\r\n" }.joined()
    }

    /// A TEXT value: backslash, semicolon and comma escaped, line breaks written `\n`, other control characters dropped.
    public static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\t": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A content line folded so that no line is longer than 75 octets of UTF-8: a CRLF and a space are
    /// inserted before the character that would pass the limit (the space counts in the next line). The
    /// cut falls between characters; only a character longer than 74 octets on its own is cut between
    /// its Unicode scalars.
    public static func fold(_ line: String, limit: Int = 75) -> String {
        var result = ""
        var octets = 0
        func append(_ piece: String) {
            let size = piece.utf8.count
            if octets + size > limit {
                result += "\r\n "
                octets = 1
            }
            result += piece
            octets += size
        }
        for character in line {
            if character.utf8.count < limit {
                append(String(character))
            } else {
                character.unicodeScalars.forEach { append(String($0)) }
            }
        }
        return result
    }

    /// The content lines back from folded text (a CRLF followed by a space or a tab is removed).
    public static func unfold(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
    }

    /// "20261123T073000Z".
    public static func utc(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let day = CalendarDay(daysSinceEpoch: days)
        func pad(_ value: Int, _ width: Int = 2) -> String {
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        return pad(day.year, 4) + pad(day.month) + pad(day.day) + "T" + pad(rest / 3600) + pad(rest % 3600 / 60) + pad(rest % 60) + "Z"
    }
}

extension BookingStatus {
    /// How a booking appears in a calendar: requested ones are tentative, cancelled ones cancelled (so that
    /// subscribed programs remove them), refused ones are left out.
    public var calendarStatus: ICalendar.EventStatus? {
        switch self {
        case .demandee: .tentative
        case .acceptee: .confirmed
        case .annulee: .cancelled
        case .refusee: nil
        }
    }
}

extension Plateau {
    /// The event of a booking for its owner, its booker and the campus team: "Presse à injecter — Lycée Condorcet",
    /// with the purpose, the participants and the details. Nil for a refused booking.
    public func calendarEvent(for booking: Booking, organisationName: String) -> ICalendar.Event? {
        guard let status = booking.status.calendarStatus else { return nil }
        let description = [
            "Plateau : \(nom)",
            booking.target == .plateau ? "Réservation du plateau entier" : "Équipement : \(name(of: booking.target))",
            "Objet : \(booking.purpose.label)",
            "Participants : \(booking.participants)",
            "Statut : \(booking.status.label)",
            booking.details.map { "Détails : \($0)" },
            booking.motif.map { "Motif : \($0)" },
        ].compactMap { $0 }.joined(separator: "\n")
        return ICalendar.Event(uid: booking.calendarUID, start: booking.creneau.start.date, end: booking.creneau.end.date,
                               summary: "\(name(of: booking.target)) — \(organisationName)", description: description,
                               location: adresse, status: status)
    }

    /// The event of a booking for the public: "Réservé", what is booked, nothing about who booked nor why.
    public func publicCalendarEvent(for booking: Booking) -> ICalendar.Event? {
        guard let status = booking.status.calendarStatus else { return nil }
        return ICalendar.Event(uid: booking.calendarUID, start: booking.creneau.start.date, end: booking.creneau.end.date,
                               summary: "Réservé",
                               description: booking.target == .plateau ? "Plateau entier" : "Équipement : \(name(of: booking.target))",
                               location: adresse, status: status)
    }

    /// The public feed of the platform: its requested, accepted and cancelled bookings, anonymous.
    public func publicCalendar(bookings: [Booking], stamp: Date = Date()) -> String {
        ICalendar.feed(name: nom, events: bookings.filter { $0.plateauID == id }.compactMap(publicCalendarEvent(for:)), stamp: stamp)
    }
}

extension Booking {
    /// "3f0c…@cmq".
    public var calendarUID: String { "\(id.uuidString.lowercased())@cmq" }
}
