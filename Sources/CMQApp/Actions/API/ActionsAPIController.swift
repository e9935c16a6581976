import CMQDomain
import Fluent
import Foundation
import Vapor

/// `/api/v1/actions…` and `/api/v1/inscriptions/:jeton`: the published actions for everyone (the public list's
/// filters, by pages), an action's writes for its campus team and organisers (through `ActionService`, as the
/// back-office), the participation, and registration in cmq with its cancellation by the link's secret.
struct ActionsAPIController {
    static func actionID(_ req: Request) throws -> UUID {
        try req.uuidParameter("actionID", notFound: "Aucune action")
    }

    /// The published actions, upcoming by default (`archives=true`: those that have ended, latest first).
    @Sendable func list(req: Request) async throws -> PageDTO<ActionDTO> {
        // `page` and `per` are the API's (PageRequest); the other parameters are the public list's.
        let ((filters, archives), page) = try readListQuery(req.queryParameters) { (query: [String: String]) throws(AppError) -> (ActionFilters, Bool) in
            var errors: [FieldError] = []
            var filters = ActionFilters()
            var publicQuery = query
            publicQuery["page"] = nil
            do throws(AppError) { filters = try ActionFilters.read(publicQuery) } catch { errors += error.fieldErrors }
            var reader = QueryReader(query)
            let archives = reader.bool("archives") ?? false
            do throws(AppError) { try reader.finish() } catch { errors += error.fieldErrors }
            guard errors.isEmpty else { throw .validation(errors) }
            return (filters, archives)
        }
        let records = try await filters.query(upcoming: !archives, now: LocalDateTime(date: req.clock.now()), on: req.db).paginated(page)
        let loaded = try await ActionService.loaded(records.items, on: req.db)
        let caller = req.caller
        return PageDTO(Page(items: try loaded.map { try ActionDTO($0, caller: caller) }, page: records.page, per: records.per, total: records.total))
    }

    @Sendable func create(req: Request) async throws -> Response {
        var reader = try req.inputReader(mode: .create)
        let campusID = reader.uuid("campusId", required: true).value
        let draft = ActionInput.read(&reader)
        try reader.finish()
        guard let campusID, let draft else { throw AppError.validation([]) }
        let created = try await ActionService(db: req.db, caller: req.caller).create(campusID: campusID, draft)
        return try await ActionDTO(created, caller: req.caller).created(at: ActionsURL.apiAction(created.record.id).path, for: req)
    }

    @Sendable func get(req: Request) async throws -> ActionDTO {
        try ActionDTO(try await ActionService(db: req.db, caller: req.caller).load(try Self.actionID(req)), caller: req.caller)
    }

    /// Changes the fields given; the others keep their values (`null` clears an optional one).
    @Sendable func update(req: Request) async throws -> ActionDTO {
        let id = try Self.actionID(req)
        let body = try req.jsonObject()
        let service = ActionService(db: req.db, caller: req.caller)
        let current = try await service.load(id)
        try req.caller.authorize(.update, .campusAction(current.scope))
        var reader = InputReader(object: try ActionInput.object(of: try current.draft).merging(body) { $1 }, mode: .create)
        let draft = ActionInput.read(&reader)
        try reader.finish()
        guard let draft else { throw AppError.validation([]) }
        return try ActionDTO(try await service.update(id, draft), caller: req.caller)
    }

    @Sendable func publish(req: Request) async throws -> ActionDTO {
        try await moderate(req, to: .publie)
    }

    @Sendable func withdraw(req: Request) async throws -> ActionDTO {
        try await moderate(req, to: .retire)
    }

    private func moderate(_ req: Request, to next: Moderation) async throws -> ActionDTO {
        let id = try Self.actionID(req)
        var reader = try req.inputReader(mode: .create, allowEmpty: true)
        try reader.finish()
        return try ActionDTO(try await ActionService(db: req.db, caller: req.caller).moderate(id, to: next), caller: req.caller)
    }

    /// A new draft with the same content, its timings moved by `jours` (364 by default: the same weekday a year later).
    @Sendable func duplicate(req: Request) async throws -> Response {
        let id = try Self.actionID(req)
        var reader = try req.inputReader(mode: .create, allowEmpty: true)
        let days = reader.integer("jours", range: -3660...3660).value
        try reader.finish()
        let copy = try await ActionService(db: req.db, caller: req.caller).duplicate(id, days: days ?? 364)
        return try await ActionDTO(copy, caller: req.caller).created(at: ActionsURL.apiAction(copy.record.id).path, for: req)
    }

    /// Records (or replaces) the participation, once the action has started.
    @Sendable func recordParticipation(req: Request) async throws -> ActionDTO {
        let id = try Self.actionID(req)
        var reader = try req.inputReader(mode: .create)
        let participation = ParticipationInput.read(&reader)
        try reader.finish()
        guard let participation else { throw AppError.validation([]) }
        return try ActionDTO(try await ActionService(db: req.db, caller: req.caller).recordParticipation(id, participation), caller: req.caller)
    }

    // MARK: - Registrations

    /// The registrations, for the organisers, by pages in order of arrival.
    @Sendable func registrations(req: Request) async throws -> PageDTO<InscriptionDTO> {
        let id = try Self.actionID(req)
        let page = try PageRequest.read(from: req.queryParameters)
        return PageDTO(try await RegistrationLedger(db: req.db, caller: req.caller).page(actionID: id, page).map(InscriptionDTO.init))
    }

    /// A visitor registers (no account needed); the answer carries the secret of the cancellation link, once.
    @Sendable func register(req: Request) async throws -> Response {
        let id = try Self.actionID(req)
        var reader = try req.inputReader(mode: .create)
        let input = RegistrationInput.read(&reader)
        try reader.finish()
        guard let input else { throw AppError.validation([]) }
        let ledger = RegistrationLedger(db: req.db, caller: req.caller)
        let registration = try await ledger.register(actionID: id, input)
        let title = try await ActionService(db: req.db, caller: req.caller).load(id).record.titre
        return try await OwnRegistrationDTO(registration.record, actionTitle: title, token: registration.token)
            .created(at: ActionsURL.apiRegistration(registration.token).path, for: req)
    }

    /// The registration of a link's secret (its state; never the name or e-mail).
    @Sendable func registration(req: Request) async throws -> OwnRegistrationDTO {
        let token = try req.parameters.require("jeton")
        let record = try await RegistrationLedger(db: req.db, caller: req.caller).find(token: token)
        return OwnRegistrationDTO(record, actionTitle: record.action.titre, token: nil)
    }

    @Sendable func cancel(req: Request) async throws -> HTTPStatus {
        let token = try req.parameters.require("jeton")
        _ = try await RegistrationLedger(db: req.db, caller: req.caller).cancel(token: token)
        return .noContent
    }
}
