import CMQDomain
import Fluent
import Vapor

/// `/gestion/reservations`: the bookings of the signed-in account. The requests waiting for its decision (on the
/// platforms it looks after) with their Accepter / Refuser forms, its organisation's bookings with an Annuler form,
/// and the bookings to come on its platforms. Every decision goes through `BookingService`, as in the API.
struct PlateauBookingPagesController {
    struct Item: Encodable {
        var id: String
        var anchor: String
        var plateau: String
        var plateauURL: String
        var what: String
        var creneau: String
        var organisation: String
        var personne: String
        var objet: String
        var participants: Int
        var details: String?
        var statut: String
        var statutSlug: String
        var motif: String?
        var acceptURL: String?
        var refuseURL: String?
        var cancelURL: String?
    }

    struct Context: Encodable {
        var page: PageMeta
        var notice: String?
        var errors: [String]
        /// Whether the account looks after platforms (owner, campus team, région, national administrator).
        var managesPlatforms: Bool
        var awaiting: [Item]
        var limit: Int
        /// The list: its title, its filters, a page of bookings, the pager, the CSV and the calendars.
        var listTitle: String
        var views: [LinkItem]
        var periods: [OptionItem]
        var statuses: [OptionItem]
        var platforms: [OptionItem]
        var filter: ListFilter
        var items: [Item]
        var total: Int
        var pager: Pager
        var csvURL: String
        var calendars: [LinkItem]
        /// The same page as an agenda (bookings grouped by day), and the way back to the table.
        var agenda: [AgendaDay]?
        var displayURL: String
    }

    struct AgendaDay: Encodable {
        var day: String
        var items: [Item]
    }

    struct ListFilter: Encodable {
        var vue: String
        var organisation: String
        var du: String
        var au: String
        var descending: Bool
    }

    static let limit = 100

    @Sendable func page(req: Request) async throws -> Response {
        let notice: String? = switch req.query[String.self, at: "fait"] {
        case "acceptee": "La réservation est acceptée."
        case "refusee": "La réservation est refusée ; le motif est transmis avec elle."
        case "annulee": "La réservation est annulée : son créneau est de nouveau libre."
        default: nil
        }
        return try await render(req, errors: [], notice: notice, status: .ok)
    }

