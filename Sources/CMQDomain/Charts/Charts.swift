import Foundation

/// The chart kit of the dashboards: pure functions from figures to a `Chart` (SVG + table twin).
public enum Charts {
    /// The upper end of a value axis: a little above the largest value (100 for a percentage when nothing is above).
    static func axisMaximum(_ values: [Double], percent: Bool) -> Double {
        let largest = values.filter(\.isFinite).max() ?? 0
        if percent { return max(100, largest) }
        return largest > 0 ? largest * 1.1 : 1
    }

    // MARK: bullet chart

    /// A value against its initial value and its target: a bar for the value, a dashed line for the initial value,
    /// a thick line for the target, each written beside its mark.
    public static func bullet(id: String, title: String, value: Double?, initial: Double?, target: Double?, percent: Bool,
                              format: (Double) -> String, updated: String) -> Chart {
        let width = 420.0, left = 10.0, right = 10.0, trackWidth = width - left - right
        let maximum = axisMaximum([value, initial, target].compactMap { $0 }, percent: percent)
        let x = { (v: Double) in left + trackWidth * min(max(v, 0), maximum) / maximum }
        let valueText = value.map(format) ?? "non renseignée"
        var parts = ["Valeur : \(valueText)"]
        if let initial { parts.append("valeur initiale : \(format(initial))") }
        if let target { parts.append("cible : \(format(target))") }
        let description = parts.joined(separator: " ; ") + "."
        var svg = ChartText.open(id: id, width: width, height: 86, title: title, description: description)
        svg += "<rect x=\"\(ChartText.n(left))\" y=\"22\" width=\"\(ChartText.n(trackWidth))\" height=\"24\" fill=\"\(ChartColours.track)\"/>"
        if let value {
            svg += "<rect class=\"chart-value-bar\" x=\"\(ChartText.n(left))\" y=\"28\" width=\"\(ChartText.n(x(value) - left))\" height=\"12\" fill=\"\(ChartColours.value)\"/>"
        }
        if let initial {
            svg += "<line x1=\"\(ChartText.n(x(initial)))\" x2=\"\(ChartText.n(x(initial)))\" y1=\"16\" y2=\"52\" stroke=\"\(ChartColours.reference)\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
        }
        if let target {
            svg += "<line x1=\"\(ChartText.n(x(target)))\" x2=\"\(ChartText.n(x(target)))\" y1=\"14\" y2=\"54\" stroke=\"\(ChartColours.target)\" stroke-width=\"5\"/>"
        }
        svg += ChartText.text("Valeur : \(valueText)", x: left, y: 12, className: "chart-value", bold: true)
        var legend: [String] = []
        if let initial { legend.append("┆ initiale : \(format(initial))") }
        if let target { legend.append("┃ cible : \(format(target))") }
        if !legend.isEmpty { svg += ChartText.text(legend.joined(separator: "   "), x: left, y: 72) }
        svg += "</svg>"
        let table = ChartTable(caption: title, headers: ["Mesure", "Valeur"],
                               rows: [["Valeur", valueText]] + (initial.map { [["Valeur initiale", format($0)]] } ?? [])
                                   + (target.map { [["Cible", format($0)]] } ?? []))
        return Chart(id: id, title: title, description: description, svg: svg, table: table, updated: updated)
    }

    // MARK: line chart

