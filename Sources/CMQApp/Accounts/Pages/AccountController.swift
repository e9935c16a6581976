import CMQDomain
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Signing in and out, changing one's password, managing one's API tokens.
struct AccountController {
    struct LoginContext: Encodable {
        var page: PageMeta
        var email: String
        var retour: String
        var error: String?
        var notice: String? = nil
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
        var preferences: [PreferenceRow]
        var preferencesSaved: Bool
    }

    /// One kind of notification and its choices on the account page.
    struct PreferenceRow: Encodable {
        struct Choice: Encodable {
            var value: String
            var label: String
            var checked: Bool
        }
        var genre: String
        var label: String
        var choices: [Choice]
        var error: String?
    }

    static let minimumPasswordLength = 12

    @Sendable func loginForm(req: Request) async throws -> View {
        try await req.view.render("connexion", LoginContext(page: PageMeta(title: "Connexion"), email: "",
                                                             retour: Self.safeReturn(req.query["retour"]), error: nil,
                                                             notice: req.query["mot-de-passe"] == "choisi" ? "Votre mot de passe est enregistré : connectez-vous avec lui." : nil))
    }

    @Sendable func login(req: Request) async throws -> Response {
        let email = ((try? req.content.get(String.self, at: "email")) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = (try? req.content.get(String.self, at: "motDePasse")) ?? ""
        let retour = Self.safeReturn(try? req.content.get(String.self, at: "retour"))
        func refuse(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            let view = try await req.view.render("connexion", LoginContext(page: PageMeta(title: "Erreur : connexion"), email: email, retour: retour, error: message))
            return try await view.encodeResponse(status: status, for: req)
        }
        switch try await SignIn.check(email: email, password: password, on: req) {
        case .throttled(let wait):
            let response = try await refuse("Trop de tentatives de connexion ont échoué. Pour protéger ce compte, réessayez dans \(LoginThrottle.frenchDuration(wait)).", status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        case .refused:
            return try await refuse("Adresse électronique ou mot de passe incorrect.", status: .unauthorized)
        case .accepted(let user):
            try await SignIn.open(user, on: req)
            return req.redirect(to: retour.isEmpty ? RegistryURL.gestion.path : retour, redirectType: .normal)
        }
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

    func renderAccount(_ req: Request, newToken: String?, passwordErrors: [String: String], passwordChanged: Bool,
                       preferenceErrors: [String: String] = [:]) async throws -> View {
        let user = try Self.requireUser(req)
        let preferences = try await NotificationPreferences.all(userID: user.requireID(), on: req.db).map { kind, mode in
            PreferenceRow(genre: kind.rawValue, label: kind.label,
                          choices: DeliveryMode.allCases.map { .init(value: $0.rawValue, label: $0.label, checked: $0 == mode) },
                          error: preferenceErrors[kind.rawValue])
        }
        let tokens = try await APIToken.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
        let context = AccountContext(
            page: PageMeta(title: passwordErrors.isEmpty && preferenceErrors.isEmpty ? "Mon compte" : "Erreur : mon compte"),
            nom: user.nom, email: user.email, role: user.role.label,
            scope: try await Self.scopeLabel(user, on: req.db),
            tokens: tokens.map { TokenRow(id: $0.id!.uuidString.lowercased(), nom: $0.nom, prefixe: $0.prefix,
                                          creeLe: Self.format($0.createdAt), utiliseLe: $0.lastUsedAt.map(Self.format)) },
            newToken: newToken, passwordErrors: passwordErrors, passwordChanged: passwordChanged,
            preferences: preferences, preferencesSaved: req.query["notifications"] == "enregistrees")
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
        // Whoever signed in elsewhere with the old password is signed out.
        try await SessionSetup.endSessions(of: user.requireID(), except: req.session.id, on: req.db)
        try await AuditLog(author: req.author).record(.update, user, id: user.requireID(),
                                                      changes: ["motDePasse": FieldChange(avant: "(masqué)", apres: "(modifié)")], on: req.db)
        return req.redirect(to: AccountsURL.account.path(query: ["mot-de-passe": "modifie"]), redirectType: .normal)
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
        return req.redirect(to: AccountsURL.account.path, redirectType: .normal)
    }

    /// A Bcrypt hash of a random password, made once at the cost of the real ones, checked when the address
    /// given has no account.
    enum PasswordDecoy {
        private static let cache = NIOLockedValueBox<String?>(nil)

        static func hash(for req: Request) async throws -> String {
            if let hash = cache.withLockedValue({ $0 }) { return hash }
            let hash = try await req.password.async.hash([UInt8].random(count: 24).base64)
            cache.withLockedValue { $0 = hash }
            return hash
        }
    }

    static func requireUser(_ req: Request) throws -> User {
        guard let user = req.currentUser else { throw AppError.unauthorized("Connectez-vous pour accéder à votre compte.") }
        return user
    }

    /// Only addresses of this site: a path that parses as one, without scheme or host, with no space, control
    /// character or backslash (browsers drop tabs and line feeds from an address and read `\` as `/`, so
    /// `/\t/evil.example` would become `//evil.example`).
    static func safeReturn(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), raw.count <= 2048,
              !raw.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" || $0.properties.isWhitespace }),
              let components = URLComponents(string: raw), components.scheme == nil, components.host == nil,
              components.path.hasPrefix("/"), !components.path.hasPrefix("//") else { return "" }
        return raw
    }

    static func scopeLabel(_ user: User, on db: any Database) async throws -> String? {
        if let instance = user.instance {
            switch instance.territory {
            case .academie:
                return "\(instance.label), académie \(user.academieCode.flatMap { TerritoryCatalog.shared.academie(code: $0)?.nom } ?? "non renseignée")"
            case .region:
                return "\(instance.label), région académique \(user.regionCode.flatMap { TerritoryCatalog.shared.region(code: $0)?.nom } ?? "non renseignée")"
            case .national:
                return instance.label
            }
        }
        if let code = user.regionCode { return "Région académique \(TerritoryCatalog.shared.region(code: code)?.nom ?? code)" }
        if let id = user.campusID { return try await Campus.find(id, on: db).map { "Campus \($0.nom)" } }
        if let id = user.organisationID { return try await Organisation.find(id, on: db).map(\.nom) }
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
