import CMQDomain
import Fluent
import Foundation
import Vapor

/// `/api/v1/plateaux…`, `/api/v1/reservations…` and the calendar feeds.
struct PlateauxAPIController {

    static func plateauID(_ req: Request) throws -> UUID {
        try req.uuidParameter("plateauID", notFound: "Aucun plateau technique")
    }

    static func reservationID(_ req: Request) throws -> UUID {
        try req.uuidParameter("reservationID", notFound: "Aucune réservation")
    }

    // MARK: - Platforms

    @Sendable func list(req: Request) async throws -> [PlateauDTO] {
        var errors: [FieldError] = []
        func id(_ key: String) -> UUID? {
            guard let raw = req.query[String.self, at: key], !raw.isEmpty else { return nil }
            guard let id = UUID(uuidString: raw) else { errors.append(FieldError(key, "« \(raw) » n'est pas un identifiant.")); return nil }
            return id
        }
        let campus = id("campus"), organisation = id("organisation")
        if !errors.isEmpty { throw AppError.validation(errors) }
        return try await PlateauService.list(campusID: campus, organisationID: organisation, on: req.db).map(PlateauDTO.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        var reader = try req.inputReader(mode: .create)
        let input = PlateauService.Input.read(&reader, creating: true)
        try reader.finish()
        let loaded = try await PlateauService(db: req.db, caller: req.caller).create(input)
        return try await PlateauDTO(loaded).created(at: PlateauxURL.apiPlateau(loaded.plateau.id).path, for: req)
    }

    @Sendable func get(req: Request) async throws -> PlateauDTO {
        PlateauDTO(try await PlateauService(db: req.db, caller: req.caller).load(try Self.plateauID(req)))
    }

    @Sendable func update(req: Request) async throws -> PlateauDTO {
        let id = try Self.plateauID(req)
        var reader = try req.inputReader(mode: .update)
        let input = PlateauService.Input.read(&reader, creating: false)
        try reader.finish()
        return PlateauDTO(try await PlateauService(db: req.db, caller: req.caller).update(id, input))
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await PlateauService(db: req.db, caller: req.caller).delete(try Self.plateauID(req))
        return .noContent
    }

    @Sendable func equipements(req: Request) async throws -> [EquipementDTO] {
        try await PlateauService(db: req.db, caller: req.caller).load(try Self.plateauID(req)).plateau.equipements.map(EquipementDTO.init)
    }

    @Sendable func addEquipement(req: Request) async throws -> Response {
        let id = try Self.plateauID(req)
        var reader = try req.inputReader(mode: .create)
        let input = PlateauService.EquipementInput.read(&reader)
        try reader.finish()
        guard let input else { throw AppError.validation([FieldError("nom", "Le nom de l'équipement est obligatoire.")]) }
        let (_, equipement) = try await PlateauService(db: req.db, caller: req.caller).addEquipement(id, input)
        return try await EquipementDTO(equipement).created(at: PlateauxURL.apiEquipements(id).path, for: req)
    }

    @Sendable func removeEquipement(req: Request) async throws -> HTTPStatus {
        let id = try Self.plateauID(req)
        let equipement = try req.uuidParameter("equipementID", notFound: "Aucun équipement")
        _ = try await PlateauService(db: req.db, caller: req.caller).removeEquipement(id, equipement)
        return .noContent
    }

    @Sendable func availability(req: Request) async throws -> DisponibilitesDTO {
        let loaded = try await PlateauService(db: req.db, caller: req.caller).load(try Self.plateauID(req))
        let days = try BookingQueries.days(du: req.query[String.self, at: "du"], au: req.query[String.self, at: "au"], today: req.today)
        let target = try Self.target(req.query[String.self, at: "equipement"], in: loaded.plateau, field: "equipement")
        let result = try await BookingQueries.availability(loaded, days: days, target: target, on: req.db)
        return DisponibilitesDTO(plateau: loaded.plateau, target: target, days: result)
    }

    static func target(_ raw: String?, in plateau: Plateau, field: String) throws(AppError) -> BookingTarget {
        guard let raw, !raw.isEmpty else { return .plateau }
        guard let id = UUID(uuidString: raw), plateau.equipement(id: id) != nil else {
            throw .validation([FieldError(field, "L'équipement « \(raw) » ne fait pas partie du plateau « \(plateau.nom) ».")])
        }
        return .equipement(id)
    }

    @Sendable func statistics(req: Request) async throws -> StatistiquesDTO {
        let loaded = try await PlateauService(db: req.db, caller: req.caller).load(try Self.plateauID(req))
        let months = try PlateauUsage.months(du: req.query[String.self, at: "du"], au: req.query[String.self, at: "au"], today: req.today)
        return StatistiquesDTO(try await PlateauUsage.compute([loaded], months: months, on: req.db), plateauID: loaded.plateau.id)
    }

    @Sendable func campusStatistics(req: Request) async throws -> StatistiquesDTO {
        let campusID = try req.uuidParameter("campusID", notFound: "Aucun campus")
        guard try await Campus.find(campusID, on: req.db) != nil else {
            throw AppError.notFound("Aucun campus n'a l'identifiant \(campusID.uuidString.lowercased()).")
        }
        let months = try PlateauUsage.months(du: req.query[String.self, at: "du"], au: req.query[String.self, at: "au"], today: req.today)
        let plateaux = try await PlateauService.list(campusID: campusID, on: req.db)
        return StatistiquesDTO(try await PlateauUsage.compute(plateaux, months: months, on: req.db), campusID: campusID)
    }

    // MARK: - Calendars

    @Sendable func plateauCalendar(req: Request) async throws -> Response {
        let loaded = try await PlateauService(db: req.db, caller: req.caller).load(try Self.plateauID(req))
        let records = try await BookingQueries.calendarRecords(plateauIDs: [loaded.plateau.id], today: req.today, on: req.db)
        return Self.calendarResponse(try await BookingQueries.calendar(name: loaded.plateau.nom, records: records, actor: req.actor, on: req.db),
                                     filename: "plateau-\(loaded.plateau.id.uuidString.lowercased()).ics")
    }

    /// An organisation's calendar: the bookings it made and those of its platforms.
    @Sendable func organisationCalendar(req: Request) async throws -> Response {
        let id = try req.uuidParameter("organisationID", notFound: "Aucune organisation")
        guard let organisation = try await Organisation.find(id, on: req.db) else {
            throw AppError.notFound("Aucune organisation n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        let owned = try await PlateauRecord.query(on: req.db).filter(\.$organisation.$id == id).all(\.$id)
        var records = try await BookingQueries.calendarRecords(organisationID: id, today: req.today, on: req.db)
        if !owned.isEmpty {
            let known = Set(records.compactMap(\.id))
            records += try await BookingQueries.calendarRecords(plateauIDs: owned, today: req.today, on: req.db).filter { !known.contains($0.id!) }
        }
        let feed = try await BookingQueries.calendar(name: "Plateaux techniques — \(organisation.nom)", records: records, actor: req.actor, on: req.db)
        return Self.calendarResponse(feed, filename: "organisation-\(id.uuidString.lowercased()).ics")
    }

    static func calendarResponse(_ feed: String, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(string: feed))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(filename)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=60")
        return response
    }

    // MARK: - Bookings

    @Sendable func listBookings(req: Request) async throws -> PageDTO<ReservationDTO> {
        guard let actor = req.actor else { throw AppError.unauthorized("Vous devez vous connecter pour consulter les réservations.") }
        struct Filter { var plateau: UUID?; var organisation: UUID?; var statut: BookingStatus?; var range: ClosedRange<Int>? }
        let (filter, page) = try readListQuery(req.queryParameters) { (query: [String: String]) throws(AppError) -> Filter in
            var reader = QueryReader(query)
            var filter = Filter(plateau: reader.uuid("plateau", of: "de plateau"), organisation: reader.uuid("organisation", of: "d'organisation"),
                                statut: reader.choice("statut", BookingStatus.self, "Le statut"))
            if reader.raw("du") != nil || reader.raw("au") != nil {
                do {
                    let days = try BookingQueries.days(du: reader.raw("du"), au: reader.raw("au"), today: req.today, maximum: 3_660)
                    filter.range = LocalDateTime(day: days.lowerBound, time: .midnight).wallClockMinutes...LocalDateTime(day: days.upperBound, time: .endOfDay).wallClockMinutes
                } catch let error as AppError { for fault in error.fieldErrors { reader.fail(fault.field, fault.detail) } } catch {}
            }
            try reader.finish()
            return filter
        }
        let result = try await BookingQueries.visible(actor: actor, plateauID: filter.plateau, organisationID: filter.organisation,
                                                      statut: filter.statut, range: filter.range, page: page, on: req.db)
        return PageDTO(result.map(ReservationDTO.init))
    }

    /// Reads a booking request: the platform, the item (none for the whole platform), the créneau and the rest.
    @Sendable func book(req: Request) async throws -> Response {
        var reader = try req.inputReader(mode: .create)
        let request = BookingService.Request.read(&reader)
        try reader.finish()
        guard let request else { throw AppError.validation([]) }
        let loaded = try await BookingService(db: req.db, caller: req.caller).book(request)
        return try await ReservationDTO(loaded).created(at: PlateauxURL.apiBooking(loaded.booking.id).path, for: req)
    }

    @Sendable func bookSeries(req: Request) async throws -> Response {
        var reader = try req.inputReader(mode: .create)
        let request = BookingService.Request.read(&reader)
        let weeks = reader.integer("semaines", required: true, range: 1...PlateauError.maximumSeriesWeeks).value
        let policy = reader.choice("politique", SeriesPolicy.self).value
        try reader.finish()
        guard let request, let weeks = weeks else { throw AppError.validation([]) }
        let result = try await BookingService(db: req.db, caller: req.caller).bookSeries(request, weeks: weeks, policy: policy ?? .allOrNothing)
        return try await SerieDTO(result).encodeResponse(status: .created, for: req)
    }

    @Sendable func getBooking(req: Request) async throws -> ReservationDTO {
        let loaded = try await BookingService(db: req.db, caller: req.caller).load(try Self.reservationID(req))
        try req.caller.authorize(.read, loaded.scope)
        return ReservationDTO(loaded)
    }

    @Sendable func accept(req: Request) async throws -> ReservationDTO {
        let id = try Self.reservationID(req)
        var reader = try req.inputReader(mode: .create, allowEmpty: true)
        try reader.finish()
        return ReservationDTO(try await BookingService(db: req.db, caller: req.caller).accept(id))
    }

    @Sendable func refuse(req: Request) async throws -> ReservationDTO {
        let id = try Self.reservationID(req)
        var reader = try req.inputReader(mode: .create)
        let motif = reader.text("motif", required: true, maxLength: 2_000).value
        try reader.finish()
        return ReservationDTO(try await BookingService(db: req.db, caller: req.caller).refuse(id, motif: motif ?? ""))
    }

    @Sendable func cancel(req: Request) async throws -> ReservationDTO {
        let id = try Self.reservationID(req)
        var reader = try req.inputReader(mode: .create, allowEmpty: true)
        let motif = reader.text("motif", maxLength: 2_000).value
        try reader.finish()
        return ReservationDTO(try await BookingService(db: req.db, caller: req.caller).cancel(id, motif: motif))
    }
}

/// Lets a calendar program, which cannot send headers, give an API token as `?jeton=` on the calendar feeds.
struct CalendarTokenAuthenticator: AsyncRequestAuthenticator {
    func authenticate(request: Request) async throws {
        guard request.currentUser == nil, let token = request.query[String.self, at: "jeton"], !token.isEmpty else { return }
        try await BearerTokenAuthenticator.authenticate(bearer: BearerAuthorization(token: token), for: request)
    }
}
