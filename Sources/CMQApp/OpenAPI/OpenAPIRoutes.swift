import Vapor

/// The OpenAPI 3.1 document of the API.
struct OpenAPIRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        doors.api(routes).get(OpenAPIURL.document, use: OpenAPIController().document)
    }
}
