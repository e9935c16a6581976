import CMQDomain
import Fluent
import Foundation

/// The usage of one or several platforms over months (a platform's or a campus's "mutualisation" indicator).
struct PlateauUsage: Sendable {
    let months: ClosedRange<CalendarMonth>
    /// Month by month, the platforms' figures added.
    let monthly: [UsageStatistics]
    /// The whole period.
    let total: UsageStatistics
    let organisationNames: [UUID: String]

    /// The school half-year of `day`: September to February, or March to August.
    static func semester(containing day: CalendarDay) -> ClosedRange<CalendarMonth> {
        let year = day.month >= 9 ? day.year : (day.month <= 2 ? day.year - 1 : day.year)
        let start = (3...8).contains(day.month) ? CalendarMonth(year: day.year, month: 3)! : CalendarMonth(year: year, month: 9)!
        var end = start
        for _ in 0..<5 { end = end.next }
        return start...end
    }

    /// At most 24 months.
    static let maximumMonths = 24

    static func compute(_ plateaux: [PlateauService.Loaded], months: ClosedRange<CalendarMonth>, on db: any Database) async throws -> PlateauUsage {
        var list: [CalendarMonth] = [months.lowerBound]
        while let last = list.last, last < months.upperBound { list.append(last.next) }
        let from = LocalDateTime(day: months.lowerBound.firstDay, time: .midnight).wallClockMinutes
        let to = LocalDateTime(day: months.upperBound.lastDay, time: .endOfDay).wallClockMinutes
        let ids = plateaux.map(\.plateau.id)
        let records = ids.isEmpty ? [] : try await ReservationRecord.query(on: db).filter(\.$plateau.$id ~~ ids)
            .filter(\.$statut == BookingStatus.acceptee).filter(\.$debut < to).filter(\.$fin > from).all()
        let bookings = Dictionary(grouping: try records.map { try $0.domain }, by: \.plateauID)
        let perPlatform = plateaux.flatMap { loaded in
            list.map { UsageStatistics(plateau: loaded.plateau, bookings: bookings[loaded.plateau.id] ?? [], month: $0) }
        }
        let monthly = UsageStatistics.totals(perPlatform)
        let organisationIDs = Set(monthly.flatMap(\.minutesByOrganisation.keys))
        let names = organisationIDs.isEmpty ? [:] : Dictionary(
            uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ Array(organisationIDs)).all().map { ($0.id!, $0.nom) })
        let total = UsageStatistics(
            month: months.lowerBound,
            openMinutes: monthly.reduce(0) { $0 + $1.openMinutes },
            occupiedMinutes: monthly.reduce(0) { $0 + $1.occupiedMinutes },
            minutesByOrganisation: monthly.reduce(into: [:]) { $0.merge($1.minutesByOrganisation, uniquingKeysWith: +) },
            minutesByPurpose: monthly.reduce(into: [:]) { $0.merge($1.minutesByPurpose, uniquingKeysWith: +) })
        return PlateauUsage(months: months, monthly: monthly, total: total, organisationNames: names)
    }

    /// Reads `du` and `au` ("2026-09"); the current school half-year when absent.
    static func months(du: String?, au: String?, today: CalendarDay) throws(AppError) -> ClosedRange<CalendarMonth> {
        let semester = semester(containing: today)
        var errors: [FieldError] = []
        func read(_ key: String, _ raw: String?) -> CalendarMonth? {
            guard let raw, !raw.isEmpty else { return nil }
            guard let month = CalendarMonth(iso: raw), raw.count == 7 else {
                errors.append(FieldError(key, "« \(raw) » n'est pas un mois au format AAAA-MM."))
                return nil
            }
            return month
        }
        let from = read("du", du), to = read("au", au)
        if !errors.isEmpty { throw .validation(errors) }
        let lower = from ?? (to == nil ? semester.lowerBound : to!)
        let upper = to ?? (from == nil ? semester.upperBound : from!.adding(months: 5))
        guard lower <= upper else { throw .validation([FieldError("au", "Le mois de fin précède le mois de début.")]) }
        var count = 1, month = lower
        while month < upper { month = month.next; count += 1 }
        guard count <= maximumMonths else {
            throw .validation([FieldError("au", "La période couvre \(count) mois : \(maximumMonths) au plus.")])
        }
        return lower...upper
    }
}

extension CalendarMonth {
    func adding(months: Int) -> CalendarMonth {
        CalendarMonth(containing: firstDay.adding(months: months))
    }
}

/// Reads of the bookings: who may see which, the availability and the calendar feeds.
enum BookingQueries {
    /// The bookings the actor may read (those its role and scope cover), most recent first; nil filters are ignored.
    static func visible(actor: Actor, plateauID: UUID?, organisationID: UUID?, statut: BookingStatus?,
                        range: ClosedRange<Int>?, page: PageRequest, on db: any Database) async throws -> Page<BookingService.Loaded> {
        let query = ReservationRecord.query(on: db)
        if actor.role == .membre {
            // A member reads its organisation's bookings and those of its organisation's platforms.
            let organisation = actor.organisationID ?? UUID()
            query.join(PlateauRecord.self, on: \ReservationRecord.$plateau.$id == \PlateauRecord.$id)
                .group(.or) { $0.filter(\.$organisation.$id == organisation).filter(PlateauRecord.self, \.$organisation.$id == organisation) }
        } else if !restrict(query, toPlatformsManagedBy: actor) {
            return Page(items: [], page: page.page, per: page.per, total: 0)
        }
        if let plateauID { query.filter(\.$plateau.$id == plateauID) }
        if let organisationID { query.filter(\.$organisation.$id == organisationID) }
        if let statut { query.filter(\.$statut == statut) }
        if let range { query.filter(\.$debut < range.upperBound).filter(\.$fin > range.lowerBound) }
        let total = try await query.count()
        let records = try await query.sort(\.$debut, .descending).sort(\.$id).range(page.offset..<(page.offset + page.per)).with(\.$organisation).all()
        return Page(items: try await loaded(records, on: db), page: page.page, per: page.per, total: total)
    }

