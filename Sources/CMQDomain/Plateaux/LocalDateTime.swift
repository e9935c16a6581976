import Foundation

/// A wall-clock date and time in Europe/Paris, to the minute: "2026-11-23T08:30".
///
/// Bookings are made and shown in the local time of the platforms, so they are stored as such; the
/// instant (`date`) is computed only where one is needed (iCalendar in UTC, the notice before a booking).
/// Comparisons and differences are made on the wall clock: a range that crosses a change of daylight
/// saving time (at 02:00 or 03:00, when no platform is open) counts its wall-clock minutes.
public struct LocalDateTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let day: CalendarDay
    /// Minutes since midnight, 0..<1440.
    public let minuteOfDay: Int

    /// The time zone of every platform.
    public static let timeZone = TimeZone(identifier: "Europe/Paris")!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDateTime.timeZone
        return calendar
    }()

    public init?(day: CalendarDay, hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.day = day
        minuteOfDay = hour * 60 + minute
    }

    /// The moment `time` on `day`; 24:00 is midnight of the next day.
    public init(day: CalendarDay, time: TimeOfDay) {
        self.init(wallClockMinutes: day.daysSinceEpoch * 1440 + time.minutes)
    }

    /// Minutes since 1970-01-01T00:00 on the wall clock (not an instant: no time zone offset applied).
    public init(wallClockMinutes minutes: Int) {
        let days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        day = CalendarDay(daysSinceEpoch: days)
        minuteOfDay = minutes - days * 1440
    }

    public var wallClockMinutes: Int { day.daysSinceEpoch * 1440 + minuteOfDay }

    /// Reads the ISO 8601 local form "2026-11-23T08:30" (no seconds, no offset).
    public init(iso text: String) throws(PlateauError) {
        let parts = text.trimmed.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let day = CalendarDay(iso: String(parts[0])),
              let time = try? TimeOfDay(parsing: String(parts[1])), time < .endOfDay else {
            throw .invalidLocalDateTime(text)
        }
        self.init(day: day, time: time)
    }

    /// The wall-clock time in Paris of an instant.
    public init(date: Date) {
        let parts = LocalDateTime.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        self.init(day: CalendarDay(checkedYear: parts.year!, month: parts.month!, day: parts.day!),
                  time: TimeOfDay(uncheckedMinutes: parts.hour! * 60 + parts.minute!))
    }

    /// "2026-11-23T08:30".
    public var iso: String { "\(day.iso)T\(time.text)" }

    public var description: String { iso }

    public var time: TimeOfDay { TimeOfDay(uncheckedMinutes: minuteOfDay) }

    /// The instant this wall-clock time stands for, by Foundation's rules for Europe/Paris: a time that does
    /// not exist (02:30 on the last Sunday of March) moves forward by the hour skipped; a time that happens
    /// twice (02:30 on the last Sunday of October) is the first one, in summer time.
    public var date: Date {
        LocalDateTime.calendar.date(from: DateComponents(
            year: day.year, month: day.month, day: day.day, hour: minuteOfDay / 60, minute: minuteOfDay % 60
        ))!
    }

    public func adding(minutes: Int) -> LocalDateTime {
        LocalDateTime(wallClockMinutes: wallClockMinutes + minutes)
    }

    public func adding(days: Int) -> LocalDateTime {
        LocalDateTime(day: day.adding(days: days), time: time)
    }

    /// Wall-clock minutes from `self` to `other` (negative when `other` is earlier).
    public func minutes(until other: LocalDateTime) -> Int {
        other.wallClockMinutes - wallClockMinutes
    }

    /// "lundi 23 novembre 2026 à 08:30".
    public var french: String { "\(day.frenchWithWeekday) à \(time.text)" }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        lhs.wallClockMinutes < rhs.wallClockMinutes
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try LocalDateTime(iso: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
