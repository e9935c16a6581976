import CMQDomain
import Fluent
import Vapor

/// `cmq users …`: accounts.
struct UsersCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = ["create": CreateUserCommand()]
    var help: String { "Manage accounts." }
}

/// `cmq users create --email … --role …`: creates an account; the password comes from CMQ_PASSWORD or is
/// generated and printed once.
struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The account's email address (its login).")
        var email: String?
        @Option(name: "role", help: "administrateur-national, region-academique, equipe-campus, membre or instance.")
        var role: String?
        @Option(name: "name", help: "The person's name (defaults to the email).")
        var name: String?
        @Option(name: "region", help: "For region-academique: the région académique (code or name).")
        var region: String?
        @Option(name: "campus", help: "For equipe-campus: the campus id.")
        var campus: String?
        @Option(name: "organisation", help: "For membre: the organisation id.")
        var organisation: String?
        @Option(name: "instance", help: "For instance: caen, crefop, groupe-experts or cnee (a CREFOP needs --region, a CAEN --academie).")
        var instance: String?
        @Option(name: "academie", help: "For a CAEN: its académie (code or name).")
        var academie: String?
    }

    var help: String {
        "Create an account with a role and its scope. The password is read from CMQ_PASSWORD, or generated and printed once."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let email = signature.email, !email.isEmpty else { throw CommandFailure("Indiquez l'adresse du compte : --email prenom.nom@exemple.fr") }
        guard let roleText = signature.role, let role = Role(rawValue: roleText) else {
            throw CommandFailure("Indiquez un rôle avec --role parmi : \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var instance: Instance?
        if let text = signature.instance {
            guard let value = Instance(rawValue: text) else {
                throw CommandFailure("Instance inconnue « \(text) » ; valeurs possibles : \(Instance.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            instance = value
        }
        func uuid(_ text: String?, _ what: String) throws -> UUID? {
            guard let text else { return nil }
            guard let id = UUID(uuidString: text) else { throw CommandFailure("\(what) : « \(text) » n'est pas un identifiant (UUID).") }
            return id
        }
        let provided = ProcessInfo.processInfo.environment["CMQ_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let password = provided ?? UserService.randomPassword()
        try await DatabaseSchema.prepareForCommand(app)
        do {
            let user = try await UserService(db: app.db, passwords: app.password.async, caller: .command("users create")).create(.init(
                email: email, nom: signature.name ?? "", role: role, region: signature.region,
                campusID: try uuid(signature.campus, "--campus"), organisationID: try uuid(signature.organisation, "--organisation"),
                instance: instance, academie: signature.academie, password: password))
            context.console.success("Compte créé : \(user.email) (\(role.label)).")
            if provided == nil {
                context.console.print("Mot de passe (affiché une seule fois) : \(password)")
            }
        } catch let error as AppError {
            let details = error.fieldErrors.map { "  \($0.field) : \($0.detail)" }.joined(separator: "\n")
            throw CommandFailure(details.isEmpty ? error.detail : "Compte non créé :\n\(details)")
        }
    }
}
