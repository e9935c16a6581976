import Foundation

/// A rectangle of the map's plane (SVG units, y downwards).
public struct PlaneBox: Equatable, Sendable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public func intersects(_ other: PlaneBox) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    func inside(width: Double, height: Double) -> Bool {
        minX >= 0 && minY >= 0 && maxX <= width && maxY <= height
    }
}

/// A text label placed on the map: where its text starts and how it is anchored (SVG `text-anchor`).
public struct PlacedLabel: Equatable, Sendable {
    public enum Anchor: String, Sendable { case start, middle, end }
    public let text: String
    public let x: Double
    public let y: Double
    public let anchor: Anchor
    public let box: PlaneBox
}

/// Places the names of a map without letting them cover each other or the markers: the markers first (`reserve`),
/// then the names of areas at (or near) their label point, then each marker's name beside its marker (right, left,
/// above, below: the first free side). A marker's name with no free side is left out of the drawing; the list beside
/// the map names every place anyway.
public struct LabelPlacement: Sendable {
    public let width: Double
    public let height: Double
    /// Average advance of a character, as a share of the font size (bold sans-serif, French names).
    static let characterWidth = 0.58
    /// What is drawn already, and how much covering it costs: a name covering another name is worse than a name
    /// covering a marker.
    private(set) var taken: [(box: PlaneBox, cost: Int)] = []
    static let markerCost = 1
    static let labelCost = 10

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The box a text of `fontSize` units covers when its baseline starts at (x, y) with this anchor.
    public static func box(of text: String, fontSize: Double, x: Double, y: Double, anchor: PlacedLabel.Anchor) -> PlaneBox {
        let length = Double(text.count) * fontSize * characterWidth
        let minX = switch anchor {
        case .start: x
        case .middle: x - length / 2
        case .end: x - length
        }
        return PlaneBox(minX: minX, minY: y - fontSize * 0.8, maxX: minX + length, maxY: y + fontSize * 0.25)
    }

    /// Keeps a drawn thing (a marker) free of labels.
    public mutating func reserve(_ box: PlaneBox) {
        taken.append((box, Self.markerCost))
    }

    /// The cost of drawing a text over this box: the sum of what it covers.
    func cost(of box: PlaneBox) -> Int {
        taken.reduce(0) { $0 + ($1.box.intersects(box) ? $1.cost : 0) }
    }

    /// An area's name centred on its label point or, when that covers a marker or a neighbour's name, moved by up
    /// to three lines up or down and a quarter of its length sideways, wherever it covers least: an area is always named.
    public mutating func placeAreaName(_ text: String, at point: PlanePoint, fontSize: Double) -> PlacedLabel {
        let length = Double(text.count) * fontSize * Self.characterWidth
        var best: (point: PlanePoint, box: PlaneBox, cost: Int)?
        for line in [0.0, -1.2, 1.2, -2.4, 2.4, -3.6, 3.6] {
            for side in [0.0, -0.25, 0.25] {
                let candidate = PlanePoint(x: point.x + side * length, y: point.y + line * fontSize)
                let box = Self.box(of: text, fontSize: fontSize, x: candidate.x, y: candidate.y, anchor: .middle)
                let cost = cost(of: box)
                if cost < (best?.cost ?? .max) { best = (candidate, box, cost) }
                if cost == 0 { break }
            }
            if best?.cost == 0 { break }
        }
        let chosen = best ?? (point, Self.box(of: text, fontSize: fontSize, x: point.x, y: point.y, anchor: .middle), 0)
        taken.append((chosen.box, Self.labelCost))
        return PlacedLabel(text: text, x: chosen.point.x, y: chosen.point.y, anchor: .middle, box: chosen.box)
    }

    /// A marker's name on the first free side of its marker (of radius `radius`), or nil when every side is taken.
    public mutating func placeMarkerName(_ text: String, at point: PlanePoint, radius: Double, fontSize: Double) -> PlacedLabel? {
        let gap = radius + fontSize * 0.3
        let candidates: [(Double, Double, PlacedLabel.Anchor)] = [
            (point.x + gap, point.y + fontSize * 0.3, .start),
            (point.x - gap, point.y + fontSize * 0.3, .end),
            (point.x, point.y - gap, .middle),
            (point.x, point.y + gap + fontSize * 0.8, .middle),
        ]
        for (x, y, anchor) in candidates {
            let box = Self.box(of: text, fontSize: fontSize, x: x, y: y, anchor: anchor)
            guard box.inside(width: width, height: height), cost(of: box) == 0 else { continue }
            taken.append((box, Self.labelCost))
            return PlacedLabel(text: text, x: x, y: y, anchor: anchor, box: box)
        }
        return nil
    }
}
