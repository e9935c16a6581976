import Foundation

/// A point in a plane (projected metres, or SVG units).
public struct PlanePoint: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A longitude/latitude pair in degrees (WGS 84).
public struct GeoPoint: Equatable, Sendable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// A polygon: its outer ring first, then its holes.
public typealias Polygon<P> = [[P]]

public struct BoundingBox: Equatable, Sendable {
    public var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity

    public init() {}

    public mutating func add(_ point: PlanePoint) {
        minX = min(minX, point.x)
        minY = min(minY, point.y)
        maxX = max(maxX, point.x)
        maxY = max(maxY, point.y)
    }

    public mutating func add(_ other: BoundingBox) {
        minX = min(minX, other.minX)
        minY = min(minY, other.minY)
        maxX = max(maxX, other.maxX)
        maxY = max(maxY, other.maxY)
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var isEmpty: Bool { minX > maxX }
    public var center: PlanePoint { PlanePoint(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }
}

/// Douglas–Peucker simplification of an open or closed line: points closer than `tolerance` to the
/// simplified line are dropped.
public enum Simplification {
    public static func douglasPeucker(_ points: [PlanePoint], tolerance: Double) -> [PlanePoint] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack: [(Int, Int)] = [(0, points.count - 1)]
        let squaredTolerance = tolerance * tolerance
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            var farthest = first
            var farthestDistance = -1.0
            for index in (first + 1)..<last {
                let distance = squaredDistance(points[index], toSegment: points[first], points[last])
                if distance > farthestDistance {
                    farthestDistance = distance
                    farthest = index
                }
            }
            if farthestDistance > squaredTolerance {
                keep[farthest] = true
                stack.append((first, farthest))
                stack.append((farthest, last))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }

    static func squaredDistance(_ p: PlanePoint, toSegment a: PlanePoint, _ b: PlanePoint) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        guard lengthSquared > 0 else { return (p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y) }
        let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared))
        let px = a.x + t * dx - p.x, py = a.y + t * dy - p.y
        return px * px + py * py
    }

    /// Simplifies a closed ring; a ring that shrinks below a triangle, or whose area is below `minimumArea`, is dropped.
    public static func ring(_ ring: [PlanePoint], tolerance: Double, minimumArea: Double) -> [PlanePoint]? {
        guard abs(signedArea(ring)) >= minimumArea else { return nil }
        let simplified = douglasPeucker(ring, tolerance: tolerance)
        return simplified.count >= 4 ? simplified : nil
    }

    public static func signedArea(_ ring: [PlanePoint]) -> Double {
        guard ring.count > 2 else { return 0 }
        var sum = 0.0
        for index in 0..<ring.count {
            let a = ring[index], b = ring[(index + 1) % ring.count]
            sum += a.x * b.y - b.x * a.y
        }
        return sum / 2
    }
}
