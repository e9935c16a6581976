import CMQDomain
import Fluent
import Foundation
import Vapor

/// `/gestion/actions…`: the back-office of the actions (list, create, edit, duplicate, publish and withdraw, the
/// participation, the registrants in CSV, the counts by school year). Writes go through `ActionService`, as in tests.
struct ActionManagementController {
    func actor(_ req: Request) throws -> Actor {
        guard let actor = req.actor else { throw AppError.unauthorized("Vous devez vous connecter pour gérer les actions.") }
        return actor
    }

    @Sendable func list(req: Request) async throws -> View {
        try await req.view.render("gestion/actions", ActionManagementPage.load(caller: req.caller, actor: try actor(req), query: req.queryParameters, on: req.db))
    }

    // MARK: - Form

    /// The campus of a new action: `?campus=` (or the form's hidden field), or the team's own.
    func campus(_ req: Request, values: FormValues? = nil) async throws -> Campus {
        let raw = values?.fields["campus"] ?? req.query[String.self, at: "campus"]
        var id = raw.flatMap(UUID.init(uuidString:)) ?? req.actor?.campusID
        if id == nil, let organisation = req.actor?.organisationID {
            // a member: the first campus whose network its organisation belongs to
            id = try await Membership.query(on: req.db).filter(\.$organisation.$id == organisation).first()?.$campus.id
        }
        guard let id, let campus = try await Campus.find(id, on: req.db) else {
            throw AppError.validation([FieldError("campus", "Indiquez le campus de l'action (?campus=…).")])
        }
        return campus
    }

    func members(of campusID: UUID, on db: any Database) async throws -> [ActionForm.Member] {
        try await Membership.query(on: db).filter(\.$campus.$id == campusID).with(\.$organisation).all()
            .map { ActionForm.Member(id: $0.$organisation.id, nom: $0.organisation.nom) }.sorted { $0.nom < $1.nom }
    }

    func formView(_ req: Request, campus: Campus, actionID: UUID?, state: FormState) async throws -> View {
        let members = try await members(of: campus.id!, on: req.db)
        let s = state
        let choices = { (cases: [(String, String)]) in cases.map { (value: $0.0, label: $0.1) } }
        var campusField = s.field(FieldPath("campus"), "Campus")
        campusField.kind = .select
        campusField.options = [OptionItem(value: campus.id!.uuidString.lowercased(), label: campus.nom, selected: true)]
        let sections = [
            FormSection(legend: "L'action", fields: [
                campusField,
                s.field(FieldPath("titre"), "Titre", hint: "140 caractères au plus", required: true),
                s.field(FieldPath("resume"), "Description courte", hint: "200 caractères au plus", required: true),
                s.field(FieldPath("description"), "Description", .textarea, hint: "## titre, - liste, **gras**, *italique*, [lien](https://…)"),
                s.field(FieldPath("type"), "Type", .select, required: true, blank: "Choisir", choices: choices(ActionType.allCases.map { ($0.rawValue, $0.label) })),
                s.field(FieldPath("filiere"), "Filière", .select, hint: "celle du campus si aucune", blank: "Celle du campus",
                        choices: choices(Filiere.allCases.map { ($0.rawValue, $0.label) })),
            ]),
            FormSection(legend: "Publics et niveaux", fields:
                ActionAudience.allCases.map { s.field(FieldPath(ActionForm.audienceField($0)), $0.label, .checkbox) }
                + Level.allCases.map { s.field(FieldPath(ActionForm.levelField($0)), $0.label, .checkbox) }),
            FormSection(legend: "Horaires", hint: "Heure de Paris, un horaire par ligne : « 2027-02-13 09:00 17:00 », ou « 2027-02-13T20:00 2027-02-14T02:00 ». 24 heures au plus chacun, sans chevauchement.",
                        fields: [s.field(FieldPath("horaires"), "Horaires", .textarea, required: true)]),
            FormSection(legend: "Lieu", fields: [
                s.field(FieldPath("lieuType"), "Type de lieu", .select, required: true, blank: "Choisir", choices: choices(ActionPlaceKind.allCases.map { ($0.rawValue, $0.label) })),
                s.field(FieldPath("organisationLieu"), "Organisation du réseau", .select, blank: "—", choices: choices(members.map { ($0.id.uuidString.lowercased(), $0.nom) })),
                s.field(FieldPath("nomLieu"), "Nom du lieu"), s.field(FieldPath("adresse"), "Adresse"), s.field(FieldPath("codePostal"), "Code postal"),
                s.field(FieldPath("commune"), "Commune"), s.field(FieldPath("codeInsee"), "Code INSEE de la commune"),
                s.field(FieldPath("latitude"), "Latitude", .decimal), s.field(FieldPath("longitude"), "Longitude", .decimal),
                s.field(FieldPath("lienEnLigne"), "Lien de l'action en ligne", .url),
            ]),
            FormSection(legend: "Organisateurs et partenaires", hint: "Les organisations organisatrices peuvent modifier l'action.", fields:
                members.map { s.field(FieldPath(ActionForm.organiserField($0.id)), "Organise : \($0.nom)", .checkbox) }
                + members.map { s.field(FieldPath(ActionForm.partnerField($0.id)), "Partenaire : \($0.nom)", .checkbox) }),
            FormSection(legend: "Inscription", fields: [
                s.field(FieldPath("inscription"), "Mode d'inscription", .select, required: true, blank: "Choisir", choices: choices(RegistrationMode.allCases.map { ($0.rawValue, $0.label) })),
                s.field(FieldPath("inscriptionLien"), "Lien d'inscription", .url), s.field(FieldPath("inscriptionCourriel"), "Adresse d'inscription", .email),
                s.field(FieldPath("capacite"), "Capacité (inscription sur cmq)"),
            ]),
            FormSection(legend: "Accessibilité et image", fields:
                Disability.allCases.map { s.field(FieldPath(ActionForm.disabilityField($0)), $0.label, .checkbox) }
                + [s.field(FieldPath("imageURL"), "Adresse de l'image", .url), s.field(FieldPath("imageAlt"), "Texte alternatif de l'image")]),
            FormSection(legend: "Statut", fields: [
                s.field(FieldPath("statut"), "Statut", .select, choices: choices(ActionStatus.allCases.map { ($0.rawValue, $0.label) })),
                s.field(FieldPath("motifStatut"), "Raison du statut", hint: "obligatoire sauf « programmé »"),
            ]),
        ]
        let title = actionID == nil ? "Nouvelle action" : "Modifier l'action"
        let action = actionID.map { ActionsURL.edit($0).path } ?? ActionsURL.new.path
        return try await req.view.render("gestion/form", FormPageContext(
            title: title, breadcrumb: [LinkItem(label: "Gestion", url: "/gestion"), LinkItem(label: "Actions", url: ActionsURL.manage.path), LinkItem(label: title, url: nil)],
            action: action, submitLabel: "Enregistrer", cancelURL: ActionsURL.manage.path, state: state, sections: sections))
    }

