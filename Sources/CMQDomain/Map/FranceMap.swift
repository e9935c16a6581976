import Foundation

/// One area drawn on a map (a région académique or an académie), as an SVG path.
public struct MapShape: Sendable, Equatable {
    public let code: String
    public let name: String
    /// SVG path data ("M…L…Z"), already projected and simplified.
    public let path: String
    /// Where to put the area's label or marker, in SVG units.
    public let labelPoint: PlanePoint
}

/// The frame drawn around an overseas territory on the national map.
public struct MapInset: Sendable, Equatable {
    public let code: String
    public let name: String
    public let x: Double, y: Double, width: Double, height: Double
}

/// A map ready to draw: its size in SVG units, its shapes, its insets, and how to place a point on it.
public struct MapView: Sendable {
    public let width: Double
    public let height: Double
    public let shapes: [MapShape]
    public let insets: [MapInset]
    let frames: [String: Frame]

    /// Places a longitude/latitude on the map; `territory` is the code of the overseas région académique the
    /// point belongs to (nil or a mainland code for mainland France). Nil when the map doesn't show it.
    public func point(for geo: GeoPoint, territory: String?) -> PlanePoint? {
        let key = territory.flatMap { frames[$0] != nil ? $0 : nil } ?? FranceMapBuilder.mainland
        guard let frame = frames[key] else { return nil }
        let point = frame.place(geo)
        guard point.x >= 0, point.y >= 0, point.x <= width, point.y <= height else { return nil }
        return point
    }
}

/// Projection then scaling of one territory into a rectangle of the SVG.
struct Frame: Sendable {
    let overseas: Bool
    let referenceLatitude: Double
    let bounds: BoundingBox
    let scale: Double
    let offsetX: Double
    let offsetY: Double

    static func project(_ point: GeoPoint, overseas: Bool, referenceLatitude: Double) -> PlanePoint {
        overseas ? Projection.localEquirectangular(point, referenceLatitude: referenceLatitude) : Projection.lambert93(point)
    }

    /// The frame that fits `bounds` (projected metres) into the rectangle, centred, keeping proportions.
    init(overseas: Bool, referenceLatitude: Double, bounds: BoundingBox, x: Double, y: Double, width: Double, height: Double) {
        self.overseas = overseas
        self.referenceLatitude = referenceLatitude
        self.bounds = bounds
        let scale = min(width / max(bounds.width, 1), height / max(bounds.height, 1))
        self.scale = scale
        offsetX = x + (width - bounds.width * scale) / 2
        offsetY = y + (height - bounds.height * scale) / 2
    }

    func toSVG(_ projected: PlanePoint) -> PlanePoint {
        PlanePoint(x: offsetX + (projected.x - bounds.minX) * scale, y: offsetY + (bounds.maxY - projected.y) * scale)
    }

    func place(_ geo: GeoPoint) -> PlanePoint {
        toSVG(Frame.project(geo, overseas: overseas, referenceLatitude: referenceLatitude))
    }
}

/// Builds the maps of France from the régions académiques and académies contours: the national map
/// (mainland in Lambert-93, the five overseas régions as insets, as official French maps do) and one map
/// per région académique showing its académies. Building projects and simplifies every contour; it is
/// meant to run once, and the views reused for every request.
public struct FranceMapBuilder: Sendable {
    static let mainland = "metropole"
    /// The overseas régions académiques in the order of the insets.
    public static let overseasCodes = ["01", "02", "03", "04", "06"]

    struct Area: Sendable {
        let code: String
        let name: String
        let regionCode: String
        let polygons: [Polygon<GeoPoint>]
    }

    let regions: [Area]
    let academies: [Area]

    /// - Parameters:
    ///   - regions: features with `reg` (INSEE code of the région) and `libgeo` (its name).
    ///   - academies: features with `code_academie`, `name` and `code_region_2016`.
    public init(regions: [GeoFeature], academies: [GeoFeature]) {
        self.regions = regions.compactMap { feature in
            guard let code = feature.properties["reg"] else { return nil }
            return Area(code: code, name: feature.properties["libgeo"] ?? code, regionCode: code, polygons: feature.polygons)
        }
        self.academies = academies.compactMap { feature in
            guard let code = feature.properties["code_academie"], let region = feature.properties["code_region_2016"] else { return nil }
            return Area(code: code, name: feature.properties["name"] ?? code, regionCode: region, polygons: feature.polygons)
        }
    }

    static func isOverseas(_ regionCode: String) -> Bool { overseasCodes.contains(regionCode) }

