import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: opening hours and closures")
struct PlateauxOpeningHoursTests {
    typealias F = PlateauxFixtures

    @Test("a créneau must lie inside one interval of its day: not across the lunch break, not across midnight")
    func contains() throws {
        let hours = try F.hours()
        #expect(hours.contains(try F.range("2026-11-23", "08:00", "12:00")))
        #expect(hours.contains(try F.range("2026-11-23", "14:00", "18:00")))
        #expect(!hours.contains(try F.range("2026-11-23", "11:00", "14:00")))
        #expect(!hours.contains(try F.range("2026-11-23", "07:30", "09:00")))
        #expect(!hours.contains(try F.range("2026-11-29", "10:00", "11:00")))
        #expect(hours.contains(try F.range("2026-11-28", "07:00", "19:00")))

        let nights = try OpeningHours([.lundi: [DayInterval("20:00", "24:00")], .mardi: [DayInterval("00:00", "06:00")]])
        #expect(nights.contains(try F.range("2026-11-23", "20:00", "24:00")))
        #expect(!nights.contains(try TimeRange(iso: "2026-11-23T22:00", "2026-11-24T02:00")))
    }

    @Test("the stored form is read, touching intervals merged, and written back with every day")
    func codable() throws {
        let json = #"{"lundi":[["13:30","18:00"],["08:00","12:00"]],"mardi":[["08:00","12:00"],["12:00","14:00"]]}"#
        let hours = try JSONDecoder().decode(OpeningHours.self, from: Data(json.utf8))
        #expect(hours.intervals(on: .lundi) == [try DayInterval("08:00", "12:00"), try DayInterval("13:30", "18:00")])
        #expect(hours.intervals(on: .mardi) == [try DayInterval("08:00", "14:00")])
        #expect(hours.intervals(on: .dimanche).isEmpty)
        #expect(hours.describe(.lundi) == "lundi : 08:00–12:00, 13:30–18:00")
        #expect(hours.describe(.dimanche) == "dimanche : fermé")

        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let written = String(decoding: try encoder.encode(hours), as: UTF8.self)
        #expect(written == #"{"dimanche":[],"jeudi":[],"lundi":[["08:00","12:00"],["13:30","18:00"]],"mardi":[["08:00","14:00"]],"mercredi":[],"samedi":[],"vendredi":[]}"#)
        #expect(try JSONDecoder().decode(OpeningHours.self, from: Data(written.utf8)) == hours)
    }

    @Test("bad opening hours are refused with French reasons", arguments: [
        (["lundi": [["08:00", "12:00"], ["11:00", "14:00"]]], "Lundi : les plages 08:00–12:00 et 11:00–14:00 se chevauchent."),
        (["mardi": [["12:00", "08:00"]]], "Mardi : la plage de 12:00 à 08:00 se termine avant de commencer."),
        (["mardi": [["08:00", "08:00"]]], "Mardi : la plage de 08:00 à 08:00 est vide."),
        (["lundii": [["08:00", "12:00"]]], "Jour inconnu « lundii » : les jours sont lundi, mardi, mercredi, jeudi, vendredi, samedi et dimanche."),
        (["jeudi": [["8h", "12:00"]]], "« 8h » n'est pas une heure au format HH:MM (par exemple 08:30)."),
        (["jeudi": [["08:00"]]], "Jeudi : chaque plage s'écrit [début, fin], par exemple [\"08:00\", \"12:00\"]."),
    ])
    func invalid(days: [String: [[String]]], message: String) throws {
        let error = #expect(throws: PlateauError.self) { try OpeningHours(days: days) }
        #expect(error?.message == message)
        // The decoder tells the same reason.
        let data = try JSONEncoder().encode(days)
        do {
            _ = try JSONDecoder().decode(OpeningHours.self, from: data)
            Issue.record("decoded invalid opening hours")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == message)
        }
    }

    @Test("closures cover whole days, inclusive, and say why")
    func closures() throws {
        let christmas = try F.christmas()
        #expect(christmas.contains(F.day("2026-12-22")) && christmas.contains(F.day("2027-01-02")))
        #expect(!christmas.contains(F.day("2026-12-21")) && !christmas.contains(F.day("2027-01-03")))
        #expect(christmas.overlaps(try F.range("2027-01-02", "08:00", "09:00")))
        #expect(!christmas.overlaps(try F.range("2026-12-21", "08:00", "24:00")))
        #expect(christmas.french == "du 22 décembre 2026 au 2 janvier 2027")
        #expect(christmas.explanation == "vacances")

        let holiday = try Closure(from: F.day("2026-11-11"), to: F.day("2026-11-11"), reason: .autre, motif: " jour férié ")
        #expect(holiday.french == "le 11 novembre 2026" && holiday.explanation == "jour férié")
        let works = try Closure(from: F.day("2026-11-16"), to: F.day("2026-11-20"), reason: .maintenance, motif: "révision de la presse")
        #expect(works.explanation == "maintenance : révision de la presse")

        #expect(throws: PlateauError.missingClosureMotif) { try Closure(from: F.day("2026-11-11"), to: F.day("2026-11-11"), reason: .autre, motif: "  ") }
        let reversed = PlateauError.closureNotIncreasing(first: F.day("2026-12-03"), last: F.day("2026-12-01"))
        #expect(throws: reversed) { try Closure(from: F.day("2026-12-03"), to: F.day("2026-12-01"), reason: .maintenance) }
        #expect(reversed.message == "La fermeture se termine (1er décembre 2026) avant de commencer (3 décembre 2026).")

        let json = String(decoding: try JSONEncoder().encode(christmas), as: UTF8.self)
        #expect(json.contains(#""debut":"2026-12-22""#) && json.contains(#""raison":"vacances""#))
        #expect(try JSONDecoder().decode(Closure.self, from: Data(json.utf8)) == christmas)
    }
}
