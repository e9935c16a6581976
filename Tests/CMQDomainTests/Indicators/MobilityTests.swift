import CMQDomain
import Testing

@Suite("International mobilities: lines by direction, public and country")
struct MobilityTests {
    @Test("countries are named in French; France and its overseas territories are not abroad")
    func countries() {
        #expect(MobilityCountries.name("DE") == "Allemagne")
        #expect(MobilityCountries.name("ES") == "Espagne")
        #expect(MobilityCountries.name("FR") == nil && MobilityCountries.name("RE") == nil && MobilityCountries.name("NC") == nil)
        #expect(MobilityCountries.name("EU") == nil && MobilityCountries.name("ZZ") == nil && MobilityCountries.name("de") == nil)
        #expect(MobilityCountries.all.count > 190)
        #expect(MobilityCountries.all.first?.name == "Afghanistan")
    }

    @Test("a line is refused for an unknown or French country, a number out of 1…100,000, or the same key twice; totals by direction")
    func rules() {
        let good = [MobilityLine(direction: .sortante, audience: .apprenti, country: "DE", count: 3),
                    MobilityLine(direction: .sortante, audience: .scolaire, country: "DE", count: 2),
                    MobilityLine(direction: .entrante, audience: .apprenti, country: "DE", count: 1)]
        #expect(MobilityRules.faults(good).isEmpty)
        #expect(MobilityRules.totals(good) == [.sortante: 5, .entrante: 1])
        let bad = good + [MobilityLine(direction: .sortante, audience: .apprenti, country: "DE", count: 1),
                          MobilityLine(direction: .sortante, audience: .personnel, country: "FR", count: 1),
                          MobilityLine(direction: .sortante, audience: .personnel, country: "XX", count: 0)]
        let faults = MobilityRules.faults(bad)
        #expect(faults.map(\.index) == [4, 5, 6, 6])
        #expect(faults[1].message.contains("n'est pas internationale"))
        let many = (0..<501).map { MobilityLine(direction: .sortante, audience: .apprenti, country: "DE", count: $0 + 1) }
        #expect(MobilityRules.faults(many).first?.index == 0)
    }
}
