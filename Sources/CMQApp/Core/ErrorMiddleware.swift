import Fluent
import Vapor

/// Turns every error into a French answer: `application/problem+json` under `/api/`, an HTML page elsewhere.
struct CMQErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = Self.problem(for: error, request: request)
            if problem.status >= 500 {
                request.logger.report(error: error)
            }
            if request.url.path.hasPrefix("/api/") {
                let response = problem.response(for: request)
                if problem.status == 401 {
                    response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"cmq\"")
                }
                return response
            }
            // A page that needs an account sends the visitor to the sign-in form, and back afterwards.
            if problem.status == 401, request.method == .GET {
                let back = (request.url.path + (request.url.query.map { "?" + $0 } ?? ""))
                    .addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(.init(charactersIn: "&=?+"))) ?? "/"
                return request.redirect(to: "/connexion?retour=\(back)", redirectType: .normal)
            }
            return await Self.htmlResponse(for: problem, request: request)
        }
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        let instance = request.url.path
        switch error {
        case let error as AppError:
            return Problem(status: error.status, detail: error.detail, instance: instance,
                           errors: error.fieldErrors.isEmpty ? nil : error.fieldErrors)
        case let error as any AbortError:
            return Problem(status: error.status, detail: frenchDetail(for: error), instance: instance)
        case is DecodingError:
            return Problem(status: .badRequest, detail: "La requête ne peut pas être lue.", instance: instance)
        case let error as any DatabaseError where error.isConstraintFailure:
            // The services check what holds a record before they change it; a constraint that still refuses
            // the write (a race, or a link no service checks) is a conflict, never a server fault.
            return Problem(status: .conflict, detail: "L'enregistrement est lié à d'autres données ou vient d'être modifié : rien n'a été enregistré.", instance: instance)
        default:
            if String(reflecting: error).contains("database is locked") {
                // Writes take the lock first and wait for it (`writeTransaction`); should one still find SQLite
                // busy, the client is told to try again, which is true, rather than that the server failed.
                return Problem(status: .serviceUnavailable, detail: "La base de données est momentanément occupée : réessayez dans un instant.", instance: instance)
            }
            return Problem(status: .internalServerError, detail: "Une erreur interne est survenue ; elle a été enregistrée.", instance: instance)
        }
    }

    /// Vapor's own refusals (unknown route, oversize body…) get a French explanation.
    static func frenchDetail(for error: any AbortError) -> String {
        switch error.status {
        case .notFound: return "Cette adresse ne correspond à aucune ressource."
        case .payloadTooLarge: return "Le corps de la requête est trop volumineux."
        case .uriTooLong: return "L'adresse demandée est trop longue."
        case .methodNotAllowed: return "Cette méthode n'est pas autorisée sur cette adresse."
        case .unsupportedMediaType: return "Ce type de contenu n'est pas pris en charge : envoyez du JSON (application/json)."
        case .badRequest: return "La requête est mal formée."
        default:
            return error.status.code < 500 ? "La requête ne peut pas aboutir (\(error.status.code))." : "Une erreur interne est survenue."
        }
    }

    static func htmlResponse(for problem: Problem, request: Request) async -> Response {
        let context = ErrorPageContext(page: .init(title: problem.title), problem: problem)
        let status = HTTPResponseStatus(statusCode: problem.status)
        do {
            let view = try await request.view.render("error", context)
            let response = try await view.encodeResponse(status: status, for: request)
            return response
        } catch {
            let response = Response(status: status, body: .init(string: "\(problem.title) : \(problem.detail)"))
            response.headers.contentType = .plainText
            return response
        }
    }
}

struct ErrorPageContext: Encodable {
    let page: PageMeta
    let problem: Problem
}
