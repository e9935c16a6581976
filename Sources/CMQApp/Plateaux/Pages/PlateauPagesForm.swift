import CMQDomain
import Fluent
import Foundation
import Vapor

/// The platform form of the back-office in plain text fields, read into `PlateauService.Input`: one field of
/// opening hours per weekday ("08:00-12:00, 13:30-17:00"), closures one per line ("2026-12-21 2027-01-03 vacances
/// Noël"), equipment one item per line ("Presse à injecter ; Plasturgie ; 1 ; oui"). Every fault is reported
/// against its field, with the line it is on.
enum PlateauForm {
    static func hoursField(_ day: Weekday) -> String { "horaires-\(day.rawValue)" }

    /// The form filled with a stored platform.
    static func values(of plateau: Plateau) -> FormValues {
        var fields = [
            "nom": plateau.nom, "description": plateau.description, "adresse": plateau.adresse,
            "validation": plateau.rules.approvalRequired ? "on" : "",
            "preavisHeures": String(plateau.rules.minimumNoticeHours),
            "dureeMaximaleMinutes": plateau.rules.maximumDurationMinutes.map(String.init) ?? "",
            "ouvertAutresCampus": plateau.rules.openTo.contains(.allCampuses) ? "on" : "",
            "ouvertEntreprises": plateau.rules.openTo.contains(.companies) ? "on" : "",
            "fermetures": plateau.closures.map(line).joined(separator: "\n"),
            "equipements": plateau.equipements.map(line).joined(separator: "\n"),
        ]
        for day in Weekday.allCases {
            fields[hoursField(day)] = plateau.openingHours.intervals(on: day).map { "\($0.start.text)-\($0.end.text)" }.joined(separator: ", ")
        }
        return FormValues(fields: fields)
    }

    /// A new platform: approval required, open on weekdays.
    static var defaults: FormValues {
        var fields = ["validation": "on", "preavisHeures": "24"]
        for day in Weekday.allCases where day < .samedi { fields[hoursField(day)] = "08:00-12:00, 13:30-17:30" }
        return FormValues(fields: fields)
    }

    static func line(_ closure: Closure) -> String {
        ([closure.first.iso] + (closure.last == closure.first ? [] : [closure.last.iso]) + [closure.reason.rawValue] + [closure.motif].compactMap { $0 })
            .joined(separator: " ")
    }

    static func line(_ equipement: Equipement) -> String {
        [equipement.nom, equipement.categorie, String(equipement.quantite), equipement.requiresSafetyTraining ? "oui" : "non"].joined(separator: " ; ")
    }

    // MARK: - Reading

    /// The service's input, or every fault of the form. `existing` are the platform's items, whose ids are kept for
    /// the lines that name them (their bookings keep them).
    static func read(_ values: FormValues, creating: Bool, existing: [Equipement]) throws(AppError) -> PlateauService.Input {
        var reader = InputReader(form: values.fields, mode: creating ? .create : .update)
        var input = PlateauService.Input()
        if creating { input.organisationID = reader.uuid("organisationId", required: true).value }
        input.nom = reader.text("nom", required: true, maxLength: 200).value
        input.description = reader.text("description", maxLength: 5_000).value ?? ""
        let adresse = reader.text("adresse", maxLength: 300).value
        // A new platform without an address takes its owner's (see `PlateauService.create`).
        input.adresse = creating ? adresse : adresse ?? ""
        let approval = reader.bool("validation").value ?? false
        let notice = reader.integer("preavisHeures", range: 0...8_760).value
        let maximum = reader.integer("dureeMaximaleMinutes", range: 1...1_440).value
        let campuses = reader.bool("ouvertAutresCampus").value ?? false
        let companies = reader.bool("ouvertEntreprises").value ?? false
        var errors = reader.errors
        input.horaires = readHours(values, errors: &errors)
        input.fermetures = readClosures(values.fields["fermetures"] ?? "", errors: &errors)
        input.equipements = readEquipements(values.fields["equipements"] ?? "", existing: existing, errors: &errors)
        do throws(PlateauError) {
            input.regles = try PlateauRules(approvalRequired: approval, minimumNoticeHours: notice ?? 0, maximumDurationMinutes: maximum,
                                            openTo: Set([.campusMembers] + (campuses ? [.allCampuses] : []) + (companies ? [.companies] : [])))
        } catch {
            if case .negativeNotice = error { errors.append(FieldError("preavisHeures", error.message)) } else {
                errors.append(FieldError("dureeMaximaleMinutes", error.message))
            }
        }
        guard errors.isEmpty else { throw .validation(merged(errors)) }
        return input
    }

