import CMQDomain
import Foundation

/// A campus shown as a marker on a map.
struct MapMarker: Sendable {
    var label: String
    var url: String
    var geo: GeoPoint
    var regionCode: String
    var highlighted = false
}

/// Colour classes for a count of campuses: 0, then up to four ranges of equal width up to the maximum.
struct ColourScale: Sendable, Equatable {
    struct Step: Sendable, Equatable, Encodable {
        var low: Int
        var high: Int
        var colour: String
        var label: String
    }

    static let zeroColour = "#eeeeee"
    static let palette = ["#c6d2f5", "#8ba2ec", "#4a68d6", "#000091"]

    let steps: [Step]

    init(maximum: Int) {
        var steps = [Step(low: 0, high: 0, colour: Self.zeroColour, label: "Aucun campus")]
        let classes = min(4, max(0, maximum))
        for index in 0..<classes {
            let low = 1 + index * maximum / classes
            let high = (index + 1) * maximum / classes
            let label = low == high ? (low == 1 ? "1 campus" : "\(low) campus") : "De \(low) à \(high) campus"
            steps.append(Step(low: low, high: high, colour: Self.palette[index + (4 - classes)], label: label))
        }
        self.steps = steps
    }

    func colour(for count: Int) -> String {
        steps.last { count >= $0.low }?.colour ?? Self.zeroColour
    }
}

/// Writes a map as inline SVG: one link per area (coloured by its number of campuses), campus markers,
/// a title and a description for assistive technologies. Works without JavaScript.
struct MapRenderer {
    var view: MapView
    var counts: [String: Int]
    var areaURL: (MapShape) -> String?
    var markers: [MapMarker] = []
    var title: String
    var description: String
    var showLabels = false
    var compact = false

    func svg() -> String {
        let scale = ColourScale(maximum: counts.values.max() ?? 0)
        let id = "carte-" + TextFolding.slug(title).prefix(48)
        var out = "<svg class=\"map\(compact ? " map-compact" : "")\" viewBox=\"0 0 \(Int(view.width)) \(Int(view.height))\" role=\"img\" aria-labelledby=\"\(id)-titre \(id)-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"\(id)-titre\">\(escape(title))</title><desc id=\"\(id)-desc\">\(escape(description))</desc>"
        for inset in view.insets {
            out += "<rect class=\"inset\" x=\"\(inset.x)\" y=\"\(inset.y)\" width=\"\(inset.width)\" height=\"\(inset.height)\" rx=\"4\"/>"
            out += "<text class=\"inset-label\" x=\"\(inset.x + inset.width / 2)\" y=\"\(inset.y + inset.height + 16)\" text-anchor=\"middle\">\(escape(inset.name))</text>"
        }
        for shape in view.shapes {
            let count = counts[shape.code] ?? 0
            let name = "\(shape.name) : \(count) campus"
            let path = "<path class=\"area\" d=\"\(shape.path)\" fill=\"\(scale.colour(for: count))\"/>"
            if let url = areaURL(shape) {
                out += "<a class=\"area-link\" href=\"\(escape(url))\" aria-label=\"\(escape(name))\"><title>\(escape(name))</title>\(path)</a>"
            } else {
                out += "<g><title>\(escape(name))</title>\(path)</g>"
            }
        }
        if showLabels {
            for shape in view.shapes {
                out += "<text class=\"area-label\" x=\"\(format(shape.labelPoint.x))\" y=\"\(format(shape.labelPoint.y))\" text-anchor=\"middle\" aria-hidden=\"true\">\(escape(shape.name))</text>"
            }
        }
        for marker in markers {
            guard let point = view.point(for: marker.geo, territory: marker.regionCode) else { continue }
            let radius = marker.highlighted ? 12 : (compact ? 9 : 7)
            out += "<a class=\"marker\(marker.highlighted ? " marker-current" : "")\" href=\"\(escape(marker.url))\" aria-label=\"Campus \(escape(marker.label))\">"
            out += "<title>Campus \(escape(marker.label))</title><circle cx=\"\(format(point.x))\" cy=\"\(format(point.y))\" r=\"\(radius)\"/></a>"
        }
        out += "</svg>"
        return out
    }

    func legend() -> [ColourScale.Step] {
        ColourScale(maximum: counts.values.max() ?? 0).steps
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
