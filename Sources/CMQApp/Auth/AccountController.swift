import CMQDomain
import Fluent
import Vapor

/// Signing in and out, changing one's password, managing one's API tokens.
struct AccountController {
    struct LoginContext: Encodable {
        var page: PageMeta
        var email: String
        var retour: String
        var error: String?
    }

    struct TokenRow: Encodable {
        var id: String
        var nom: String
        var prefixe: String
        var creeLe: String
        var utiliseLe: String?
    }

    struct AccountContext: Encodable {
        var page: PageMeta
        var nom: String
        var email: String
        var role: String
        var scope: String?
        var tokens: [TokenRow]
        var newToken: String?
        var passwordErrors: [String: String]
        var passwordChanged: Bool
    }

    static let minimumPasswordLength = 12

    @Sendable func loginForm(req: Request) async throws -> View {
        try await req.view.render("connexion", LoginContext(page: PageMeta(title: "Connexion"), email: "",
                                                             retour: Self.safeReturn(req.query["retour"]), error: nil))
    }

    @Sendable func login(req: Request) async throws -> Response {
        let email = ((try? req.content.get(String.self, at: "email")) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = (try? req.content.get(String.self, at: "motDePasse")) ?? ""
        let retour = Self.safeReturn(try? req.content.get(String.self, at: "retour"))
        let address = req.remoteAddress?.ipAddress ?? "inconnue"
        let throttle = LoginThrottle(db: req.db)

        func refuse(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            let view = try await req.view.render("connexion", LoginContext(page: PageMeta(title: "Erreur : connexion"), email: email, retour: retour, error: message))
            return try await view.encodeResponse(status: status, for: req)
        }
        if let minutes = try await throttle.minutesToWait(email: email, address: address) {
            return try await refuse("Trop de tentatives de connexion ont échoué. Pour protéger ce compte, réessayez dans \(minutes) minute\(minutes > 1 ? "s" : "").", status: .tooManyRequests)
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let valid = try await user.asyncMap { try await req.password.async.verify(password, created: $0.passwordHash) } ?? false
        try await throttle.record(email: email, address: address, succeeded: valid)
        guard valid, let user else {
            return try await refuse("Adresse électronique ou mot de passe incorrect.", status: .unauthorized)
        }
        // A new session id on sign-in, so that an id planted before cannot be reused (session fixation).
        if let old = req.session.id {
            try await SessionRecord.query(on: req.db).filter(\.$key == old).delete()
            req.session.id = nil
        }
        req.auth.login(user)
        req.session.authenticate(user)
        return req.redirect(to: retour.isEmpty ? "/gestion" : retour, redirectType: .normal)
    }

    @Sendable func logout(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.unauthenticate(User.self)
        req.session.destroy()
        return req.redirect(to: "/", redirectType: .normal)
    }

    @Sendable func account(req: Request) async throws -> View {
        try await renderAccount(req, newToken: nil, passwordErrors: [:], passwordChanged: req.query["mot-de-passe"] == "modifie")
    }

    func renderAccount(_ req: Request, newToken: String?, passwordErrors: [String: String], passwordChanged: Bool) async throws -> View {
        let user = try Self.requireUser(req)
        let tokens = try await APIToken.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
        let context = AccountContext(
            page: PageMeta(title: passwordErrors.isEmpty ? "Mon compte" : "Erreur : mon compte"),
            nom: user.nom, email: user.email, role: Role(rawValue: user.role)?.label ?? user.role,
            scope: try await Self.scopeLabel(user, on: req.db),
            tokens: tokens.map { TokenRow(id: $0.id!.uuidString.lowercased(), nom: $0.nom, prefixe: $0.prefix,
                                          creeLe: Self.format($0.createdAt), utiliseLe: $0.lastUsedAt.map(Self.format)) },
            newToken: newToken, passwordErrors: passwordErrors, passwordChanged: passwordChanged)
        return try await req.view.render("compte", context)
    }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try Self.requireUser(req)
        let current = (try? req.content.get(String.self, at: "motDePasseActuel")) ?? ""
        let new = (try? req.content.get(String.self, at: "nouveauMotDePasse")) ?? ""
        let confirmation = (try? req.content.get(String.self, at: "confirmation")) ?? ""
        var errors: [String: String] = [:]
        if try await !req.password.async.verify(current, created: user.passwordHash) {
            errors["motDePasseActuel"] = "Le mot de passe actuel est incorrect."
        }
        if new.count < Self.minimumPasswordLength {
            errors["nouveauMotDePasse"] = "Le nouveau mot de passe doit comporter au moins \(Self.minimumPasswordLength) caractères."
        } else if new != confirmation {
            errors["confirmation"] = "La confirmation ne correspond pas au nouveau mot de passe."
        }
        guard errors.isEmpty else {
            return try await renderAccount(req, newToken: nil, passwordErrors: errors, passwordChanged: false)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        user.passwordHash = try await req.password.async.hash(new)
        try await user.save(on: req.db)
        try await AuditLog(author: req.author).record(.update, user, id: user.requireID(),
                                                      changes: ["motDePasse": FieldChange(avant: "(masqué)", apres: "(modifié)")], on: req.db)
        return req.redirect(to: "/compte?mot-de-passe=modifie", redirectType: .normal)
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        let user = try Self.requireUser(req)
        let name = ((try? req.content.get(String.self, at: "nom")) ?? "").trimmingCharacters(in: .whitespaces)
        let token = APITokens.generate()
        try await APIToken(userID: user.requireID(), nom: name.isEmpty ? "Jeton sans nom" : String(name.prefix(80)),
                           hash: APITokens.hash(token), prefix: String(token.prefix(8))).create(on: req.db)
        // Shown once, now; only its hash is kept.
        return try await renderAccount(req, newToken: token, passwordErrors: [:], passwordChanged: false).encodeResponse(status: .created, for: req)
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        let user = try Self.requireUser(req)
        let id = try req.uuidParameter("tokenID", notFound: "Aucun jeton")
        guard let token = try await APIToken.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first() else {
            throw AppError.notFound("Aucun de vos jetons n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        token.revokedAt = Date()
        try await token.save(on: req.db)
        return req.redirect(to: "/compte", redirectType: .normal)
    }

    static func requireUser(_ req: Request) throws -> User {
        guard let user = req.currentUser else { throw AppError.unauthorized("Connectez-vous pour accéder à votre compte.") }
        return user
    }

    /// Only addresses of this site: a path, not "//elsewhere".
    static func safeReturn(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return "" }
        return raw
    }

    static func scopeLabel(_ user: User, on db: any Database) async throws -> String? {
        if let code = user.regionCode { return "Région académique \(TerritoryCatalog.shared.region(code: code)?.nom ?? code)" }
        if let id = user.campusID { return try await Campus.find(id, on: db).map { "Campus \($0.nom)" } }
        if let id = user.organisationID { return try await Organisation.find(id, on: db).map(\.nom) }
        if let instance = user.instance { return Instance(rawValue: instance)?.label }
        return nil
    }

    static func format(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "fr_FR")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "d MMMM yyyy 'à' HH:mm"
        return formatter.string(from: date)
    }
}