    func render(_ req: Request, errors: [String], notice: String?, status: HTTPResponseStatus) async throws -> Response {
        guard let actor = req.actor else { throw AppError.unauthorized("Vous devez vous connecter pour consulter les réservations.") }
        let db = req.db
        let manages = try await Self.managesPlatforms(actor, on: db)
        let awaiting = try await PlateauPagesQueries.ofManagedPlatforms(actor: actor, statuses: [.demandee], now: req.clock.now(), limit: Self.limit, on: db)
        let list = try BookingList.read(req.queryParameters, actor: actor, managesPlatforms: manages)
        let pageRequest = try PageRequest.read(from: req.queryParameters)
        let page = try await list.page(PageRequest(page: pageRequest.page, per: 25), actor: actor, now: req.clock.now(), on: db)
        let organisation = try await actor.organisationID.asyncMap { try await Organisation.find($0, on: db) } ?? nil
        let parameters = list.parameters
        var views: [LinkItem] = []
        if manages { views.append(LinkItem(label: "Sur les plateaux que vous gérez", url: PlateauxURL.bookings.path(query: ["vue": BookingList.View.plateaux.rawValue]))) }
        if let organisation { views.append(LinkItem(label: "Faites par \(organisation.nom)", url: PlateauxURL.bookings.path(query: ["vue": BookingList.View.organisation.rawValue]))) }
        var calendars: [LinkItem] = []
        if list.view == .organisation, let organisation {
            calendars.append(LinkItem(label: "Calendrier des réservations de \(organisation.nom) (iCalendar)", url: PlateauxURL.apiOrganisationCalendar(organisation.id).path))
        }
        let platforms = try await BookingList.platforms(view: list.view, actor: actor, on: db)
        if list.view == .plateaux {
            calendars += platforms.prefix(10).map { LinkItem(label: "Calendrier de \($0.nom) (iCalendar)", url: PlateauxURL.apiCalendar($0.id).path) }
        }
        let context = Context(
            page: PageMeta(title: (errors.isEmpty ? "" : "Erreur : ") + "Réservations des plateaux techniques", section: "gestion"),
            notice: notice, errors: errors,
            managesPlatforms: manages,
            awaiting: awaiting.map { Self.item($0, actor: actor, cancellable: false) },
            limit: Self.limit,
            listTitle: list.view == .organisation ? "Les réservations de \(organisation?.nom ?? "votre organisation")" : "Les réservations de vos plateaux",
            views: views.count > 1 ? views : [],
            periods: BookingList.Period.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == list.period) },
            statuses: BookingStatus.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == list.statut) },
            platforms: platforms.map { OptionItem(value: $0.id!.uuidString.lowercased(), label: $0.nom, selected: $0.id == list.plateau) },
            filter: ListFilter(vue: list.view.rawValue, organisation: list.organisation ?? "", du: list.du?.iso ?? "", au: list.au?.iso ?? "",
                               descending: list.descending),
            items: page.items.map { Self.item($0, actor: actor, cancellable: true) },
            total: page.total,
            pager: Pager(page: page.page, per: page.per, total: page.total) { number in
                PlateauxURL.bookings.path(query: parameters.merging(["page": String(number)]) { $1 })
            },
            csvURL: PlateauxURL.bookingsCSV.path(query: parameters),
            calendars: calendars,
            agenda: list.agenda ? Self.agenda(page.items, actor: actor) : nil,
            displayURL: PlateauxURL.bookings.path(query: parameters.merging(["affichage": list.agenda ? nil : "agenda"]) { $1 }))
        return try await req.view.render("gestion/reservations", context).encodeResponse(status: status, for: req)
    }

    /// The bookings of a page grouped by their day, in the page's order.
    static func agenda(_ bookings: [BookingService.Loaded], actor: Actor) -> [AgendaDay] {
        var days: [AgendaDay] = []
        for loaded in bookings {
            let day = loaded.booking.creneau.start.day.frenchWithWeekday.capitalizingFirstLetter
            let item = Self.item(loaded, actor: actor, cancellable: true)
            if days.last?.day == day { days[days.count - 1].items.append(item) } else { days.append(AgendaDay(day: day, items: [item])) }
        }
        return days
    }

    /// A member looks after its organisation's platforms, if it has any; the instances after none.
    static func managesPlatforms(_ actor: Actor, on db: any Database) async throws -> Bool {
        switch actor.role {
        case .administrateurNational, .regionAcademique, .equipeCampus: true
        case .membre: try await PlateauRecord.query(on: db).filter(\.$organisation.$id == (actor.organisationID ?? UUID())).count() > 0
        case .instance: false
        }
    }

    /// A booking as the lists show it, with the forms the account's rights allow.
    static func item(_ loaded: BookingService.Loaded, actor: Actor, cancellable: Bool) -> Item {
        let booking = loaded.booking
        let plateau = loaded.plateau.plateau
        let id = booking.id
        let mayDecide = booking.status == .demandee && Caller.viewer(actor).may(.update, loaded.scope)
        let mayCancel = cancellable && booking.status.isActive && Caller.viewer(actor).may(.delete, loaded.scope)
        return Item(
            id: id.uuidString.lowercased(), anchor: "reservation-\(id.uuidString.lowercased())",
            plateau: plateau.nom, plateauURL: PlateauxURL.week(plateau.id, day: booking.creneau.start.day, equipement: nil),
            what: booking.target.equipementID.flatMap { item in loaded.plateau.equipements.first { $0.id == item }?.nom } ?? "plateau entier",
            creneau: booking.creneau.french.capitalizingFirstLetter,
            organisation: loaded.record.$organisation.value?.nom ?? "", personne: loaded.record.personne,
            objet: booking.purpose.label, participants: booking.participants, details: booking.details,
            statut: booking.status.label, statutSlug: booking.status.rawValue, motif: booking.motif,
            acceptURL: mayDecide ? PlateauxURL.decision(id, .accepter).path : nil,
            refuseURL: mayDecide ? PlateauxURL.decision(id, .refuser).path : nil,
            cancelURL: mayCancel ? PlateauxURL.decision(id, .annuler).path : nil)
    }

    // MARK: - Decisions

    @Sendable func accept(req: Request) async throws -> Response {
        try await decide(req, done: "acceptee") { service, id, _ in _ = try await service.accept(id) }
    }

    @Sendable func refuse(req: Request) async throws -> Response {
        try await decide(req, done: "refusee") { service, id, form in _ = try await service.refuse(id, motif: form["motif"] ?? "") }
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        try await decide(req, done: "annulee") { service, id, form in
            _ = try await service.cancel(id, motif: form["motif"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 })
        }
    }

    /// Runs a decision; a refusal (422, 409) shows the list again with the reason, naming the booking, and nothing
    /// written. A booking the account may not touch answers 403.
    private func decide(_ req: Request, done: String,
                        _ write: (BookingService, UUID, [String: String]) async throws -> Void) async throws -> Response {
        let id = try req.uuidParameter("reservationID", notFound: "Aucune réservation")
        let form = try req.content.decode([String: String].self)
        let service = BookingService(db: req.db, caller: req.caller)
        do {
            try await write(service, id, form)
            return req.redirect(to: PlateauxURL.bookings.path + "?fait=\(done)", redirectType: .normal)
        } catch let error as AppError {
            let loaded = try await service.load(id)
            let name = "Réservation du \(loaded.booking.creneau.french) (\(loaded.plateau.plateau.name(of: loaded.booking.target)))"
            switch error {
            case .validation(let faults):
                return try await render(req, errors: faults.map { "\(name) : \($0.detail)" }, notice: nil, status: .unprocessableEntity)
            case .conflict(let detail):
                return try await render(req, errors: ["\(name) : \(detail)"], notice: nil, status: .conflict)
            default:
                throw error
            }
        }
    }
}
