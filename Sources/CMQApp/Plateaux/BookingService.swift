import CMQDomain
import Fluent
import Foundation
import SQLKit

extension BookingError {
    /// 409 when the bookings' state forbids it (the slot is taken, the booking already decided), 422 otherwise.
    var appError: AppError {
        if isConflict { return .conflict(message) }
        return .validation(reasons.map { FieldError(field, $0) })
    }

    private var field: String {
        switch self {
        case .missingRefusalMotif: "motif"
        case .seriesRejected: "semaines"
        case .refused, .conflict, .illegalTransition: "creneau"
        }
    }
}

/// Bookings of the platforms: made, accepted, refused and cancelled through `CMQDomain`'s rules, checked
/// against the caller's rights, recorded in the audit trail, and never double: the database refuses an
/// accepted booking that overlaps another (see `CreatePlateaux`), and this service turns that refusal into
/// a 409 naming the booking that holds the slot.
///
/// Each write is a `writeTransaction` (on SQLite it takes the database's write lock before reading, so that
/// the check and the insert are atomic and two writers cannot deadlock); on PostgreSQL concurrent writers
/// are not serialised: the exclusion constraint settles the race of bookings, and every change of status is
/// a conditional write (`claim`), so that of concurrent decisions on one booking exactly one wins.
struct BookingService {
    let db: any Database
    let caller: Caller
    /// When "now" is, for the notice and the passed-start rules (the demo books at past dates).
    var clock: @Sendable () -> Date { caller.clock.now }

    struct Request: Sendable {
        var plateauID: UUID
        var target: BookingTarget
        var creneau: TimeRange
        var purpose: BookingPurpose
        var participants: Int
        var details: String?
        var safetyTrainingConfirmed: Bool
        /// The booking organisation: the caller's own by default.
        var organisationID: UUID?
    }

    /// A booking with what the pages and the API show about it.
    struct Loaded: Sendable {
        var record: ReservationRecord
        var booking: Booking
        var plateau: PlateauService.Loaded

        var scope: Resource { .booking(plateau: plateau.scope, bookerOrganisationID: booking.organisationID) }
    }

    // MARK: - Reading

