import Foundation

/// A feature of a GeoJSON file: its properties as text and its polygons in longitude/latitude.
public struct GeoFeature: Sendable {
    public let properties: [String: String]
    public let polygons: [Polygon<GeoPoint>]

    public init(properties: [String: String], polygons: [Polygon<GeoPoint>]) {
        self.properties = properties
        self.polygons = polygons
    }
}

public enum GeoJSONError: Error, Equatable {
    case notAFeatureCollection
    case unsupportedGeometry(String)
}

/// Reads the Polygon and MultiPolygon features of a GeoJSON FeatureCollection.
public enum GeoJSONReader {
    public static func features(from data: Data) throws -> [GeoFeature] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              root["type"] as? String == "FeatureCollection",
              let features = root["features"] as? [[String: Any]] else { throw GeoJSONError.notAFeatureCollection }
        return try features.map { feature in
            var properties: [String: String] = [:]
            for (key, value) in feature["properties"] as? [String: Any] ?? [:] {
                if let text = value as? String { properties[key] = text } else if let number = value as? NSNumber { properties[key] = number.stringValue }
            }
            guard let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String else {
                throw GeoJSONError.unsupportedGeometry("none")
            }
            let coordinates = geometry["coordinates"]
            switch type {
            case "Polygon":
                return GeoFeature(properties: properties, polygons: [polygon(coordinates)])
            case "MultiPolygon":
                return GeoFeature(properties: properties, polygons: (coordinates as? [Any] ?? []).map(polygon))
            default:
                throw GeoJSONError.unsupportedGeometry(type)
            }
        }
    }

    private static func polygon(_ value: Any?) -> Polygon<GeoPoint> {
        (value as? [Any] ?? []).map { ring in
            (ring as? [Any] ?? []).compactMap { position in
                guard let pair = position as? [Any], pair.count >= 2,
                      let lon = (pair[0] as? NSNumber)?.doubleValue, let lat = (pair[1] as? NSNumber)?.doubleValue else { return nil }
                return GeoPoint(longitude: lon, latitude: lat)
            }
        }
    }
}