    /// A value over time (school years): points joined by a line, each value written above its point; a school
    /// year without a value breaks the line. The target, if any, is a dashed horizontal line with its value.
    public static func line(id: String, title: String, points: [(label: String, value: Double?)], target: Double? = nil, percent: Bool,
                            format: (Double) -> String, updated: String) -> Chart {
        let width = 480.0, height = 190.0, left = 16.0, right = 16.0, top = 28.0, bottom = 36.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = axisMaximum(points.compactMap(\.value) + (target.map { [$0] } ?? []), percent: percent)
        let step = points.count > 1 ? plotWidth / Double(points.count - 1) : 0
        let xAt = { (index: Int) in points.count > 1 ? left + step * Double(index) : left + plotWidth / 2 }
        let yAt = { (v: Double) in top + plotHeight * (1 - min(max(v, 0), maximum) / maximum) }
        let written = points.map { "\($0.label) : \($0.value.map(format) ?? "pas de valeur")" }
        let description = "Évolution par année scolaire — " + written.joined(separator: " ; ") + (target.map { " ; cible : \(format($0))" } ?? "") + "."
        var svg = ChartText.open(id: id, width: width, height: height, title: title, description: description)
        svg += "<line x1=\"\(ChartText.n(left))\" x2=\"\(ChartText.n(width - right))\" y1=\"\(ChartText.n(top + plotHeight))\" y2=\"\(ChartText.n(top + plotHeight))\" stroke=\"\(ChartColours.reference)\" stroke-width=\"1\"/>"
        if let target {
            let y = yAt(target)
            svg += "<line x1=\"\(ChartText.n(left))\" x2=\"\(ChartText.n(width - right))\" y1=\"\(ChartText.n(y))\" y2=\"\(ChartText.n(y))\" stroke=\"\(ChartColours.target)\" stroke-width=\"2\" stroke-dasharray=\"8 4\"/>"
            svg += ChartText.text("cible : \(format(target))", x: width - right, y: y - 4, anchor: "end")
        }
        // Runs of consecutive values make the line's segments.
        var run: [String] = []
        var segments: [[String]] = []
        for (index, point) in points.enumerated() {
            if let value = point.value {
                run.append("\(ChartText.n(xAt(index))),\(ChartText.n(yAt(value)))")
            } else if !run.isEmpty {
                segments.append(run)
                run = []
            }
        }
        if !run.isEmpty { segments.append(run) }
        for segment in segments where segment.count > 1 {
            svg += "<polyline points=\"\(segment.joined(separator: " "))\" fill=\"none\" stroke=\"\(ChartColours.value)\" stroke-width=\"2\"/>"
        }
        for (index, point) in points.enumerated() {
            let x = xAt(index)
            let anchor = index == 0 && points.count > 1 ? "start" : (index == points.count - 1 && points.count > 1 ? "end" : "middle")
            svg += ChartText.text(point.label, x: x, y: height - 14, anchor: anchor)
            if let value = point.value {
                let y = yAt(value)
                svg += "<circle cx=\"\(ChartText.n(x))\" cy=\"\(ChartText.n(y))\" r=\"4\" fill=\"\(ChartColours.value)\"/>"
                svg += ChartText.text(format(value), x: x, y: y - 8, anchor: anchor, className: "chart-value", bold: true)
            } else {
                svg += ChartText.text("—", x: x, y: top + plotHeight - 6, anchor: anchor, className: "chart-value")
            }
        }
        svg += "</svg>"
        let table = ChartTable(caption: title, headers: ["Année scolaire", "Valeur"],
                               rows: points.map { [$0.label, $0.value.map(format) ?? "—"] })
        return Chart(id: id, title: title, description: description, svg: svg, table: table, updated: updated)
    }

    // MARK: horizontal bar chart

    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double?
        /// Drawn with a pattern and named "(sélection)" in the table: the bar the reader asked about.
        public var highlighted: Bool
        /// More cells for the table twin, after the value (the headers are given to `bars`).
        public var extra: [String]

