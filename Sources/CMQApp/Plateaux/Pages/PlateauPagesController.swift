import CMQDomain
import Fluent
import Vapor

/// `/plateaux/:plateauID`: the public page of a shared technical platform, its week, and the booking form for
/// the accounts that may book. Bookings go through `BookingService`, as in the API.
struct PlateauPagesController {
    struct EquipementRow: Encodable {
        var nom: String
        var categorie: String
        var quantite: Int
        var securite: Bool
    }

    struct HoursRow: Encodable {
        var jour: String
        var plages: String
    }

    struct RulesBlock: Encodable {
        var approvalRequired: Bool
        var notice: String?
        var maximumDuration: String?
        var openToCampuses: Bool
        var openToCompanies: Bool
    }

    /// The booking form, its values and faults, its fields grouped as the page shows them.
    struct BookingForm: Encodable {
        var action: String
        var organisationName: String?
        var who: [FormField]
        var what: [FormField]
        var slot: [FormField]
        var safety: [FormField]
        var safetyItems: String
        var series: [FormField]
        var policies: [OptionItem]
        var slotErrors: [String]
        var errors: [ErrorLink]
        var approvalRequired: Bool
    }

    struct Context: Encodable {
        var page: PageMeta
        var id: String
        var nom: String
        var description: String
        var adresse: String
        var owner: LinkItem
        var campus: LinkItem
        var equipements: [EquipementRow]
        var hours: [HoursRow]
        var closures: [String]
        var rules: RulesBlock
        var calendarURL: String
        var apiURL: String
        var week: WeekView
        var form: BookingForm?
        /// Why there is no form: not signed in, a role that does not book, an organisation the rules leave out.
        var formNote: String?
        var signInURL: String?
        var notice: String?
        var editURL: String?
        var deleteURL: String?
    }

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
        let service = PlateauService(db: req.db, caller: req.caller)
        let loaded = try await service.load(try Self.plateauID(req))
        let plateau = loaded.plateau
        let today = CalendarDay.today
        // The week of any of its days (`?semaine=2026-11-25`), this week by default.
        var weekDay = shownDay ?? today
        if let semaine = req.query[String.self, at: "semaine"], !semaine.isEmpty {
            guard let day = CalendarDay(iso: semaine) else {
                throw AppError.validation([FieldError("semaine", "« \(semaine) » n'est pas une date au format AAAA-MM-JJ.")])
            }
            weekDay = day
        }
        let target = try PlateauxAPIController.target(req.query[String.self, at: "equipement"], in: plateau, field: "equipement")
        let monday = weekDay.mondayOfWeek
        let days = try await BookingQueries.availability(loaded, days: monday...monday.adding(days: 6), target: target, on: req.db)
        let week = WeekView(plateau: plateau, days: days, target: target, today: today) { day in
            PlateauxURL.week(plateau.id, day: day, equipement: target.equipementID)
        }
        let rights = Rights(req.caller, .plateau(loaded.scope))
        let (form, note) = try await bookingForm(req, loaded, state: state)
        let rules = plateau.rules
        let context = Context(
            page: PageMeta(title: (state.errors.isEmpty ? "" : "Erreur : ") + "Plateau technique \(plateau.nom)",
                           description: plateau.description.isEmpty ? nil : plateau.description, section: "campus"),
            id: plateau.id.uuidString.lowercased(), nom: plateau.nom, description: plateau.description, adresse: plateau.adresse,
            owner: LinkItem(label: loaded.owner.nom, url: RegistryURL.organisation(plateau.organisationID).path),
            campus: LinkItem(label: loaded.campus.nom, url: RegistryURL.campus(plateau.campusID).path),
            equipements: plateau.equipements.map {
                EquipementRow(nom: $0.nom, categorie: $0.categorie, quantite: $0.quantite, securite: $0.requiresSafetyTraining)
            },
            hours: Weekday.allCases.map { day in
                HoursRow(jour: day.label.capitalizingFirstLetter,
                         plages: plateau.openingHours.intervals(on: day).map(\.text).joined(separator: ", "))
            },
            closures: plateau.closures.filter { $0.last >= today }.map { "\($0.french.capitalizingFirstLetter) : \($0.explanation)" },
            rules: RulesBlock(
                approvalRequired: rules.approvalRequired,
                notice: rules.minimumNoticeHours > 0 ? "\(rules.minimumNoticeHours) heure\(rules.minimumNoticeHours > 1 ? "s" : "")" : nil,
                maximumDuration: rules.maximumDurationMinutes.map { UsageStatistics.hoursText(minutes: $0) },
                openToCampuses: rules.openTo.contains(.allCampuses), openToCompanies: rules.openTo.contains(.companies)),
            calendarURL: PlateauxURL.apiCalendar(plateau.id).path, apiURL: PlateauxURL.apiPlateau(plateau.id).path,
            week: week, form: form, formNote: note,
            signInURL: req.actor == nil ? AccountsURL.login.path(query: ["retour": PlateauxURL.page(plateau.id).path]) : nil,
            notice: notice,
            editURL: rights.update ? PlateauxURL.edit(plateau.id).path : nil,
            deleteURL: rights.delete ? PlateauxURL.delete(plateau.id).path : nil)
        return try await req.view.render("plateau", context).encodeResponse(status: status, for: req)
    }

    /// The form for an account that may book (a member for its organisation, the national administrator for any
    /// organisation of the campus), or the reason why there is none.
    private func bookingForm(_ req: Request, _ loaded: PlateauService.Loaded, state: FormState) async throws -> (BookingForm?, String?) {
        guard let actor = req.actor else { return (nil, nil) }
        let plateau = loaded.plateau
        var organisationField: FormField?
        var organisationName: String?
        switch actor.role {
        case .administrateurNational:
            let members = try await PlateauPagesQueries.activeMembers(of: plateau.campusID, on: req.db)
            organisationField = state.field(FieldPath("organisationId"), "Organisation qui réserve", .select, required: true,
                                            blank: "Choisir une organisation du réseau",
                                            choices: members.map { ($0.id!.uuidString.lowercased(), $0.nom) })
        case .membre:
            guard let organisationID = actor.organisationID, let organisation = try await Organisation.find(organisationID, on: req.db) else {
                return (nil, nil)
            }
            let booker = try await BookerDirectory.booker(organisation: organisation, personID: actor.userID, on: req.db)
            guard plateau.rules.allows(booker, onCampus: plateau.campusID) else {
                return (nil, BookingRefusal.notOpenTo(plateau.rules.openTo).message)
            }
            organisationName = organisation.nom
        case .regionAcademique, .equipeCampus, .instance:
            if case .denied(let reason) = AccessPolicy.decide(actor, .create, .booking(plateau: loaded.scope, bookerOrganisationID: plateau.organisationID)) {
                return (nil, reason)
            }
        }
        let training = plateau.equipements.filter(\.requiresSafetyTraining).map(\.nom)
        var start = state.field(FieldPath("debut"), "Début", hint: "Heure, par exemple 08:30", required: true)
        start.inputType = "time"
        var end = state.field(FieldPath("fin"), "Fin", hint: "Heure, par exemple 12:00", required: true)
        end.inputType = "time"
        var day = state.field(FieldPath("jour"), "Jour", .date, hint: "Au format AAAA-MM-JJ si le navigateur ne propose pas de calendrier", required: true)
        day.inputType = "date"
        var participants = state.field(FieldPath("participants"), "Nombre de participants", required: true)
        participants.inputType = "number"
        participants.inputMode = "numeric"
        var weeks = state.field(FieldPath("semaines"), "Répéter chaque semaine pendant",
                                hint: "Nombre de semaines, de 2 à \(PlateauError.maximumSeriesWeeks) ; laissez vide pour une seule réservation")
        weeks.inputType = "number"
        weeks.inputMode = "numeric"
        let policy = state.values.value(FieldPath("politique"))
        let what = [
            state.field(FieldPath("equipement"), "Équipement", .select,
                        choices: [("", "Plateau entier (tous les équipements)")]
                            + plateau.equipements.map { ($0.id.uuidString.lowercased(), $0.nom + ($0.requiresSafetyTraining ? " (formation à la sécurité requise)" : "")) }),
            state.field(FieldPath("objet"), "Objet", .select, required: true, blank: "Choisir l'objet",
                        choices: BookingPurpose.allCases.map { ($0.rawValue, $0.label) }),
            participants,
            state.field(FieldPath("details"), "Précisions", .textarea, hint: "Formation, groupe, besoins particuliers…"),
        ]
        let safety = training.isEmpty ? [] : [state.field(FieldPath("formationSecuriteConfirmee"),
                                                          "Je confirme que les participants ont suivi la formation à la sécurité requise", .checkbox)]
        let who = [organisationField].compactMap { $0 }
        let slot = [day, start, end]
        let form = BookingForm(
            action: PlateauxURL.book(plateau.id).path, organisationName: organisationName, who: who, what: what, slot: slot, safety: safety,
            safetyItems: training.joined(separator: ", "), series: [weeks],
            policies: SeriesPolicy.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0.rawValue == policy) },
            slotErrors: state.errors.filter { $0.field == "creneau" }.map(\.detail),
            errors: state.summary(of: who + what + slot + safety + [weeks], linking: ["creneau": (href: "reservation-creneau", label: "Créneau")]),
            approvalRequired: plateau.rules.approvalRequired)
        return (form, nil)
    }

    // MARK: - Booking

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
        let organisation = reader.uuid("organisationId").newValue ?? nil
        let equipement = reader.uuid("equipement").newValue ?? nil
        let day = reader.day("jour", required: true).newValue ?? nil
        let start = reader.text("debut", required: true, maxLength: 8).newValue ?? nil
        let end = reader.text("fin", required: true, maxLength: 8).newValue ?? nil
        let purpose = reader.choice("objet", BookingPurpose.self, required: true).newValue ?? nil
        let participants = reader.integer("participants", required: true, range: 1...10_000).newValue ?? nil
        let details = reader.text("details", maxLength: 2_000).newValue ?? nil
        let safety = reader.bool("formationSecuriteConfirmee").newValue ?? nil
        let weeks = reader.integer("semaines", range: 1...PlateauError.maximumSeriesWeeks).newValue ?? nil
        let policy = reader.choice("politique", SeriesPolicy.self).newValue ?? nil
        var creneau: TimeRange?
        if let day = day ?? nil, let start = start ?? nil, let end = end ?? nil {
            do throws(PlateauError) {
                creneau = try TimeRange(day: day, from: Self.minutes(start), to: Self.minutes(end))
            } catch {
                if case .invalidTime(let text) = error, text == Self.minutes(start) {
                    reader.fail("debut", error.message)
                } else {
                    reader.fail("fin", error.message)
                }
            }
        }
        try reader.finish()
        guard let creneau, let purpose = purpose ?? nil, let participants = participants ?? nil else { throw AppError.validation([]) }
        let request = BookingService.Request(
            plateauID: plateauID, target: (equipement ?? nil).map(BookingTarget.equipement) ?? .plateau, creneau: creneau, purpose: purpose,
            participants: participants, details: details ?? nil, safetyTrainingConfirmed: (safety ?? nil) ?? false, organisationID: organisation ?? nil)
        let service = BookingService(db: req.db, caller: req.caller)
        let back = PlateauxURL.week(plateauID, day: creneau.start.day, equipement: nil)
        if let weeks = weeks ?? nil, weeks > 1 {
            let result: BookingService.SeriesResult
            do {
                result = try await service.bookSeries(request, weeks: weeks, policy: (policy ?? nil) ?? .allOrNothing)
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
