import CMQDomain
import Fluent
import Vapor

/// `/plateaux/:plateauID`: the public page of a shared technical platform, its week, and the booking form for
/// the accounts that may book. Bookings go through `BookingService`, as in the API.
struct PlateauPagesController {
    static func plateauID(_ req: Request) throws -> UUID {
        try req.uuidParameter("plateauID", notFound: "Aucun plateau technique")
    }

    @Sendable func page(req: Request) async throws -> Response {
        let notice: String? = switch req.query[String.self, at: "fait"] {
        case "demande": "Votre demande de réservation est enregistrée : elle attend l'accord du propriétaire du plateau. Vous la suivez dans « Réservations » de la gestion."
        case "acceptee": "Votre réservation est enregistrée et acceptée."
        case "serie":
            "La série est enregistrée : \(req.query[Int.self, at: "nombre"] ?? 0) réservation(s)"
                + ((req.query[Int.self, at: "ignorees"] ?? 0) > 0 ? ", \(req.query[Int.self, at: "ignorees"] ?? 0) semaine(s) ignorée(s) car impossibles." : ".")
        case "cree": "Le plateau technique est créé."
        case "modifie": "Les modifications du plateau sont enregistrées."
        default: nil
        }
        return try await render(req, state: FormState(values: FormValues(fields: ["politique": SeriesPolicy.allOrNothing.rawValue])),
                                notice: notice, status: .ok)
    }

    /// The page at the week of `?semaine=`, or of `week` (the day a refused booking asked for).
    func render(_ req: Request, state: FormState, notice: String?, status: HTTPResponseStatus, week shownDay: CalendarDay? = nil) async throws -> Response {
        let loaded = try await PlateauService(db: req.db, caller: req.caller).load(try Self.plateauID(req))
        // The week of any of its days (`?semaine=2026-11-25`), this week by default.
        var weekDay = shownDay ?? req.today
        if let semaine = req.query[String.self, at: "semaine"], !semaine.isEmpty {
            guard let day = CalendarDay(iso: semaine) else {
                throw AppError.validation([FieldError("semaine", "« \(semaine) » n'est pas une date au format AAAA-MM-JJ.")])
            }
            weekDay = day
        }
        let target = try PlateauxAPIController.target(req.query[String.self, at: "equipement"], in: loaded.plateau, field: "equipement")
        let context = try await PlateauPage.load(loaded, week: weekDay, target: target, state: state, notice: notice, caller: req.caller, on: req.db)
        return try await req.view.render("plateau", context).encodeResponse(status: status, for: req)
    }

    @Sendable func book(req: Request) async throws -> Response {
        let id = try Self.plateauID(req)
        let values = try FormValues(req)
        do {
            let location = try await Self.submitBooking(req, plateauID: id, values: values)
            return req.redirect(to: location, redirectType: .normal)
        } catch AppError.validation(let errors) {
            return try await render(req, state: FormState(values: values, errors: errors), notice: nil, status: .unprocessableEntity,
                                    week: values.fields["jour"].flatMap(CalendarDay.init(iso:)))
        } catch AppError.conflict(let detail) {
            return try await render(req, state: FormState(values: values, errors: [FieldError("creneau", detail)]), notice: nil, status: .conflict,
                                    week: values.fields["jour"].flatMap(CalendarDay.init(iso:)))
        }
    }

    /// Reads the form, books one créneau or a weekly series, and gives the address to go back to.
    static func submitBooking(_ req: Request, plateauID: UUID, values: FormValues) async throws -> String {
        var reader = InputReader(form: values.fields, mode: .create)
        let input = try BookingService.Request.readForm(&reader, plateauID: plateauID)
        let (request, creneau) = (input.request, input.request.creneau)
        let service = BookingService(db: req.db, caller: req.caller)
        let back = PlateauxURL.week(plateauID, day: creneau.start.day, equipement: nil)
        if let weeks = input.weeks, weeks > 1 {
            let result: BookingService.SeriesResult
            do {
                result = try await service.bookSeries(request, weeks: weeks, policy: input.policy ?? .allOrNothing)
            } catch AppError.validation(let errors) {
                // The occurrences that fail are about the créneau, shown beside it.
                throw AppError.validation(errors.map { $0.field == "semaines" ? FieldError("creneau", $0.detail) : $0 })
            }
            return back + "&fait=serie&nombre=\(result.bookings.count)&ignorees=\(result.skipped.count)#semaine"
        }
        let loaded = try await service.book(request)
        return back + "&fait=\(loaded.booking.status == .acceptee ? "acceptee" : "demande")#semaine"
    }

    /// "08:30:00" (a time field with seconds) → "08:30".
    static func minutes(_ time: String) -> String {
        time.count == 8 && time.hasSuffix(":00") ? String(time.prefix(5)) : time
    }
}