        public init(label: String, value: Double?, highlighted: Bool = false, extra: [String] = []) {
            self.label = label
            self.value = value
            self.highlighted = highlighted
            self.extra = extra
        }
    }

    /// Things side by side: one horizontal bar each, in the order given, its value written at its end ("—" without
    /// a value). `labelHeader` names the things in the table twin ("Campus", "Année").
    public static func bars(id: String, title: String, labelHeader: String, valueHeader: String, bars: [Bar], extraHeaders: [String] = [], percent: Bool,
                            format: (Double) -> String, updated: String) -> Chart {
        let width = 640.0, labelWidth = 230.0, row = 26.0, top = 8.0, valueRoom = 80.0
        let height = top * 2 + row * Double(max(bars.count, 1))
        let maximum = axisMaximum(bars.compactMap(\.value), percent: percent)
        let barRoom = width - labelWidth - valueRoom
        let written = bars.map { "\($0.label) : \($0.value.map(format) ?? "pas de valeur")" }
        let description = bars.isEmpty ? "Aucune donnée." : written.joined(separator: " ; ") + "."
        var svg = ChartText.open(id: id, width: width, height: height, title: title, description: description)
        svg += "<defs><pattern id=\"\(id)-motif\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        svg += "<rect width=\"6\" height=\"6\" fill=\"\(ChartColours.value)\"/><rect width=\"2\" height=\"6\" fill=\"#ffffff\"/></pattern></defs>"
        for (index, bar) in bars.enumerated() {
            let y = top + row * Double(index)
            svg += ChartText.text(ChartText.cut(bar.label, 34), x: labelWidth - 8, y: y + 17, anchor: "end", bold: bar.highlighted)
            if let value = bar.value {
                let length = max(barRoom * min(max(value, 0), maximum) / maximum, value > 0 ? 2 : 0)
                let fill = bar.highlighted ? "url(#\(id)-motif)" : ChartColours.value
                svg += "<rect class=\"chart-bar\" x=\"\(ChartText.n(labelWidth))\" y=\"\(ChartText.n(y + 5))\" width=\"\(ChartText.n(length))\" height=\"16\" fill=\"\(fill)\"/>"
                svg += ChartText.text(format(value), x: labelWidth + length + 6, y: y + 17, className: "chart-value", bold: bar.highlighted)
            } else {
                svg += ChartText.text("—", x: labelWidth + 6, y: y + 17, className: "chart-value")
            }
        }
        svg += "<line x1=\"\(ChartText.n(labelWidth))\" x2=\"\(ChartText.n(labelWidth))\" y1=\"\(ChartText.n(top))\" y2=\"\(ChartText.n(height - top))\" stroke=\"\(ChartColours.reference)\" stroke-width=\"1\"/>"
        svg += "</svg>"
        let table = ChartTable(caption: title, headers: [labelHeader, valueHeader] + extraHeaders,
                               rows: bars.map { [$0.label + ($0.highlighted ? " (sélection)" : ""), $0.value.map(format) ?? "—"] + $0.extra })
        return Chart(id: id, title: title, description: description, svg: svg, table: table, updated: updated)
    }

    // MARK: timeline

    public struct Period: Sendable, Equatable {
        public var label: String
        public var start: CalendarDay
        public var end: CalendarDay
        /// Shown with a pattern and the word "Excellence".
        public var excellence: Bool

        public init(label: String, start: CalendarDay, end: CalendarDay, excellence: Bool) {
            self.label = label
            self.start = start
            self.end = end
            self.excellence = excellence
        }
    }

    /// Periods (labels) on a time axis from `from` to `to`, one row each, sorted by their end; a mark for `today`;
    /// each end date written at the end of its bar.
    public static func timeline(id: String, title: String, periods: [Period], from: CalendarDay, to: CalendarDay, today: CalendarDay,
                                updated: String) -> Chart {
        let sorted = periods.sorted { ($0.end, $0.label) < ($1.end, $1.label) }
        let width = 680.0, labelWidth = 230.0, row = 26.0, top = 30.0, endRoom = 120.0
        let height = top + 12 + row * Double(max(sorted.count, 1))
        let span = Double(max(1, from.days(until: to)))
        let axis = width - labelWidth - endRoom
        let xAt = { (day: CalendarDay) in labelWidth + axis * min(max(Double(from.days(until: day)), 0), span) / span }
        let written = sorted.map { "\($0.label)\($0.excellence ? " (Excellence)" : "") : jusqu'au \($0.end.frenchLong)" }
        let description = sorted.isEmpty ? "Aucun label ne se termine dans la période."
            : "Labels se terminant entre le \(from.frenchLong) et le \(to.frenchLong) — " + written.joined(separator: " ; ") + "."
        var svg = ChartText.open(id: id, width: width, height: height, title: title, description: description)
        svg += "<defs><pattern id=\"\(id)-motif\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        svg += "<rect width=\"6\" height=\"6\" fill=\"\(ChartColours.value)\"/><rect width=\"2\" height=\"6\" fill=\"#ffffff\"/></pattern></defs>"
        // Year ticks.
        var year = from.year + 1
        while let day = CalendarDay(year: year, month: 1, day: 1), day <= to {
            let x = xAt(day)
            svg += "<line x1=\"\(ChartText.n(x))\" x2=\"\(ChartText.n(x))\" y1=\"18\" y2=\"\(ChartText.n(height - 4))\" stroke=\"\(ChartColours.track)\" stroke-width=\"1\"/>"
            svg += ChartText.text(String(year), x: x, y: 14, anchor: "middle")
            year += 1
        }
        let now = xAt(today)
        svg += "<line x1=\"\(ChartText.n(now))\" x2=\"\(ChartText.n(now))\" y1=\"18\" y2=\"\(ChartText.n(height - 4))\" stroke=\"\(ChartColours.target)\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
        svg += ChartText.text("aujourd'hui", x: now + 3, y: 26, className: "chart-label")
        for (index, period) in sorted.enumerated() {
            let y = top + row * Double(index)
            svg += ChartText.text(ChartText.cut(period.label, 34), x: labelWidth - 8, y: y + 17, anchor: "end")
            let x1 = xAt(period.start), x2 = xAt(period.end)
            let fill = period.excellence ? "url(#\(id)-motif)" : ChartColours.value
            svg += "<rect class=\"chart-bar\" x=\"\(ChartText.n(x1))\" y=\"\(ChartText.n(y + 5))\" width=\"\(ChartText.n(max(x2 - x1, 2)))\" height=\"16\" fill=\"\(fill)\"/>"
            svg += ChartText.text(period.end.frenchShort + (period.excellence ? " (Excellence)" : ""), x: x2 + 6, y: y + 17, className: "chart-value")
        }
        svg += "</svg>"
        let table = ChartTable(caption: title, headers: ["Campus", "Début", "Fin", "Excellence"],
                               rows: sorted.map { [$0.label, $0.start.frenchShort, $0.end.frenchShort, $0.excellence ? "oui" : "non"] })
        return Chart(id: id, title: title, description: description, svg: svg, table: table, updated: updated)
    }
}

extension CalendarDay {
    /// "31/08/2027".
    public var frenchShort: String { String(format: "%02d/%02d/%04d", day, month, year) }
}
