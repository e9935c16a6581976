import CMQDomain
import Fluent
import Foundation

/// The reads of the platforms' pages: the bookings a back-office account has to decide or may follow, the
/// organisations that may own or book a platform of a campus.
enum PlateauPagesQueries {
    /// Which bookings a list shows, by the time of their end.
    enum Period: Sendable {
        /// Not yet ended, soonest first.
        case upcoming
        /// Ended, latest first.
        case past
    }

    /// The bookings of the platforms the actor looks after (`BookingQueries.restrict`).
    static func ofManagedPlatforms(actor: Actor, statuses: [BookingStatus], period: Period? = nil, now: Date, limit: Int,
                                   on db: any Database) async throws -> [BookingService.Loaded] {
        let query = ReservationRecord.query(on: db)
        guard BookingQueries.restrict(query, toPlatformsManagedBy: actor) else { return [] }
        return try await run(query, statuses: statuses, period: period, now: now, limit: limit, on: db)
    }

    /// The bookings an organisation made.
    static func ofOrganisation(_ organisationID: UUID, period: Period, now: Date, limit: Int, on db: any Database) async throws -> [BookingService.Loaded] {
        let query = ReservationRecord.query(on: db).filter(\.$organisation.$id == organisationID)
        return try await run(query, statuses: BookingStatus.allCases, period: period, now: now, limit: limit, on: db)
    }

    private static func run(_ query: QueryBuilder<ReservationRecord>, statuses: [BookingStatus], period: Period?, now date: Date, limit: Int,
                            on db: any Database) async throws -> [BookingService.Loaded] {
        query.filter(\.$statut ~~ statuses)
        let now = LocalDateTime(date: date).wallClockMinutes
        switch period {
        case .upcoming?: query.filter(\.$fin > now).sort(\.$debut, .ascending)
        case .past?: query.filter(\.$fin <= now).sort(\.$debut, .descending)
        case nil: query.sort(\.$debut, .ascending)
        }
        let records = try await query.sort(\.$id).limit(limit).with(\.$organisation).all()
        return try await BookingQueries.loaded(records, on: db)
    }

    /// The campuses where a campus team (its own) or a member (those of its organisation's networks) adds a platform
    /// without choosing the campus first; none for the other roles, who start from the campus page.
    static func campusesAddingPlateaux(actor: Actor, today: CalendarDay, on db: any Database) async throws -> [Campus] {
        var campusIDs: [UUID] = []
        switch actor.role {
        case .equipeCampus: campusIDs = [actor.campusID].compactMap { $0 }
        case .membre: campusIDs = try await actor.organisationID.asyncMap { Array(try await BookerDirectory.activeCampuses(of: $0, today: today, on: db)) } ?? []
        case .administrateurNational, .regionAcademique, .instance: return []
        }
        guard !campusIDs.isEmpty else { return [] }
        return try await Campus.query(on: db).filter(\.$id ~~ campusIDs).sort(\.$nomCle).all()
    }

    /// The organisations of a campus's network today, by name.
    static func activeMembers(of campusID: UUID, today day: CalendarDay, on db: any Database) async throws -> [Organisation] {
        let today = day.iso
        return try await Membership.query(on: db).filter(\.$campus.$id == campusID).with(\.$organisation).all()
            .filter { ($0.jusquA ?? "9999") >= today }
            .map(\.organisation)
            .sorted { $0.nomCle < $1.nomCle }
    }
}
