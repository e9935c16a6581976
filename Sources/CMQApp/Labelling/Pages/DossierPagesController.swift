import CMQDomain
import Fluent
import Vapor

/// `/gestion/dossiers`: the labelling procedure in HTML. Each page shows the procedure as a timeline and, to
/// whoever may act now, the form of the current step; every form goes through `LabellingService`, as the API.
struct DossierPagesController {
    static func url(_ id: UUID) -> String { LabellingURL.dossier(id).path }

    // MARK: - The dossier page

    @Sendable func page(req: Request) async throws -> Response {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        let notice: String? = switch req.query[String.self, at: "fait"] {
        case "sections": "Les sections du dossier sont enregistrées."
        case "depot": "Le dossier est déposé : il est confié aux instances de son référentiel."
        case "avis": "L'avis est enregistré."
        case "notes": "Les notes sont enregistrées."
        case "decision": "La décision est enregistrée."
        case "abandon": "Le dossier est abandonné."
        case "creation": "Le dossier est ouvert."
        case "piece": "La pièce est jointe au dossier."
        case "piece-retiree": "La pièce est retirée du dossier."
        default: nil
        }
        return try await render(req, id, errors: [], notice: notice, status: .ok)
    }

    func render(_ req: Request, _ id: UUID, errors: [String], notice: String?, status: HTTPResponseStatus) async throws -> Response {
        let context = try await DossierPage.load(id: id, caller: req.caller, errors: errors, notice: notice, on: req.db)
        return try await req.view.render("gestion/dossier", context).encodeResponse(status: status, for: req)
    }

    /// Runs a step's write; a refusal shows the page again with the reason, and nothing written.
    func act(_ req: Request, done: String, readsForm: Bool = true, _ write: (UUID, [String: String]) async throws -> Void) async throws -> Response {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        let form = readsForm ? try req.content.decode([String: String].self) : [:]
        do {
            try await write(id, form)
            return req.redirect(to: Self.url(id) + "?fait=\(done)", redirectType: .normal)
        } catch let error as AppError {
            switch error {
            case .validation(let faults):
                return try await render(req, id, errors: faults.map { Self.message($0) }, notice: nil, status: .unprocessableEntity)
            case .conflict(let detail):
                return try await render(req, id, errors: [detail], notice: nil, status: .conflict)
            default:
                throw error
            }
        }
    }

    /// A fault worded with the form's label of its field.
    static func message(_ fault: FieldError) -> String {
        let label = fieldLabel(fault.field)
        return FormState.naming(label, in: fault.detail.replacingOccurrences(of: "champ « \(fault.field) »", with: "champ « \(label) »"))
    }

    static func fieldLabel(_ field: String) -> String {
        switch field {
        case "texte": "Texte de l'avis"
        case "verdict": "Sens de l'avis"
        case "date": "Date"
        case "dureeAnnees", "dureeDemandee": "Durée"
        case "nor": "NOR"
        case "motif": "Motif"
        case "decision": "Décision"
        case "fichier": "Fichier"
        case "campusId": "Campus"
        case "resultat": "Résultat"
        case "commentaire": "Commentaire"
        default: field.hasPrefix("notes") ? "Notes" : field
        }
    }

    static func day(_ form: [String: String], _ key: String, today: CalendarDay) throws -> CalendarDay {
        guard let raw = form[key], !raw.isEmpty else { return today }
        guard let day = CalendarDay(iso: raw) else { throw AppError.validation([FieldError(key, "« \(raw) » n'est pas une date au format AAAA-MM-JJ.")]) }
        return day
    }

    @Sendable func saveSections(req: Request) async throws -> Response {
        try await act(req, done: "sections") { id, form in
            var reader = InputReader(form: form.filter { DossierSection(rawValue: $0.key) != nil }, mode: .update)
            let input = LabellingService.EditInput.read(&reader)
            try reader.finish()
            _ = try await LabellingService(db: req.db, caller: req.caller).edit(id, input)
        }
    }

    /// A file sent by the page's form (multipart), checked as the API checks it.
    struct Upload: Content {
        var fichier: File?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        try await act(req, done: "piece", readsForm: false) { id, _ in
            guard let file = try req.content.decode(Upload.self).fichier, file.data.readableBytes > 0 else {
                throw AppError.validation([FieldError("fichier", "Choisissez un fichier PDF, ODT ou DOCX.")])
            }
            _ = try await LabellingService(db: req.db, caller: req.caller).attach(id, fileName: file.filename, contents: Data(buffer: file.data))
        }
    }

    @Sendable func removePiece(req: Request) async throws -> Response {
        try await act(req, done: "piece-retiree") { id, _ in
            try await LabellingService(db: req.db, caller: req.caller).detach(id, try req.uuidParameter("pieceID", notFound: "Aucune pièce jointe"))
        }
    }

    @Sendable func deposit(req: Request) async throws -> Response {
        try await act(req, done: "depot") { id, form in
            var reader = InputReader(form: form, mode: .create)
            let input = DatedStepInput.readDeposit(&reader, today: req.today)
            try reader.finish()
            _ = try await LabellingService(db: req.db, caller: req.caller).deposit(id, date: input.date, comment: input.text)
        }
    }

