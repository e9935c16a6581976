import Vapor

/// "Mot de passe oublié ?": asking for the link, then choosing the new password with it.
struct PasswordResetController {
    struct RequestContext: Encodable {
        var page: PageMeta
        var email: String
        var sent: Bool
        var error: String?
    }

    struct PasswordContext: Encodable {
        var page: PageMeta
        var jeton: String
        var valid: Bool
        var errors: [String]
    }

    /// The same words whether the address has an account or not.
    static let sentMessage = "Si un compte existe pour cette adresse, un courriel vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe. Le lien est valable une heure."

    @Sendable func requestForm(req: Request) async throws -> View {
        try await req.view.render("mot-de-passe-oublie", RequestContext(page: PageMeta(title: "Mot de passe oublié"), email: "", sent: false, error: nil))
    }

    @Sendable func request(req: Request) async throws -> Response {
        let email = String(((try? req.content.get(String.self, at: "email")) ?? "").prefix(254))
        guard MailAddress.isValid(email.trimmingCharacters(in: .whitespaces)) else {
            return try await req.view.render("mot-de-passe-oublie", RequestContext(
                page: PageMeta(title: "Erreur : mot de passe oublié"), email: email, sent: false,
                error: "Indiquez l'adresse électronique de votre compte, par exemple prenom.nom@exemple.fr.")).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let reset = PasswordReset(db: req.db, clock: req.clock, siteBase: OpenDataAPIController.base(req))
        switch try await reset.request(email: email, clientAddress: req.clientAddress) {
        case .accepted:
            return try await req.view.render("mot-de-passe-oublie", RequestContext(page: PageMeta(title: "Mot de passe oublié"), email: "", sent: true, error: nil))
                .encodeResponse(for: req)
        case .throttled(let wait):
            let response = try await req.view.render("mot-de-passe-oublie", RequestContext(
                page: PageMeta(title: "Erreur : mot de passe oublié"), email: email, sent: false,
                error: "Trop de demandes ont été faites pour cette adresse ou depuis votre connexion. Réessayez dans \(LoginThrottle.frenchDuration(wait)).")).encodeResponse(status: .tooManyRequests, for: req)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
    }

    @Sendable func passwordForm(req: Request) async throws -> Response {
        let token = req.parameters.get("jeton") ?? ""
        let valid = try await PasswordReset(db: req.db, clock: req.clock, siteBase: "").account(of: token) != nil
        return try await render(req, token: token, valid: valid, errors: [:], status: valid ? .ok : .gone)
    }

    @Sendable func setPassword(req: Request) async throws -> Response {
        let token = req.parameters.get("jeton") ?? ""
        let new = (try? req.content.get(String.self, at: "nouveauMotDePasse")) ?? ""
        let confirmation = (try? req.content.get(String.self, at: "confirmation")) ?? ""
        let reset = PasswordReset(db: req.db, clock: req.clock, siteBase: "")
        guard try await reset.account(of: token) != nil else {
            return try await render(req, token: token, valid: false, errors: [:], status: .gone)
        }
        var errors: [String: String] = [:]
        if new.count < AccountController.minimumPasswordLength {
            errors["nouveauMotDePasse"] = "Le mot de passe doit comporter au moins \(AccountController.minimumPasswordLength) caractères."
        } else if new.count > 200 {
            errors["nouveauMotDePasse"] = "Le mot de passe doit comporter au plus 200 caractères."
        } else if new != confirmation {
            errors["confirmation"] = "La confirmation ne correspond pas au mot de passe."
        }
        guard errors.isEmpty else { return try await render(req, token: token, valid: true, errors: errors, status: .unprocessableEntity) }
        let hash = try await req.password.async.hash(new)
        switch try await reset.setPassword(token: token, newHash: hash, author: AuditAuthor(userID: nil, label: "réinitialisation du mot de passe par courriel")) {
        case .done:
            return req.redirect(to: AccountsURL.login.path(query: ["mot-de-passe": "choisi"]), redirectType: .normal)
        case .invalidToken:
            return try await render(req, token: token, valid: false, errors: [:], status: .gone)
        }
    }

    private func render(_ req: Request, token: String, valid: Bool, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let title = !valid ? "Erreur : lien expiré ou déjà utilisé" : errors.isEmpty ? "Choisir un mot de passe" : "Erreur : choisir un mot de passe"
        return try await req.view.render("nouveau-mot-de-passe", PasswordContext(page: PageMeta(title: title), jeton: valid ? token : "", valid: valid,
                                                                            errors: errors.sorted { $0.key > $1.key }.map(\.value)))
            .encodeResponse(status: status, for: req)
    }
}
