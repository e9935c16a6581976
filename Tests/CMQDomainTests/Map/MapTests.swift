import CMQDomain
import Foundation
import Testing

@Suite("Map geometry")
struct MapTests {
    @Test("Lambert-93 puts its origin at (700 000, 6 600 000) and Paris where the IGN does")
    func lambert93() {
        let origin = Projection.lambert93(GeoPoint(longitude: 3, latitude: 46.5))
        #expect(abs(origin.x - 700_000) < 0.01 && abs(origin.y - 6_600_000) < 0.01)
        // Paris, Notre-Dame: about (652 200, 6 861 700) in Lambert-93
        let paris = Projection.lambert93(GeoPoint(longitude: 2.3488, latitude: 48.8534))
        #expect(abs(paris.x - 652_200) < 500)
        #expect(abs(paris.y - 6_861_700) < 500)
    }

    @Test("Douglas–Peucker drops points within the tolerance and keeps the corners")
    func simplification() {
        let line = (0...10).map { PlanePoint(x: Double($0), y: $0 == 5 ? 0.05 : 0) }
        #expect(Simplification.douglasPeucker(line, tolerance: 0.1) == [PlanePoint(x: 0, y: 0), PlanePoint(x: 10, y: 0)])
        let corner = [PlanePoint(x: 0, y: 0), PlanePoint(x: 5, y: 0.01), PlanePoint(x: 10, y: 0), PlanePoint(x: 10, y: 10)]
        #expect(Simplification.douglasPeucker(corner, tolerance: 0.1).count == 3)
        let square = [PlanePoint(x: 0, y: 0), PlanePoint(x: 1, y: 0), PlanePoint(x: 1, y: 1), PlanePoint(x: 0, y: 1), PlanePoint(x: 0, y: 0)]
        #expect(abs(Simplification.signedArea(square)) == 1)
        #expect(Simplification.ring(square, tolerance: 0.1, minimumArea: 2) == nil)
    }

    static let geoJSON = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"reg": "32", "libgeo": "Hauts-de-France"},
           "geometry": {"type": "Polygon", "coordinates": [[[1.5, 49.0], [4.2, 49.0], [4.2, 51.1], [1.5, 51.1], [1.5, 49.0]]]}},
          {"type": "Feature", "properties": {"reg": "04", "libgeo": "La Réunion"},
           "geometry": {"type": "MultiPolygon", "coordinates": [[[[55.2, -21.4], [55.8, -21.4], [55.8, -20.9], [55.2, -20.9], [55.2, -21.4]]]]}}
        ]}
        """

    @Test("GeoJSON polygons and multipolygons are read with their properties")
    func geojson() throws {
        let features = try GeoJSONReader.features(from: Data(Self.geoJSON.utf8))
        #expect(features.count == 2)
        #expect(features[0].properties["reg"] == "32")
        #expect(features[1].polygons.count == 1)
        #expect(throws: GeoJSONError.notAFeatureCollection) { try GeoJSONReader.features(from: Data(#"{"type": "Feature"}"#.utf8)) }
    }

    @Test("the national view draws mainland régions and overseas insets, and places points in the right frame")
    func nationalView() throws {
        let builder = FranceMapBuilder(regions: try GeoJSONReader.features(from: Data(Self.geoJSON.utf8)), academies: [])
        let view = builder.nationalView()
        #expect(view.shapes.map(\.code) == ["32", "04"])
        #expect(view.insets.map(\.name) == ["La Réunion"])
        #expect(view.shapes.allSatisfy { $0.path.hasPrefix("M") && $0.path.hasSuffix("Z") })
        // Lille is inside the Hauts-de-France frame, Saint-Denis de La Réunion inside its inset
        let lille = try #require(view.point(for: GeoPoint(longitude: 3.06, latitude: 50.63), territory: "32"))
        #expect(lille.x > 190 && lille.y < 990)
        let saintDenis = try #require(view.point(for: GeoPoint(longitude: 55.45, latitude: -20.88), territory: "04"))
        let inset = try #require(view.insets.first)
        #expect(saintDenis.x >= inset.x && saintDenis.x <= inset.x + inset.width)
        #expect(saintDenis.y >= inset.y && saintDenis.y <= inset.y + inset.height)
    }
}
