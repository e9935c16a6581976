import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: wall-clock times and créneaux")
struct PlateauxTimeTests {
    typealias F = PlateauxFixtures

    @Test("local date-times read and write the ISO form, and refuse others in French")
    func localDateTime() throws {
        let moment = try LocalDateTime(iso: "2026-11-23T08:30")
        #expect(moment.day == F.day("2026-11-23"))
        #expect(moment.minuteOfDay == 8 * 60 + 30)
        #expect(moment.iso == "2026-11-23T08:30")
        #expect(moment.french == "lundi 23 novembre 2026 à 08:30")
        for bad in ["2026-11-23 08:30", "2026-11-23T8:30", "2026-11-23T24:00", "2026-02-30T08:00", "2026-11-23T08:30:00", ""] {
            #expect(throws: PlateauError.invalidLocalDateTime(bad)) { try LocalDateTime(iso: bad) }
        }
        #expect(PlateauError.invalidLocalDateTime("2026-11-23 08:30").message
            == "« 2026-11-23 08:30 » n'est pas une date et heure au format AAAA-MM-JJTHH:MM (par exemple 2026-11-23T08:30).")
        #expect(try LocalDateTime(iso: "2026-12-31T23:30").adding(minutes: 45).iso == "2027-01-01T00:15")
        #expect(LocalDateTime(day: F.day("2026-11-23"), time: .endOfDay).iso == "2026-11-24T00:00")
    }

    @Test("times of day read HH:MM up to 24:00")
    func timeOfDay() throws {
        #expect(try TimeOfDay(parsing: "13:30").minutes == 810)
        #expect(try TimeOfDay(parsing: "24:00") == .endOfDay)
        for bad in ["8h", "8:30", "24:01", "12:60", "ab:cd", "12:3"] {
            #expect(throws: PlateauError.invalidTime(bad)) { try TimeOfDay(parsing: bad) }
        }
        #expect(PlateauError.invalidTime("8h").message == "« 8h » n'est pas une heure au format HH:MM (par exemple 08:30).")
    }

    @Test("touching créneaux do not overlap; containing and crossing ones do")
    func overlaps() throws {
        let morning = try F.range("2026-11-23", "08:00", "10:00")
        let next = try F.range("2026-11-23", "10:00", "12:00")
        let inside = try F.range("2026-11-23", "08:30", "09:00")
        let crossing = try F.range("2026-11-23", "09:59", "10:01")
        let otherDay = try F.range("2026-11-24", "08:00", "10:00")
        #expect(!morning.overlaps(next) && !next.overlaps(morning))
        #expect(morning.overlaps(inside) && inside.overlaps(morning))
        #expect(morning.contains(inside) && !inside.contains(morning))
        #expect(morning.overlaps(crossing) && next.overlaps(crossing))
        #expect(!morning.overlaps(otherDay))
        #expect(morning.overlaps(morning))
        #expect(morning.durationMinutes == 120)
    }

    @Test("a créneau ends after it starts")
    func rangeOrder() throws {
        let error = PlateauError.rangeNotIncreasing(start: try F.at("2026-11-23T10:00"), end: try F.at("2026-11-23T08:00"))
        #expect(throws: error) { try TimeRange(iso: "2026-11-23T10:00", "2026-11-23T08:00") }
        #expect(error.message == "La fin du créneau (lundi 23 novembre 2026 à 08:00) doit être après son début (lundi 23 novembre 2026 à 10:00).")
        #expect(throws: PlateauError.self) { try F.range("2026-11-23", "08:00", "08:00") }
    }

    @Test("créneaux are told in French, on one day, to midnight or across days")
    func french() throws {
        #expect(try F.range("2026-11-23", "19:00", "21:00").french == "lundi 23 novembre 2026 de 19:00 à 21:00")
        #expect(try F.range("2026-12-01", "20:00", "24:00").french == "mardi 1er décembre 2026 de 20:00 à 24:00")
        let night = try TimeRange(iso: "2026-11-23T20:00", "2026-11-24T08:00")
        #expect(night.french == "lundi 23 novembre 2026 à 20:00 au mardi 24 novembre 2026 à 08:00")
        #expect(night.days == [F.day("2026-11-23"), F.day("2026-11-24")])
        #expect(try F.range("2026-12-01", "20:00", "24:00").days == [F.day("2026-12-01")])
    }

    @Test("weekdays of the calendar, Monday first")
    func weekdays() {
        #expect(F.day("2026-11-23").weekday == .lundi)
        #expect(F.day("1970-01-01").weekday == .jeudi)
        #expect(F.day("2026-11-29").weekday == .dimanche)
        #expect(F.day("2026-11-29").mondayOfWeek == F.day("2026-11-23"))
        #expect(F.day("2026-11-23").mondayOfWeek == F.day("2026-11-23"))
    }

    @Test("the weeks of the changes of daylight saving time convert to the right UTC instants")
    func daylightSaving() throws {
        // Last Sunday of March 2026: the 29th, 02:00 CET → 03:00 CEST.
        #expect(ICalendar.utc(try F.at("2026-03-27T08:30").date) == "20260327T073000Z")
        #expect(ICalendar.utc(try F.at("2026-03-29T01:30").date) == "20260329T003000Z")
        #expect(ICalendar.utc(try F.at("2026-03-29T03:30").date) == "20260329T013000Z")
        #expect(ICalendar.utc(try F.at("2026-03-30T08:30").date) == "20260330T063000Z")
        // 02:30 does not exist that night: it moves forward to 03:30 CEST.
        #expect(ICalendar.utc(try F.at("2026-03-29T02:30").date) == "20260329T013000Z")
        // Last Sunday of October 2026: the 25th, 03:00 CEST → 02:00 CET.
        #expect(ICalendar.utc(try F.at("2026-10-23T08:30").date) == "20261023T063000Z")
        #expect(ICalendar.utc(try F.at("2026-10-26T08:30").date) == "20261026T073000Z")
        // 02:30 happens twice that night: the first one, in summer time.
        #expect(ICalendar.utc(try F.at("2026-10-25T02:30").date) == "20261025T003000Z")
        // Back from instants to the wall clock.
        #expect(LocalDateTime(date: try F.at("2026-03-30T08:30").date).iso == "2026-03-30T08:30")
        // 00:00 and 01:00 UTC on 25 October are both 02:00 in Paris (summer, then winter time).
        #expect([1_792_886_400, 1_792_890_000].map { LocalDateTime(date: Date(timeIntervalSince1970: $0)).iso } == ["2026-10-25T02:00", "2026-10-25T02:00"])
        // A weekly series keeps 08:30 on the wall clock across the change.
        let series = try WeeklySeries(first: TimeRange(iso: "2026-03-23T08:30", "2026-03-23T10:00"), weeks: 2)
        #expect(series.occurrences.map { ICalendar.utc($0.start.date) } == ["20260323T073000Z", "20260330T063000Z"])
    }

    @Test("créneaux keep their ISO form in JSON and refuse a reversed one")
    func rangeCodable() throws {
        let range = try F.range("2026-11-23", "08:30", "10:00")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(range), as: UTF8.self)
        #expect(json == #"{"debut":"2026-11-23T08:30","fin":"2026-11-23T10:00"}"#)
        #expect(try JSONDecoder().decode(TimeRange.self, from: Data(json.utf8)) == range)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TimeRange.self, from: Data(#"{"debut":"2026-11-23T10:00","fin":"2026-11-23T08:30"}"#.utf8))
        }
    }
}
