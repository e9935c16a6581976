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

/// What a map's areas count, in words: "aucun campus", "1 campus", "3 actions".
struct MapNoun: Sendable, Equatable {
    var none: String
    var singular: String
    var plural: String

    static let campus = MapNoun(none: "aucun campus", singular: "campus", plural: "campus")
    static let action = MapNoun(none: "aucune action", singular: "action", plural: "actions")

    func count(_ count: Int) -> String {
        count == 0 ? none : "\(count) \(count == 1 ? singular : plural)"
    }
}

/// What the numbers of a map count: campuses, unless a dashboard colours the areas by an indicator.
struct MapQuantity: Sendable {
    /// The class of zero ("Aucun campus").
    var none: String
    /// A number as the map writes it: "3 campus", "42 %".
    var describe: @Sendable (Int) -> String

    static let campus = MapQuantity.counting(.campus)

    /// The numbers of what `noun` names (the actions' map).
    static func counting(_ noun: MapNoun) -> MapQuantity {
        MapQuantity(none: noun.none.prefix(1).uppercased() + noun.none.dropFirst(), describe: { noun.count($0) })
    }
}

/// Colour classes for a count of campuses (or of what a `MapQuantity` describes): 0, then up to four ranges of equal width up to the maximum.
/// Two consecutive classes differ by a contrast of 3:1 at least (WCAG 1.4.11) or by a pattern: a class whose colour
/// is too close to the plain class before it is hatched, so neighbouring areas of close counts stay distinguishable.
struct ColourScale: Sendable, Equatable {
    struct Step: Sendable, Equatable, Encodable {
        var low: Int
        var high: Int
        var colour: String
        var label: String
        /// Drawn with hatches (in `ink`) over its colour.
        var hatched = false
        var ink = "#000091"
    }

    static let zeroColour = "#eeeeee"
    static let palette = ["#c6d2f5", "#8ba2ec", "#4a68d6", "#000091"]
    /// The hatches' colour on each colour of the palette (dark on the light blues, white on the dark ones).
    static let inks = ["#000091", "#000091", "#ffffff", "#ffffff"]

    let steps: [Step]

    init(maximum: Int, quantity: MapQuantity = .campus) {
        var steps = [Step(low: 0, high: 0, colour: Self.zeroColour, label: quantity.none)]
        let classes = min(4, max(0, maximum))
        for index in 0..<classes {
            let low = 1 + index * maximum / classes
            let high = (index + 1) * maximum / classes
            let label = low == high ? quantity.describe(low) : "De \(low) à \(quantity.describe(high))"
            let shade = index + (4 - classes)
            let previous = steps[steps.count - 1]
            let close = (Contrast.ratio(previous.colour, Self.palette[shade]) ?? 1) < Contrast.graphicMinimum
            steps.append(Step(low: low, high: high, colour: Self.palette[shade], label: label,
                              hatched: close && !previous.hatched, ink: Self.inks[shade]))
        }
        self.steps = steps
    }

    func step(for count: Int) -> Step {
        steps.last { count >= $0.low } ?? steps[0]
    }

    func colour(for count: Int) -> String {
        step(for: count).colour
    }
}

/// One line of the list beside a map: the way in for keyboards and screen readers (the drawing is hidden from them).
struct MapLink: Sendable, Equatable, Encodable {
    var name: String
    var detail: String?
    /// nil when the map names something without a page of its own, or the page being shown.
    var url: String?
}

/// Writes a map as inline SVG, a picture for the eyes (`aria-hidden`, its links out of the tab order): areas
/// coloured (and every other class hatched) by their number of campuses, their names, campus markers and, where
/// there is room, the campuses' names. `areaLinks` and `placeLinks` give the same names and links, in the order
/// of a list, for the list that the templates put beside it. Works without JavaScript.
struct MapRenderer {
    var view: MapView
    var counts: [String: Int]
    var areaURL: (MapShape) -> String?
    /// The name shown for an area (the contours' own spelling unless the territory's is given).
    var areaName: (MapShape) -> String = { $0.name }
    var markers: [MapMarker] = []
    var title: String
    var description: String
    var compact = false
    var quantity: MapQuantity = .campus

    /// Font sizes in SVG units: a compact map is drawn at about a third of a large one's width.
    private var areaFontSize: Double { compact ? 48 : 22 }
    private var placeFontSize: Double { compact ? 40 : 15 }

