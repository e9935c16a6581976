import CMQDomain
import Fluent
import Vapor

/// Creating accounts: checked email, role and scope, Bcrypt-hashed password.
struct UserService {
    let db: any Database
    let passwords: AsyncPasswordHasher
    let caller: Caller

    struct NewAccount: Sendable {
        var email: String
        var nom: String
        var role: Role
        var region: String?
        var campusID: UUID?
        var organisationID: UUID?
        var instance: Instance?
        /// For a CAEN: its académie (code or name).
        var academie: String? = nil
        var password: String
    }

    func create(_ account: NewAccount) async throws -> User {
        try caller.authorize(.create, .accounts)
        var errors: [FieldError] = []
        var reader = InputReader(object: ["email": .string(account.email)], mode: .create)
        let email = reader.email("email", required: true).value
        errors += reader.errors
        if account.password.count < AccountController.minimumPasswordLength {
            errors.append(FieldError("password", "Le mot de passe doit comporter au moins \(AccountController.minimumPasswordLength) caractères."))
        }
        var regionCode: String?
        if let region = account.region {
            if let found = TerritoryCatalog.shared.region(matching: region) { regionCode = found.code } else {
                errors.append(FieldError("region", "La région académique « \(region) » n'existe pas."))
            }
        }
        var academieCode: String?
        if let academie = account.academie {
            if let found = TerritoryCatalog.shared.academie(matching: academie) {
                academieCode = found.code
                // A CAEN's région académique is its académie's.
                if regionCode == nil { regionCode = TerritoryCatalog.shared.region(ofAcademie: found.code)?.code }
            } else {
                errors.append(FieldError("academie", "L'académie « \(academie) » n'existe pas."))
            }
        }
        if let id = account.campusID, try await Campus.find(id, on: db) == nil {
            errors.append(FieldError("campus", "Aucun campus n'a l'identifiant \(id.uuidString.lowercased())."))
        }
        if let id = account.organisationID, try await Organisation.find(id, on: db) == nil {
            errors.append(FieldError("organisation", "Aucune organisation n'a l'identifiant \(id.uuidString.lowercased())."))
        }
        let actor = Actor(userID: UUID(), role: account.role, regionCode: regionCode, campusID: account.campusID,
                          organisationID: account.organisationID, instance: account.instance, academieCode: academieCode)
        if let problem = actor.scopeProblem { errors.append(FieldError("role", "Rattachement manquant : \(problem).")) }
        guard errors.isEmpty, let email else { throw AppError.validation(errors) }
        if try await User.query(on: db).filter(\.$email == email.lowercased()).first() != nil {
            throw AppError.conflict("Un compte existe déjà pour \(email.lowercased()).")
        }
        let user = User(email: email, nom: account.nom.isEmpty ? email : account.nom, passwordHash: try await passwords.hash(account.password),
                        role: account.role, regionCode: regionCode, campusID: account.campusID, organisationID: account.organisationID,
                        instance: account.instance, academieCode: academieCode)
        try await db.writeTransaction { db in
            try await user.create(on: db)
            try await caller.audit.record(.create, user, id: user.requireID(), on: db)
        }
        return user
    }

    /// A random password of 20 characters from an alphabet without look-alikes.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
