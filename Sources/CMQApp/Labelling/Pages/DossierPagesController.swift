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
                return try await render(req, id, errors: faults.map { FormState.naming(Self.fieldLabel($0.field), in: $0.detail) }, notice: nil, status: .unprocessableEntity)
            case .conflict(let detail):
                return try await render(req, id, errors: [detail], notice: nil, status: .conflict)
            default:
                throw error
            }
        }
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
        default: field.hasPrefix("notes") ? "Notes" : field
        }
    }

    static func day(_ form: [String: String], _ key: String) throws -> CalendarDay {
        guard let raw = form[key], !raw.isEmpty else { return .today }
        guard let day = CalendarDay(iso: raw) else { throw AppError.validation([FieldError(key, "« \(raw) » n'est pas une date au format AAAA-MM-JJ.")]) }
        return day
    }

    @Sendable func saveSections(req: Request) async throws -> Response {
        try await act(req, done: "sections") { id, form in
            var input = LabellingService.EditInput()
            for section in DossierSection.allCases { if let text = form[section.rawValue] { input.sections[section] = text } }
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
            _ = try await LabellingService(db: req.db, caller: req.caller).deposit(id, date: try Self.day(form, "date"), comment: form["commentaire"].flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    @Sendable func giveOpinion(req: Request) async throws -> Response {
        try await act(req, done: "avis") { id, form in
            guard let body = form["instance"].flatMap(Instance.init(rawValue:)) ?? req.actor?.instance else {
                throw AppError.validation([FieldError("instance", "L'instance qui donne l'avis doit être indiquée.")])
            }
            guard let verdict = form["verdict"].flatMap(Verdict.init(rawValue:)) else {
                throw AppError.validation([FieldError("verdict", "Choisissez le sens de l'avis.")])
            }
            _ = try await LabellingService(db: req.db, caller: req.caller).giveOpinion(id, .init(
                instance: body, verdict: verdict, texte: form["texte"] ?? "", date: try Self.day(form, "date"), auteur: nil))
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
            guard let outcome = form["resultat"].flatMap(Decision.Outcome.init(rawValue:)) else {
                throw AppError.validation([FieldError("decision", "Choisissez le résultat de la décision.")])
            }
            var nor: NOR?
            if let raw = form["nor"], !raw.isEmpty {
                do { nor = try NOR(raw) } catch let error as IdentifierError { throw AppError.validation([FieldError("nor", error.message)]) }
            }
            let bo = form["bulletinOfficiel"].flatMap { $0.isEmpty ? nil : $0 }
            let decision = Decision(outcome: outcome, excellence: FormState.checkedValues.contains(form["excellence"] ?? ""),
                                    date: try Self.day(form, "date"), durationYears: outcome == .labellise ? form["dureeAnnees"].flatMap { Int($0) } : nil,
                                    arrete: nor == nil && bo == nil ? nil : ArreteReference(nor: nor, bulletinOfficiel: bo), texte: form["texte"] ?? "")
            _ = try await LabellingService(db: req.db, caller: req.caller).decide(id, decision)
        }
    }

    @Sendable func abandon(req: Request) async throws -> Response {
        try await act(req, done: "abandon") { id, form in
            _ = try await LabellingService(db: req.db, caller: req.caller).abandon(id, date: try Self.day(form, "date"), motif: form["motif"] ?? "")
        }
    }

    /// The national administrator withdraws a label from the campus page.
    @Sendable func withdraw(req: Request) async throws -> Response {
        let id = try req.uuidParameter("labelID", notFound: "Aucun label")
        let form = try req.content.decode([String: String].self)
        let label = try await LabellingService(db: req.db, caller: req.caller).withdraw(id, date: try Self.day(form, "date"), motif: form["motif"] ?? "")
        return req.redirect(to: RegistryURL.campus(label.$campus.id).path + "?retrait=1", redirectType: .normal)
    }

    // MARK: - The list, and opening a dossier

    @Sendable func list(req: Request) async throws -> Response {
        try await renderList(req, errors: [], status: .ok)
    }

    func renderList(_ req: Request, errors: [String], status: HTTPResponseStatus) async throws -> Response {
        let statut = req.query[String.self, at: "statut"].flatMap(DossierStatus.Kind.init(rawValue:))
        let context = try await DossierListPage.load(statut: statut, caller: req.caller, errors: errors, on: req.db)
        return try await req.view.render("gestion/dossiers", context).encodeResponse(status: status, for: req)
    }

    @Sendable func open(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        do {
            guard let campusID = form["campusId"].flatMap(UUID.init(uuidString:)) else {
                throw AppError.validation([FieldError("campusId", "Choisissez le campus.")])
            }
            let loaded = try await LabellingService(db: req.db, caller: req.caller).create(.init(
                campusID: campusID, referentiel: form["referentiel"].flatMap { $0.isEmpty ? nil : $0 },
                nature: form["nature"].flatMap(DossierKind.init(rawValue:)) ?? .creation,
                label: form["labelDemande"].flatMap(RequestedLabel.init(rawValue:)) ?? .cmq, duree: form["dureeDemandee"].flatMap { Int($0) }))
            return req.redirect(to: Self.url(loaded.record.id!) + "?fait=creation", redirectType: .normal)
        } catch let error as AppError {
            switch error {
            case .validation(let faults): return try await renderList(req, errors: faults.map(\.detail), status: .unprocessableEntity)
            case .conflict(let detail): return try await renderList(req, errors: [detail], status: .conflict)
            default: throw error
            }
        }
    }
}