    /// Keeps the bookings of the platforms the actor looks after: all for the national administrator, those of its
    /// région's campuses, of its campus, of its organisation's platforms (a member). False when it looks after
    /// none (an instance): the query must not run.
    static func restrict(_ query: QueryBuilder<ReservationRecord>, toPlatformsManagedBy actor: Actor) -> Bool {
        query.join(PlateauRecord.self, on: \ReservationRecord.$plateau.$id == \PlateauRecord.$id)
        switch actor.role {
        case .administrateurNational:
            return true
        case .regionAcademique:
            query.join(Campus.self, on: \PlateauRecord.$campus.$id == \Campus.$id).filter(Campus.self, \.$regionCode == (actor.regionCode ?? ""))
        case .equipeCampus:
            query.filter(PlateauRecord.self, \.$campus.$id == (actor.campusID ?? UUID()))
        case .membre:
            query.filter(PlateauRecord.self, \.$organisation.$id == (actor.organisationID ?? UUID()))
        case .instance:
            return false
        }
        return true
    }

    /// Bookings with their platforms, loaded once each.
    static func loaded(_ records: [ReservationRecord], on db: any Database) async throws -> [BookingService.Loaded] {
        let ids = Array(Set(records.map(\.$plateau.id)))
        let plateaux = ids.isEmpty ? [] : try await PlateauService.loaded(
            try await PlateauRecord.query(on: db).filter(\.$id ~~ ids).with(\.$campus).with(\.$organisation).all(), on: db)
        let byID = Dictionary(uniqueKeysWithValues: plateaux.map { ($0.plateau.id, $0) })
        return try records.compactMap { record in
            guard let plateau = byID[record.$plateau.id] else { return nil }
            return BookingService.Loaded(record: record, booking: try record.domain, plateau: plateau)
        }
    }

    /// The days of a platform's availability (at most 92 days).
    static func availability(_ loaded: PlateauService.Loaded, days: ClosedRange<CalendarDay>, target: BookingTarget,
                             on db: any Database) async throws -> [Availability.Day] {
        let from = LocalDateTime(day: days.lowerBound, time: .midnight).wallClockMinutes
        let to = LocalDateTime(day: days.upperBound, time: .endOfDay).wallClockMinutes
        let bookings = try await BookingService.bookings(of: loaded.plateau.id, overlapping: from...to,
                                                         statuses: [.demandee, .acceptee], on: db).map { try $0.domain }
        return loaded.plateau.availability(days: days, bookings: bookings, target: target)
    }

    /// Reads `du` and `au` (days); this week (Monday to Sunday) when absent.
    static func days(du: String?, au: String?, today: CalendarDay, maximum: Int = 92) throws(AppError) -> ClosedRange<CalendarDay> {
        var errors: [FieldError] = []
        func read(_ key: String, _ raw: String?) -> CalendarDay? {
            guard let raw, !raw.isEmpty else { return nil }
            guard let day = CalendarDay(iso: raw) else {
                errors.append(FieldError(key, "« \(raw) » n'est pas une date au format AAAA-MM-JJ."))
                return nil
            }
            return day
        }
        let from = read("du", du), to = read("au", au)
        if !errors.isEmpty { throw .validation(errors) }
        let lower = from ?? to?.mondayOfWeek ?? today.mondayOfWeek
        let upper = to ?? lower.adding(days: 6)
        guard lower <= upper else { throw .validation([FieldError("au", "La date de fin précède la date de début.")]) }
        guard lower.days(until: upper) < maximum else {
            throw .validation([FieldError("au", "La période couvre \(lower.days(until: upper) + 1) jours : \(maximum) au plus.")])
        }
        return lower...upper
    }

    /// The iCalendar feed of bookings: the full event where the actor may read the booking, the anonymous one
    /// ("Réservé") elsewhere. Requested, accepted and cancelled bookings of the last 3 months and to come.
    static func calendar(name: String, records: [ReservationRecord], actor: Actor?, on db: any Database) async throws -> String {
        let loaded = try await loaded(records, on: db)
        let events = loaded.compactMap { item -> ICalendar.Event? in
            if Caller.viewer(actor).may(.read, item.scope) {
                return item.plateau.plateau.calendarEvent(for: item.booking, organisationName: item.record.$organisation.value?.nom ?? "")
            }
            return item.plateau.plateau.publicCalendarEvent(for: item.booking)
        }
        return ICalendar.feed(name: name, events: events)
    }

    /// The bookings a calendar shows: from 3 months ago, every status but refused.
    static func calendarRecords(plateauIDs: [UUID]? = nil, organisationID: UUID? = nil, today: CalendarDay, on db: any Database) async throws -> [ReservationRecord] {
        let since = LocalDateTime(day: today.adding(months: -3), time: .midnight).wallClockMinutes
        let query = ReservationRecord.query(on: db).filter(\.$fin > since).filter(\.$statut != BookingStatus.refusee)
            .with(\.$organisation).sort(\.$debut)
        if let plateauIDs { query.filter(\.$plateau.$id ~~ plateauIDs) }
        if let organisationID { query.filter(\.$organisation.$id == organisationID) }
        return try await query.all()
    }
}