    /// One fault per field, its messages in order, so that the summary lists each field once.
    static func merged(_ errors: [FieldError]) -> [FieldError] {
        var order: [String] = [], messages: [String: [String]] = [:]
        for error in errors {
            if messages[error.field] == nil { order.append(error.field) }
            messages[error.field, default: []].append(error.detail)
        }
        return order.map { FieldError($0, messages[$0]!.joined(separator: " ")) }
    }

    /// Each weekday's field: intervals separated by commas, "08:00-12:00" (an en dash or "à" also separate the times).
    static func readHours(_ values: FormValues, errors: inout [FieldError]) -> OpeningHours? {
        var days: [Weekday: [DayInterval]] = [:]
        var failed = false
        for day in Weekday.allCases {
            let field = hoursField(day)
            let text = values.fields[field] ?? ""
            var dayFailed = false
            for part in text.split(whereSeparator: { $0 == "," || $0 == ";" }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                let times = part.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: " à ", with: "-")
                    .split(separator: "-").map { normalisedTime($0.trimmingCharacters(in: .whitespaces)) }
                guard times.count == 2 else {
                    errors.append(FieldError(field, "« \(part) » : écrivez chaque plage début-fin, par exemple 08:00-12:00."))
                    dayFailed = true
                    continue
                }
                do throws(PlateauError) {
                    days[day, default: []].append(try DayInterval(TimeOfDay(parsing: times[0]), TimeOfDay(parsing: times[1])))
                } catch {
                    errors.append(FieldError(field, error.message))
                    dayFailed = true
                }
            }
            // Overlapping intervals, day by day, so that every faulty day is reported.
            if !dayFailed, let list = days[day] {
                do throws(PlateauError) { _ = try OpeningHours([day: list]) } catch {
                    // The field is the day's: its label already names the day.
                    let prefix = "\(day.label.capitalizingFirstLetter) : "
                    errors.append(FieldError(field, error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message))
                    dayFailed = true
                }
            }
            failed = failed || dayFailed
        }
        guard !failed else { return nil }
        return try? OpeningHours(days)
    }

    /// "8:30" → "08:30", so that a single-digit hour is read.
    static func normalisedTime(_ text: String) -> String {
        text.count == 4 && text.dropFirst().hasPrefix(":") ? "0" + text : text
    }

    /// One closure per line: the first day, the last day (when it lasts more than a day), the reason (maintenance,
    /// vacances, autre) and a motif (required for "autre").
    static func readClosures(_ text: String, errors: inout [FieldError]) -> [Closure]? {
        var closures: [Closure] = []
        var failed = false
        for (index, line) in lines(text) {
            func fail(_ message: String) {
                errors.append(FieldError("fermetures", "Ligne \(index) : \(message)"))
                failed = true
            }
            var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first.flatMap(day) else {
                fail("« \(words.first ?? line) » n'est pas une date au format AAAA-MM-JJ (ou JJ/MM/AAAA).")
                continue
            }
            words.removeFirst()
            var last = first
            if let next = words.first, next.first?.isNumber == true {
                guard let parsed = day(next) else {
                    fail("« \(next) » n'est pas une date au format AAAA-MM-JJ (ou JJ/MM/AAAA).")
                    continue
                }
                last = parsed
                words.removeFirst()
            }
            guard let reasonWord = words.first, let reason = Closure.Reason(rawValue: reasonWord.lowercased()) else {
                fail("indiquez la raison de la fermeture après les dates : "
                    + "\(Closure.Reason.allCases.map(\.rawValue).joined(separator: ", ")), pas « \(words.first ?? "") ».")
                continue
            }
            words.removeFirst()
            do throws(PlateauError) {
                closures.append(try Closure(from: first, to: last, reason: reason, motif: words.isEmpty ? nil : words.joined(separator: " ")))
            } catch {
                fail(error.message)
            }
        }
        return failed ? nil : closures
    }

    static func day(_ text: String) -> CalendarDay? {
        if let day = CalendarDay(iso: text) { return day }
        let parts = text.split(separator: "/")
        guard parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]), parts[2].count == 4 else { return nil }
        return CalendarDay(year: y, month: m, day: d)
    }

    /// One item per line: name ; category ; quantity ; safety training (oui or non). An item named as one of `existing`
    /// keeps its id.
    static func readEquipements(_ text: String, existing: [Equipement], errors: inout [FieldError]) -> [PlateauService.EquipementInput]? {
        var items: [PlateauService.EquipementInput] = []
        var seen: [String: Int] = [:]
        var failed = false
        let known = Dictionary(existing.map { (key($0.nom), $0.id) }, uniquingKeysWith: { first, _ in first })
        for (index, line) in lines(text) {
            func fail(_ message: String) {
                errors.append(FieldError("equipements", "Ligne \(index) : \(message)"))
                failed = true
            }
            let cells = line.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let nom = cells[0]
            guard !nom.isEmpty else { fail("le nom de l'équipement manque."); continue }
            guard cells.count <= 4 else { fail("quatre parties au plus, séparées par « ; » : nom ; catégorie ; quantité ; sécurité (oui ou non)."); continue }
            if let previous = seen[key(nom)] { fail("l'équipement « \(nom) » figure déjà ligne \(previous)."); continue }
            seen[key(nom)] = index
            let quantityText = cells.count > 2 ? cells[2] : ""
            guard let quantite = quantityText.isEmpty ? 1 : Int(quantityText), quantite >= 1 else {
                fail("la quantité de « \(nom) » doit être un nombre entier d'au moins 1, pas « \(quantityText) ».")
                continue
            }
            let safetyText = cells.count > 3 ? cells[3].lowercased() : ""
            guard ["", "oui", "non"].contains(safetyText) else {
                fail("la formation à la sécurité de « \(nom) » s'indique par oui ou non, pas « \(cells[3]) ».")
                continue
            }
            items.append(PlateauService.EquipementInput(id: known[key(nom)], nom: nom, categorie: cells.count > 1 ? cells[1] : "",
                                                        quantite: quantite, formationSecurite: safetyText == "oui"))
        }
        return failed ? nil : items
    }

    /// The non-blank lines of a text area, numbered from 1 as the person sees them.
    static func lines(_ text: String) -> [(Int, String)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.1.isEmpty }
    }

    /// Names compared without case nor extra spaces.
    static func key(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: - The page

    static func page(plateau: PlateauService.Loaded?, campus: Campus, owners: [Organisation], _ state: FormState) -> FormPageContext {
        var first = [state.field(FieldPath("nom"), "Nom du plateau", hint: "Par exemple « Atelier de plasturgie »", required: true)]
        if plateau == nil {
            first.append(state.field(FieldPath("organisationId"), "Organisation propriétaire", .select,
                                     hint: "Une organisation du réseau du campus", required: true, blank: "Choisir l'organisation",
                                     choices: owners.map { ($0.id!.uuidString.lowercased(), $0.nom) }))
        }
        first += [
            state.field(FieldPath("description"), "Description", .textarea),
            state.field(FieldPath("adresse"), "Adresse", hint: plateau == nil ? "Laissez vide pour reprendre l'adresse de l'organisation propriétaire" : nil),
        ]
        var notice = state.field(FieldPath("preavisHeures"), "Préavis minimal, en heures", hint: "0 : réservable jusqu'au début du créneau")
        notice.inputType = "number"
        notice.inputMode = "numeric"
        var maximum = state.field(FieldPath("dureeMaximaleMinutes"), "Durée maximale d'une réservation, en minutes",
                                  hint: "Par exemple 240 pour 4 heures ; laissez vide pour aucune limite autre que les heures d'ouverture")
        maximum.inputType = "number"
        maximum.inputMode = "numeric"
        let sections = [
            FormSection(legend: "Le plateau", fields: first),
            FormSection(legend: "Heures d'ouverture",
                        hint: "Pour chaque jour, les plages d'ouverture séparées par des virgules, par exemple 08:00-12:00, 13:30-17:00 ; "
                            + "laissez vide un jour de fermeture. Une réservation tient dans une seule plage.",
                        fields: Weekday.allCases.map { state.field(FieldPath(hoursField($0)), $0.label.capitalizingFirstLetter) }),
            FormSection(legend: "Fermetures", fields: [
                state.field(FieldPath("fermetures"), "Périodes de fermeture", .textarea,
                            hint: "Une par ligne : premier jour, dernier jour (s'il y en a plusieurs), raison (maintenance, vacances ou autre), "
                                + "puis un motif, obligatoire pour « autre ». Par exemple : 2026-12-21 2027-01-03 vacances Noël"),
            ]),
            FormSection(legend: "Règles de réservation", fields: [
                state.field(FieldPath("validation"), "Chaque réservation doit être acceptée par le propriétaire", .checkbox,
                            hint: "Décoché : les réservations sont acceptées d'office"),
                notice, maximum,
                state.field(FieldPath("ouvertAutresCampus"), "Ouvert aux membres des autres campus", .checkbox),
                state.field(FieldPath("ouvertEntreprises"), "Ouvert aux entreprises", .checkbox, hint: "Même hors du réseau du campus"),
            ]),
            FormSection(legend: "Équipements", fields: [
                state.field(FieldPath("equipements"), "Équipements", .textarea,
                            hint: "Un par ligne : nom ; catégorie ; quantité ; formation à la sécurité (oui ou non). Par exemple : "
                                + "Presse à injecter 80 t ; Plasturgie ; 1 ; oui. Un équipement garde ses réservations tant que son nom ne change pas."),
            ]),
        ]
        let campusID = campus.id!
        guard let plateau else {
            return FormPageContext(
                title: "Nouveau plateau technique",
                breadcrumb: [LinkItem(label: "Accueil", url: "/"), LinkItem(label: campus.nom, url: RegistryURL.campus(campusID).path),
                             LinkItem(label: "Nouveau plateau technique")],
                action: PlateauxURL.new(campus: campusID), submitLabel: "Créer le plateau", cancelURL: RegistryURL.campus(campusID).path + "#plateaux",
                state: state, sections: sections)
        }
        let id = plateau.plateau.id
        return FormPageContext(
            title: "Modifier le plateau \(plateau.plateau.nom)",
            breadcrumb: [LinkItem(label: "Accueil", url: "/"), LinkItem(label: campus.nom, url: RegistryURL.campus(campusID).path),
                         LinkItem(label: plateau.plateau.nom, url: PlateauxURL.page(id).path), LinkItem(label: "Modifier")],
            action: PlateauxURL.edit(id).path, submitLabel: "Enregistrer les modifications", cancelURL: PlateauxURL.page(id).path,
            state: state, sections: sections)
    }
}

