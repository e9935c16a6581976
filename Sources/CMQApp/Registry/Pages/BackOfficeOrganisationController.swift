import CMQDomain
import Fluent
import Vapor

/// `/gestion/organisations`: creating, editing and deleting an organisation with HTML forms. The values are checked
/// by `OrganisationInput` and written by `OrganisationService`, as for the API.
struct BackOfficeOrganisationController {
    @Sendable func newForm(req: Request) async throws -> View {
        try req.caller.authorize(.create, .organisation(id: nil, campuses: []))
        return try await req.view.render("gestion/form", OrganisationForm.page(for: nil, FormState(values: FormValues())))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in
            try await req.view.render("gestion/form", OrganisationForm.page(for: nil, state))
        }) {
            var reader = InputReader(form: values.fields, mode: .create)
            let input = OrganisationInput.read(&reader)
            try reader.finish()
            let organisation = try await Self.write(input, on: req.db, caller: req.caller) { service in try await service.create(input) }
            return RegistryURL.organisation(try organisation.requireID()).path
        }
    }

    @Sendable func editForm(req: Request) async throws -> View {
        let service = OrganisationService(db: req.db, caller: req.caller)
        let organisation = try await service.find(try Self.organisationID(req))
        try await service.authorize(.update, organisation.id)
        let state = FormState(values: OrganisationForm.values(of: organisation))
        return try await req.view.render("gestion/form", OrganisationForm.page(for: organisation, state))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let organisation = try await OrganisationService(db: req.db, caller: req.caller).find(try Self.organisationID(req))
        let id = try organisation.requireID()
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in
            try await req.view.render("gestion/form", OrganisationForm.page(for: organisation, state))
        }) {
            var reader = InputReader(form: values.fields, mode: .update)
            let input = OrganisationInput.read(&reader)
            try reader.finish()
            _ = try await Self.write(input, excluding: id, on: req.db, caller: req.caller) { service in try await service.update(id, input) }
            return RegistryURL.organisation(id).path
        }
    }

    /// Runs a write of the service; a UAI or SIRET already taken is shown beside the field that holds it.
    private static func write(_ input: OrganisationInput, excluding id: UUID? = nil, on db: any Database, caller: Caller,
                              _ body: (OrganisationService) async throws -> Organisation) async throws -> Organisation {
        let service = OrganisationService(db: db, caller: caller)
        do {
            return try await body(service)
        } catch AppError.conflict(let detail) {
            let taken = try await service.takenIdentifier(uai: input.uai.value?.value,
                                                          siret: input.siret.value?.value, excluding: id)
            throw FormRefusal.conflict(detail, at: taken?.field ?? "uai")
        }
    }

    // MARK: deletion

    @Sendable func confirmDelete(req: Request) async throws -> View {
        let service = OrganisationService(db: req.db, caller: req.caller)
        let organisation = try await service.find(try Self.organisationID(req))
        try await service.authorize(.delete, organisation.id)
        return try await deletionPage(req, organisation: organisation)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let service = OrganisationService(db: req.db, caller: req.caller)
        let organisation = try await service.find(try Self.organisationID(req))
        do {
            try await service.delete(try organisation.requireID())
        } catch AppError.conflict(let detail) {
            return try await deletionPage(req, organisation: organisation, refusal: detail).encodeResponse(status: .conflict, for: req)
        }
        return req.redirect(to: RegistryURL.gestion.path + "?organisation-supprimee=1", redirectType: .normal)
    }

    /// The confirmation page; an organisation still in a network cannot be deleted, and the page says which ones.
    private func deletionPage(_ req: Request, organisation: Organisation, refusal: String? = nil) async throws -> View {
        let id = try organisation.requireID()
        let memberships = try await Membership.query(on: req.db).filter(\.$organisation.$id == id).with(\.$campus).all()
        let context = OrganisationDeletionContext(
            page: PageMeta(title: (refusal == nil ? "" : "Erreur : ") + "Supprimer l'organisation \(organisation.nom)", section: "gestion"),
            nom: organisation.nom, url: RegistryURL.organisation(id).path,
            campus: memberships.map { membership in
                LinkItem(label: membership.campus.nom, url: RegistryURL.network(membership.campus.id!).path)
            }.sorted { $0.label < $1.label },
            refusal: refusal, action: RegistryURL.organisationDelete(id).path)
        return try await req.view.render("gestion/organisation-supprimer", context)
    }

    private static func organisationID(_ req: Request) throws -> UUID {
        try req.uuidParameter("organisationID", notFound: "Aucune organisation")
    }
}

