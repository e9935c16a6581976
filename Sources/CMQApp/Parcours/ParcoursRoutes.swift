import Vapor

/// Pseudonymised pathways: a campus's flows (page and API, masked for the reader's audience), the example file,
/// the yearly upload of a member establishment (back-office form and API).
struct ParcoursRoutes: RouteCollection {
    let doors: RouteDoors

    /// The largest file accepted (50,000 lines of about 60 characters).
    static let maximumUpload: ByteCount = "4mb"

    func boot(routes: any RoutesBuilder) throws {
        typealias U = ParcoursURL
        let pages = ParcoursPagesController()
        doors.web(routes).get(U.flows(nil), use: pages.flows)
        doors.web(routes).get(U.example, use: pages.example)
        let gestion = doors.signedIn(routes)
        gestion.get(U.upload, use: pages.uploadForm)
        // The file is read whole before the CSRF check reads the form's token (a body larger than the first packet
        // would otherwise reach it half read, and the token with it).
        doors.signedIn(routes.grouped(CollectBodyMiddleware(maximum: Self.maximumUpload)))
            .post(U.upload, body: .collect(maxSize: Self.maximumUpload), use: pages.upload)

        let api = doors.api(routes)
        let controller = ParcoursAPIController()
        api.get(U.apiFlows(nil), use: controller.flows)
        api.post(U.apiUpload(nil), body: .collect(maxSize: Self.maximumUpload), use: controller.upload)
    }
}

/// Reads a request's whole body (up to `maximum`, else 413) before the middleware after it, which may read the form.
struct CollectBodyMiddleware: AsyncMiddleware {
    let maximum: ByteCount

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.body.data == nil {
            do { _ = try await request.body.collect(max: maximum.value).get() } catch let error as Abort where error.status == .payloadTooLarge {
                throw AppError.payloadTooLarge("Le fichier dépasse la taille admise (4 Mo).")
            }
        }
        return try await next.respond(to: request)
    }
}
