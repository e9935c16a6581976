import Vapor

/// The operations probes, outside `/api` and without authentication: `GET /sante` (liveness: the process
/// answers) and `GET /sante/pret` (readiness, see `Readiness`). Never cached.
struct HealthRoutes: RouteCollection {
    struct Liveness: Content {
        let statut: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sante") { req async throws -> Response in
            try Self.json(Liveness(statut: "ok"), status: .ok)
        }
        routes.get("sante", "pret") { req async throws -> Response in
            let report = await Readiness(app: req.application, db: req.db, logger: req.logger).report(today: req.today)
            return try Self.json(report, status: report.statut == "pret" ? .ok : .serviceUnavailable)
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponseStatus) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(value)))
    }
}