/// The organisation form: its fields, in the API's names, and how a stored organisation fills them.
enum OrganisationForm {
    static func values(of organisation: Organisation) -> FormValues {
        FormValues(fields: [
            "nom": organisation.nom, "type": organisation.kind.rawValue,
            "public": organisation.isPublic ? "on" : "", "lyceeDesMetiers": organisation.lyceeDesMetiers ? "on" : "",
            "uai": organisation.uai ?? "", "siret": organisation.siret ?? "",
            "adresse": organisation.adresse ?? "", "codePostal": organisation.codePostal ?? "", "commune": organisation.commune ?? "",
            "departement": organisation.departementCode ?? "",
            "latitude": organisation.latitude.map { "\($0)" } ?? "", "longitude": organisation.longitude.map { "\($0)" } ?? "",
            "siteWeb": organisation.siteWeb ?? "",
            "telephone": organisation.telephone ?? "",
        ])
    }

    static func page(for organisation: Organisation?, _ state: FormState) -> FormPageContext {
        let sections = self.sections(state)
        guard let organisation, let id = organisation.id else {
            return FormPageContext(
                title: "Nouvelle organisation",
                breadcrumb: [LinkItem(label: "Accueil", url: "/"), LinkItem(label: "Gestion", url: RegistryURL.gestion.path), LinkItem(label: "Nouvelle organisation")],
                action: RegistryURL.organisationNew.path, submitLabel: "Créer l'organisation", cancelURL: RegistryURL.gestion.path,
                state: state, sections: sections)
        }
        return FormPageContext(
            title: "Modifier l'organisation \(organisation.nom)",
            breadcrumb: [LinkItem(label: "Accueil", url: "/"), LinkItem(label: organisation.nom, url: RegistryURL.organisation(id).path), LinkItem(label: "Modifier")],
            action: RegistryURL.organisationEdit(id).path, submitLabel: "Enregistrer les modifications", cancelURL: RegistryURL.organisation(id).path,
            state: state, sections: sections)
    }

    static func sections(_ state: FormState) -> [FormSection] {
        let territory = TerritoryCatalog.shared
        return [
            FormSection(legend: "L'organisation", fields: [
                state.field(FieldPath("nom"), "Nom", required: true),
                state.field(FieldPath("type"), "Type", .select, required: true, blank: "Choisir un type",
                            choices: OrganisationKind.allCases.map { ($0.rawValue, $0.label) }),
                state.field(FieldPath("public"), "Organisation publique", .checkbox,
                            hint: "Établissement public, collectivité, université… ; laissez décoché pour une organisation privée"),
                state.field(FieldPath("lyceeDesMetiers"), "Labellisée « lycée des métiers »", .checkbox),
                state.field(FieldPath("siteWeb"), "Site web", .url, hint: "Adresse complète, par exemple https://www.exemple.fr"),
                state.field(FieldPath("telephone"), "Téléphone", .tel, hint: "Par exemple 03 23 62 12 34"),
            ]),
            FormSection(legend: "Identifiants", hint: "Chaque identifiant ne peut appartenir qu'à une seule organisation.", fields: [
                state.field(FieldPath("uai"), "UAI", hint: "Pour un établissement d'enseignement : 7 chiffres et une lettre, par exemple 0010001W"),
                state.field(FieldPath("siret"), "SIRET", hint: "14 chiffres, par exemple 21350016800025"),
            ]),
            FormSection(legend: "Adresse et localisation", fields: [
                state.field(FieldPath("adresse"), "Adresse", hint: "Numéro et voie"),
                state.field(FieldPath("codePostal"), "Code postal", hint: "5 chiffres"),
                state.field(FieldPath("commune"), "Commune"),
                state.field(FieldPath("departement"), "Département", .select, blank: "Non renseigné",
                            choices: territory.departements.map { ($0.code, "\($0.code) – \($0.nom)") }),
                state.field(FieldPath("latitude"), "Latitude", .decimal, hint: "En degrés décimaux, par exemple 49,8465 ; avec la longitude, ou pas du tout"),
                state.field(FieldPath("longitude"), "Longitude", .decimal, hint: "En degrés décimaux, par exemple 3,2876"),
            ]),
        ]
    }
}

struct OrganisationDeletionContext: Encodable {
    var page: PageMeta
    var nom: String
    var url: String
    /// The campuses whose network still holds the organisation, linked to their network page.
    var campus: [LinkItem]
    var refusal: String?
    var action: String
}
