import CMQDomain
import Fluent
import Foundation

/// Computes the computed indicators of a campus for a school year from cmq's own data. The network and the offer
/// are taken as they stand on the school year's last day (or today, for the school year in progress); the
/// platforms' figures add the school year's months (up to the current month). A school year that has not begun
/// has no computed value.
struct IndicatorComputer {
    let db: any Database

    /// The kinds that count as companies in the network and among the bookers.
    static let companyKinds: Set<OrganisationKind> = [.entreprise, .brancheProfessionnelle, .cluster, .poleCompetitivite]
    static let researchKinds: Set<OrganisationKind> = [.laboratoireRecherche, .plateformeTechnologique]

    func compute(_ wanted: Set<IndicatorComputation>, campus: Campus, year: SchoolYear, today: CalendarDay) async throws -> [IndicatorComputation: Double] {
        guard year.firstDay <= today, !wanted.isEmpty else { return [:] }
        let day = min(year.lastDay, today)
        let campusID = try campus.requireID()
        var values: [IndicatorComputation: Double] = [:]

        if !wanted.isDisjoint(with: [.membres, .membresEntreprises, .membresRecherche]) {
            let members = try await Membership.query(on: db).filter(\.$campus.$id == campusID).with(\.$organisation).all()
                .filter { $0.isCurrent(on: day) }
            let kinds = members.map(\.organisation.kind)
            values[.membres] = Double(Set(members.map(\.$organisation.id)).count)
            values[.membresEntreprises] = Double(kinds.filter(Self.companyKinds.contains).count)
            values[.membresRecherche] = Double(kinds.filter(Self.researchKinds.contains).count)
        }
        if !wanted.isDisjoint(with: [.formations, .lacunesCouverture]) {
            let formations = try await CampusOffer(db: db).formations(of: campus, on: day)
            values[.formations] = Double(formations.count)
            values[.lacunesCouverture] = Double(CoverageMatrix(offers: formations.compactMap { $0.coverageOffer }).gaps.count)
        }
        let platformComputations: Set<IndicatorComputation> = [.plateauxHeures, .plateauxOccupation, .plateauxMutualisation, .plateauxHeuresEntreprises]
        if !wanted.isDisjoint(with: platformComputations) {
            let plateaux = try await PlateauService.list(campusID: campusID, on: db)
            let months = CalendarMonth(containing: year.firstDay)...CalendarMonth(containing: day)
            var booked = 0, open = 0, occupied = 0, byOthers = 0
            var byOrganisation: [UUID: Int] = [:]
            for loaded in plateaux {
                let usage = try await PlateauUsage.compute([loaded], months: months, on: db)
                booked += usage.total.bookedMinutes
                open += usage.total.openMinutes
                occupied += usage.total.occupiedMinutes
                byOthers += usage.total.minutesByOrganisation.filter { $0.key != loaded.plateau.organisationID }.values.reduce(0, +)
                byOrganisation.merge(usage.total.minutesByOrganisation, uniquingKeysWith: +)
            }
            values[.plateauxHeures] = Double(booked) / 60
            if open > 0 { values[.plateauxOccupation] = Self.percent(occupied, of: open) }
            if booked > 0 { values[.plateauxMutualisation] = Self.percent(byOthers, of: booked) }
            var companies = 0
            if !byOrganisation.isEmpty {
                for organisation in try await Organisation.query(on: db).filter(\.$id ~~ Array(byOrganisation.keys)).all()
                where Self.companyKinds.contains(organisation.kind) {
                    companies += byOrganisation[organisation.id!] ?? 0
                }
            }
            values[.plateauxHeuresEntreprises] = Double(companies) / 60
        }
        return values.filter { wanted.contains($0.key) }
    }

    /// A share in %, with one decimal.
    static func percent(_ part: Int, of whole: Int) -> Double {
        (Double(part) * 1000 / Double(whole)).rounded() / 10
    }
}
