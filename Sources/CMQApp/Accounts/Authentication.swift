import CMQDomain
import Crypto
import Fluent
import Vapor

/// Reads `Authorization: Bearer …`: the token's SHA-256 is looked up among the tokens not revoked. (Of futures, as
/// every middleware on the way to a route: see `CMQErrorMiddleware`; a task only when the request carries a token.)
struct BearerTokenAuthenticator: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let bearer = request.headers.bearerAuthorization else { return next.respond(to: request) }
        return request.eventLoop.makeFutureWithTask { try await Self.authenticate(bearer: bearer, for: request) }
            .flatMap { next.respond(to: request) }
    }

    static func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let hash = APITokens.hash(bearer.token)
        // One query: the token and its account joined (this runs on every API call).
        guard let token = try await APIToken.query(on: request.db).filter(\.$hash == hash).filter(\.$revokedAt == nil)
            .join(User.self, on: \APIToken.$user.$id == \User.$id).first(),
            let user = try? token.joined(User.self) else { return }
        // "Last used" to the minute: a program calling the API many times a second writes it once a minute.
        let now = Date()
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
        request.auth.login(user)
        request.isSignedInByToken = true
    }
}

/// Creating and recognising API tokens.
enum APITokens {
    /// A new random token: "cmq_" and 40 characters of base 32.
    static func generate() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return "cmq_" + String((0..<40).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Request {
    private struct SignedInByTokenKey: StorageKey { typealias Value = Bool }

    /// Whether the account was recognised by its API token (`Authorization: Bearer`), not by a session cookie.
    var isSignedInByToken: Bool {
        get { storage[SignedInByTokenKey.self] ?? false }
        set { storage[SignedInByTokenKey.self] = newValue }
    }

    /// The signed-in account, by session cookie or API token.
    var currentUser: User? { auth.get(User.self) }

    /// The signed-in account as the access rules see it; nil for the public.
    var actor: Actor? { currentUser?.actor }

    /// Who the audit trail names for this request's writes.
    var author: AuditAuthor {
        currentUser.map(AuditAuthor.user) ?? AuditAuthor(userID: nil, label: "anonyme")
    }
}

/// The scope of an organisation for the access rules: the campuses whose networks it belongs to.
func organisationResource(_ organisationID: UUID?, on db: any Database) async throws -> Resource {
    guard let organisationID else { return .organisation(id: nil, campuses: []) }
    let memberships = try await Membership.query(on: db).filter(\.$organisation.$id == organisationID).with(\.$campus).all()
    return .organisation(id: organisationID, campuses: memberships.map { .init(id: $0.campus.id!, regionCode: $0.campus.regionCode) })
}

