import CMQDomain
import Fluent
import Foundation
import SQLKit

/// National figures of the registry, counted by the database.
struct RegistryStatistics {
    let db: any Database

    private var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        return sql
    }

    private struct CountRow: Decodable {
        let key: String
        let n: Int
    }

    /// Number of campuses per value of a column of the campus table ("filiere", "region_code", "academie_code"),
    /// optionally for one filière only.
    func campusCounts(by column: String, filiere: Filiere? = nil) async throws -> [String: Int] {
        var query = sql.select()
            .column(SQLIdentifier(column), as: "key")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Campus.schema)
        if let filiere { query = query.where(SQLIdentifier("filiere"), .equal, SQLBind(filiere.slug)) }
        let rows = try await query
            .groupBy(SQLIdentifier(column))
            .all(decoding: CountRow.self)
        return Dictionary(rows.map { ($0.key, $0.n) }, uniquingKeysWith: +)
    }

    func campusTotal() async throws -> Int { try await Campus.query(on: db).count() }

    func organisationTotal() async throws -> Int { try await Organisation.query(on: db).count() }
}

/// Where campuses sit on a map: the coordinates of their établissement support, when known.
struct CampusLocations {
    let db: any Database

    func markers(for campuses: [Campus], highlighted: UUID? = nil) async throws -> [MapMarker] {
        let ids = campuses.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let supports = try await Membership.query(on: db)
            .filter(\.$campus.$id ~~ ids)
            .filter(\.$role == MembershipRole.etablissementSupport)
            .with(\.$organisation)
            .all()
        var locations: [UUID: GeoPoint] = [:]
        for membership in supports {
            if let latitude = membership.organisation.latitude, let longitude = membership.organisation.longitude {
                locations[membership.$campus.id] = GeoPoint(longitude: longitude, latitude: latitude)
            }
        }
        return campuses.compactMap { campus in
            guard let id = campus.id, let geo = locations[id] else { return nil }
            return MapMarker(label: campus.nom, url: RegistryURL.campus(id).path, geo: geo, regionCode: campus.regionCode, highlighted: id == highlighted)
        }
    }
}
