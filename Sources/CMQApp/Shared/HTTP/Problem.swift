import Vapor

/// A field at fault in a request, with what is wrong in French.
public struct FieldError: Error, Sendable, Equatable, Codable {
    public let field: String
    public let detail: String

    public init(_ field: String, _ detail: String) {
        self.field = field
        self.detail = detail
    }
}

/// The errors of cmq's services. Each maps to one HTTP status and a French explanation.
public enum AppError: Error, Sendable, Equatable {
    /// 422: the input is well-formed but some fields are wrong; every one is listed.
    case validation([FieldError])
    /// 404: the thing asked for does not exist.
    case notFound(String)
    /// 409: the request conflicts with what exists (a UAI already taken, a member already there…).
    case conflict(String)
    /// 400: the body cannot be read at all.
    case badRequest(String)
    /// 401: nobody is signed in, and the action needs an account.
    case unauthorized(String)
    /// 403: the signed-in account may not do this.
    case forbidden(String)
    /// 429: too many attempts.
    case tooManyRequests(String)
    /// 413: the body is larger than this route accepts.
    case payloadTooLarge(String)
    /// 414: the address asked for is longer than cmq reads.
    case uriTooLong(String)

    public var status: HTTPResponseStatus {
        switch self {
        case .validation: .unprocessableEntity
        case .notFound: .notFound
        case .conflict: .conflict
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .tooManyRequests: .tooManyRequests
        case .payloadTooLarge: .payloadTooLarge
        case .uriTooLong: .uriTooLong
        }
    }

    public var detail: String {
        switch self {
        case .validation(let errors):
            errors.count == 1
                ? "La requête contient une erreur : \(errors[0].detail)"
                : "La requête contient \(errors.count) erreurs ; chacune est indiquée dans « errors »."
        case .notFound(let detail), .conflict(let detail), .badRequest(let detail), .unauthorized(let detail),
             .forbidden(let detail), .tooManyRequests(let detail), .payloadTooLarge(let detail), .uriTooLong(let detail): detail
        }
    }

    public var fieldErrors: [FieldError] {
        if case .validation(let errors) = self { return errors }
        return []
    }
}

/// An RFC 9457 problem document.
public struct Problem: Content, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var instance: String?
    public var errors: [FieldError]?

    public static let mediaType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])

    public init(status: HTTPResponseStatus, detail: String, instance: String? = nil, errors: [FieldError]? = nil) {
        self.type = "about:blank"
        self.title = Problem.title(for: status)
        self.status = Int(status.code)
        self.detail = detail
        self.instance = instance
        self.errors = errors
    }

    static func title(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "Requête invalide"
        case 401: "Authentification requise"
        case 403: "Action interdite"
        case 404: "Ressource introuvable"
        case 405: "Méthode non autorisée"
        case 409: "Conflit"
        case 413: "Requête trop volumineuse"
        case 414: "Adresse trop longue"
        case 415: "Type de contenu non pris en charge"
        case 422: "Données invalides"
        case 429: "Trop de tentatives"
        case 500: "Erreur interne"
        case 503: "Service momentanément indisponible"
        default: status.reasonPhrase
        }
    }

    func response(for request: Request) -> Response {
        let response = Response(status: HTTPResponseStatus(statusCode: status))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        response.body = .init(data: (try? encoder.encode(self)) ?? Data())
        response.headers.contentType = Problem.mediaType
        return response
    }
}
