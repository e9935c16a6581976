import CMQDomain
import Fluent
import Vapor

/// `/gestion/campus`: creating, editing and deleting a campus with HTML forms. The values are checked by
/// `CampusInput` and written by `CampusService`, as for the API.
struct BackOfficeCampusController {
    @Sendable func newForm(req: Request) async throws -> View {
        // Only the roles that create campuses see the form (the région académique, in its own région).
        try req.caller.authorize(.create, .campus(id: nil, regionCode: req.actor?.regionCode ?? ""))
        let values = FormValues(fields: ["formeJuridique": LegalForm.etablissementBudgetPropre.rawValue])
        return try await req.view.render("gestion/form", CampusForm.page(for: nil, FormState(values: values)))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in
            try await req.view.render("gestion/form", CampusForm.page(for: nil, state))
        }) {
            var reader = InputReader(form: values, mode: .create)
            let input = CampusInput.read(&reader)
            try reader.finish()
            let campus = try await CampusService(db: req.db, caller: req.caller).create(input)
            return RegistryURL.campus(try campus.requireID()).path
        }
    }

    @Sendable func editForm(req: Request) async throws -> View {
        let service = CampusService(db: req.db, caller: req.caller)
        let campus = try await service.find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        try service.authorize(.update, campus)
        let values = CampusForm.values(of: campus, team: try await service.team(of: try campus.requireID()))
        return try await req.view.render("gestion/form", CampusForm.page(for: campus, FormState(values: values)))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let service = CampusService(db: req.db, caller: req.caller)
        let campus = try await service.find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        let id = try campus.requireID()
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in
            try await req.view.render("gestion/form", CampusForm.page(for: campus, state))
        }) {
            var reader = InputReader(form: values, mode: .update)
            let input = CampusInput.read(&reader)
            try reader.finish()
            _ = try await service.update(id, input)
            return RegistryURL.campus(id).path
        }
    }

    // MARK: deletion

    @Sendable func confirmDelete(req: Request) async throws -> View {
        let service = CampusService(db: req.db, caller: req.caller)
        let campus = try await service.find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        try service.authorize(.delete, campus)
        let id = try campus.requireID()
        let context = CampusDeletionContext(
            page: PageMeta(title: "Supprimer le campus \(campus.nom)", section: "gestion"),
            nom: campus.nom, url: RegistryURL.campus(id).path,
            teamCount: try await service.team(of: id).count,
            memberCount: try await Membership.query(on: req.db).filter(\.$campus.$id == id).count(),
            action: RegistryURL.campusDelete(id).path)
        return try await req.view.render("gestion/campus-supprimer", context)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        try await CampusService(db: req.db, caller: req.caller).delete(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        return req.redirect(to: RegistryURL.campusList.path(query: ["supprime": "1"]), redirectType: .normal)
    }
}

/// The campus form: its fields, in the API's names, and how a stored campus fills them.
enum CampusForm {
    /// Blank rows offered under the team, to add people without JavaScript.
    static let blankTeamRows = 3

    static func values(of campus: Campus, team: [TeamMember]) -> FormValues {
        FormValues(
            fields: [
                "nom": campus.nom, "filiere": campus.filiere.slug, "academie": campus.academieCode,
                "description": campus.description ?? "", "siteWeb": campus.siteWeb ?? "",
                "formeJuridique": campus.formeJuridique.rawValue, "dateCreation": campus.dateCreation ?? "",
            ],
            rows: ["equipe": team.map { ["nom": $0.nom, "role": $0.role.rawValue, "email": $0.email ?? ""] }])
    }

    static func page(for campus: Campus?, _ state: FormState) -> FormPageContext {
        let sections = self.sections(state)
        guard let campus, let id = campus.id else {
            return FormPageContext(
                title: "Nouveau campus",
                breadcrumb: [LinkItem(label: "Accueil", url: "/"), LinkItem(label: "Gestion", url: RegistryURL.gestion.path), LinkItem(label: "Nouveau campus")],
                action: RegistryURL.campusNew.path, submitLabel: "Créer le campus", cancelURL: RegistryURL.gestion.path,
                state: state, sections: sections)
        }
        return FormPageContext(
            title: "Modifier le campus \(campus.nom)",
            breadcrumb: [LinkItem(label: "Accueil", url: "/"), LinkItem(label: "Campus", url: RegistryURL.campusList.path),
                         LinkItem(label: campus.nom, url: RegistryURL.campus(id).path), LinkItem(label: "Modifier")],
            action: RegistryURL.campusEdit(id).path, submitLabel: "Enregistrer les modifications", cancelURL: RegistryURL.campus(id).path,
            state: state, sections: sections)
    }

    static func sections(_ state: FormState) -> [FormSection] {
        let territory = TerritoryCatalog.shared
        let campus = FormSection(legend: "Le campus", fields: [
            state.field(FieldPath("nom"), "Nom du campus",
                        hint: "Sans « Campus des métiers et des qualifications », par exemple : Métallurgie et plasturgie", required: true),
            state.field(FieldPath("filiere"), "Filière", .select, required: true, blank: "Choisir une filière",
                        choices: Filiere.allCases.map { ($0.slug, $0.label) }),
            state.field(FieldPath("academie"), "Académie", .select, required: true, blank: "Choisir une académie",
                        choices: territory.academies.map { ($0.code, $0.nom) }),
            state.field(FieldPath("formeJuridique"), "Forme juridique", .select,
                        choices: LegalForm.allCases.map { ($0.rawValue, $0.label) }),
            state.field(FieldPath("dateCreation"), "Date de création", .date, hint: "Au format AAAA-MM-JJ, par exemple 2013-09-01"),
            state.field(FieldPath("siteWeb"), "Site web", .url, hint: "Adresse complète, par exemple https://www.campus-exemple.fr"),
            state.field(FieldPath("description"), "Présentation", .textarea),
        ])
        let rowCount = (state.values.rows["equipe"]?.count ?? 0) + blankTeamRows
        let team = FormSection(
            legend: "L'équipe",
            hint: "Une personne par ligne ; les lignes laissées vides sont ignorées. Pour retirer une personne, videz sa ligne.",
            groups: (0..<rowCount).map { index in
                FormGroup(legend: "Personne \(index + 1)", fields: [
                    state.field(FieldPath("nom", in: "equipe", row: index), "Nom"),
                    state.field(FieldPath("role", in: "equipe", row: index), "Rôle", .select, blank: "Choisir un rôle",
                                choices: TeamRole.allCases.map { ($0.rawValue, $0.label) }),
                    state.field(FieldPath("email", in: "equipe", row: index), "Adresse électronique", .email),
                ])
            })
        return [campus, team]
    }
}

struct CampusDeletionContext: Encodable {
    var page: PageMeta
    var nom: String
    var url: String
    var teamCount: Int
    var memberCount: Int
    var action: String
}
