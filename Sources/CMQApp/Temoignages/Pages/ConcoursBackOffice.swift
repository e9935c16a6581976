import CMQDomain
import Fluent
import Foundation
import Vapor

/// `/gestion/concours`: the editions (and their creation, by the national administrator), an edition's page (its
/// form, categories, jurors, entries; a campus team enters its testimonies there; a juror finds the entries to
/// mark), and the juror's marking form. Every form goes through `ConcoursService`, as the API; a refusal shows the
/// form again with its errors beside the fields, and nothing written.
struct ConcoursBackOfficeController {
    /// The rows of the grid's form: at least six, and always two empty ones after the last filled (a grid has at
    /// most `ScoringGrid.maxCriteria` criteria, and an edition's form shows all of its own).
    static let gridRows = 6

    static func gridRowCount(_ values: [String: String]) -> Int {
        let filled = (0..<ScoringGrid.maxCriteria).filter { index in
            ["Code", "Libelle", "Poids", "Maximum"].contains { !(values["critere\(index)\($0)"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        }
        return min(ScoringGrid.maxCriteria, max(gridRows, (filled.last.map { $0 + 1 } ?? 0) + 2))
    }

    struct GridRow: Encodable {
        var index: Int
        var number: Int
        var code: String
        var libelle: String
        var poids: String
        var maximum: String
    }

    struct DateField: Encodable {
        var key: String
        var label: String
        var value: String
        var error: String?
    }

    struct EditionForm: Encodable {
        var action: String
        var nom: String
        var dates: [DateField]
        var places: String
        var rows: [GridRow]
        var submit: String
    }

    struct ListRow: Encodable {
        var nom: String
        var url: String
        var phase: String
        var detail: String
    }

    struct ListPage: Encodable {
        var page: PageMeta
        var notice: String?
        var rows: [ListRow]
        var form: EditionForm?
        var errors: [TemoignageBackOfficeController.ErrorLine]
        var errs: [String: String]
    }

    // MARK: - The editions

    @Sendable func list(req: Request) async throws -> Response {
        try await renderList(req, values: [:], errors: [], status: .ok)
    }

    func renderList(_ req: Request, values: [String: String], errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let caller = req.caller
        let service = ConcoursService(db: req.db, caller: caller)
        let now = caller.clock.now()
        var rows: [ListRow] = []
        for edition in try await service.editions() {
            let id = try edition.requireID()
            let phase = try edition.calendar.phase(at: now)
            var detail: [String] = []
            if let seat = try await service.seat(id) {
                detail.append(seat.niveau == .national ? "Vous êtes juré national" : "Vous êtes juré de l'académie \(Self.academieName(seat.academieCode))")
            }
            if caller.may(.update, .concours) { detail.append("\(try await service.entries(id).count) candidature(s)") }
            rows.append(ListRow(nom: edition.nom, url: ConcoursURL.manage(id).path, phase: ConcoursPagesController.phaseLabel(phase),
                                detail: detail.joined(separator: " · ")))
        }
        let form = caller.may(.create, .concours)
            ? Self.editionForm(action: ConcoursURL.manageList.path, values: values, errors: errors, submit: "Créer l'édition") : nil
        let notice = req.query[String.self, at: "fait"] == "suppression" ? "L'édition est supprimée." : nil
        let context = ListPage(page: PageMeta(title: "Concours « Ma réussite pro »", section: "gestion"), notice: notice, rows: rows, form: form,
                               errors: errors.map(Self.errorLine), errs: Self.fieldErrors(errors))
        return try await req.view.render("gestion/concours", context).encodeResponse(status: status, for: req)
    }

    static func academieName(_ code: String?) -> String {
        code.flatMap { TerritoryCatalog.shared.academie(code: $0)?.nom } ?? (code ?? "")
    }

    static func editionForm(action: String, values: [String: String], errors: [FieldError], submit: String) -> EditionForm {
        let errs = fieldErrors(errors)
        return EditionForm(
            action: action, nom: values["nom"] ?? "",
            dates: ConcoursEditionInput.dateFields.map { DateField(key: $0.key, label: $0.label, value: values[$0.key] ?? "", error: errs[$0.key]) },
            places: values["placesNationales"] ?? "1",
            rows: (0..<gridRowCount(values)).map { index in
                GridRow(index: index, number: index + 1, code: values["critere\(index)Code"] ?? "", libelle: values["critere\(index)Libelle"] ?? "",
                        poids: values["critere\(index)Poids"] ?? "", maximum: values["critere\(index)Maximum"] ?? "")
            },
            submit: submit)
    }

    /// The form's fields as the API's body: the grid's filled rows as an array of criteria.
    static func editionObject(_ form: [String: String]) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for key in ["nom", "placesNationales"] + ConcoursEditionInput.dateFields.map(\.key) {
            if let value = form[key], !value.trimmingCharacters(in: .whitespaces).isEmpty { object[key] = .string(value) }
        }
        var criteria: [JSONValue] = []
        for index in 0..<ScoringGrid.maxCriteria {
            let fields = ["code": form["critere\(index)Code"], "libelle": form["critere\(index)Libelle"],
                          "poids": form["critere\(index)Poids"], "maximum": form["critere\(index)Maximum"]]
            let filled = fields.compactMapValues { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.value.isEmpty }
            if !filled.isEmpty { criteria.append(.object(filled.mapValues { .string($0) })) }
        }
        object["grille"] = .array(criteria)
        return object
    }

    static func readEdition(_ form: [String: String]) throws(AppError) -> ConcoursEditionInput {
        var reader = InputReader(object: editionObject(form), mode: .create, textValues: true)
        return try ConcoursEditionInput.read(&reader)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.caller.authorize(.create, .concours)
        let form = try req.content.decode([String: String].self)
        do {
            let edition = try await ConcoursService(db: req.db, caller: req.caller).createEdition(try Self.readEdition(form))
            return req.redirect(to: ConcoursURL.manage(edition.id).path(query: ["fait": "edition"]), redirectType: .normal)
        } catch AppError.validation(let faults) {
            return try await renderList(req, values: form, errors: faults, status: .unprocessableEntity)
        } catch AppError.conflict(let detail) {
            return try await renderList(req, values: form, errors: [FieldError("nom", detail)], status: .conflict)
        }
    }

    // MARK: - An edition

    struct JurorRow: Encodable {
        var nom: String
        var courriel: String
        var niveau: String
        var removeAction: String
    }

    struct CategoryRow: Encodable {
        var nom: String
        var code: String
        var entries: Int
        var deleteAction: String?
    }

    struct EntryRow: Encodable {
        var titre: String
        var prenom: String
        var campus: String
        var categorie: String
        var url: String
        var markURL: String?
        var total: String?
    }

    struct EditionPage: Encodable {
        var page: PageMeta
        var nom: String
        var phase: String
        var publicURL: String
        var notice: String?
        var errors: [TemoignageBackOfficeController.ErrorLine]
        var errs: [String: String]
        var manages: Bool
        var form: EditionForm?
        var categories: [OptionItem]
        /// The categories with their deletion form (nil once a testimony is entered in one).
        var categoryRows: [CategoryRow]
        /// The edition's deletion form (nil once it has an entry).
        var deleteAction: String?
        var categoriesAction: String
        var jurors: [JurorRow]
        var jurorsAction: String
        var academies: [OptionItem]
        var values: [String: String]
        var entries: [EntryRow]
        var enterable: [OptionItem]
        var entriesAction: String
        var submissionsOpen: Bool
        var seat: String?
        var toMark: [EntryRow]
    }

    @Sendable func item(req: Request) async throws -> Response {
        let notice: String? = switch req.query[String.self, at: "fait"] {
        case "edition"?: "L'édition est enregistrée."
        case "categorie"?: "La catégorie est ajoutée."
        case "jure"?: "Le juré est ajouté."
        case "retrait-jure"?: "Le juré est retiré, avec ses notes."
        case "suppression-categorie"?: "La catégorie est supprimée."
        case "candidature"?: "Le témoignage est inscrit au concours."
        case "notes"?: "Vos notes sont enregistrées."
        default: nil
        }
        return try await renderItem(req, try ConcoursAPIController.editionID(req), values: [:], errors: [], notice: notice, status: .ok)
    }

    func renderItem(_ req: Request, _ id: UUID, values: [String: String], errors: [FieldError], notice: String?, status: HTTPResponseStatus) async throws -> Response {
        let caller = req.caller
        let service = ConcoursService(db: req.db, caller: caller)
        let edition = try await service.edition(id)
        let calendar = try edition.calendar
        let now = caller.clock.now()
        let manages = caller.may(.update, .concours)
        let categories = try await service.categories(id)
        let day = ConcoursEditionInput.day
        var formValues = values
        if manages, values["nom"] == nil {
            formValues["nom"] = edition.nom
            formValues["placesNationales"] = String(edition.placesNationales)
            let moments = [calendar.submissionsOpen, calendar.submissionsClose, calendar.academieJuryClose, calendar.nationalJuryClose,
                           calendar.voteOpen, calendar.voteClose, calendar.results]
            for (field, moment) in zip(ConcoursEditionInput.dateFields, moments) { formValues[field.key] = day(moment).iso }
            for (index, criterion) in try edition.grid.criteria.enumerated() {
                formValues["critere\(index)Code"] = criterion.code
                formValues["critere\(index)Libelle"] = criterion.label
                formValues["critere\(index)Poids"] = String(criterion.weight)
                formValues["critere\(index)Maximum"] = String(criterion.maximum)
            }
        }
        let all = try await service.entries(id)
        let entries = all.filter { manages || caller.may(.create, .concoursCandidature($0.temoignage.scope(on: caller.today))) }
        let seat = try await service.seat(id)
        var toMark: [EntryRow] = []
        if let seat {
            var qualified: Set<UUID> = []
            if seat.niveau == .national {
                for categorie in categories { qualified.formUnion(try await service.qualified(categorie)) }
            }
            for entry in all where ConcoursService.isEntered(entry, on: caller.today) {
                let mine = seat.niveau == .academique ? entry.candidature.academieCode == seat.academieCode : qualified.contains(entry.candidature.id!)
                guard mine else { continue }
                let marks = try await service.ownMarks(entry.candidature.id!, seat: seat)
                let total = marks.flatMap { try? edition.grid.total($0) }
                toMark.append(Self.row(entry, markURL: ConcoursURL.marking(entry.candidature.id).path, total: total))
            }
        }
        let enterable = try await service.enterable(id)
        let jurors = manages ? try await service.jurors(id) : []
        let context = EditionPage(
            page: PageMeta(title: "\(edition.nom) — concours", section: "gestion"),
            nom: edition.nom, phase: ConcoursPagesController.phaseLabel(calendar.phase(at: now)), publicURL: ConcoursURL.edition(id).path,
            notice: notice, errors: errors.map(Self.errorLine), errs: Self.fieldErrors(errors), manages: manages,
            form: manages ? Self.editionForm(action: ConcoursURL.manage(id).path, values: formValues, errors: errors, submit: "Enregistrer l'édition") : nil,
            categories: categories.map { OptionItem(value: $0.id!.uuidString.lowercased(), label: $0.nom, selected: values["categorieId"] == $0.id!.uuidString.lowercased()) },
            categoryRows: try categories.map { categorie in
                let count = all.filter { $0.categorie.id == categorie.id }.count
                return CategoryRow(nom: categorie.nom, code: categorie.code, entries: count,
                                   deleteAction: count == 0 ? ConcoursURL.manageCategoryDeletion(id, try categorie.requireID()).path : nil)
            },
            deleteAction: manages && all.isEmpty ? ConcoursURL.manageDeletion(id).path : nil,
            categoriesAction: ConcoursURL.manageCategories(id).path,
            jurors: try jurors.map { jure in
                JurorRow(nom: jure.utilisateur.nom, courriel: jure.utilisateur.email,
                         niveau: jure.niveau == .national ? "national" : "académie \(Self.academieName(jure.academieCode))",
                         removeAction: ConcoursURL.manageJurorRemoval(id, try jure.requireID()).path)
            },
            jurorsAction: ConcoursURL.manageJurors(id).path,
            academies: [OptionItem(value: "", label: "— (juré national)", selected: (values["academie"] ?? "").isEmpty)]
                + TerritoryCatalog.shared.academies.sorted { $0.nom < $1.nom }.map { OptionItem(value: $0.code, label: $0.nom, selected: values["academie"] == $0.code) },
            values: values,
            entries: entries.map { Self.row($0, markURL: nil, total: nil) },
            enterable: enterable.map { OptionItem(value: $0.id.uuidString.lowercased(), label: "\($0.record.titre) (\($0.campus.nom))", selected: values["temoignageId"] == $0.id.uuidString.lowercased()) },
            entriesAction: ConcoursURL.manageEntries(id).path,
            submissionsOpen: calendar.phase(at: now) == .depots,
            seat: seat.map { $0.niveau == .national ? "Vous êtes juré national de cette édition : vous notez les candidatures retenues par les jurys académiques, pendant le jury national."
                : "Vous êtes juré de l'académie \(Self.academieName($0.academieCode)) : vous notez les candidatures de votre académie, pendant les jurys académiques." },
            toMark: toMark)
        return try await req.view.render("gestion/concours-edition", context).encodeResponse(status: status, for: req)
    }

    static func row(_ entry: ConcoursService.Entry, markURL: String?, total: Double?) -> EntryRow {
        EntryRow(titre: entry.temoignage.record.titre, prenom: entry.temoignage.record.prenom, campus: entry.temoignage.campus.nom,
                 categorie: entry.categorie.nom, url: TemoignagesURL.page(entry.temoignage.id).path, markURL: markURL,
                 total: total.map { String(format: "%.2f", $0).replacingOccurrences(of: ".", with: ",") })
    }

    /// Runs a write of the edition's page; a refusal shows the page again with the reason beside its field.
    func act(_ req: Request, _ id: UUID, form: [String: String], field: String, done: String, _ write: () async throws -> Void) async throws -> Response {
        do {
            try await write()
            return req.redirect(to: ConcoursURL.manage(id).path(query: ["fait": done]), redirectType: .normal)
        } catch AppError.validation(let faults) {
            return try await renderItem(req, id, values: form, errors: faults, notice: nil, status: .unprocessableEntity)
        } catch AppError.conflict(let detail) {
            return try await renderItem(req, id, values: form, errors: [FieldError(field, detail)], notice: nil, status: .conflict)
        }
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.editionID(req)
        try req.caller.authorize(.update, .concours)
        let form = try req.content.decode([String: String].self)
        return try await act(req, id, form: form, field: "grille", done: "edition") {
            _ = try await ConcoursService(db: req.db, caller: req.caller).updateEdition(id, try Self.readEdition(form))
        }
    }

    @Sendable func addCategorie(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.editionID(req)
        try req.caller.authorize(.create, .concours)
        let form = try req.content.decode([String: String].self)
        return try await act(req, id, form: form, field: "code", done: "categorie") {
            var reader = InputReader(form: form, mode: .create)
            let (code, nom) = try ConcoursAPIController.readCategorie(&reader)
            _ = try await ConcoursService(db: req.db, caller: req.caller).addCategorie(id, code: code, nom: nom)
        }
    }

    @Sendable func addJuror(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.editionID(req)
        try req.caller.authorize(.create, .concours)
        var form = try req.content.decode([String: String].self)
        form["niveau"] = (form["academie"] ?? "").isEmpty ? "national" : "academique"
        return try await act(req, id, form: form, field: "courriel", done: "jure") {
            var reader = InputReader(form: form, mode: .create)
            let (email, niveau, academie) = try ConcoursAPIController.readJuror(&reader)
            _ = try await ConcoursService(db: req.db, caller: req.caller).addJuror(id, email: email, niveau: niveau, academieCode: academie)
        }
    }

    @Sendable func deleteEdition(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.editionID(req)
        do {
            try await ConcoursService(db: req.db, caller: req.caller).deleteEdition(id)
        } catch AppError.conflict(let detail) {
            return try await renderItem(req, id, values: [:], errors: [FieldError("suppression", detail)], notice: nil, status: .conflict)
        }
        return req.redirect(to: ConcoursURL.manageList.path(query: ["fait": "suppression"]), redirectType: .normal)
    }

    @Sendable func deleteCategorie(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.editionID(req)
        let categorie = try req.uuidParameter("categorieID", notFound: "Aucune catégorie")
        return try await act(req, id, form: [:], field: "suppression", done: "suppression-categorie") {
            try await ConcoursService(db: req.db, caller: req.caller).deleteCategorie(id, categorieID: categorie)
        }
    }

    @Sendable func removeJuror(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.editionID(req)
        let jure = try req.uuidParameter("jureID", notFound: "Aucun juré")
        try await ConcoursService(db: req.db, caller: req.caller).removeJuror(id, jurorID: jure)
        return req.redirect(to: ConcoursURL.manage(id).path(query: ["fait": "retrait-jure"]), redirectType: .normal)
    }

    @Sendable func enter(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.editionID(req)
        let form = try req.content.decode([String: String].self)
        return try await act(req, id, form: form, field: "temoignageId", done: "candidature") {
            var reader = InputReader(form: form, mode: .create)
            let temoignage = reader.uuid("temoignageId", required: true).value
            let categorie = reader.uuid("categorieId", required: true).value
            try reader.finish()
            let service = ConcoursService(db: req.db, caller: req.caller)
            guard let temoignage, let categorie, try await service.categories(id).contains(where: { $0.id == categorie }) else {
                throw AppError.validation([FieldError("categorieId", "Choisissez une catégorie de l'édition.")])
            }
            _ = try await service.enter(temoignage, categorieID: categorie)
        }
    }

    // MARK: - The juror's marking form

    struct MarkRow: Encodable {
        var code: String
        var label: String
        var maximum: Int
        var weight: Int
        var value: String
        var error: String?
    }

    struct MarkingPage: Encodable {
        var page: PageMeta
        var edition: String
        var editionURL: String
        var titre: String
        var prenom: String
        var campus: String
        var temoignageURL: String
        var rows: [MarkRow]
        var action: String
        var errors: [TemoignageBackOfficeController.ErrorLine]
        var total: String?
        var niveau: String
    }

    @Sendable func markingForm(req: Request) async throws -> Response {
        try await renderMarking(req, values: nil, errors: [], status: .ok)
    }

    func renderMarking(_ req: Request, values: [String: String]?, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let id = try ConcoursAPIController.candidatureID(req)
        let caller = req.caller
        let service = ConcoursService(db: req.db, caller: caller)
        let entry = try await service.entry(id)
        let editionID = try entry.edition.requireID()
        let seat = try await service.seat(editionID)
        try caller.authorize(.update, .concoursNotes(isJuror: seat != nil))
        guard let seat else { throw AppError.forbidden("Vous n'êtes pas juré de l'édition « \(entry.edition.nom) ».") }
        if seat.niveau == .academique, seat.academieCode != entry.candidature.academieCode {
            throw AppError.forbidden("Vous êtes juré d'une autre académie : vous notez les candidatures de la vôtre.")
        }
        let own = try await service.ownMarks(id, seat: seat)
        let grid = try entry.edition.grid
        let errs = Self.fieldErrors(errors)
        let generic = errors.first { $0.field == "notes" }?.detail
        let rows = grid.criteria.map { criterion in
            MarkRow(code: criterion.code, label: criterion.label, maximum: criterion.maximum, weight: criterion.weight,
                    value: values?["note-\(criterion.code)"] ?? own?[criterion.code].map { String($0) } ?? "",
                    error: errs["note-\(criterion.code)"] ?? (generic?.contains("« \(criterion.label) »") == true ? generic : nil))
        }
        let context = MarkingPage(
            page: PageMeta(title: "Noter « \(entry.temoignage.record.titre) »", section: "gestion"),
            edition: entry.edition.nom, editionURL: ConcoursURL.manage(editionID).path, titre: entry.temoignage.record.titre,
            prenom: entry.temoignage.record.prenom, campus: entry.temoignage.campus.nom, temoignageURL: TemoignagesURL.page(entry.temoignage.id).path,
            rows: rows, action: ConcoursURL.marking(id).path,
            errors: errors.map { fault in
                let code = fault.field.hasPrefix("note-") ? String(fault.field.dropFirst(5)) : nil
                return TemoignageBackOfficeController.ErrorLine(text: fault.detail, href: code.map { "#note-\($0)" } ?? "#notes")
            },
            total: own.flatMap { try? grid.total($0) }.map { String(format: "%.2f", $0).replacingOccurrences(of: ".", with: ",") },
            niveau: seat.niveau == .national ? "jury national" : "jury de l'académie \(Self.academieName(seat.academieCode))")
        return try await req.view.render("gestion/concours-notes", context).encodeResponse(status: status, for: req)
    }

    /// The marks, one field per criterion, each a whole number within its range; then the service (level, académie,
    /// dates). Marking again replaces one's own marks.
    @Sendable func mark(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.candidatureID(req)
        let form = try req.content.decode([String: String].self)
        let service = ConcoursService(db: req.db, caller: req.caller)
        let entry = try await service.entry(id)
        let grid = try entry.edition.grid
        var faults: [FieldError] = []
        var marks: [String: Int] = [:]
        for criterion in grid.criteria {
            let key = "note-\(criterion.code)"
            let text = (form[key] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                faults.append(FieldError(key, "Notez le critère « \(criterion.label) »."))
            } else if text.count <= 4, let mark = Int(text), (0...criterion.maximum).contains(mark) {
                marks[criterion.code] = mark
            } else if text.count <= 4, Int(text) != nil {
                faults.append(FieldError(key, "La note du critère « \(criterion.label) » va de 0 à \(criterion.maximum)."))
            } else {
                faults.append(FieldError(key, "La note du critère « \(criterion.label) » est un nombre entier de 0 à \(criterion.maximum)."))
            }
        }
        do {
            if !faults.isEmpty { throw AppError.validation(faults) }
            _ = try await service.score(id, marks: marks)
        } catch AppError.validation(let faults) {
            return try await renderMarking(req, values: form, errors: faults, status: .unprocessableEntity)
        } catch AppError.conflict(let detail) {
            return try await renderMarking(req, values: form, errors: [FieldError("notes", detail)], status: .conflict)
        }
        return req.redirect(to: ConcoursURL.manage(entry.edition.id).path(query: ["fait": "notes"]), redirectType: .normal)
    }

    // MARK: - Errors

    static func fieldName(_ field: String) -> String {
        if field.hasPrefix("grille") { return "grille" }
        return field
    }

    static func fieldErrors(_ errors: [FieldError]) -> [String: String] {
        var result: [String: String] = [:]
        for fault in errors where result[fieldName(fault.field)] == nil { result[fieldName(fault.field)] = fault.detail }
        return result
    }

    static func errorLine(_ fault: FieldError) -> TemoignageBackOfficeController.ErrorLine {
        TemoignageBackOfficeController.ErrorLine(text: fault.detail, href: "#champ-\(fieldName(fault.field))")
    }

    // MARK: - The back-office home

    /// The « Concours » block of the back-office home: for a juror, the entries of their jury; for the national
    /// administrator, the editions under way.
    static func waiting(caller: Caller, on db: any Database) async throws -> BackOfficeHome.Waiting? {
        guard let actor = caller.actor else { return nil }
        let service = ConcoursService(db: db, caller: caller)
        let seats = try await ConcoursJureRecord.query(on: db).filter(\.$utilisateur.$id == actor.userID).with(\.$edition).all()
        let now = caller.clock.now()
        var items: [BackOfficeHome.WaitingItem] = []
        for seat in seats {
            guard let calendar = try? seat.edition.calendar else { continue }
            let phase = calendar.phase(at: now)
            let sitting = seat.niveau == .academique ? phase == .juryAcademique : phase == .juryNational
            guard sitting else { continue }
            items.append(.init(label: seat.edition.nom, url: ConcoursURL.manage(seat.edition.id).path,
                               detail: seat.niveau == .national ? "jury national : candidatures à noter" : "jury de l'académie \(academieName(seat.academieCode)) : candidatures à noter"))
        }
        if actor.role == .administrateurNational {
            for edition in try await service.editions() {
                guard let phase = try? edition.calendar.phase(at: now), phase != .resultats else { continue }
                items.append(.init(label: edition.nom, url: ConcoursURL.manage(edition.id).path, detail: ConcoursPagesController.phaseLabel(phase)))
            }
        }
        guard !items.isEmpty || actor.role == .administrateurNational || !seats.isEmpty else { return nil }
        return BackOfficeHome.Waiting(title: "Concours « Ma réussite pro »", count: items.count, items: Array(items.prefix(BackOfficeHome.shown)),
                                      moreURL: ConcoursURL.manageList.path, moreLabel: "Toutes les éditions du concours",
                                      empty: "Aucun jury ne siège en ce moment pour vous.")
    }
}
