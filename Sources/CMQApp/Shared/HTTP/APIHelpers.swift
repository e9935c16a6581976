import CMQDomain
import Vapor

extension Request {
    /// The body as a JSON object. A missing, malformed or non-object body is a 400; another media type a 415.
    func jsonObject() throws -> [String: JSONValue] {
        if let contentType = headers.contentType, !(contentType.type == "application" && contentType.subType.hasSuffix("json")) {
            throw Abort(.unsupportedMediaType)
        }
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw AppError.badRequest("Le corps de la requête est vide : un objet JSON est attendu.")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: buffer)
        } catch {
            throw AppError.badRequest("Le corps de la requête n'est pas un JSON valide.")
        }
        guard case .object(let object) = value else {
            throw AppError.badRequest("Le corps de la requête doit être un objet JSON, pas \(value.typeName).")
        }
        return object
    }

    /// A UUID path parameter; anything else names nothing, hence a 404.
    func uuidParameter(_ name: String, notFound: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(canonical: raw) else {
            throw AppError.notFound("\(notFound) n'a l'identifiant « \(parameters.get(name) ?? "") ».")
        }
        return id
    }
}

extension Content {
    /// A 201 Created response with the new resource's address.
    func created(at location: String, for request: Request) async throws -> Response {
        let response = try await encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: location)
        return response
    }
}
