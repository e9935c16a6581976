import CMQDomain
import Foundation
import SQLKit

/// The organisations with coordinates within a distance of a commune, the nearest first: a bounding box cut
/// by the database, the exact distance measured here (the same measure as the in-memory catalogue index).
struct OrganisationsNearby {
    let sql: any SQLDatabase

    private struct Row: Decodable {
        let id: UUID
        let latitude: Double
        let longitude: Double
    }

    func within(_ near: Nearby) async throws -> [(UUID, Double)] {
        let box = near.boundingBox
        let rows = try await sql.select().columns("id", "latitude", "longitude").from("organisations")
            .where("latitude", .greaterThanOrEqual, SQLBind(box.latitudes.lowerBound))
            .where("latitude", .lessThanOrEqual, SQLBind(box.latitudes.upperBound))
            .where("longitude", .greaterThanOrEqual, SQLBind(box.longitudes.lowerBound))
            .where("longitude", .lessThanOrEqual, SQLBind(box.longitudes.upperBound))
            .all(decoding: Row.self)
        return near.select(rows.map { (id: $0.id.uuidString.lowercased(), point: GeoPoint(latitude: $0.latitude, longitude: $0.longitude)) })
            .compactMap { found in UUID(uuidString: found.id).map { ($0, found.distance) } }
    }
}
