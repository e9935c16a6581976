import CMQDomain
import Foundation
import Testing

@Suite("Indicators: school years, the catalogue, targets")
struct IndicatorTests {
    @Test("a school year runs from 1 September to 31 August and reads as AAAA-AAAA")
    func schoolYear() throws {
        let year = try #require(SchoolYear("2025-2026"))
        #expect(year.description == "2025-2026")
        #expect(year.firstDay == CalendarDay(year: 2025, month: 9, day: 1))
        #expect(year.lastDay == CalendarDay(year: 2026, month: 8, day: 31))
        #expect(SchoolYear(containing: CalendarDay(year: 2026, month: 8, day: 31)!) == year)
        #expect(SchoolYear(containing: CalendarDay(year: 2026, month: 9, day: 1)!) == year.next)
        #expect(SchoolYear(containing: CalendarDay(year: 2025, month: 9, day: 1)!) == year)
        #expect(SchoolYear("2025/2026") == year)
        for bad in ["2025-2027", "2025", "25-26", "2025-2024", "abcd-efgh", "1999-2000", "2025-2026-2027", "２０２５-２０２６"] {
            #expect(SchoolYear(bad) == nil, "\(bad)")
        }
        #expect(year.previous < year && year < year.next)
    }

    @Test("the shipped catalogue loads: codes unique, every family of the report has indicators, computations match their units")
    func shipped() {
        let catalog = IndicatorCatalog.shipped
        #expect(catalog.indicators.count >= 15)
        #expect(Set(catalog.indicators.map(\.code)).count == catalog.indicators.count)
        for case .computed(let computation) in catalog.indicators.map(\.source) {
            #expect(catalog.indicators.contains { $0.source == .computed(computation) && $0.unit == computation.unit })
        }
        // Every computation cmq knows is offered by the catalogue.
        let offered = Set(catalog.indicators.compactMap { if case .computed(let c) = $0.source { c } else { nil } })
        #expect(offered == Set(IndicatorComputation.allCases))
        #expect(catalog.indicator(code: "GOU-04")?.isPublic == false)
        #expect(catalog.indicator(code: "GOU-02")?.isEntered == true)
        #expect(catalog.indicator(code: "INT-01")?.source == .computed(.mobilitesSortantes))
    }

    @Test("a catalogue file is refused with every problem, each with its indicator; nothing of it is kept")
    func refusals() throws {
        let file = """
        { "indicateurs": [
          { "code": "ok-1", "libelle": "L", "definition": "D", "unite": "nombre", "famille": "reseau", "source": "saisi", "sens": "hausse", "public": true },
          { "code": "X-1", "libelle": "", "definition": "D", "unite": "litres", "famille": "sport", "source": "calcule", "calcul": "membres", "sens": "haut" },
          { "code": "X-2", "libelle": "L", "definition": "D", "unite": "pourcentage", "famille": "reseau", "source": "calcule", "calcul": "membres", "sens": "hausse", "public": true },
          { "code": "X-3", "libelle": "L", "definition": "D", "unite": "nombre", "famille": "reseau", "source": "saisi", "calcul": "membres", "sens": "hausse", "public": true },
          { "code": "X-3", "libelle": "L", "definition": "D", "unite": "nombre", "famille": "reseau", "source": "calcule", "calcul": "meteo", "sens": "hausse", "public": true }
        ] }
        """
        do {
            _ = try IndicatorCatalog.decode(Data(file.utf8))
            Issue.record("accepted")
        } catch {
            let problems = error.problems
            #expect(problems.count == 5)
            #expect(problems[0].contains("« ok-1 »") && problems[0].contains("lettres majuscules"))
            #expect(problems[1].contains("« X-1 »") && problems[1].contains("libellé manquant") && problems[1].contains("unité « litres » inconnue")
                    && problems[1].contains("famille « sport » inconnue") && problems[1].contains("sens « haut » inconnu") && problems[1].contains("« public » manquant"))
            #expect(problems[2].contains("donne des nombre, pas des pourcentage"))
            #expect(problems[3].contains("un indicateur saisi n'a pas de « calcul »"))
            #expect(problems[4].contains("en double") && problems[4].contains("calcul « meteo » inconnu"))
        }
        #expect(throws: IndicatorCatalogError.self) { try IndicatorCatalog.decode(Data("[1,2]".utf8)) }
        #expect(throws: IndicatorCatalogError.self) { try IndicatorCatalog.decode(Data(#"{"indicateurs": []}"#.utf8)) }
        // A loaded file may not take a shipped code.
        let extra = try IndicatorCatalog.decode(Data("""
        { "indicateurs": [ { "code": "RES-01", "libelle": "L", "definition": "D", "unite": "nombre", "famille": "reseau", "source": "saisi", "sens": "hausse", "public": true } ] }
        """.utf8))
        #expect(throws: IndicatorCatalogError.self) { try IndicatorCatalog.shipped.adding(extra) }
    }

    @Test("a target's progress: the share of the way from the initial value to the target, bounded, by direction")
    func targets() {
        let deadline = CalendarDay(year: 2029, month: 8, day: 31)!
        let up = IndicatorTarget(initial: 20, target: 40, deadline: deadline)
        #expect(up.progress(30, direction: .hausse) == 0.5)
        #expect(up.progress(45, direction: .hausse) == 1)
        #expect(up.progress(10, direction: .hausse) == 0)
        #expect(up.progress(30, direction: .neutre) == nil)
        #expect(up.isConsistent(with: .hausse) && !up.isConsistent(with: .baisse))
        let down = IndicatorTarget(initial: 6, target: 2, deadline: deadline)
        #expect(down.progress(5, direction: .baisse) == 0.25)
        #expect(down.progress(1, direction: .baisse) == 1)
        #expect(IndicatorTarget(initial: 5, target: 5, deadline: deadline).progress(5, direction: .hausse) == nil)
    }

    @Test("values are written the French way, with their unit")
    func format() {
        #expect(IndicatorUnit.nombre.format(1250) == "1\u{00A0}250")
        #expect(IndicatorUnit.pourcentage.format(42.54) == "42,5\u{00A0}%")
        #expect(IndicatorUnit.heures.format(12) == "12\u{00A0}h")
        #expect(IndicatorUnit.pourcentage.bounds == 0...100)
    }
}
