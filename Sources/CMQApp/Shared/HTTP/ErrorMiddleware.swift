import Fluent
import Vapor

/// Turns every error into a French answer: `application/problem+json` under `/api/`, an HTML page elsewhere.
///
/// A `Middleware` of futures, not an `AsyncMiddleware`, like every middleware a request crosses on its way to a
/// route: Vapor starts a task for each `AsyncMiddleware` of each request (a dozen on an API read; under perf, one
/// formation's read spent 4.7 % of its CPU in Swift's concurrency runtime before, 2.1 % after). A task is started
/// here only to answer an error.
struct CMQErrorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { await Self.answer(error, to: request) }
        }
    }

    /// The answer to an error: problem+json under /api/, the sign-in form or an HTML page elsewhere.
    static func answer(_ error: any Error, to request: Request) async -> Response {
        var problem = Self.problem(for: error, request: request)
        // An address that cmq serves, with a method it does not serve there: 405 and the methods it does.
        // (The router may have taken a parameter route instead: GET /reservations/serie is not a booking.)
        var allowed: [HTTPMethod] = []
        if problem.status == 404 {
            allowed = Self.allowedMethods(for: request)
            if !allowed.isEmpty, !allowed.contains(request.method) {
                problem = Problem(status: .methodNotAllowed, detail: "La méthode \(request.method.rawValue) n'est pas acceptée sur cette adresse ; méthodes acceptées : \(allowed.map(\.rawValue).joined(separator: ", ")).", instance: request.url.path)
            }
        }
        if problem.status >= 500 {
            request.logger.report(error: error)
        }
        if request.url.path.hasPrefix("/api/") {
            let response = problem.response(for: request)
            Self.addAllow(allowed, to: response, for: problem)
            if problem.status == 401 {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"cmq\"")
            }
            return response
        }
        // A page that needs an account sends the visitor to the sign-in form, and back afterwards.
        if problem.status == 401, request.method == .GET {
            let back = (request.url.path + (request.url.query.map { "?" + $0 } ?? ""))
                .addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(.init(charactersIn: "&=?+"))) ?? "/"
            return request.redirect(to: AccountsURL.login.path + "?retour=\(back)", redirectType: .normal)
        }
        let response = await Self.htmlResponse(for: problem, request: request)
        Self.addAllow(allowed, to: response, for: problem)
        return response
    }

    /// A 405 names the methods the address accepts (RFC 9110).
    static func addAllow(_ methods: [HTTPMethod], to response: Response, for problem: Problem) {
        guard problem.status == 405 else { return }
        response.headers.replaceOrAdd(name: .allow, value: methods.map(\.rawValue).joined(separator: ", "))
    }

    /// The methods of the routes whose path matches the request's (HEAD with GET), in a stable order.
    static func allowedMethods(for request: Request) -> [HTTPMethod] {
        let parts = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // As the router does, a constant segment wins over a parameter at the same place
        // (`/reservations/serie` is not `/reservations/:reservationID`).
        var candidates = request.application.routes.all.filter { matches($0.path, parts) }
        for position in parts.indices {
            func isConstant(_ route: Route) -> Bool {
                if position < route.path.count, case .constant = route.path[position] { return true }
                return false
            }
            if candidates.contains(where: isConstant) { candidates = candidates.filter(isConstant) }
        }
        var methods: Set<String> = []
        for route in candidates {
            methods.insert(route.method.rawValue)
            if route.method == .GET { methods.insert(HTTPMethod.HEAD.rawValue) }
        }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        return methods.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }.map { HTTPMethod(rawValue: $0) }
    }

    private static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return index < parts.count
            case .constant(let text):
                guard index < parts.count, parts[index] == text else { return false }
            case .parameter, .anything:
                guard index < parts.count else { return false }
            }
            index += 1
        }
        return index == parts.count
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
        case is ConnectionPoolTimeoutError:
            // Every connection to the database stayed busy for the pool's whole wait: the service is overloaded.
            return Problem(status: .serviceUnavailable, detail: "Le service est momentanément surchargé : réessayez dans un instant.", instance: instance)
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
