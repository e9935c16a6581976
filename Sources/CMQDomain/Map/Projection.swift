import Foundation

/// The projections cmq draws France with.
public enum Projection {
    /// Lambert-93 (EPSG:2154), the official conformal conic projection of mainland France (GRS 80 ellipsoid).
    /// Returns metres: east (x) and north (y).
    public static func lambert93(_ point: GeoPoint) -> PlanePoint {
        let a = 6_378_137.0
        let e = 0.081_819_191_042_815_8
        let lat1 = 44.0 * .pi / 180, lat2 = 49.0 * .pi / 180, lat0 = 46.5 * .pi / 180, lon0 = 3.0 * .pi / 180
        let x0 = 700_000.0, y0 = 6_600_000.0

        func m(_ phi: Double) -> Double { cos(phi) / sqrt(1 - e * e * sin(phi) * sin(phi)) }
        func t(_ phi: Double) -> Double {
            tan(.pi / 4 - phi / 2) / pow((1 - e * sin(phi)) / (1 + e * sin(phi)), e / 2)
        }
        let n = (log(m(lat1)) - log(m(lat2))) / (log(t(lat1)) - log(t(lat2)))
        let f = m(lat1) / (n * pow(t(lat1), n))
        let rho0 = a * f * pow(t(lat0), n)

        let phi = point.latitude * .pi / 180, lambda = point.longitude * .pi / 180
        let rho = a * f * pow(t(phi), n)
        let theta = n * (lambda - lon0)
        return PlanePoint(x: x0 + rho * sin(theta), y: y0 + rho0 - rho * cos(theta))
    }

    /// A local equirectangular projection for a small territory (the overseas insets), in metres.
    public static func localEquirectangular(_ point: GeoPoint, referenceLatitude: Double) -> PlanePoint {
        let metresPerDegree = 111_320.0
        return PlanePoint(x: point.longitude * metresPerDegree * cos(referenceLatitude * .pi / 180),
                          y: point.latitude * metresPerDegree)
    }
}
