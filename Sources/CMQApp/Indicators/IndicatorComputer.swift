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
        let offerComputations: Set<IndicatorComputation> = [.formations, .lacunesCouverture, .formationsApprentissage, .formationsInitiale,
                                                            .formationsContinue, .formationsSuperieur, .formationsNiveau3, .formationsNiveau4,
                                                            .formationsNiveau5, .formationsNiveau6, .formationsNiveau7]
        if !wanted.isDisjoint(with: offerComputations) {
            let formations = try await CampusOffer(db: db).formations(of: campus, on: day)
            values[.formations] = Double(formations.count)
            values[.lacunesCouverture] = Double(CoverageMatrix(offers: formations.compactMap { $0.coverageOffer }).gaps.count)
            func offered(_ statuses: Set<LearnerStatus>) -> Double { Double(formations.filter { !statuses.isDisjoint(with: $0.learnerStatuses) }.count) }
            values[.formationsApprentissage] = offered([.apprenti])
            values[.formationsInitiale] = offered([.scolaire, .etudiant])
            values[.formationsContinue] = offered([.formationContinue])
            values[.formationsSuperieur] = Double(formations.filter { ($0.levels.exit ?? .niveau3) >= .niveau5 }.count)
            func atLevels(_ levels: Set<Level>) -> Double { Double(formations.filter { $0.levels.exit.map(levels.contains) ?? false }.count) }
            values[.formationsNiveau3] = atLevels([.niveau3])
            values[.formationsNiveau4] = atLevels([.niveau4])
            values[.formationsNiveau5] = atLevels([.niveau5])
            values[.formationsNiveau6] = atLevels([.niveau6])
            values[.formationsNiveau7] = atLevels([.niveau7, .niveau8])
        }
        if !wanted.isDisjoint(with: [.apprenants, .apprenantsApprentis, .apprenantsScolaires, .apprenantsEtudiants, .apprenantsStagiaires, .continuiteInterne]) {
            values.merge(try await pathways(campusID: campusID, year: year, day: day), uniquingKeysWith: { $1 })
        }
        if !wanted.isDisjoint(with: [.insertionDevenirFavorable, .insertionPoursuite, .insertionEmploi6Mois]) {
            values.merge(try await insertion(campus: campus, year: year, day: day), uniquingKeysWith: { $1 })
        }
        if !wanted.isDisjoint(with: [.actions, .actionsParticipants, .actionsCollegiens, .actionsEntreprises]) {
            let done = try await ActionRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$anneeScolaire == year.startYear)
                .filter(\.$participationLe != nil).all()
            let counts = done.compactMap(\.participation).map(\.counts)
            values[.actions] = Double(counts.count)
            values[.actionsParticipants] = Double(counts.flatMap(\.values).reduce(0, +))
            values[.actionsCollegiens] = Double(counts.map { $0[.collegiens] ?? 0 }.reduce(0, +))
            values[.actionsEntreprises] = Double(counts.map { $0[.entreprises] ?? 0 }.reduce(0, +))
        }
        if !wanted.isDisjoint(with: [.mobilitesSortantes, .mobilitesEntrantes]) {
            // No line recorded for the school year: no value (not recorded is not zero).
            let lines = try await MobilityService.records(campusID, year, on: db).map(\.line)
            if !lines.isEmpty {
                let totals = MobilityRules.totals(lines)
                values[.mobilitesSortantes] = Double(totals[.sortante] ?? 0)
                values[.mobilitesEntrantes] = Double(totals[.entrante] ?? 0)
            }
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

    /// From the members' pathway files: the school year's learners (each once) and apprentices, and the share of last
    /// year's learners who went on studying found in the network. The internal statistical secret holds: a count
    /// from 1 to 4 is not given, nor a rate over fewer than 5.
    private func pathways(campusID: UUID, year: SchoolYear, day: CalendarDay) async throws -> [IndicatorComputation: Double] {
        let members = try await Membership.query(on: db).filter(\.$campus.$id == campusID).with(\.$organisation).all()
            .filter { $0.isCurrent(on: day) }
        let uais = Array(Set(members.compactMap(\.organisation.uai)))
        guard !uais.isEmpty else { return [:] }
        let steps = try await ParcoursEtape.query(on: db).filter(\.$uai ~~ uais)
            .filter(\.$annee ~~ [year.previous.startYear, year.startYear]).all()
        guard !steps.isEmpty else { return [:] }
        let flows = ParcoursFlows(steps: steps.map(\.step))
        let threshold = DisclosureAudience.interne.threshold
        func shown(_ count: Int) -> Double? { count == 0 || count >= threshold ? Double(count) : nil }
        var values: [IndicatorComputation: Double] = [:]
        if let nodes = flows.nodes[year] {
            values[.apprenants] = shown(nodes.values.reduce(0, +))
            func learners(_ statut: ParcoursStatut) -> Double? { shown(nodes.filter { $0.key.statut == statut }.values.reduce(0, +)) }
            values[.apprenantsApprentis] = learners(.apprenti)
            values[.apprenantsScolaires] = learners(.scolaire)
            values[.apprenantsEtudiants] = learners(.etudiant)
            values[.apprenantsStagiaires] = learners(.stagiaire)
        }
        if let transition = flows.transitions.first(where: { $0.year == year.previous }) {
            let studying = transition.continuingInNetwork + transition.continuingOutside
            if studying >= threshold { values[.continuiteInterne] = Self.percent(transition.continuingInNetwork, of: studying) }
        }
        return values
    }

    /// InserJeunes rates of the campus's diplomas (numerators and denominators added, then the statistical secret),
    /// from the latest millésime whose leavers had left before the school year began.
    private func insertion(campus: Campus, year: SchoolYear, day: CalendarDay) async throws -> [IndicatorComputation: Double] {
        let service = InsertionService(db: db)
        guard let millesime = try await service.millesimes().filter({ $0.firstYear + 1 <= year.startYear }).max() else { return [:] }
        let table = try await service.table(millesime)
        let consolidation = CampusConsolidation(items: CampusInsertionBlock.items(try await CampusOffer(db: db).formations(of: campus, on: day)), table: table)
        var values: [IndicatorComputation: Double] = [:]
        let kinds: [(IndicatorComputation, Figure.Kind)] = [(.insertionDevenirFavorable, .devenirFavorable), (.insertionPoursuite, .tauxPoursuite),
                                                            (.insertionEmploi6Mois, .tauxEmploi(mois: 6))]
        for (computation, kind) in kinds {
            if let percent = consolidation.total.figure(kind).percent { values[computation] = Double(percent) }
        }
        return values
    }

    /// A share in %, with one decimal.
    static func percent(_ part: Int, of whole: Int) -> Double {
        (Double(part) * 1000 / Double(whole)).rounded() / 10
    }
}