    /// The national map: 1000 × 1000 SVG units, mainland on the right, overseas insets in a column on the left.
    public func nationalView(tolerance: Double = 0.6) -> MapView {
        let width = 1000.0, height = 1000.0
        let mainlandAreas = regions.filter { !Self.isOverseas($0.code) }
        var frames: [String: Frame] = [:]
        let mainlandFrame = Frame(overseas: false, referenceLatitude: 46.5, bounds: Self.bounds(of: mainlandAreas, overseas: false, referenceLatitude: 0),
                                  x: 190, y: 10, width: 800, height: 980)
        frames[Self.mainland] = mainlandFrame
        var shapes = mainlandAreas.map { Self.shape($0, frame: mainlandFrame, tolerance: tolerance) }

        var insets: [MapInset] = []
        let boxSize = 150.0, gap = 42.0
        for (index, code) in Self.overseasCodes.enumerated() {
            guard let area = regions.first(where: { $0.code == code }) else { continue }
            let latitude = Self.referenceLatitude(of: [area])
            let y = 20 + Double(index) * (boxSize + gap)
            let frame = Frame(overseas: true, referenceLatitude: latitude, bounds: Self.bounds(of: [area], overseas: true, referenceLatitude: latitude),
                              x: 20, y: y, width: boxSize, height: boxSize)
            frames[code] = frame
            shapes.append(Self.shape(area, frame: frame, tolerance: tolerance / 2))
            insets.append(MapInset(code: code, name: area.name, x: 10, y: y - 10, width: boxSize + 20, height: boxSize + 20))
        }
        return MapView(width: width, height: height, shapes: shapes, insets: insets, frames: frames)
    }

    /// The map of one région académique and its académies, 1000 units wide; nil for an unknown région.
    public func regionView(_ regionCode: String, tolerance: Double = 0.6) -> MapView? {
        let areas = academies.filter { $0.regionCode == regionCode }
        guard !areas.isEmpty else { return nil }
        let overseas = Self.isOverseas(regionCode)
        let latitude = Self.referenceLatitude(of: areas)
        let bounds = Self.bounds(of: areas, overseas: overseas, referenceLatitude: latitude)
        let width = 1000.0
        let height = min(1100, max(500, width * bounds.height / max(bounds.width, 1)))
        let frame = Frame(overseas: overseas, referenceLatitude: latitude, bounds: bounds, x: 10, y: 10, width: width - 20, height: height - 20)
        let shapes = areas.map { Self.shape($0, frame: frame, tolerance: tolerance) }.sorted { $0.name < $1.name }
        return MapView(width: width, height: height, shapes: shapes, insets: [], frames: [overseas ? regionCode : Self.mainland: frame])
    }

    static func referenceLatitude(of areas: [Area]) -> Double {
        var total = 0.0, count = 0.0
        for area in areas { for polygon in area.polygons { for point in polygon.first ?? [] { total += point.latitude; count += 1 } } }
        return count > 0 ? total / count : 0
    }

    static func bounds(of areas: [Area], overseas: Bool, referenceLatitude: Double) -> BoundingBox {
        var box = BoundingBox()
        for area in areas {
            for polygon in area.polygons {
                for point in polygon.first ?? [] { box.add(Frame.project(point, overseas: overseas, referenceLatitude: referenceLatitude)) }
            }
        }
        return box
    }

    static func shape(_ area: Area, frame: Frame, tolerance: Double) -> MapShape {
        var path = ""
        var largest = (area: 0.0, box: BoundingBox())
        for polygon in area.polygons {
            for (ringIndex, ring) in polygon.enumerated() {
                let projected = ring.map { frame.toSVG(Frame.project($0, overseas: frame.overseas, referenceLatitude: frame.referenceLatitude)) }
                guard let simplified = Simplification.ring(projected, tolerance: tolerance, minimumArea: ringIndex == 0 ? 0.5 : 2) else { continue }
                path += "M" + simplified.map { "\(format($0.x)) \(format($0.y))" }.joined(separator: "L") + "Z"
                let area = abs(Simplification.signedArea(simplified))
                if ringIndex == 0, area > largest.area {
                    var box = BoundingBox()
                    simplified.forEach { box.add($0) }
                    largest = (area, box)
                }
            }
        }
        return MapShape(code: area.code, name: area.name, path: path, labelPoint: largest.box.isEmpty ? PlanePoint(x: 0, y: 0) : largest.box.center)
    }

    /// One decimal is a tenth of an SVG unit: invisible, and half the size of full precision.
    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
