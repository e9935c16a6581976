import Foundation

/// A chart drawn by cmq as inline SVG, with its table twin: the same figures in a `<table>` with a caption, right
/// below the drawing, and the date of the figures. The drawing is an image for assistive technologies
/// (`role="img"`, a French `<title>` and `<desc>`); every value is written beside its mark, and marks that differ
/// differ by shape or pattern as well as by colour. No JavaScript.
public struct Chart: Sendable, Equatable {
    /// Unique in its page: letters, digits and hyphens (the ids of the title, the description and the table derive from it).
    public let id: String
    public let title: String
    public let description: String
    public let svg: String
    public let table: ChartTable
    /// "30 novembre 2026": the day the figures were computed or last changed.
    public let updated: String

    public init(id: String, title: String, description: String, svg: String, table: ChartTable, updated: String) {
        self.id = id
        self.title = title
        self.description = description
        self.svg = svg
        self.table = table
        self.updated = updated
    }

    /// The figure, its caption with the update date, and the table twin (folded in a `<details>`).
    public var html: String {
        let e = ChartText.escape
        var out = "<figure class=\"chart\" id=\"graphique-\(id)\">" + svg
        out += "<figcaption>\(e(title)) <span class=\"meta\">— données du \(e(updated))</span></figcaption></figure>"
        out += "<details class=\"chart-table\"><summary>Tableau des données : \(e(title))</summary>"
        out += table.html(id: "tableau-\(id)", label: title)
        out += "</details>"
        return out
    }
}

/// The table twin of a chart: one row per mark, its first cell the row's header.
public struct ChartTable: Sendable, Equatable {
    public let caption: String
    public let headers: [String]
    public let rows: [[String]]

    public init(caption: String, headers: [String], rows: [[String]]) {
        self.caption = caption
        self.headers = headers
        self.rows = rows
    }

    public func html(id: String, label: String) -> String {
        let e = ChartText.escape
        var out = "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Tableau : \(e(label))\">"
        out += "<table class=\"counts chart-twin\" id=\"\(id)\"><caption>\(e(caption))</caption><thead><tr>"
        for (index, header) in headers.enumerated() {
            out += "<th scope=\"col\"\(index > 0 ? " class=\"num\"" : "")>\(e(header))</th>"
        }
        out += "</tr></thead><tbody>"
        if rows.isEmpty {
            out += "<tr><td colspan=\"\(max(1, headers.count))\">Aucune donnée.</td></tr>"
        }
        for row in rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                out += index == 0 ? "<th scope=\"row\">\(e(cell))</th>" : "<td class=\"num\">\(e(cell))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }
}

/// The colours of the charts: each against white at 4.5:1 at least (text) and 3:1 (marks, WCAG 1.4.11).
public enum ChartColours {
    /// Values (bars, lines, points): DSFR blue France, 14.9:1.
    public static let value = "#000091"
    /// The target's mark: dark red, 7.4:1.
    public static let target = "#af040d"
    /// The initial value's mark and the axes: dark grey, 11.4:1.
    public static let reference = "#3a3a3a"
    /// Text: 18:1.
    public static let text = "#161616"
    /// The track behind a bar (decorative, never alone: the values are written).
    public static let track = "#e5e5e5"
}

public enum ChartText {
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A coordinate with one decimal, whatever the locale.
    static func n(_ value: Double) -> String { String(format: "%.1f", value.isFinite ? value : 0) }

    /// A label cut to `length` characters with an ellipsis.
    static func cut(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// The opening of a chart's `<svg>` with its title and description.
    static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        let e = escape
        return "<svg class=\"chart-svg\" role=\"img\" aria-labelledby=\"\(id)-titre \(id)-desc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"\(id)-titre\">\(e(title))</title><desc id=\"\(id)-desc\">\(e(description))</desc>"
    }

    static func text(_ value: String, x: Double, y: Double, anchor: String = "start", className: String = "chart-label", bold: Bool = false) -> String {
        "<text class=\"\(className)\" x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"12\"\(bold ? " font-weight=\"bold\"" : "") fill=\"\(ChartColours.text)\">\(escape(value))</text>"
    }
}
