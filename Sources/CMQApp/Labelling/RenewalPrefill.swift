import CMQDomain
import Fluent
import Foundation

/// The sections of a renewal dossier written from what cmq knows of the campus today: its description, its
/// offer and coverage, its network by kind, its governance. The région then completes and corrects them.
struct RenewalPrefill {
    let db: any Database

    func sections(for campus: Campus, on day: CalendarDay) async throws -> [DossierSection: String] {
        let campusID = try campus.requireID()
        var sections: [DossierSection: String] = [:]
        if let description = campus.description, !description.isEmpty {
            sections[.strategieObjectifs] = description
        }

        let offer = CampusOffer(db: db)
        let formations = try await offer.formations(of: campus, on: day)
        let coverage = try await offer.coverage(of: campus, on: day)
        var lines = ["\(formations.count) formation(s) dans l'offre du campus au \(day.frenchLong)."]
        for level in Level.allCases where coverage.total(level) > 0 {
            let titles = formations.filter { $0.niveauSortie == level.number }.map(\.intitule)
            lines.append("– \(level.label) : \(titles.prefix(8).joined(separator: ", "))\(titles.count > 8 ? "…" : "")")
        }
        if !coverage.gaps.isEmpty { lines.append("Manques : \(coverage.gaps.joined(separator: " ; ")).") }
        sections[.offreFormation] = lines.joined(separator: "\n")

        let memberships = try await Membership.query(on: db).filter(\.$campus.$id == campusID).with(\.$organisation).all()
            .filter { $0.isCurrent(on: day) }
        var byKind: [String: [String]] = [:]
        for membership in memberships {
            let organisation = membership.organisation
            byKind[organisation.kind.label, default: []].append(organisation.nom)
        }
        sections[.partenariat] = (["\(memberships.count) organisation(s) dans le réseau :"]
            + byKind.keys.sorted().map { "– \($0) : \(byKind[$0]!.sorted().joined(separator: ", "))" }).joined(separator: "\n")

        var governance: [String] = []
        if let support = memberships.first(where: { $0.role == .etablissementSupport }) {
            governance.append("Établissement support : \(support.organisation.nom).")
        }
        let team = try await TeamMember.query(on: db).filter(\.$campus.$id == campusID).sort(\.$position).all()
        if !team.isEmpty { governance.append("Équipe : " + team.map { "\($0.nom) (\($0.role.label))" }.joined(separator: ", ") + ".") }
        if !governance.isEmpty { sections[.gouvernance] = governance.joined(separator: "\n") }
        return sections
    }
}
