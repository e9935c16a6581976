import CMQDomain
import Fluent
import Vapor

/// The list of bookings of the back-office: those of the platforms the account looks after, or those its
/// organisation made; filtered by period, dates, status, platform and organisation, sorted by date, a page at a
/// time, and downloadable as CSV with the same filters.
struct BookingList {
    enum View: String, CaseIterable {
        /// The bookings of the platforms the account looks after.
        case plateaux
        /// The bookings its organisation made.
        case organisation
    }

    enum Period: String, CaseIterable {
        case aVenir = "a-venir"
        case passees
        case toutes

        var label: String {
            switch self {
            case .aVenir: "À venir"
            case .passees: "Passées"
            case .toutes: "Toutes"
            }
        }
    }

    var view: View
    var period: Period = .aVenir
    var statut: BookingStatus?
    var plateau: UUID?
    var organisation: String?
    var du: CalendarDay?
    var au: CalendarDay?
    var descending = false
    /// Shown as an agenda (the bookings grouped by day) rather than a table.
    var agenda = false

    static let csvLimit = 50_000

    /// Reads the filters; the views the account cannot have are refused (403), wrong values listed (422).
    static func read(_ query: [String: String], actor: Actor, managesPlatforms: Bool) throws -> BookingList {
        var reader = QueryReader(query)
        let defaultView: View = managesPlatforms ? .plateaux : .organisation
        let view = reader.choice("vue", View.self, "La vue") ?? defaultView
        var list = BookingList(view: view)
        list.period = reader.choice("periode", Period.self, "La période") ?? .aVenir
        list.statut = reader.choice("statut", BookingStatus.self, "Le statut")
        list.plateau = reader.uuid("plateau", of: "de plateau")
        list.organisation = reader.text("organisation").map { String($0.prefix(100)) }
        list.du = reader.day("du")
        list.au = reader.day("au")
        if let display = reader.raw("affichage") {
            switch display {
            case "liste": list.agenda = false
            case "agenda": list.agenda = true
            default: reader.fail("affichage", "L'affichage vaut « liste » ou « agenda ».")
            }
        }
        if let order = reader.raw("ordre") {
            switch order {
            case "date": list.descending = false
            case "-date": list.descending = true
            default: reader.fail("ordre", "L'ordre vaut « date » (les plus anciennes d'abord) ou « -date » (les plus récentes d'abord).")
            }
        } else {
            list.descending = list.period == .passees
        }
        try reader.finish()
        switch view {
        case .plateaux where !managesPlatforms:
            throw AppError.forbidden("Votre compte ne gère aucun plateau technique.")
        case .organisation where actor.organisationID == nil:
            throw AppError.forbidden("Votre compte n'est rattaché à aucune organisation.")
        default: return list
        }
    }

    /// The query string of these filters (for the pager, the CSV and the other view).
    var parameters: [String: String?] {
        ["vue": view.rawValue, "periode": period.rawValue, "statut": statut?.rawValue, "plateau": plateau?.uuidString.lowercased(),
         "organisation": organisation, "du": du?.iso, "au": au?.iso, "ordre": descending ? "-date" : "date",
         "affichage": agenda ? "agenda" : nil]
    }