/// `/gestion/plateaux`: creating, editing and deleting a platform with the form above; `PlateauService` checks the
/// rights and the platform, as for the API.
struct PlateauFormPagesController {
    /// The campus of a new platform (`?campus=`, or the campus team's own) and the organisations that may own it.
    private func newContext(_ req: Request) async throws -> (Campus, [Organisation]) {
        let raw = req.query[String.self, at: "campus"] ?? ""
        guard let campusID = UUID(uuidString: raw) ?? (raw.isEmpty ? req.actor?.campusID : nil) else {
            throw AppError.notFound("Indiquez le campus du plateau : ouvrez la page du campus et suivez le lien « Ajouter un plateau technique ».")
        }
        let campus = try await CampusService(db: req.db, caller: req.caller).find(campusID)
        var owners = try await PlateauPagesQueries.activeMembers(of: campusID, today: req.today, on: req.db)
        if let actor = req.actor, actor.role == .membre {
            owners = owners.filter { $0.id == actor.organisationID }
            guard !owners.isEmpty else {
                throw AppError.forbidden("Votre organisation ne fait pas partie du réseau de ce campus : elle n'y partage pas de plateau.")
            }
        }
        // The owner matters only to a member (its own organisation, checked above); the other roles' rights do not depend on it.
        let owner = owners.first?.id ?? req.actor?.organisationID ?? campusID
        try req.caller.authorize(.create, .plateau(.init(campusID: campusID, regionCode: campus.regionCode, organisationID: owner)))
        return (campus, owners)
    }

