import CMQDomain
import Fluent
import Vapor

/// The public side of the actions: the list and the archive, an action's page with its registration form, its
/// calendar file, the page of a registration's own link (to cancel it), and the iCalendar feeds.
struct ActionPagesController {
    static func actionID(_ req: Request) throws -> UUID {
        try req.uuidParameter("actionID", notFound: "Aucune action")
    }

    @Sendable func list(req: Request) async throws -> View {
        let filters = try ActionFilters.read(req.queryParameters)
        return try await req.view.render("actions", ActionListPage.load(filters, query: req.queryParameters, upcoming: true, now: LocalDateTime(date: req.clock.now()), on: req.db))
    }

    @Sendable func archive(req: Request) async throws -> View {
        let filters = try ActionFilters.read(req.queryParameters)
        return try await req.view.render("actions", ActionListPage.load(filters, query: req.queryParameters, upcoming: false, now: LocalDateTime(date: req.clock.now()), on: req.db))
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, state: nil, status: .ok)
    }

    func render(_ req: Request, state: FormState?, status: HTTPResponseStatus) async throws -> Response {
        let action = try await ActionService(db: req.db, caller: req.caller).load(try Self.actionID(req))
        let context = try await ActionPageContext.load(action, state: state, notice: nil, now: LocalDateTime(date: req.clock.now()),
                                                       base: OpenDataAPIController.base(req), on: req.db)
        return try await req.view.render("action", context).encodeResponse(status: status, for: req)
    }

    /// The registration form: on success, the registration's own page (with its cancellation link).
    @Sendable func register(req: Request) async throws -> Response {
        let id = try Self.actionID(req)
        let values = try FormValues(req)
        var reader = InputReader(form: values.fields, mode: .create)
        let input = RegistrationInput.read(&reader)
        do {
            try reader.finish()
            guard let input else { throw AppError.validation([]) }
            let registration = try await RegistrationLedger(db: req.db, caller: req.caller).register(actionID: id, input)
            let done = registration.record.etat == .inscrit ? "inscrit" : "attente"
            return req.redirect(to: ActionsURL.registration(registration.token).path(query: ["fait": done]), redirectType: .normal)
        } catch AppError.validation(let errors) {
            return try await render(req, state: FormState(values: values, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func registration(req: Request) async throws -> View {
        let token = try req.parameters.require("jeton")
        let record = try await RegistrationLedger(db: req.db, caller: req.caller).find(token: token)
        let notice: String? = switch req.query[String.self, at: "fait"] {
        case "inscrit": "Votre inscription est enregistrée. Gardez l'adresse de cette page : elle permet d'annuler votre inscription."
        case "attente": "L'action est complète : vous êtes sur la liste d'attente. Si une place se libère, votre inscription passera sur la liste. Gardez l'adresse de cette page : elle permet d'annuler."
        case "annule": "Votre inscription est annulée."
        default: nil
        }
        return try await req.view.render("action-inscription", RegistrationPageContext(
            page: PageMeta(title: "Votre inscription", section: "actions"), actionTitle: record.action.titre,
            actionURL: ActionsURL.page(record.$action.id).path, state: record.etat.label, people: record.personnes,
            cancelURL: record.etat == .annule || record.effaceLe != nil ? nil : ActionsURL.registration(token).path, notice: notice))
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        let token = try req.parameters.require("jeton")
        _ = try await RegistrationLedger(db: req.db, caller: req.caller).cancel(token: token)
        return req.redirect(to: ActionsURL.registration(token).path(query: ["fait": "annule"]), redirectType: .normal)
    }

    /// « Ajouter à mon agenda »: the action's timings as one iCalendar file.
    @Sendable func calendarFile(req: Request) async throws -> Response {
        let action = try await ActionService(db: req.db, caller: req.caller).load(try Self.actionID(req))
        let organisation = try await action.record.$organisationLieu.get(on: req.db)
        let events = ActionPublishing.events(action, place: ActionPublishing.placeLine(action.record, organisation: organisation), base: OpenDataAPIController.base(req))
        return Self.calendar(ICalendar.feed(name: action.record.titre, events: events, stamp: req.clock.now()), filename: "action.ics")
    }

    /// The published actions (from a year ago on; filters as the list) in OpenAgenda's event shape.
    @Sendable func openAgenda(req: Request) async throws -> Response {
        var filters = try ActionFilters.read(req.queryParameters)
        filters.from = filters.from ?? req.today.adding(years: -1)
        let records = try await filters.query(upcoming: true, now: LocalDateTime(wallClockMinutes: 0), on: req.db).limit(2_000).all()
        let loaded = try await ActionService.loaded(records, on: req.db)
        let placeIDs = Array(Set(records.compactMap { $0.$organisationLieu.id }))
        let organisations = placeIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: req.db).filter(\.$id ~~ placeIDs).all().map { ($0.id!, $0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(OpenAgendaExport.make(loaded, organisations: organisations, base: OpenDataAPIController.base(req)))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: body))
    }

    /// The feed of the published actions (national; `?region=` for a région, `?campus=` for a campus), from a year ago on.
    @Sendable func feed(req: Request) async throws -> Response {
        var filters = try ActionFilters.read(req.queryParameters)
        filters.from = filters.from ?? req.today.adding(years: -1)
        let records = try await filters.query(upcoming: true, now: LocalDateTime(wallClockMinutes: 0), on: req.db).limit(2_000).all()
        let loaded = try await ActionService.loaded(records, on: req.db)
        let placeIDs = Array(Set(records.compactMap { $0.$organisationLieu.id }))
        let organisations = placeIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: req.db).filter(\.$id ~~ placeIDs).all().map { ($0.id!, $0) })
        let base = OpenDataAPIController.base(req)
        let events = loaded.flatMap { action in
            ActionPublishing.events(action, place: ActionPublishing.placeLine(action.record, organisation: action.record.$organisationLieu.id.flatMap { organisations[$0] }), base: base)
        }
        let name = filters.campusID != nil ? "Actions du campus" : filters.region.map { "Actions des campus de la région académique \($0.nom)" } ?? "Actions des campus des métiers et des qualifications"
        return Self.calendar(ICalendar.feed(name: name, events: events, stamp: req.clock.now()), filename: "actions.ics")
    }

    static func calendar(_ text: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
