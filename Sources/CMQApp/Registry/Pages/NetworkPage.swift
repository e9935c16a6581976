import CMQDomain
import Fluent
import Vapor

/// The back-office page of a campus's network: its members, the search for an organisation to add, the form.
enum NetworkPage {
    static func load(campus: Campus, state: FormState, added: Bool, removed: Bool, caller: Caller, on db: any Database) async throws -> NetworkPageContext {
        let campusID = try campus.requireID()
        let memberships = try await NetworkService(db: db, caller: caller).memberships(of: campusID)
        let memberIDs = Set(memberships.map { $0.$organisation.id })
        let recherche = state.values.fields["recherche"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""

        // The organisations to choose from: the search results, and the one chosen before a refused submission.
        var found = recherche.isEmpty ? nil : try await OrganisationSearch.run(recherche, on: db)
        let chosen = state.values.fields["organisationId"].flatMap(UUID.init(uuidString:))
        if let chosen, found?.items.contains(where: { $0.id == chosen }) != true,
           let organisation = try await Organisation.find(chosen, on: db) {
            found = Page(items: [organisation] + (found?.items ?? []), page: 1, per: OrganisationSearch.limit, total: (found?.total ?? 0) + 1)
        }
        let choices = (found?.items ?? []).enumerated().map { index, organisation in
            OrganisationChoice(organisation, radioID: index == 0 ? FieldPath("organisationId").htmlID : "champ-organisationId-\(index + 1)",
                               isMember: memberIDs.contains(organisation.id!), checked: organisation.id == chosen)
        }

        let organisationError = state.messages(for: FieldPath("organisationId"), label: "Organisation")
        let fields = [
            state.field(FieldPath("role"), "Rôle dans le réseau", .select, required: true, blank: "Choisir un rôle",
                        choices: MembershipRole.allCases.map { ($0.rawValue, $0.label) }),
            state.field(FieldPath("depuis"), "Dans le réseau depuis le", .date, hint: "Facultatif ; au format AAAA-MM-JJ"),
            state.field(FieldPath("jusquA"), "Jusqu'au", .date, hint: "Facultatif ; au format AAAA-MM-JJ"),
        ]
        let organisationTarget = (href: choices.first?.radioID ?? "champ-recherche", label: "Organisation")
        return NetworkPageContext(
            page: PageMeta(title: (state.errors.isEmpty ? "" : "Erreur : ") + "Réseau du campus \(campus.nom)", section: "gestion"),
            campus: campus.nom, campusURL: RegistryURL.campus(campusID).path,
            added: added, removed: removed,
            members: memberships.map { membership in
                NetworkMemberRow(row: membership.memberRow,
                                 removeURL: RegistryURL.membershipRemoval(campus: campusID, membership: membership.id!).path)
            },
            searchURL: RegistryURL.network(campusID).path, recherche: recherche, searched: found != nil,
            total: found?.total ?? 0, choices: choices,
            organisationError: organisationError.isEmpty ? nil : organisationError.joined(separator: " "),
            action: RegistryURL.network(campusID).path, fields: fields,
            errors: state.summary(of: fields, linking: ["organisationId": organisationTarget]),
            newOrganisationURL: RegistryURL.organisationNew.path)
    }
}
