import CMQDomain
import Vapor

/// Who calls a service: the account (for the rights) and the name the audit trail records.
/// The services check the rights themselves, so the API and the back-office cannot differ.
struct Caller: Sendable {
    let actor: Actor?
    let author: AuditAuthor
    /// The `cmq` command line, run by the operator of the server: every right.
    let isOperator: Bool
    /// The time of the writes and the "today" of the rules.
    var clock: AppClock = .system
    /// The site's public address, for the absolute links of the e-mails written on this caller's behalf
    /// (`CMQ_PUBLIC_URL`, or the address the request came to).
    var siteBase: String = "http://localhost:8080"
    /// Whether the changes made tell people (notifications, e-mails); the demo loader's do not.
    var notifies: Bool = true

    static func command(_ name: String, clock: AppClock = .system) -> Caller {
        Caller(actor: nil, author: .command(name), isOperator: true, clock: clock)
    }

    /// The demo loader: it writes a school year of bookings and dossiers as if they had happened, and tells nobody.
    static func demo(clock: AppClock = .system) -> Caller {
        var caller = command("demo", clock: clock)
        caller.notifies = false
        return caller
    }

    var today: CalendarDay { clock.today }

    /// Someone who only reads pages (rights to show links and buttons, no audit trail entry).
    static func viewer(_ actor: Actor?) -> Caller {
        Caller(actor: actor, author: AuditAuthor(userID: actor?.userID, label: "lecture"), isOperator: false)
    }

    var audit: AuditLog { AuditLog(author: author, clock: clock) }

    /// Whether the account may do `action` on `resource`: the pages show a link or a button only when it may,
    /// and the services refuse (`authorize`) what it may not. The one question asked of the access policy.
    func may(_ action: Action, _ resource: Resource) -> Bool {
        isOperator || AccessPolicy.decide(actor, action, resource).isAllowed
    }

    /// 401 when nobody is signed in, 403 when the account may not; nothing is written before this passes.
    func authorize(_ action: Action, _ resource: Resource) throws(AppError) {
        if isOperator { return }
        switch AccessPolicy.decide(actor, action, resource) {
        case .allowed: return
        case .denied(let reason): throw actor == nil ? .unauthorized(reason) : .forbidden(reason)
        }
    }
}

extension Request {
    var caller: Caller {
        Caller(actor: actor, author: author, isOperator: false, clock: application.clock, siteBase: OpenDataAPIController.base(self))
    }
}

/// Refuses with 401 any request that needs an account when nobody is signed in: every write of the API,
/// every page of the back-office. The services then check what the account may do.
///
/// The API's writes are accepted with an API token only: a session cookie, which a browser sends by itself
/// with a request forged by another site, never authorises them (the HTML forms carry a CSRF token instead).
/// (Of futures, as every middleware on the way to a route: see `CMQErrorMiddleware`.)
struct RequireAccountMiddleware: Middleware {
    /// Only writes, by API token (API), or every request (back-office).
    let writesOnly: Bool

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if let refusal = refusal(of: request) { return request.eventLoop.makeFailedFuture(refusal) }
        return next.respond(to: request)
    }

    private func refusal(of request: Request) -> AppError? {
        let isWrite = ![.GET, .HEAD, .OPTIONS].contains(request.method)
        if writesOnly {
            if isWrite, !request.isSignedInByToken {
                return .unauthorized(request.currentUser == nil
                    ? "Vous devez vous connecter pour faire cela."
                    : "Les écritures de l'API demandent un jeton d'API (en-tête Authorization: Bearer) ; la session du navigateur ne suffit pas.")
            }
        } else if request.currentUser == nil {
            return .unauthorized("Vous devez vous connecter pour faire cela.")
        }
        return nil
    }
}
