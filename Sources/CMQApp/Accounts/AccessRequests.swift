import CMQDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// "Demander un accès": a person asks for an account; the national administrator (or the campus team, for a request
/// that names its campus) turns it into an account in one step. The account gets no password by e-mail: it gets a
/// link to choose its own (`PasswordReset`). Requests are kept twelve months at most.
struct AccessRequests {
    let db: any Database
    let caller: Caller

    static let retentionMonths = 12
    /// Requests from one client address per hour.
    static let maxPerClientAddress = 5
    /// The roles one may ask for (the national administrator is made with `cmq users create` only).
    static let requestableRoles: [Role] = [.membre, .equipeCampus, .regionAcademique, .instance]

    struct Input: Sendable {
        var nom: String
        var email: String
        var organisation: String
        var role: String
        var campus: String?
        var message: String
    }

    func submit(_ input: Input, clientAddress: String) async throws -> AccessRequest {
        var errors: [FieldError] = []
        func text(_ value: String, _ field: String, _ label: String, max: Int, required: Bool = true) -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && trimmed.isEmpty { errors.append(FieldError(field, "Indiquez \(label).")) }
            if trimmed.count > max { errors.append(FieldError(field, "\(label.prefix(1).uppercased() + label.dropFirst()) ne doit pas dépasser \(max) caractères.")) }
            return trimmed
        }
        let nom = text(input.nom, "nom", "votre nom", max: 200)
        let email = text(input.email, "email", "votre adresse électronique", max: 254).lowercased()
        if !email.isEmpty && !MailAddress.isValid(email) { errors.append(FieldError("email", "L'adresse électronique « \(email.prefix(100)) » n'est pas valide.")) }
        let organisation = text(input.organisation, "organisation", "votre organisation", max: 200)
        let message = text(input.message, "message", "le message", max: 2000, required: false)
        let role = Role(rawValue: input.role)
        if role == nil || !Self.requestableRoles.contains(role!) { errors.append(FieldError("role", "Choisissez le rôle demandé dans la liste.")) }
        var campusID: UUID?
        if let raw = input.campus?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await Campus.find(id, on: db) != nil { campusID = id } else {
                errors.append(FieldError("campus", "Choisissez le campus dans la liste."))
            }
        }
        guard errors.isEmpty, let role else { throw AppError.validation(errors) }
        let now = caller.clock.now()
        let request = AccessRequest(createdAt: now, nom: nom, email: email, organisation: organisation, role: role, campusID: campusID,
                                    message: message, address: clientAddress)
        try await db.writeTransaction { db in
            let recent = try await AccessRequest.query(on: db).filter(\.$address == clientAddress)
                .filter(\.$createdAt >= now.addingTimeInterval(-3600)).count()
            guard recent < Self.maxPerClientAddress else {
                throw AppError.tooManyRequests("Trop de demandes d'accès ont été envoyées depuis votre connexion : réessayez dans une heure.")
            }
            try await request.create(on: db)
        }
        return request
    }

    /// The pending requests this account may handle: all for the national administrator, its campus's for a
    /// campus team; 401/403 for the others.
    func queue() async throws -> [AccessRequest] {
        guard let actor = caller.actor else { throw AppError.unauthorized("Connectez-vous pour voir les demandes d'accès.") }
        let query = AccessRequest.query(on: db).filter(\.$status == .pending).sort(\.$createdAt)
        switch actor.role {
        case .administrateurNational: break
        case .equipeCampus:
            guard let campusID = actor.campusID else { throw AppError.forbidden("Votre compte n'est rattaché à aucun campus.") }
            query.filter(\.$campusID == campusID)
        default:
            throw AppError.forbidden("Seuls l'administration nationale et les équipes des campus traitent les demandes d'accès.")
        }
        return try await query.all()
    }

    /// Whether this account may handle `request`; a campus team only for its campus, and only for accounts of its
    /// campus (its team, or a member organisation of its network).
    func authorize(_ request: AccessRequest, account: UserService.NewAccount? = nil) async throws {
        guard let actor = caller.actor else { throw AppError.unauthorized("Connectez-vous pour traiter les demandes d'accès.") }
        if actor.role == .administrateurNational { return }
        guard actor.role == .equipeCampus, let campusID = actor.campusID, request.campusID == campusID else {
            throw AppError.forbidden("Cette demande d'accès ne concerne pas votre campus.")
        }
        guard let account else { return }
        switch account.role {
        case .equipeCampus where account.campusID == campusID:
            return
        case .membre:
            if let organisationID = account.organisationID,
               try await Membership.query(on: db).filter(\.$campus.$id == campusID).filter(\.$organisation.$id == organisationID).first() != nil { return }
            throw AppError.forbidden("L'organisation du compte doit appartenir au réseau de votre campus.")
        default:
            throw AppError.forbidden("Une équipe campus crée des comptes de son équipe ou des membres de son réseau ; les autres, l'administration nationale.")
        }
    }

    /// Creates the account the request asks for, with `account`'s role and scope, and e-mails it the link to
    /// choose its password: one transaction (the account, the request's status, the e-mail).
    func accept(_ id: UUID, account: UserService.NewAccount, passwords: AsyncPasswordHasher) async throws -> User {
        let request = try await load(id)
        try await authorize(request, account: account)
        var account = account
        account.email = request.email
        account.nom = request.nom
        account.password = UserService.randomPassword()
        // A campus team creates the account on the national administrator's behalf, within the checks above.
        let creator = Caller(actor: caller.actor, author: caller.author, isOperator: true, clock: caller.clock, siteBase: caller.siteBase,
                             notifies: caller.notifies)
        let newAccount = account
        let now = caller.clock.now()
        let siteBase = caller.siteBase
        let author = caller.author.displayName
        return try await db.writeTransaction { db in
            guard try await db.claim(AccessRequest.schema, id: id, expected: [("statut", AccessRequest.Status.pending.rawValue)],
                                     changes: [("statut", AccessRequest.Status.accepted.rawValue)]) else {
                throw AppError.conflict("Cette demande d'accès vient d'être traitée.")
            }
            let user = try await UserService(db: db, passwords: passwords, caller: creator).create(newAccount)
            try await AccessRequest.query(on: db).filter(\.$id == id).set(\.$handledAt, to: now).set(\.$handledBy, to: author)
                .set(\.$userID, to: user.requireID()).update()
            try await PasswordReset.issue(for: user, purpose: .newAccount, address: "demande d'accès", now: now, siteBase: siteBase, on: db)
            return user
        }
    }

    func refuse(_ id: UUID) async throws {
        let request = try await load(id)
        try await authorize(request)
        let now = caller.clock.now()
        let author = caller.author.displayName
        try await db.writeTransaction { db in
            guard try await db.claim(AccessRequest.schema, id: id, expected: [("statut", AccessRequest.Status.pending.rawValue)],
                                     changes: [("statut", AccessRequest.Status.refused.rawValue)]) else {
                throw AppError.conflict("Cette demande d'accès vient d'être traitée.")
            }
            try await AccessRequest.query(on: db).filter(\.$id == id).set(\.$handledAt, to: now).set(\.$handledBy, to: author).update()
        }
    }

    private func load(_ id: UUID) async throws -> AccessRequest {
        guard let request = try await AccessRequest.find(id, on: db) else {
            throw AppError.notFound("Aucune demande d'accès n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return request
    }

    /// Deletes the requests older than twelve months and the password requests older than a month; returns how many.
    static func purge(on db: any Database, now: Date) async throws -> Int {
        let calendar = Calendar(identifier: .gregorian)
        let limit = calendar.date(byAdding: .month, value: -retentionMonths, to: now) ?? now
        let old = try await AccessRequest.query(on: db).filter(\.$createdAt < limit).count()
        try await AccessRequest.query(on: db).filter(\.$createdAt < limit).delete()
        let resetLimit = now.addingTimeInterval(-30 * 86_400)
        let resets = try await PasswordResetToken.query(on: db).filter(\.$createdAt < resetLimit).count()
        try await PasswordResetToken.query(on: db).filter(\.$createdAt < resetLimit).delete()
        return old + resets
    }
}
