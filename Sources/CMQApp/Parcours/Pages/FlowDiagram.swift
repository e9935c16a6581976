import Foundation

/// The flow diagram of one transition, drawn by the server as SVG (no script): the places of the school year on
/// the left, those of the next year and the exits on the right, a band per flow (Sankey-like).
///
/// It is drawn **only from published numbers**: a band's thickness is its count when shown; a masked flow is a
/// thin dashed band of fixed thickness, labelled « < 5 » or « secret » in the table twin, so that the drawing
/// never tells more than the table. The picture is hidden from assistive technologies: the table beside it gives
/// the same figures.
enum FlowDiagram {
    static let width = 960.0
    static let nodeWidth = 12.0
    static let leftX = 300.0
    static let rightX = 648.0
    static let gap = 10.0
    static let maskedThickness = 3.0
    static let minimumNode = 4.0

    static func svg(_ table: ParcoursReport.Table, title: String) -> String {
        // Thickness scale: the largest column of published counts fills about 520 px.
        let shownValues = table.links.compactMap(\.count.valeur)
        let leftSum = Double(table.rows.indices.reduce(0) { sum, r in sum + table.links.filter { $0.row == r }.compactMap(\.count.valeur).reduce(0, +) })
        let rightSum = Double(table.columns.indices.reduce(0) { sum, c in sum + table.links.filter { $0.column == c }.compactMap(\.count.valeur).reduce(0, +) })
        let scale = shownValues.isEmpty ? 1 : 520 / max(leftSum, rightSum, 1)
        func thickness(_ link: (row: Int, column: Int, count: ShownCount)) -> Double {
            link.count.valeur.map { max(Double($0) * scale, 1) } ?? maskedThickness
        }
        let leftHeights = table.rows.indices.map { r in max(table.links.filter { $0.row == r }.map(thickness).reduce(0, +), minimumNode) }
        let rightHeights = table.columns.indices.map { c in max(table.links.filter { $0.column == c }.map(thickness).reduce(0, +), minimumNode) }
        let leftTops = tops(leftHeights), rightTops = tops(rightHeights)
        let height = max((leftTops.last ?? 0) + (leftHeights.last ?? 0), (rightTops.last ?? 0) + (rightHeights.last ?? 0)) + 24
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-diagram\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" width=\"100%\" aria-hidden=\"true\" focusable=\"false\">"
        out += "<title>\(escape(title))</title>"
        var leftOffset = leftTops, rightOffset = rightTops
        let exitStart = table.columns.count - table.exitColumns
        for link in table.links.sorted(by: { ($0.row, $0.column) < ($1.row, $1.column) }) {
            let t = thickness(link)
            let y0 = leftOffset[link.row] + t / 2, y1 = rightOffset[link.column] + t / 2
            leftOffset[link.row] += t
            rightOffset[link.column] += t
            let x0 = leftX + nodeWidth, x1 = rightX, mid = (x0 + x1) / 2
            let colour = link.column >= exitStart ? "#c9191e" : "#000091"
            let dash = link.count.masque ? " stroke-dasharray=\"4 3\"" : ""
            out += "<path d=\"M\(f(x0)) \(f(y0)) C\(f(mid)) \(f(y0)) \(f(mid)) \(f(y1)) \(f(x1)) \(f(y1))\" fill=\"none\" stroke=\"\(colour)\" stroke-opacity=\"0.35\" stroke-width=\"\(f(t))\"\(dash)/>"
        }
        for (r, row) in table.rows.enumerated() {
            out += "<rect x=\"\(f(leftX))\" y=\"\(f(leftTops[r]))\" width=\"\(f(nodeWidth))\" height=\"\(f(leftHeights[r]))\" fill=\"#000091\"/>"
            out += "<text x=\"\(f(leftX - 6))\" y=\"\(f(leftTops[r] + leftHeights[r] / 2 + 4))\" text-anchor=\"end\" font-size=\"11\">\(escape(short(row.place.label))) · \(escape(row.total.texte))</text>"
        }
        for (c, column) in table.columns.enumerated() {
            let colour = c >= exitStart ? "#c9191e" : "#000091"
            out += "<rect x=\"\(f(rightX))\" y=\"\(f(rightTops[c]))\" width=\"\(f(nodeWidth))\" height=\"\(f(rightHeights[c]))\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(f(rightX + nodeWidth + 6))\" y=\"\(f(rightTops[c] + rightHeights[c] / 2 + 4))\" font-size=\"11\">\(escape(short(column.label))) · \(escape(table.columnTotals[c].texte))</text>"
        }
        out += "<text x=\"\(f(leftX + nodeWidth / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">\(table.from)</text>"
        out += "<text x=\"\(f(rightX + nodeWidth / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">\(table.to)</text>"
        return out + "</svg>"
    }

    static func tops(_ heights: [Double]) -> [Double] {
        var y = 8.0
        return heights.map { h in defer { y += h + gap }; return y }
    }

    static func short(_ label: String) -> String { label.count > 48 ? String(label.prefix(47)) + "…" : label }
    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
