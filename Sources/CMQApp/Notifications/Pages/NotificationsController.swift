import Fluent
import Vapor

/// `/compte/notifications`: what happened that concerns me, read or not; how each kind reaches me; the
/// unsubscription links of the e-mails.
struct NotificationsController {
    static let pageSize = 30

    struct Row: Encodable {
        var id: String
        var titre: String
        var texte: String
        var lien: String
        var le: String
        var lue: Bool
    }

    struct ListContext: Encodable {
        var page: PageMeta
        var notifications: [Row]
        var nonLues: Int
        var numero: Int
        var precedente: String?
        var suivante: String?
    }

    @Sendable func list(req: Request) async throws -> View {
        let user = try AccountController.requireUser(req)
        let userID = try user.requireID()
        let number = min(max(req.query[Int.self, at: "page"] ?? 1, 1), 10_000)
        let query = AppNotification.query(on: req.db).filter(\.$user.$id == userID)
        let total = try await query.count()
        let rows = try await AppNotification.query(on: req.db).filter(\.$user.$id == userID)
            .sort(\.$createdAt, .descending).sort(\.$id).range((number - 1) * Self.pageSize ..< number * Self.pageSize).all()
        let unread = try await AppNotification.query(on: req.db).filter(\.$user.$id == userID).filter(\.$readAt == nil).count()
        let context = ListContext(
            page: PageMeta(title: unread > 0 ? "Notifications (\(unread) non lue\(unread > 1 ? "s" : ""))" : "Notifications"),
            notifications: rows.map { Row(id: $0.id!.uuidString.lowercased(), titre: $0.title, texte: $0.text, lien: $0.link,
                                          le: AccountController.format($0.createdAt), lue: $0.readAt != nil) },
            nonLues: unread, numero: number,
            precedente: number > 1 ? NotificationsURL.list.path(query: ["page": String(number - 1)]) : nil,
            suivante: number * Self.pageSize < total ? NotificationsURL.list.path(query: ["page": String(number + 1)]) : nil)
        return try await req.view.render("notifications", context)
    }

    @Sendable func markAllRead(req: Request) async throws -> Response {
        let user = try AccountController.requireUser(req)
        try await AppNotification.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$readAt == nil)
            .set(\.$readAt, to: req.clock.now()).update()
        return req.redirect(to: NotificationsURL.list.path, redirectType: .normal)
    }

    /// Marks one notification read and goes to its item.
    @Sendable func markRead(req: Request) async throws -> Response {
        let user = try AccountController.requireUser(req)
        let id = try req.uuidParameter("notificationID", notFound: "Aucune notification")
        guard let notification = try await AppNotification.query(on: req.db).filter(\.$id == id)
            .filter(\.$user.$id == user.requireID()).first() else {
            throw AppError.notFound("Aucune de vos notifications n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        if notification.readAt == nil {
            notification.readAt = req.clock.now()
            try await notification.save(on: req.db)
        }
        return req.redirect(to: AccountController.safeReturn(notification.link).isEmpty ? NotificationsURL.list.path : notification.link,
                            redirectType: .normal)
    }

    @Sendable func savePreferences(req: Request) async throws -> Response {
        let user = try AccountController.requireUser(req)
        let userID = try user.requireID()
        var chosen: [(NotificationKind, DeliveryMode)] = []
        var errors: [String: String] = [:]
        for kind in NotificationKind.allCases {
            guard let raw = try? req.content.get(String.self, at: "mode-" + kind.rawValue) else { continue }
            guard let mode = DeliveryMode(rawValue: raw) else {
                errors[kind.rawValue] = "Choisissez « dans l'application », « par courriel » ou « résumé quotidien » pour « \(kind.label) »."
                continue
            }
            chosen.append((kind, mode))
        }
        guard errors.isEmpty else {
            return try await AccountController().renderAccount(req, newToken: nil, passwordErrors: [:], passwordChanged: false,
                                                                preferenceErrors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let choices = chosen
        try await req.db.writeTransaction { db in
            for (kind, mode) in choices { try await NotificationPreferences.set(userID: userID, kind: kind, mode: mode, on: db) }
        }
        return req.redirect(to: AccountsURL.account.path(query: ["notifications": "enregistrees"]) + "#notifications", redirectType: .normal)
    }

    struct UnsubscribeContext: Encodable {
        var page: PageMeta
        var jeton: String
        var genre: String?
        var fait: Bool
    }

    @Sendable func unsubscribeForm(req: Request) async throws -> Response {
        let token = req.parameters.get("jeton") ?? ""
        guard let (_, kind) = try await UnsubscribeToken.read(token, on: req.db) else {
            return try await req.view.render("desabonnement", UnsubscribeContext(page: PageMeta(title: "Erreur : lien de désabonnement"), jeton: "", genre: nil, fait: false))
                .encodeResponse(status: .notFound, for: req)
        }
        return try await req.view.render("desabonnement", UnsubscribeContext(page: PageMeta(title: "Se désabonner"), jeton: token, genre: kind.label, fait: false))
            .encodeResponse(for: req)
    }

    /// Sets the kind of the token to "in the application only" for its account.
    @Sendable func unsubscribe(req: Request) async throws -> Response {
        let token = req.parameters.get("jeton") ?? ""
        guard let (userID, kind) = try await UnsubscribeToken.read(token, on: req.db),
              try await User.find(userID, on: req.db) != nil else {
            throw AppError.notFound("Ce lien de désabonnement n'est pas valide.")
        }
        try await req.db.writeTransaction { db in
            try await NotificationPreferences.set(userID: userID, kind: kind, mode: .inApp, on: db)
        }
        return try await req.view.render("desabonnement", UnsubscribeContext(page: PageMeta(title: "Désabonnement enregistré"), jeton: "", genre: kind.label, fait: true))
            .encodeResponse(for: req)
    }
}

/// Reading and writing how each person receives each kind.
enum NotificationPreferences {
    static func set(userID: UUID, kind: NotificationKind, mode: DeliveryMode, on db: any Database) async throws {
        if let existing = try await NotificationPreference.query(on: db).filter(\.$user.$id == userID).filter(\.$kind == kind).first() {
            existing.mode = mode
            try await existing.save(on: db)
        } else {
            try await NotificationPreference(userID: userID, kind: kind, mode: mode).create(on: db)
        }
    }

    /// Every kind with its mode for the account (by e-mail unless chosen otherwise).
    static func all(userID: UUID, on db: any Database) async throws -> [(kind: NotificationKind, mode: DeliveryMode)] {
        let saved = try await NotificationPreference.query(on: db).filter(\.$user.$id == userID).all()
        return NotificationKind.allCases.map { kind in (kind, saved.first(where: { $0.kind == kind })?.mode ?? .email) }
    }
}

/// Counts the unread notifications of the signed-in person for the header (`#accountNav()`), once per page.
struct UnreadNotificationsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, let id = request.currentUser?.id {
            request.unreadNotifications = try await AppNotification.query(on: request.db).filter(\.$user.$id == id)
                .filter(\.$readAt == nil).count()
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    private struct UnreadKey: StorageKey { typealias Value = Int }

    /// The unread notifications of the signed-in person, counted for the page's header.
    var unreadNotifications: Int? {
        get { storage[UnreadKey.self] }
        set { storage[UnreadKey.self] = newValue }
    }
}
