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
        gestion.post(U.upload, body: .collect(maxSize: Self.maximumUpload), use: pages.upload)

        let api = doors.api(routes)
        let controller = ParcoursAPIController()
        api.get(U.apiFlows(nil), use: controller.flows)
        api.post(U.apiUpload(nil), body: .collect(maxSize: Self.maximumUpload), use: controller.upload)
    }
}
