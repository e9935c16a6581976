import CMQDomain
import Fluent
import Vapor

/// "Demander un accès" (public form) and the queue of requests (`/gestion/demandes-acces`).
struct AccessRequestController {
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct FormContext: Encodable {
        var page: PageMeta
        var values: [String: String]
        var errors: [String]
        var roles: [Option]
        var campus: [Option]
        var sent: Bool
    }

    static func roleOptions(_ selected: String?, roles: [Role] = AccessRequests.requestableRoles) -> [Option] {
        roles.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    static func campusOptions(_ selected: String?, on db: any Database) async throws -> [Option] {
        try await Campus.query(on: db).sort(\.$nom).all().map {
            Option(value: $0.id!.uuidString.lowercased(), label: $0.nom, selected: $0.id!.uuidString.lowercased() == selected?.lowercased())
        }
    }

    @Sendable func form(req: Request) async throws -> View {
        try await req.view.render("demande-acces", FormContext(
            page: PageMeta(title: "Demander un accès"),
            values: ["nom": "", "email": "", "organisation": "", "role": "", "campus": "", "message": ""], errors: [], roles: Self.roleOptions(nil),
            campus: try await Self.campusOptions(nil, on: req.db), sent: req.query["envoyee"] == "1"))
    }

    @Sendable func submit(req: Request) async throws -> Response {
        func field(_ name: String) -> String { String(((try? req.content.get(String.self, at: name)) ?? "").prefix(4000)) }
        let values = ["nom": field("nom"), "email": field("email"), "organisation": field("organisation"), "role": field("role"),
                      "campus": field("campus"), "message": field("message")]
        do {
            _ = try await AccessRequests(db: req.db, caller: req.caller).submit(.init(
                nom: values["nom"]!, email: values["email"]!, organisation: values["organisation"]!, role: values["role"]!,
                campus: values["campus"], message: values["message"]!), clientAddress: req.clientAddress)
        } catch AppError.validation(let faults) {
            let context = FormContext(page: PageMeta(title: "Erreur : demander un accès"), values: values,
                                      errors: faults.map(\.detail),
                                      roles: Self.roleOptions(values["role"]), campus: try await Self.campusOptions(values["campus"], on: req.db), sent: false)
            return try await req.view.render("demande-acces", context).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: AccountsURL.accessRequest.path(query: ["envoyee": "1"]), redirectType: .normal)
    }

    struct Row: Encodable {
        var id: String
        var nom: String
        var email: String
        var organisation: String
        var role: String
        var campus: String?
        var message: String
        var le: String
        var roles: [Option]
        var campusChoices: [Option]
        var instances: [Option]
    }

    struct QueueContext: Encodable {
        var page: PageMeta
        var demandes: [Row]
        var error: String?
        var created: String?
    }

    @Sendable func queue(req: Request) async throws -> View {
        try await renderQueue(req, error: nil)
    }

    func renderQueue(_ req: Request, error: String?) async throws -> View {
        let requests = try await AccessRequests(db: req.db, caller: req.caller).queue()
        let campus = try await Campus.query(on: req.db).sort(\.$nom).all()
        let isAdmin = req.actor?.role == .administrateurNational
        let rows = requests.map { request in
            Row(id: request.id!.uuidString.lowercased(), nom: request.nom, email: request.email, organisation: request.organisation,
                role: request.role.label, campus: campus.first(where: { $0.id == request.campusID })?.nom, message: request.message,
                le: AccountController.format(request.createdAt),
                roles: Self.roleOptions(request.role.rawValue, roles: isAdmin ? AccessRequests.requestableRoles : [.membre, .equipeCampus]),
                campusChoices: campus.filter { isAdmin || $0.id == request.campusID }.map {
                    Option(value: $0.id!.uuidString.lowercased(), label: $0.nom, selected: $0.id == request.campusID)
                },
                instances: Instance.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) })
        }
        return try await req.view.render("gestion/demandes-acces", QueueContext(
            page: PageMeta(title: error == nil ? "Demandes d'accès" : "Erreur : demandes d'accès"), demandes: rows, error: error,
            created: req.query["compte"]))
    }

    @Sendable func accept(req: Request) async throws -> Response {
        let id = try req.uuidParameter("demandeID", notFound: "Aucune demande d'accès")
        func field(_ name: String) -> String? {
            let value = ((try? req.content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : String(value.prefix(200))
        }
        guard let role = field("role").flatMap(Role.init(rawValue:)), AccessRequests.requestableRoles.contains(role) else {
            throw AppError.validation([FieldError("role", "Choisissez le rôle du compte dans la liste.")])
        }
        func uuid(_ name: String, _ label: String) throws -> UUID? {
            guard let raw = field(name) else { return nil }
            guard let id = UUID(uuidString: raw) else { throw AppError.validation([FieldError(name, "\(label) « \(raw) » n'est pas un identifiant.")]) }
            return id
        }
        var instance: Instance?
        if let raw = field("instance") {
            guard let value = Instance(rawValue: raw) else { throw AppError.validation([FieldError("instance", "Choisissez l'instance dans la liste.")]) }
            instance = value
        }
        let account = UserService.NewAccount(
            email: "", nom: "", role: role, region: role == .regionAcademique || instance == .crefop ? field("region") : nil,
            campusID: role == .equipeCampus ? try uuid("campus", "Le campus") : nil,
            organisationID: role == .membre ? try uuid("organisation", "L'organisation") : nil,
            instance: role == .instance ? instance : nil, academie: role == .instance && instance == .caen ? field("academie") : nil, password: "")
        let user = try await AccessRequests(db: req.db, caller: req.caller).accept(id, account: account, passwords: req.password.async)
        return req.redirect(to: AccountsURL.accessRequests.path(query: ["compte": user.email]), redirectType: .normal)
    }

    @Sendable func refuse(req: Request) async throws -> Response {
        let id = try req.uuidParameter("demandeID", notFound: "Aucune demande d'accès")
        try await AccessRequests(db: req.db, caller: req.caller).refuse(id)
        return req.redirect(to: AccountsURL.accessRequests.path, redirectType: .normal)
    }
}