    @Sendable func giveOpinion(req: Request) async throws -> Response {
        try await act(req, done: "avis") { id, form in
            var reader = InputReader(form: form, mode: .create)
            let input = LabellingService.OpinionInput.read(&reader, instance: req.actor?.instance, today: req.today)
            try reader.finish()
            guard let input else { throw AppError.validation([]) }
            _ = try await LabellingService(db: req.db, caller: req.caller).giveOpinion(id, input)
        }
    }

    @Sendable func score(req: Request) async throws -> Response {
        try await act(req, done: "notes") { id, form in
            var scores: [LabellingService.ScoreInput] = []
            for (key, value) in form where key.hasPrefix("note-") && !value.isEmpty {
                let critere = String(key.dropFirst("note-".count))
                guard let note = Int(value) else { throw AppError.validation([FieldError("notes", "La note « \(value) » n'est pas un nombre de 0 à 4.")]) }
                scores.append(.init(critere: critere, note: note, commentaire: form["commentaire-\(critere)"] ?? ""))
            }
            guard !scores.isEmpty else { throw AppError.validation([FieldError("notes", "Donnez au moins une note.")]) }
            _ = try await LabellingService(db: req.db, caller: req.caller).score(id, scores.sorted { $0.critere < $1.critere })
        }
    }

    @Sendable func decide(req: Request) async throws -> Response {
        try await act(req, done: "decision") { id, form in
            // The form always sends its duration; it counts only for a label.
            var reader = InputReader(form: form.filter { $0.key != "dureeAnnees" || form["resultat"] == Decision.Outcome.labellise.rawValue }, mode: .create)
            let decision = Decision.read(&reader, today: req.today)
            try reader.finish()
            guard let decision else { throw AppError.validation([]) }
            _ = try await LabellingService(db: req.db, caller: req.caller).decide(id, decision)
        }
    }

    @Sendable func abandon(req: Request) async throws -> Response {
        try await act(req, done: "abandon") { id, form in
            var reader = InputReader(form: form, mode: .create)
            let input = DatedStepInput.readAbandon(&reader, today: req.today)
            try reader.finish()
            _ = try await LabellingService(db: req.db, caller: req.caller).abandon(id, date: input.date, motif: input.text ?? "")
        }
    }

    /// The national administrator withdraws a label from the campus page.
    @Sendable func withdraw(req: Request) async throws -> Response {
        let id = try req.uuidParameter("labelID", notFound: "Aucun label")
        let form = try req.content.decode([String: String].self)
        let label = try await LabellingService(db: req.db, caller: req.caller).withdraw(id, date: try Self.day(form, "date", today: req.today), motif: form["motif"] ?? "")
        return req.redirect(to: RegistryURL.campus(label.$campus.id).path + "?retrait=1", redirectType: .normal)
    }

    // MARK: - The list, and opening a dossier

    @Sendable func list(req: Request) async throws -> Response {
        try await renderList(req, errors: [], status: .ok)
    }

    func renderList(_ req: Request, errors: [String], status: HTTPResponseStatus) async throws -> Response {
        let context = try await DossierListPage.load(query: req.queryParameters, caller: req.caller, errors: errors, on: req.db)
        return try await req.view.render("gestion/dossiers", context).encodeResponse(status: status, for: req)
    }

    /// `GET /gestion/dossiers.csv`: the list's dossiers with its filters and order (at most 10,000).
    @Sendable func csv(req: Request) async throws -> Response {
        guard let actor = req.actor else { throw AppError.unauthorized("Vous devez vous connecter.") }
        let filter = try LabellingAPIController.filter(from: req.queryParameters)
        var text = "\u{FEFF}campus;region;referentiel;nature;statut;etapes_en_cours;ouvert_le;depot;modifie_le\r\n"
        var number = 1
        while number <= 100 {
            let page = try await LabellingQueries.visibleDossiers(actor: actor, filter: filter, page: PageRequest(page: number, per: 100), on: req.db)
            for item in page.items {
                let fields = [item.campusNom, item.region, item.referentiel, item.nature, item.statutLibelle, item.etapesEnCours.joined(separator: ","),
                              item.creeLe.map { ISO8601DateFormatter().string(from: $0) } ?? "", item.depot ?? "",
                              item.modifieLe.map { ISO8601DateFormatter().string(from: $0) } ?? ""]
                text += fields.map(AuditController.csvField).joined(separator: ";") + "\r\n"
            }
            if page.items.count < 100 { break }
            number += 1
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"dossiers.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    @Sendable func open(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        do {
            var reader = InputReader(form: form, mode: .create)
            let input = LabellingService.CreateInput.read(&reader)
            try reader.finish()
            guard let input else { throw AppError.validation([]) }
            let loaded = try await LabellingService(db: req.db, caller: req.caller).create(input)
            return req.redirect(to: Self.url(loaded.record.id!) + "?fait=creation", redirectType: .normal)
        } catch let error as AppError {
            switch error {
            case .validation(let faults): return try await renderList(req, errors: faults.map { Self.message($0) }, status: .unprocessableEntity)
            case .conflict(let detail): return try await renderList(req, errors: [detail], status: .conflict)
            default: throw error
            }
        }
    }
}