    @Sendable func newForm(req: Request) async throws -> View {
        let (campus, owners) = try await newContext(req)
        var values = PlateauForm.defaults
        if owners.count == 1 { values.fields["organisationId"] = owners[0].id!.uuidString.lowercased() }
        return try await req.view.render("gestion/form", PlateauForm.page(plateau: nil, campus: campus, owners: owners, FormState(values: values)))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (campus, owners) = try await newContext(req)
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in
            try await req.view.render("gestion/form", PlateauForm.page(plateau: nil, campus: campus, owners: owners, state))
        }) {
            var input = try PlateauForm.read(values, creating: true, existing: [])
            input.campusID = campus.id
            let loaded = try await PlateauService(db: req.db, caller: req.caller).create(input)
            return PlateauxURL.page(loaded.plateau.id).path + "?fait=cree"
        }
    }

    @Sendable func editForm(req: Request) async throws -> View {
        let loaded = try await PlateauService(db: req.db, caller: req.caller).load(try PlateauPagesController.plateauID(req))
        try req.caller.authorize(.update, .plateau(loaded.scope))
        let state = FormState(values: PlateauForm.values(of: loaded.plateau))
        return try await req.view.render("gestion/form", PlateauForm.page(plateau: loaded, campus: loaded.campus, owners: [], state))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let service = PlateauService(db: req.db, caller: req.caller)
        let loaded = try await service.load(try PlateauPagesController.plateauID(req))
        try req.caller.authorize(.update, .plateau(loaded.scope))
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in
            try await req.view.render("gestion/form", PlateauForm.page(plateau: loaded, campus: loaded.campus, owners: [], state))
        }) {
            let input = try PlateauForm.read(values, creating: false, existing: loaded.plateau.equipements)
            do {
                _ = try await service.update(loaded.plateau.id, input)
            } catch AppError.conflict(let detail) {
                // An item with bookings to come cannot be removed from the list.
                throw FormRefusal.conflict(detail, at: "equipements")
            }
            return PlateauxURL.page(loaded.plateau.id).path + "?fait=modifie"
        }
    }

    // MARK: - Deletion

    struct DeletionContext: Encodable {
        var page: PageMeta
        var nom: String
        var url: String
        var campus: LinkItem
        var refusal: String?
        var action: String
    }

    @Sendable func confirmDelete(req: Request) async throws -> View {
        let loaded = try await PlateauService(db: req.db, caller: req.caller).load(try PlateauPagesController.plateauID(req))
        try req.caller.authorize(.delete, .plateau(loaded.scope))
        return try await deletionPage(req, loaded, refusal: nil)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let service = PlateauService(db: req.db, caller: req.caller)
        let loaded = try await service.load(try PlateauPagesController.plateauID(req))
        do {
            try await service.delete(loaded.plateau.id)
        } catch AppError.conflict(let detail) {
            return try await deletionPage(req, loaded, refusal: detail).encodeResponse(status: .conflict, for: req)
        }
        return req.redirect(to: RegistryURL.campus(loaded.plateau.campusID).path + "?plateau-supprime=1#plateaux", redirectType: .normal)
    }

    private func deletionPage(_ req: Request, _ loaded: PlateauService.Loaded, refusal: String?) async throws -> View {
        let id = loaded.plateau.id
        return try await req.view.render("gestion/plateau-supprimer", DeletionContext(
            page: PageMeta(title: (refusal == nil ? "" : "Erreur : ") + "Supprimer le plateau \(loaded.plateau.nom)", section: "gestion"),
            nom: loaded.plateau.nom, url: PlateauxURL.page(id).path,
            campus: LinkItem(label: loaded.campus.nom, url: RegistryURL.campus(loaded.plateau.campusID).path),
            refusal: refusal, action: PlateauxURL.delete(id).path))
    }
}