    @Sendable func newForm(req: Request) async throws -> View {
        let campus = try await campus(req)
        let scope = Resource.ActionScope(campusID: campus.id!, regionCode: campus.regionCode, organiserIDs: [req.actor?.organisationID].compactMap { $0 }, isPublished: false)
        try req.caller.authorize(.create, .campusAction(scope))
        var fields = ["lieuType": ActionPlaceKind.organisation.rawValue, "inscription": RegistrationMode.aucune.rawValue, "statut": ActionStatus.programme.rawValue]
        if let organisation = req.actor?.organisationID { fields[ActionForm.organiserField(organisation)] = "on" }
        return try await formView(req, campus: campus, actionID: nil, state: FormState(values: FormValues(fields: fields)))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let values = try FormValues(req)
        let campus = try await campus(req, values: values)
        return try await req.submitForm(values, show: { try await formView(req, campus: campus, actionID: nil, state: $0) }) {
            let draft = try ActionForm.read(values, members: try await members(of: campus.id!, on: req.db))
            let created = try await ActionService(db: req.db, caller: req.caller).create(campusID: campus.id!, draft)
            return ActionsURL.manage.path(query: ["fait": "cree"]) + "#action-\(created.record.id!.uuidString.lowercased())"
        }
    }

    @Sendable func editForm(req: Request) async throws -> View {
        let action = try await ActionService(db: req.db, caller: req.caller).load(try ActionPagesController.actionID(req))
        try req.caller.authorize(.update, .campusAction(action.scope))
        var values = ActionForm.values(of: try action.draft)
        values.fields["campus"] = action.campus.id!.uuidString.lowercased()
        return try await formView(req, campus: action.campus, actionID: action.record.id, state: FormState(values: values))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try ActionPagesController.actionID(req)
        let action = try await ActionService(db: req.db, caller: req.caller).load(id)
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { try await formView(req, campus: action.campus, actionID: id, state: $0) }) {
            var draft = try ActionForm.read(values, members: try await members(of: action.campus.id!, on: req.db))
            // the form does not show the formations and platforms (the API sets them): they stay.
            let current = try action.draft
            draft.formations = current.formations
            draft.plateaux = current.plateaux
            _ = try await ActionService(db: req.db, caller: req.caller).update(id, draft)
            return ActionsURL.manage.path(query: ["fait": "modifie"])
        }
    }

    // MARK: - State changes

    @Sendable func publish(req: Request) async throws -> Response {
        _ = try await ActionService(db: req.db, caller: req.caller).moderate(try ActionPagesController.actionID(req), to: .publie)
        return req.redirect(to: ActionsURL.manage.path(query: ["fait": "publie"]), redirectType: .normal)
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        _ = try await ActionService(db: req.db, caller: req.caller).moderate(try ActionPagesController.actionID(req), to: .retire)
        return req.redirect(to: ActionsURL.manage.path(query: ["fait": "retire"]), redirectType: .normal)
    }

    @Sendable func duplicate(req: Request) async throws -> Response {
        let copy = try await ActionService(db: req.db, caller: req.caller).duplicate(try ActionPagesController.actionID(req))
        return req.redirect(to: ActionsURL.edit(copy.record.id).path, redirectType: .normal)
    }

    // MARK: - Participation

    func participationView(_ req: Request, action: ActionService.Loaded, state: FormState) async throws -> View {
        let s = state
        let sections = [
            FormSection(legend: "Participants par public", hint: "Des nombres, jamais des noms.",
                        fields: ActionAudience.allCases.map { s.field(FieldPath("participants-\($0.rawValue)"), $0.label) }),
            FormSection(legend: "Qui était là", fields: [
                s.field(FieldPath("etablissements"), "Établissements", .textarea, hint: "un par ligne"),
                s.field(FieldPath("entreprises"), "Entreprises", .textarea, hint: "une par ligne"),
            ]),
            FormSection(legend: "Bilan", fields: [s.field(FieldPath("bilan"), "Bilan", .textarea, hint: "2 000 caractères au plus")]),
        ]
        let title = "Participation : \(action.record.titre)"
        return try await req.view.render("gestion/form", FormPageContext(
            title: title, breadcrumb: [LinkItem(label: "Gestion", url: "/gestion"), LinkItem(label: "Actions", url: ActionsURL.manage.path), LinkItem(label: "Participation", url: nil)],
            action: ActionsURL.participation(action.record.id).path, submitLabel: "Enregistrer la participation", cancelURL: ActionsURL.manage.path,
            state: state, sections: sections))
    }

    @Sendable func participationForm(req: Request) async throws -> View {
        let action = try await ActionService(db: req.db, caller: req.caller).load(try ActionPagesController.actionID(req))
        try req.caller.authorize(.update, .campusAction(action.scope))
        var fields: [String: String] = [:]
        if let participation = action.record.participation {
            for (audience, count) in participation.counts { fields["participants-\(audience.rawValue)"] = String(count) }
            fields["etablissements"] = participation.etablissements.joined(separator: "\n")
            fields["entreprises"] = participation.entreprises.joined(separator: "\n")
            fields["bilan"] = participation.bilan
        }
        return try await participationView(req, action: action, state: FormState(values: FormValues(fields: fields)))
    }

    @Sendable func recordParticipation(req: Request) async throws -> Response {
        let id = try ActionPagesController.actionID(req)
        let action = try await ActionService(db: req.db, caller: req.caller).load(id)
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { try await participationView(req, action: action, state: $0) }) {
            var reader = InputReader(form: values.fields, mode: .create)
            var counts: [ActionAudience: Int] = [:]
            for audience in ActionAudience.allCases {
                if let count = reader.integer("participants-\(audience.rawValue)", range: 0...ActionRules.maximumParticipants).value { counts[audience] = count }
            }
            let bilan = reader.text("bilan", maxLength: ActionRules.reviewMaximum * 2).value ?? ""
            try reader.finish(ignoring: Set(values.fields.keys))
            func names(_ key: String) -> [String] {
                (values.fields[key] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            do {
                _ = try await ActionService(db: req.db, caller: req.caller).recordParticipation(
                    id, Participation(counts: counts, etablissements: names("etablissements"), entreprises: names("entreprises"), bilan: bilan))
            } catch AppError.validation(let errors) {
                throw AppError.validation(errors.map { FieldError($0.field.replacingOccurrences(of: "participants.", with: "participants-"), $0.detail) })
            }
            return ActionsURL.manage.path(query: ["fait": "participation"])
        }
    }

    // MARK: - Exports

    @Sendable func registrationsCSV(req: Request) async throws -> Response {
        let (action, rows) = try await RegistrationLedger(db: req.db, caller: req.caller).list(actionID: try ActionPagesController.actionID(req))
        var text = "\u{FEFF}inscrit_le;nom;courriel;categorie;personnes;etat\r\n"
        let formatter = ISO8601DateFormatter()
        for row in rows {
            text += [formatter.string(from: row.creeLe), row.nom ?? "(effacé)", row.courriel ?? "(effacé)", row.categorie.label, String(row.personnes), row.etat.label]
                .map(FormationCSV.field).joined(separator: ";") + "\r\n"
        }
        return Self.csv(text, filename: "inscriptions-\(action.record.id!.uuidString.lowercased()).csv")
    }

    @Sendable func counts(req: Request) async throws -> View {
        try await req.view.render("gestion/actions-comptes", ActionCountsPage.load(caller: req.caller, actor: try actor(req), query: req.queryParameters, on: req.db))
    }

    @Sendable func countsCSV(req: Request) async throws -> Response {
        let level = try ActionCountsPage.level(req.queryParameters)
        let rows = try await ActionCountsPage.rows(caller: req.caller, actor: try actor(req), level: level, on: req.db)
        var text = "\u{FEFF}" + (["perimetre", "annee_scolaire", "type", "actions"] + ActionAudience.allCases.map(\.rawValue) + ["total"]).joined(separator: ";") + "\r\n"
        for row in rows {
            text += ([row.scope, row.annee, row.type, String(row.actions)] + row.counts.map(String.init) + [String(row.total)]).map(FormationCSV.field).joined(separator: ";") + "\r\n"
        }
        return Self.csv(text, filename: "actions-comptes-\(level.rawValue).csv")
    }

    static func csv(_ text: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
