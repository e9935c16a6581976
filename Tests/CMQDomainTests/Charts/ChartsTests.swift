import CMQDomain
import Foundation
import Testing

@Suite("The dashboards' chart kit: SVG with its table twin")
struct ChartsTests {
    static let updated = "30 novembre 2026"
    static let percent = IndicatorUnit.pourcentage.format

    /// Every `<text>` of an SVG, in order.
    static func texts(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text ").dropFirst().compactMap { part in
            part.split(separator: ">", maxSplits: 1).last?.components(separatedBy: "</text").first
        }
    }

    @Test("a bullet chart places the value, the initial value and the target on one scale, writes them, and its table has the same figures")
    func bullet() {
        let chart = Charts.bullet(id: "jauge", title: "Taux de mutualisation", value: 50, initial: 20, target: 80, percent: true,
                                  format: Self.percent, updated: Self.updated)
        // A percentage is drawn on 0–100 over 400 units from x = 10.
        #expect(chart.svg.contains("class=\"chart-value-bar\" x=\"10.0\" y=\"28\" width=\"200.0\""))
        #expect(chart.svg.contains("x1=\"90.0\" x2=\"90.0\"") && chart.svg.contains("stroke-dasharray=\"4 3\""))
        #expect(chart.svg.contains("x1=\"330.0\" x2=\"330.0\"") && chart.svg.contains("stroke-width=\"5\""))
        #expect(chart.svg.hasPrefix("<svg class=\"chart-svg\" role=\"img\" aria-labelledby=\"jauge-titre jauge-desc\""))
        #expect(chart.svg.contains("<title id=\"jauge-titre\">Taux de mutualisation</title>"))
        #expect(chart.description == "Valeur : 50\u{00A0}% ; valeur initiale : 20\u{00A0}% ; cible : 80\u{00A0}%.")
        #expect(Self.texts(chart.svg).contains("Valeur : 50\u{00A0}%"))
        #expect(chart.table.rows == [["Valeur", "50\u{00A0}%"], ["Valeur initiale", "20\u{00A0}%"], ["Cible", "80\u{00A0}%"]])
        // Without a value nor a target: said, not drawn.
        let empty = Charts.bullet(id: "vide", title: "X", value: nil, initial: nil, target: nil, percent: false, format: IndicatorUnit.nombre.format, updated: Self.updated)
        #expect(!empty.svg.contains("chart-value-bar") && empty.table.rows == [["Valeur", "non renseignée"]])
    }

    @Test("a line chart joins the values of consecutive school years, breaks at a missing one, writes each value and the target")
    func line() {
        let chart = Charts.line(id: "evolution", title: "Membres", points: [("2022-2023", 4), ("2023-2024", 6), ("2024-2025", nil), ("2025-2026", 9), ("2026-2027", 11)],
                                target: 12, percent: false, format: IndicatorUnit.nombre.format, updated: Self.updated)
        #expect(chart.svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(chart.svg.components(separatedBy: "<circle").count - 1 == 4)
        let texts = Self.texts(chart.svg)
        for value in ["4", "6", "9", "11", "—", "cible : 12", "2022-2023", "2026-2027"] { #expect(texts.contains(value), "\(value)") }
        #expect(chart.table.headers == ["Année scolaire", "Valeur"])
        #expect(chart.table.rows == [["2022-2023", "4"], ["2023-2024", "6"], ["2024-2025", "—"], ["2025-2026", "9"], ["2026-2027", "11"]])
        #expect(chart.description.contains("2024-2025 : pas de valeur") && chart.description.contains("cible : 12"))
    }

    @Test("a bar chart draws the bars to one scale, marks the selected one by a pattern and in words, and its table twin agrees")
    func bars() {
        let chart = Charts.bars(id: "campus", title: "Membres par campus", labelHeader: "Campus", valueHeader: "Membres",
                                bars: [.init(label: "Alpha", value: 10), .init(label: "Bêta", value: 5, highlighted: true), .init(label: "Gamma", value: nil)],
                                percent: false, format: IndicatorUnit.nombre.format, updated: Self.updated)
        // Largest 10 → axis 11 over 330 units from x = 230.
        #expect(chart.svg.contains("x=\"230.0\" y=\"13.0\" width=\"300.0\" height=\"16\" fill=\"#000091\""))
        #expect(chart.svg.contains("x=\"230.0\" y=\"39.0\" width=\"150.0\" height=\"16\" fill=\"url(#campus-motif)\""))
        #expect(chart.table.headers == ["Campus", "Membres"])
        #expect(chart.table.rows == [["Alpha", "10"], ["Bêta (sélection)", "5"], ["Gamma", "—"]])
        let texts = Self.texts(chart.svg)
        // Every figure of the table is written in the drawing.
        for row in chart.table.rows { #expect(texts.contains(row[1])) }
        #expect(chart.html.contains("<caption>Membres par campus</caption>") && chart.html.contains("données du 30 novembre 2026"))
        #expect(chart.html.contains("<details class=\"chart-table\"><summary>Tableau des données : Membres par campus</summary>"))
    }

    @Test("a timeline sorts the periods by their end, draws today, writes each end date and the Excellence mention")
    func timeline() throws {
        let today = try #require(CalendarDay(iso: "2026-11-30"))
        let chart = Charts.timeline(id: "labels", title: "Labels arrivant à échéance", periods: [
            .init(label: "Gamma", start: CalendarDay(iso: "2022-01-01")!, end: CalendarDay(iso: "2028-06-30")!, excellence: true),
            .init(label: "Alpha", start: CalendarDay(iso: "2023-09-01")!, end: CalendarDay(iso: "2027-03-31")!, excellence: false),
        ], from: today, to: today.adding(months: 24), today: today, updated: Self.updated)
        #expect(chart.table.rows == [["Alpha", "01/09/2023", "31/03/2027", "non"], ["Gamma", "01/01/2022", "30/06/2028", "oui"]])
        let texts = Self.texts(chart.svg)
        #expect(texts.contains("31/03/2027") && texts.contains("30/06/2028 (Excellence)") && texts.contains("aujourd&#39;hui") == false)
        #expect(texts.contains("aujourd'hui") && texts.contains("2027") && texts.contains("2028"))
        #expect(chart.svg.contains("fill=\"url(#labels-motif)\""))
        let empty = Charts.timeline(id: "vide", title: "X", periods: [], from: today, to: today.adding(months: 24), today: today, updated: Self.updated)
        #expect(empty.description == "Aucun label ne se termine dans la période." && empty.html.contains("Aucune donnée."))
    }

    @Test("text is escaped in the drawing and in the table")
    func escaping() {
        let chart = Charts.bars(id: "x", title: "A < B & \"C\"", labelHeader: "Nom", valueHeader: "V", bars: [.init(label: "<script>", value: 1)], percent: false,
                                format: IndicatorUnit.nombre.format, updated: Self.updated)
        #expect(!chart.html.contains("<script>"))
        #expect(chart.html.contains("&lt;script&gt;") && chart.svg.contains("<title id=\"x-titre\">A &lt; B &amp; &quot;C&quot;</title>"))
    }

    @Test("the charts' colours stand out against white: 4.5:1 for text, 3:1 for marks")
    func contrast() throws {
        #expect(try #require(Contrast.ratio(ChartColours.text, "#ffffff")) >= 4.5)
        #expect(try #require(Contrast.ratio(ChartColours.reference, "#ffffff")) >= 4.5)
        #expect(try #require(Contrast.ratio(ChartColours.value, "#ffffff")) >= 3)
        #expect(try #require(Contrast.ratio(ChartColours.target, "#ffffff")) >= 3)
        // The target's mark against the value's bar it may cross.
        #expect(try #require(Contrast.ratio(ChartColours.target, ChartColours.track)) >= 3)
    }
}
