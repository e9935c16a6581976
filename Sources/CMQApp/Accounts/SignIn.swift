import Fluent
import Vapor

/// Signing in with an e-mail address and a password: the throttle first, the password checked at the same cost
/// for an unknown address (the time of the answer tells nothing), every attempt recorded for the throttle.
enum SignIn {
    enum Outcome {
        /// Too many failures: wait this many seconds.
        case throttled(TimeInterval)
        case refused
        case accepted(User)
    }

    static func check(email: String, password: String, on req: Request) async throws -> Outcome {
        let address = req.clientAddress
        let throttle = LoginThrottle(db: req.db)
        if let wait = try await throttle.wait(email: email, address: address) { return .throttled(wait) }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let hash: String
        if let user { hash = user.passwordHash } else { hash = try await AccountController.PasswordDecoy.hash(for: req) }
        let checked = try await req.password.async.verify(password, created: hash)
        let valid = user != nil && checked
        try await throttle.record(email: email, address: address, succeeded: valid)
        guard valid, let user else { return .refused }
        return .accepted(user)
    }

    /// Opens the session of `user` under a new id, so that an id planted before cannot be reused (session fixation).
    static func open(_ user: User, on req: Request) async throws {
        if let old = req.session.id {
            try await SessionRecord.query(on: req.db).filter(\.$key == old).delete()
            req.session.id = nil
        }
        req.auth.login(user)
        req.session.authenticate(user)
    }
}