    func svg() -> String {
        let scale = ColourScale(maximum: counts.values.max() ?? 0, quantity: quantity)
        let id = "carte-" + TextFolding.slug(title).prefix(48)
        var out = "<svg class=\"map\(compact ? " map-compact" : "")\" viewBox=\"0 0 \(Int(view.width)) \(Int(view.height))\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<defs>"
        for (index, step) in scale.steps.enumerated() where step.hatched {
            out += "<pattern id=\"\(id)-motif-\(index)\" width=\"10\" height=\"10\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            out += "<rect width=\"10\" height=\"10\" fill=\"\(step.colour)\"/><rect width=\"3\" height=\"10\" fill=\"\(step.ink)\"/></pattern>"
        }
        out += "</defs>"
        for inset in view.insets {
            out += "<rect class=\"inset\" x=\"\(inset.x)\" y=\"\(inset.y)\" width=\"\(inset.width)\" height=\"\(inset.height)\" rx=\"4\"/>"
        }
        for shape in view.shapes {
            let count = counts[shape.code] ?? 0
            let index = scale.steps.lastIndex { count >= $0.low } ?? 0
            let step = scale.steps[index]
            let fill = step.hatched ? "url(#\(id)-motif-\(index))" : step.colour
            let path = "<path class=\"area\" d=\"\(shape.path)\" fill=\"\(fill)\"/>"
            let name = "\(areaName(shape)) : \(quantity.describe(count))"
            if let url = areaURL(shape) {
                out += "<a class=\"area-link\" href=\"\(escape(url))\" tabindex=\"-1\"><title>\(escape(name))</title>\(path)</a>"
            } else {
                out += "<g><title>\(escape(name))</title>\(path)</g>"
            }
        }
        var placement = LabelPlacement(width: view.width, height: view.height)
        let placed = placedMarkers()
        for marker in placed {
            placement.reserve(PlaneBox(minX: marker.point.x - marker.radius, minY: marker.point.y - marker.radius,
                                       maxX: marker.point.x + marker.radius, maxY: marker.point.y + marker.radius))
        }
        var labels = ""
        for inset in view.insets {
            let name = view.shapes.first { $0.code == inset.code }.map(areaName) ?? inset.name
            let label = placement.placeAreaName(name, at: PlanePoint(x: inset.x + inset.width / 2, y: inset.y + inset.height + 16), fontSize: 15)
            labels += text(label, className: "inset-label", fontSize: 15)
        }
        for shape in view.shapes where !view.insets.contains(where: { $0.code == shape.code }) {
            labels += text(placement.placeAreaName(areaName(shape), at: shape.labelPoint, fontSize: areaFontSize), className: "area-label", fontSize: areaFontSize)
        }
        for marker in placed.sorted(by: { $0.marker.highlighted && !$1.marker.highlighted }) {
            if let label = placement.placeMarkerName(marker.marker.label, at: marker.point, radius: marker.radius, fontSize: placeFontSize) {
                labels += text(label, className: "place-label", fontSize: placeFontSize)
            }
        }
        for marker in placed {
            out += "<a class=\"marker\(marker.marker.highlighted ? " marker-current" : "")\" href=\"\(escape(marker.marker.url))\" tabindex=\"-1\">"
            out += "<title>\(escape(marker.marker.label))</title><circle cx=\"\(format(marker.point.x))\" cy=\"\(format(marker.point.y))\" r=\"\(Int(marker.radius))\"/></a>"
        }
        out += "<g class=\"labels\">\(labels)</g></svg>"
        return out
    }

    func legend() -> [ColourScale.Step] {
        ColourScale(maximum: counts.values.max() ?? 0, quantity: quantity).steps
    }

    /// The map's areas in alphabetical order, with their link and (on a large map) their number of campuses (or of `noun`).
    func areaLinks() -> [MapLink] {
        view.shapes
            .map { MapLink(name: areaName($0), detail: compact ? nil : quantity.describe(counts[$0.code] ?? 0), url: areaURL($0)) }
            .sorted { $0.name.compare($1.name, locale: Locale(identifier: "fr_FR")) == .orderedAscending }
    }

    /// The places marked on the map in alphabetical order; the one the page is about has no link.
    func placeLinks() -> [MapLink] {
        placedMarkers()
            .map { MapLink(name: $0.marker.label, detail: nil, url: $0.marker.highlighted ? nil : $0.marker.url) }
            .sorted { $0.name.compare($1.name, locale: Locale(identifier: "fr_FR")) == .orderedAscending }
    }

    private func placedMarkers() -> [(marker: MapMarker, point: PlanePoint, radius: Double)] {
        markers.compactMap { marker in
            view.point(for: marker.geo, territory: marker.regionCode).map { point in
                (marker, point, marker.highlighted ? (compact ? 18 : 12) : (compact ? 9 : 7))
            }
        }
    }

    private func text(_ label: PlacedLabel, className: String, fontSize: Double) -> String {
        "<text class=\"\(className)\" x=\"\(format(label.x))\" y=\"\(format(label.y))\" font-size=\"\(Int(fontSize))\" text-anchor=\"\(label.anchor.rawValue)\">\(escape(label.text))</text>"
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
