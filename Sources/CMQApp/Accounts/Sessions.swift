import Fluent
import Leaf
import LeafKit
import SQLKit
import Vapor

/// Sessions live in the database (several cmq instances behind one load balancer share them), in a cookie
/// that scripts cannot read (HttpOnly), sent only by the same site (SameSite=Lax), Secure over HTTPS.
enum SessionSetup {
    static let cookieName = "cmq-session"
    /// A session ends after this long, signed in or not.
    static let lifetime: TimeInterval = 12 * 3600

    static func configure(_ app: Application) {
        app.sessions.use(.fluent)
        app.sessions.configuration = SessionsConfiguration(cookieName: cookieName) { sessionID in
            HTTPCookies.Value(string: sessionID.string, expires: Date(timeIntervalSinceNow: lifetime), maxAge: Int(lifetime),
                              path: "/", isSecure: false, isHTTPOnly: true, sameSite: .lax)
        }
        app.leaf.tags["csrfField"] = CSRFFieldTag()
        app.leaf.tags["csrfToken"] = CSRFTokenTag()
        app.leaf.tags["accountNav"] = AccountNavTag()
    }

    /// The middleware of every page and API route: the session, then who is signed in.
    static func middleware(_ app: Application) -> [any Middleware] {
        [SecureCookieMiddleware(), app.sessions.middleware, SessionExpiryMiddleware(), User.sessionAuthenticator(), BearerTokenAuthenticator()]
    }
}

/// Ends sessions older than their lifetime, signed in or not. (Of futures, as every middleware on the way to a
/// route: see `CMQErrorMiddleware`.)
struct SessionExpiryMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if request.hasSession, let started = request.session.data["debut"].flatMap(Double.init),
           Date().timeIntervalSince1970 - started > SessionSetup.lifetime {
            request.session.destroy()
        }
        return next.respond(to: request).map { response in
            if request.hasSession, request.session.data["debut"] == nil {
                request.session.data["debut"] = String(Date().timeIntervalSince1970)
            }
            return response
        }
    }
}

/// Marks the session cookie Secure when the request came over HTTPS (directly or through a proxy). It runs
/// outside the sessions middleware, which sets the cookie on the way out. (Of futures, as every middleware on the
/// way to a route: see `CMQErrorMiddleware`.)
struct SecureCookieMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            if Self.isHTTPS(request), var cookie = response.cookies[SessionSetup.cookieName] {
                cookie.isSecure = true
                response.cookies[SessionSetup.cookieName] = cookie
            }
            return response
        }
    }

    static func isHTTPS(_ request: Request) -> Bool {
        request.url.scheme == "https" || request.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }
}

/// Every HTML form that changes something carries a token tied to the session; a POST without it is refused.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let sessionKey = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A program signed in with an API token sends no cookie: it cannot be the victim of a forged form.
        let byToken = request.isSignedInByToken
        if request.method != .GET, request.method != .HEAD, !request.url.path.hasPrefix("/api/"), !byToken {
            let expected = request.hasSession ? request.session.data[Self.sessionKey] : nil
            let sent = Self.sentToken(request)
            guard let expected, let sent, !expected.isEmpty, Self.constantTimeEquals(expected, sent) else {
                throw AppError.forbidden("Le formulaire a expiré ou ne vient pas de cmq. Rechargez la page et envoyez-le de nouveau.")
            }
        }
        return try await next.respond(to: request)
    }

    /// The token the request carries. A file upload (`multipart/form-data`) carries it in the form's address
    /// (`?_csrf=`, written by `#csrfToken()`): such a body arrives in pieces and may be larger than what a
    /// middleware can hold, so it is read by its route, after this check. Other forms carry it in their body.
    static func sentToken(_ request: Request) -> String? {
        if request.headers.contentType?.type == "multipart", let inAddress = request.query[String.self, at: field] {
            return inAddress
        }
        return try? request.content.get(String.self, at: field)
    }

    /// The session's token, created on first use.
    static func token(for request: Request) -> String {
        if let token = request.session.data[sessionKey] { return token }
        let token = [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        request.session.data[sessionKey] = token
        return token
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// `#csrfField()`: the hidden field every POST form carries.
struct CSRFFieldTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let request = ctx.request else { throw LeafError(.unknownError("#csrfField needs a request")) }
        return .string("<input type=\"hidden\" name=\"\(CSRFMiddleware.field)\" value=\"\(CSRFMiddleware.token(for: request))\">")
    }
}

/// `#csrfToken()`: the token alone, percent-encoded, for the address of a file-upload form
/// (`action="…?_csrf=#csrfToken()"`).
struct CSRFTokenTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let request = ctx.request else { throw LeafError(.unknownError("#csrfToken needs a request")) }
        return .string(CSRFMiddleware.token(for: request).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
}

/// `#accountNav()`: "Se connecter", or the signed-in person's links (account, back-office, sign out).
struct AccountNavTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let request = ctx.request else { return .string("") }
        guard let user = request.currentUser else {
            let back = request.url.path == AccountsURL.login.path ? "" : "?retour=" + (request.url.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-"))) ?? "")
            return .string("<li><a href=\"\(AccountsURL.login.path)\(back)\">Se connecter</a></li>")
        }
        let token = CSRFMiddleware.token(for: request)
        let name = user.nom.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        let count = request.unreadNotifications ?? 0
        let unread = count == 0 ? "" : " <span class=\"badge\" aria-label=\"\(count) non lue\(count > 1 ? "s" : "")\">\(count)</span>"
        return .string("""
            <li><a href="\(RegistryURL.gestion.path)">Gestion</a></li>\
            <li><a href="\(NotificationsURL.list.path)">Notifications\(unread)</a></li>\
            <li><a href="\(AccountsURL.account.path)" title="Mon compte">\(name)</a></li>\
            <li><form class="logout" action="\(AccountsURL.logout.path)" method="post"><input type="hidden" name="\(CSRFMiddleware.field)" value="\(token)"><button type="submit" class="link-button">Se déconnecter</button></form></li>
            """)
    }
}

extension SessionSetup {
    /// Ends every session of an account but `kept` (its password changed: whoever knew the old one is out).
    /// The account's id is in the session's data, stored as JSON text (SQLite) or `jsonb` (PostgreSQL).
    static func endSessions(of userID: UUID, except kept: SessionID?, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let pattern = "%\(userID.uuidString)%"
        let text = sql.dialect.name == "postgresql" ? "upper(data::text)" : "upper(data)"
        var delete = sql.delete(from: SessionRecord.schema).where(SQLRaw(text), .like, SQLBind(pattern.uppercased()))
        if let kept { delete = delete.where("key", .notEqual, SQLBind(kept.string)) }
        try await delete.run()
    }
}

extension Request {
    /// The client's IP address: the connecting address, or, when that is a trusted reverse proxy
    /// (`CMQ_TRUSTED_PROXIES`), the last address of `X-Forwarded-For` that is not itself a trusted proxy.
    var clientAddress: String {
        Self.clientAddress(connected: remoteAddress?.ipAddress ?? "inconnue", forwardedFor: headers[.xForwardedFor],
                           trusted: application.cmqConfig.trustedProxies)
    }

    static func clientAddress(connected: String, forwardedFor: [String], trusted: Set<String>) -> String {
        guard trusted.contains(connected) else { return connected }
        let forwarded = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return forwarded.reversed().first { !trusted.contains($0) && !$0.isEmpty } ?? connected
    }
}