    /// The bookings the filters keep, for the account (nil when the view has nothing to show it).
    func query(actor: Actor, now: Date, on db: any Database) -> QueryBuilder<ReservationRecord>? {
        let query = ReservationRecord.query(on: db)
        switch view {
        case .plateaux:
            guard BookingQueries.restrict(query, toPlatformsManagedBy: actor) else { return nil }
        case .organisation:
            guard let organisationID = actor.organisationID else { return nil }
            query.filter(\.$organisation.$id == organisationID)
        }
        let minutes = LocalDateTime(date: now).wallClockMinutes
        switch period {
        case .aVenir: query.filter(\.$fin > minutes)
        case .passees: query.filter(\.$fin <= minutes)
        case .toutes: break
        }
        if let du { query.filter(\.$fin > LocalDateTime(day: du, time: TimeOfDay(minutes: 0)!).wallClockMinutes) }
        if let au { query.filter(\.$debut < LocalDateTime(day: au.adding(days: 1), time: TimeOfDay(minutes: 0)!).wallClockMinutes) }
        if let statut { query.filter(\.$statut == statut) }
        if let plateau { query.filter(\.$plateau.$id == plateau) }
        if let organisation, !organisation.isEmpty {
            query.join(Organisation.self, on: \ReservationRecord.$organisation.$id == \Organisation.$id)
                .filter(Organisation.self, \.$nomCle, .contains(inverse: false, .anywhere), TextFolding.searchKey(organisation))
        }
        return query.sort(\.$debut, descending ? .descending : .ascending).sort(\.$id)
    }

    func page(_ request: PageRequest, actor: Actor, now: Date, on db: any Database) async throws -> Page<BookingService.Loaded> {
        guard let query = query(actor: actor, now: now, on: db) else { return Page(items: [], page: 1, per: request.per, total: 0) }
        let total = try await query.count()
        let records = try await query.range(request.offset..<(request.offset + request.per)).with(\.$organisation).all()
        return Page(items: try await BookingQueries.loaded(records, on: db), page: request.page, per: request.per, total: total)
    }

    /// The platforms the account may filter on in this view.
    static func platforms(view: View, actor: Actor, on db: any Database) async throws -> [PlateauRecord] {
        let query = PlateauRecord.query(on: db)
        switch view {
        case .organisation:
            let ids = try await ReservationRecord.query(on: db).filter(\.$organisation.$id == (actor.organisationID ?? UUID())).all(\.$plateau.$id)
            query.filter(\.$id ~~ Array(Set(ids)))
        case .plateaux:
            switch actor.role {
            case .administrateurNational: break
            case .regionAcademique:
                query.join(Campus.self, on: \PlateauRecord.$campus.$id == \Campus.$id).filter(Campus.self, \.$regionCode == (actor.regionCode ?? ""))
            case .equipeCampus: query.filter(\.$campus.$id == (actor.campusID ?? UUID()))
            case .membre: query.filter(\.$organisation.$id == (actor.organisationID ?? UUID()))
            case .instance: return []
            }
        }
        return try await query.sort(\.$nom).limit(500).all()
    }
}

extension PlateauBookingPagesController {
    /// `GET /gestion/reservations.csv`: the list's bookings with its filters, a line each.
    @Sendable func csv(req: Request) async throws -> Response {
        guard let actor = req.actor else { throw AppError.unauthorized("Vous devez vous connecter pour consulter les réservations.") }
        let list = try BookingList.read(req.queryParameters, actor: actor, managesPlatforms: try await Self.managesPlatforms(actor, on: req.db))
        let db = req.db, now = req.clock.now()
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"reservations.csv\"")
        let body = Response.Body(managedAsyncStream: { writer in
            var text = "\u{FEFF}debut;fin;plateau;equipement;organisation;personne;objet;participants;statut;motif;details\r\n"
            var done = 0
            while done < BookingList.csvLimit {
                let page = try await list.page(PageRequest(page: done / 100 + 1, per: 100), actor: actor, now: now, on: db)
                for loaded in page.items {
                    let item = Self.item(loaded, actor: actor, cancellable: false)
                    let booking = loaded.booking
                    let fields = [booking.creneau.start.iso, booking.creneau.end.iso, item.plateau, item.what, item.organisation, item.personne,
                                  item.objet, String(item.participants), item.statut, item.motif ?? "", item.details ?? ""]
                    text += fields.map(AuditController.csvField).joined(separator: ";") + "\r\n"
                }
                try await writer.writeBuffer(ByteBuffer(string: text))
                text = ""
                done += page.items.count
                if page.items.count < 100 { break }
            }
        })
        return Response(status: .ok, headers: headers, body: body)
    }
}