    func load(_ id: UUID) async throws -> Loaded {
        guard let record = try await ReservationRecord.query(on: db).filter(\.$id == id).with(\.$organisation).first() else {
            throw AppError.notFound("Aucune réservation n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        let plateau = try await PlateauService(db: db, caller: caller).load(record.$plateau.id)
        return Loaded(record: record, booking: try record.domain, plateau: plateau)
    }

    /// The bookings of a platform that touch `range` (all statuses), in time order.
    static func bookings(of plateauID: UUID, overlapping range: ClosedRange<Int>? = nil, statuses: [BookingStatus]? = nil,
                         on db: any Database) async throws -> [ReservationRecord] {
        let query = ReservationRecord.query(on: db).filter(\.$plateau.$id == plateauID).sort(\.$debut)
        if let range { query.filter(\.$debut < range.upperBound).filter(\.$fin > range.lowerBound) }
        if let statuses { query.filter(\.$statut ~~ statuses) }
        return try await query.all()
    }

    /// The accepted bookings of the platform that could collide with créneaux between `from` and `to`.
    private static func accepted(of plateauID: UUID, from: LocalDateTime, to: LocalDateTime, on db: any Database) async throws -> [Booking] {
        try await bookings(of: plateauID, overlapping: from.wallClockMinutes...to.wallClockMinutes, statuses: [.acceptee], on: db).map { try $0.domain }
    }

    // MARK: - Booking

    /// Books one créneau: accepted at once when the platform needs no approval, requested otherwise.
    func book(_ request: Request) async throws -> Loaded {
        let (plateau, bookingRequest, person, organisation) = try await prepare(request)
        let id = UUID()
        do {
            return try await db.writeTransaction { db in
                let existing = try await Self.accepted(of: request.plateauID, from: request.creneau.start, to: request.creneau.end, on: db)
                let booking: Booking
                do { booking = try plateau.plateau.book(bookingRequest, id: id, existing: existing, now: clock()) } catch let error as BookingError { throw error }
                let record = ReservationRecord(booking, equipementRang: plateau.rank(of: booking.target), personne: person, serieID: nil)
                try await record.create(on: db)
                try await caller.audit.record(.create, record, id: id, on: db)
                record.$organisation.value = organisation
                if booking.status == .demandee {
                    try await BookingNotices(db: db, caller: caller).requested(plateau, creneaux: [booking.creneau], organisation: organisation)
                }
                return Loaded(record: record, booking: booking, plateau: plateau)
            }
        } catch BookingError.conflict(let bookings) {
            throw try await explainConflict(bookings, plateau: plateau, target: request.target, creneau: request.creneau, requester: organisation.id)
        } catch let error as BookingError {
            throw error.appError
        } catch where Self.isOverlap(error) {
            let taken = try await conflicts(plateauID: request.plateauID, target: request.target, creneau: request.creneau)
            guard !taken.isEmpty else { throw AppError.conflict("Ce créneau vient d'être réservé par une autre demande : réessayez.") }
            throw try await explainConflict(taken, plateau: plateau, target: request.target, creneau: request.creneau, requester: organisation.id)
        }
    }

    /// A taken créneau said for the person who asked: whose booking holds it (« votre réservation » or the
    /// organisation's), of which item, when; then the free créneaux of the same length that day and the next
    /// open days (at most three); the bookings' numbers close the message for API clients.
    func explainConflict(_ bookings: [Booking], plateau: PlateauService.Loaded, target: BookingTarget, creneau: TimeRange,
                         requester: UUID?) async throws -> AppError {
        let others = Set(bookings.map(\.organisationID)).subtracting([requester].compactMap { $0 })
        let names = others.isEmpty ? [:] : Dictionary(
            try await Organisation.query(on: db).filter(\.$id ~~ Array(others)).all().map { ($0.id!, $0.nom) }, uniquingKeysWith: { a, _ in a })
        let holders = bookings.map { booking in
            let whose = booking.organisationID == requester ? "votre réservation" : "une réservation de \(names[booking.organisationID] ?? "une autre organisation")"
            return "\(whose) (\(plateau.plateau.name(of: booking.target)), \(booking.creneau.french))"
        }
        var text = "Ce créneau est déjà pris : il chevauche \(LabellingError.list(holders))."
        let free = try await freeCreneaux(plateau: plateau, target: target, like: creneau, limit: 3)
        text += free.isEmpty ? " Aucun créneau de même durée n'est libre dans les sept jours qui suivent."
            : " Créneaux libres de même durée : \(LabellingError.list(free))."
        text += " (Réservation\(bookings.count > 1 ? "s" : "") n° \(bookings.map { $0.id.uuidString.lowercased() }.joined(separator: ", ")).)"
        return .conflict(text)
    }

    /// The first free créneaux of the same length as `creneau`, on its day (after it) and the next seven days,
    /// in the platform's opening hours, for the same item.
    private func freeCreneaux(plateau: PlateauService.Loaded, target: BookingTarget, like creneau: TimeRange, limit: Int) async throws -> [String] {
        let length = creneau.end.wallClockMinutes - creneau.start.wallClockMinutes
        guard length > 0, length <= 24 * 60 else { return [] }
        let first = creneau.start.day
        let days = try await BookingQueries.availability(plateau, days: first...first.adding(days: 7), target: target, on: db)
        let now = LocalDateTime(date: clock()).wallClockMinutes
        var found: [String] = []
        for day in days {
            for interval in day.free {
                var start = interval.start.minutes
                if day.day == first { start = max(start, creneau.start.minuteOfDay) }
                // Whole hours or half hours, as people book.
                start = (start + 29) / 30 * 30
                while start + length <= interval.end.minutes, found.count < limit {
                    let begin = LocalDateTime(wallClockMinutes: day.day.daysSinceEpoch * 1440 + start)
                    if begin.wallClockMinutes > now, let range = try? TimeRange(start: begin, end: LocalDateTime(wallClockMinutes: begin.wallClockMinutes + length)) {
                        found.append(range.french)
                    }
                    start += max(length, 60)
                }
                if found.count >= limit { return found }
            }
        }
        return found
    }

    /// What a weekly series booked: the bookings made and the occurrences skipped.
    struct SeriesResult: Sendable {
        var serieID: UUID
        var bookings: [Loaded]
        var skipped: [SeriesOccurrence]
    }

    /// Books a weekly series under `policy`. When another writer takes a slot while the series is written
    /// (PostgreSQL), the series is planned again against the bookings then accepted.
    func bookSeries(_ request: Request, weeks: Int, policy: SeriesPolicy) async throws -> SeriesResult {
        let series: WeeklySeries
        do { series = try WeeklySeries(first: request.creneau, weeks: weeks) } catch { throw error.appError }
        let (plateau, bookingRequest, person, organisation) = try await prepare(request)
        let serieID = UUID()
        let last = series.occurrences.last!.end
        for attempt in 1...3 {
            do {
                let result = try await db.writeTransaction { db in
                    let existing = try await Self.accepted(of: request.plateauID, from: request.creneau.start, to: last, on: db)
                    let made: (bookings: [Booking], skipped: [SeriesOccurrence])
                    do {
                        made = try plateau.plateau.book(series, request: bookingRequest, policy: policy, existing: existing, now: clock())
                    } catch let error as BookingError { throw error.appError }
                    var loaded: [Loaded] = []
                    for booking in made.bookings {
                        let record = ReservationRecord(booking, equipementRang: plateau.rank(of: booking.target), personne: person, serieID: serieID)
                        try await record.create(on: db)
                        try await caller.audit.record(.create, record, id: booking.id, on: db)
                        record.$organisation.value = organisation
                        loaded.append(Loaded(record: record, booking: booking, plateau: plateau))
                    }
                    let requested = made.bookings.filter { $0.status == .demandee }.map(\.creneau)
                    if !requested.isEmpty {
                        try await BookingNotices(db: db, caller: caller).requested(plateau, creneaux: requested, organisation: organisation)
                    }
                    return SeriesResult(serieID: serieID, bookings: loaded, skipped: made.skipped)
                }
                return result
            } catch where Self.isOverlap(error) && attempt < 3 {
                continue
            }
        }
        throw AppError.conflict("Des créneaux de la série ont été réservés pendant son enregistrement : réessayez.")
    }

    /// The platform, the domain request, the name of the person and the booking organisation, once the rights are checked.
    private func prepare(_ request: Request) async throws -> (PlateauService.Loaded, BookingRequest, String, Organisation) {
        let plateau = try await PlateauService(db: db, caller: caller).load(request.plateauID)
        guard let organisationID = request.organisationID ?? caller.actor?.organisationID else {
            throw AppError.validation([FieldError("organisationId", "L'organisation qui réserve doit être indiquée.")])
        }
        guard let organisation = try await Organisation.find(organisationID, on: db) else {
            throw AppError.validation([FieldError("organisationId", "Aucune organisation n'a l'identifiant \(organisationID.uuidString.lowercased()).")])
        }
        try caller.authorize(.create, .booking(plateau: plateau.scope, bookerOrganisationID: organisationID))
        let person = person
        let booker = try await BookerDirectory.booker(organisation: organisation, personID: person.id, today: caller.today, on: db)
        let bookingRequest = BookingRequest(booker: booker, target: request.target, creneau: request.creneau, purpose: request.purpose,
                                            participants: request.participants, details: request.details,
                                            safetyTrainingConfirmed: request.safetyTrainingConfirmed)
        return (plateau, bookingRequest, person.name, organisation)
    }

    /// The account acting, or the command line.
    private var person: (id: UUID, name: String) {
        (caller.author.userID ?? Self.commandPerson, caller.author.displayName)
    }

    /// The person of the bookings made by the `cmq` command line (demo, benchmark).
    static let commandPerson = UUID(uuidString: "00000000-0000-0000-0000-00000000c3c0")!

    // MARK: - Accepting, refusing, cancelling

    /// The owner (or the campus team) accepts a requested booking, unless an accepted one now holds the slot.
    func accept(_ id: UUID) async throws -> Loaded {
        let loaded = try await load(id)
        try caller.authorize(.update, loaded.scope)
        do {
            return try await decide(id, loaded) { booking, db in
                let existing = try await Self.accepted(of: booking.plateauID, from: booking.creneau.start, to: booking.creneau.end, on: db)
                try booking.accept(among: existing)
            }
        } catch where Self.isOverlap(error) {
            throw try await conflictError(plateauID: loaded.booking.plateauID, target: loaded.booking.target, creneau: loaded.booking.creneau, except: id)
        }
    }

    /// The owner (or the campus team) refuses a requested booking, with the reason.
    func refuse(_ id: UUID, motif: String) async throws -> Loaded {
        let loaded = try await load(id)
        try caller.authorize(.update, loaded.scope)
        return try await decide(id, loaded) { booking, _ in try booking.refuse(motif: motif) }
    }

    /// The booking organisation, the owner or the campus team cancels a requested or accepted booking.
    func cancel(_ id: UUID, motif: String?) async throws -> Loaded {
        let loaded = try await load(id)
        try caller.authorize(.delete, loaded.scope)
        return try await decide(id, loaded) { booking, _ in try booking.cancel(motif: motif) }
    }

    /// Applies a change of status to the booking as it stands in the database, and writes it only if nobody
    /// changed the status in between (a conditional write): of concurrent decisions on one booking exactly
    /// one succeeds; the others read the booking again and get the 409 of the sequential case.
    private func decide(_ id: UUID, _ loaded: Loaded,
                        _ change: @escaping @Sendable (inout Booking, any Database) async throws -> Void) async throws -> Loaded {
        try await retryingStaleState {
            try await db.writeTransaction { db in
                let current = try await reload(id, on: db)
                let before = current.statut
                var booking = try current.domain
                do { try await change(&booking, db) } catch let error as BookingError { throw error.appError }
                guard try await db.claim(ReservationRecord.schema, id: id, expected: [("statut", before.rawValue)],
                                         changes: [("statut", booking.status.rawValue)]) else { throw StaleStateError() }
                let saved = try await save(booking, current, loaded, on: db)
                try await BookingNotices(db: db, caller: caller).decided(saved)
                return saved
            }
        }
    }

    private func reload(_ id: UUID, on db: any Database) async throws -> ReservationRecord {
        guard let record = try await ReservationRecord.find(id, on: db) else {
            throw AppError.notFound("Aucune réservation n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return record
    }

    /// Writes the new status and its audit entry; the booking as it now stands.
    private func save(_ booking: Booking, _ record: ReservationRecord, _ loaded: Loaded, on db: any Database) async throws -> Loaded {
        let before = record.auditSnapshot
        record.statut = booking.status
        record.motif = booking.motif
        try await record.save(on: db)
        try await caller.audit.record(.update, record, id: booking.id, before: before, on: db)
        record.$organisation.value = loaded.record.$organisation.value
        return Loaded(record: record, booking: booking, plateau: loaded.plateau)
    }

    // MARK: - Atomic writes and conflicts

    /// Whether the database refused an accepted booking overlapping another: the SQLite trigger's abort or
    /// the PostgreSQL exclusion constraint.
    static func isOverlap(_ error: any Error) -> Bool {
        let text = String(reflecting: error)
        return text.contains(CreatePlateaux.sqliteConflictMessage) || text.contains(CreatePlateaux.postgresConstraint) || text.contains("23P01")
    }

    /// The 409 of a créneau that another writer took first, naming the booking now holding it.
    private func conflictError(plateauID: UUID, target: BookingTarget, creneau: TimeRange, except: UUID? = nil) async throws -> AppError {
        let conflicts = try await conflicts(plateauID: plateauID, target: target, creneau: creneau, except: except)
        guard !conflicts.isEmpty else { return .conflict("Ce créneau vient d'être réservé par une autre demande : réessayez.") }
        return BookingError.conflict(with: conflicts).appError
    }

    /// The accepted bookings that overlap a créneau of an item.
    private func conflicts(plateauID: UUID, target: BookingTarget, creneau: TimeRange, except: UUID? = nil) async throws -> [Booking] {
        let existing = try await Self.accepted(of: plateauID, from: creneau.start, to: creneau.end, on: db).filter { $0.id != except }
        return ConflictFinder.conflicts(of: BookingSlot(plateauID: plateauID, target: target, creneau: creneau), among: existing)
    }
}
