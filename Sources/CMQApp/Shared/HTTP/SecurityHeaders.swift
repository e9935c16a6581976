import Vapor

/// The headers every response of cmq carries, pages, API, files and errors alike.
///
/// - `Content-Security-Policy`: everything comes from cmq itself; no script at all runs in a page of cmq
///   except from its own files, never inline; styles may be inline (the bars of the usage charts set their
///   width in a `style` attribute); no page may be framed by another site; forms post only to cmq.
/// - `X-Content-Type-Options: nosniff`, `Referrer-Policy: strict-origin-when-cross-origin`, a
///   `Permissions-Policy` that turns off the browser features cmq never uses, and
///   `Strict-Transport-Security` when the request came over HTTPS (directly or through the proxy).
///
/// (Of futures, as every middleware on the way to a route: see `CMQErrorMiddleware`.)
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let permissionsPolicy = "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            Self.add(to: response, for: request)
            return response
        }
    }

    private static func add(to response: Response, for request: Request) {
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("Permissions-Policy", Self.permissionsPolicy),
            ("X-Frame-Options", "DENY"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if SecureCookieMiddleware.isHTTPS(request) {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
    }
}
