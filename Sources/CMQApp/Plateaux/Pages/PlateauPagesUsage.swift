import CMQDomain
import Fluent
import Foundation

/// The section "Plateaux techniques et mutualisation" of a campus page: its platforms, and how much its members
/// used them over the current school half-year (hours by organisation, by purpose, occupancy month by month).
struct CampusPlateauxBlock: Encodable {
    struct Row: Encodable {
        var nom: String
        var url: String
        var owner: String
        var ownerURL: String
        var equipements: Int
        var editURL: String?
    }

    /// One line of a breakdown, with the width of its bar.
    struct Share: Encodable {
        var label: String
        var hours: String
        var share: String
        var width: String
    }

    struct Month: Encodable {
        var label: String
        var openHours: String
        var bookedHours: String
        var occupancy: String
        var width: String
    }

    var rows: [Row]
    var period: String
    var bookedHours: String
    var occupancy: String
    var byOrganisation: [Share]
    var byPurpose: [Share]
    var months: [Month]
    var statisticsURL: String
    var newURL: String?
    var bookingsURL: String?
    /// Whether the account looks after platforms of the campus (the links "Gérer les plateaux").
    var manages: Bool

    static func make(campus: Campus, actor: Actor?, today: CalendarDay, on db: any Database) async throws -> CampusPlateauxBlock {
        let campusID = try campus.requireID()
        let plateaux = try await PlateauService.list(campusID: campusID, on: db)
        let usage = try await PlateauUsage.compute(plateaux, months: PlateauUsage.semester(containing: today), on: db)
        let mayCreate = try await mayCreatePlateau(actor, on: campus, today: today, db: db)
        let managesSome = mayCreate || plateaux.contains { Rights(.viewer(actor), .plateau($0.scope)).update }
        func width(_ fraction: Double) -> String { WeekView.percent(min(max(fraction, 0), 1)) }
        return CampusPlateauxBlock(
            rows: plateaux.map { loaded in
                Row(nom: loaded.plateau.nom, url: PlateauxURL.page(loaded.plateau.id).path, owner: loaded.owner.nom,
                    ownerURL: RegistryURL.organisation(loaded.plateau.organisationID).path, equipements: loaded.plateau.equipements.count,
                    editURL: Rights(.viewer(actor), .plateau(loaded.scope)).update ? PlateauxURL.edit(loaded.plateau.id).path : nil)
            },
            period: "de \(usage.months.lowerBound.french) à \(usage.months.upperBound.french)",
            bookedHours: UsageStatistics.hoursText(minutes: usage.total.bookedMinutes),
            occupancy: usage.total.occupancyText,
            byOrganisation: usage.total.byOrganisation.map {
                Share(label: usage.organisationNames[$0.key] ?? "", hours: $0.hoursText, share: $0.shareText, width: width($0.share))
            },
            byPurpose: usage.total.byPurpose.map { Share(label: $0.key.label, hours: $0.hoursText, share: $0.shareText, width: width($0.share)) },
            months: usage.monthly.map { month in
                Month(label: month.month.french.capitalizingFirstLetter, openHours: UsageStatistics.hoursText(minutes: month.openMinutes),
                      bookedHours: UsageStatistics.hoursText(minutes: month.bookedMinutes), occupancy: month.occupancyText,
                      width: width(month.occupancyRate ?? 0))
            },
            statisticsURL: PlateauxURL.apiCampusStatistics(campusID).path,
            newURL: mayCreate ? PlateauxURL.new(campus: campusID) : nil,
            bookingsURL: managesSome ? PlateauxURL.bookings.path : nil,
            manages: mayCreate || managesSome)
    }

    /// Whether the account may add a platform to the campus: the national administrator, the campus's région and
    /// team, a member of an organisation of its network (for its organisation).
    static func mayCreatePlateau(_ actor: Actor?, on campus: Campus, today: CalendarDay, db: any Database) async throws -> Bool {
        guard let actor else { return false }
        let campusID = try campus.requireID()
        if actor.role == .membre {
            guard let organisationID = actor.organisationID,
                  try await BookerDirectory.activeCampuses(of: organisationID, today: today, on: db).contains(campusID) else { return false }
        }
        // The owner matters only to a member (its own organisation); the other roles' rights do not depend on it.
        let owner = actor.organisationID ?? campusID
        return Caller.viewer(actor).may(.create, .plateau(.init(campusID: campusID, regionCode: campus.regionCode, organisationID: owner)))
    }
}

/// A platform of an organisation, on the organisation's page.
struct OrganisationPlateauRow: Encodable {
    var nom: String
    var url: String
    var campus: String
    var campusURL: String
    var equipements: Int

    static func list(organisationID: UUID, on db: any Database) async throws -> [OrganisationPlateauRow] {
        try await PlateauService.list(organisationID: organisationID, on: db).map { loaded in
            OrganisationPlateauRow(nom: loaded.plateau.nom, url: PlateauxURL.page(loaded.plateau.id).path, campus: loaded.campus.nom,
                                   campusURL: RegistryURL.campus(loaded.plateau.campusID).path, equipements: loaded.plateau.equipements.count)
        }
    }
}
