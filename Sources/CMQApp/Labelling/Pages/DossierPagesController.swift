import CMQDomain
import Fluent
import Vapor

/// `/gestion/dossiers`: the labelling procedure in HTML. Each page shows the procedure as a timeline and, to
/// whoever may act now, the form of the current step; every form goes through `LabellingService`, as the API.
struct DossierPagesController {
    // MARK: - View models

    struct StepRow: Encodable {
        var libelle: String
        var state: String
        var stateLabel: String
        var date: String?
        var verdict: String?
    }

    struct SectionRow: Encodable {
        var slug: String
        var titre: String
        var texte: String
        var id: String
    }

    struct OpinionRow: Encodable {
        var instance: String
        var auteur: String
        var date: String
        var verdict: String
        var texte: String
    }

    struct CriterionRow: Encodable {
        var code: String
        var libelle: String
        var famille: String
        var notes: String
        var moyenne: String
        var ecart: String
        var ecartType: String
        var options: [OptionItem]
        var fieldName: String
        var commentName: String
    }

    struct FamilyRow: Encodable {
        var libelle: String
        var moyenne: String
    }

    struct HistoryRow: Encodable {
        var le: String
        var evenement: String
        var de: String
        var vers: String
        var auteur: String
        var commentaire: String?
    }

    struct PieceRow: Encodable {
        var nom: String
        var url: String
        var taille: String
        var sha256: String
        var removeURL: String
    }

    struct Context: Encodable {
        var page: PageMeta
        var id: String
        var campus: String
        var campusURL: String
        var referentiel: String
        var nature: String
        var labelDemande: String
        var duree: Int
        var statut: String
        var steps: [StepRow]
        var sections: [SectionRow]
        var pieces: [PieceRow]
        var opinions: [OpinionRow]
        var criteria: [CriterionRow]
        var families: [FamilyRow]
        var overall: String
        var experts: Int
        var decision: String?
        var label: String?
        var history: [HistoryRow]
        var errors: [String]
        var notice: String?
        var canEdit: Bool
        var canDeposit: Bool
        var canAbandon: Bool
        var opinionBody: String?
        var opinionBodyLabel: String?
        var canScore: Bool
        var canClose: Bool
        var canDecide: Bool
        var excellenceAllowed: Bool
        var durations: [OptionItem]
        var verdicts: [OptionItem]
        var today: String
        var base: String
        var apiURL: String
    }

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
        let service = LabellingService(db: req.db, caller: req.caller)
        let loaded = try await service.load(id)
        try service.authorize(.read, loaded)
        let dto = try await LabellingAPIController.dto(loaded, on: req.db)
        let dossier = loaded.dossier
        let referentiel = dossier.referentiel
        let actor = req.actor
        let steps = service.steps(loaded)
        // An instance account sees the form of its own body's opinion (the national administrator records opinions through the API).
        let opinionBody = steps.lazy.compactMap { step -> Instance? in
            if case .avis(let body) = step, body == actor?.instance { body } else { nil }
        }.first
        let myScores = Dictionary(loaded.evaluations.filter { $0.expertID == actor?.userID }.map { ($0.critere, $0.note) }, uniquingKeysWith: { a, _ in a })
        let synthesis = dossier.synthesis
        let history = try await TransitionRecord.query(on: req.db).filter(\.$dossier.$id == id).sort(\.$at).sort(\.$id).all()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "fr_FR")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "d MMMM yyyy 'à' HH'h'mm"

        let context = Context(
            page: PageMeta(title: "Dossier de labellisation · \(loaded.campus.nom)", section: "gestion"),
            id: id.uuidString.lowercased(), campus: loaded.campus.nom, campusURL: RegistryURL.campus(loaded.campus.id!).path,
            referentiel: "\(referentiel.code) · \(referentiel.titre)", nature: dossier.kind.label, labelDemande: dossier.requestedLabel.label,
            duree: dossier.requestedDurationYears, statut: dto.statutLibelle,
            steps: dossier.timeline.map { step in
                StepRow(libelle: step.etape.libelle, state: step.state.rawValue, stateLabel: step.state.label, date: step.date?.frenchLong,
                        verdict: step.verdict?.label)
            },
            sections: DossierSection.allCases.map { SectionRow(slug: $0.rawValue, titre: $0.titre, texte: dossier.sections[$0] ?? "", id: "section-\($0.rawValue)") },
            pieces: dto.pieces.map { PieceRow(nom: $0.nom, url: $0.url, taille: ByteCountFormatter.string(fromByteCount: Int64($0.taille), countStyle: .file),
                                              sha256: $0.sha256, removeURL: "\(Self.url(id))/pieces/\($0.id.uuidString.lowercased())/retirer") },
            opinions: dto.avis.map { OpinionRow(instance: (Instance(rawValue: $0.instance)?.sigle ?? $0.instance).capitalizingFirstLetter, auteur: $0.auteur,
                                                date: CalendarDay(iso: $0.date)?.frenchLong ?? $0.date, verdict: $0.verdictLibelle, texte: $0.texte) },
            criteria: synthesis.families.flatMap { family in
                family.criteria.map { line in
                    CriterionRow(code: line.critere.code, libelle: line.critere.libelle, famille: family.famille.libelle,
                                 notes: line.notes.map(String.init).joined(separator: ", "), moyenne: ExpertSynthesis.display(line.mean),
                                 ecart: line.range.map(String.init) ?? "—", ecartType: ExpertSynthesis.display(line.standardDeviation),
                                 options: [OptionItem(value: "", label: "—", selected: myScores[line.critere.code] == nil)]
                                    + (0...4).map { OptionItem(value: String($0), label: String($0), selected: myScores[line.critere.code] == $0) },
                                 fieldName: "note-\(line.critere.code)", commentName: "commentaire-\(line.critere.code)")
                }
            },
            families: synthesis.families.map { FamilyRow(libelle: $0.famille.libelle, moyenne: ExpertSynthesis.display($0.mean)) },
            overall: ExpertSynthesis.display(synthesis.overallMean), experts: Set(loaded.evaluations.map(\.expertID)).count,
            decision: dossier.decision.map { decision in
                var text = "\(decision.outcome.label) le \(decision.date.frenchLong)"
                if let years = decision.durationYears { text += " pour \(years) an\(years > 1 ? "s" : "")" }
                if decision.excellence { text += ", mention Excellence" }
                if let nor = decision.arrete?.nor { text += " · NOR \(nor.value)" }
                if let bo = decision.arrete?.bulletinOfficiel { text += " · \(bo)" }
                return text + "."
            },
            label: dto.label.map { label in
                "Label \(label.excellence ? "CMQ Excellence" : "CMQ") du \(CalendarDay(iso: label.debut)?.frenchLong ?? label.debut) au \(CalendarDay(iso: label.fin)?.frenchLong ?? label.fin)\(label.retraitLe.map { ", retiré le \($0)" } ?? "")."
            },
            history: history.map { HistoryRow(le: formatter.string(from: $0.at), evenement: Self.eventLabel($0.evenement, etape: $0.etape, referentiel: referentiel),
                                              de: DossierRecord.statusLabel($0.de), vers: DossierRecord.statusLabel($0.vers), auteur: $0.auteur, commentaire: $0.commentaire) },
            errors: errors, notice: notice,
            canEdit: steps.contains(.edition),
            canDeposit: steps.contains(.depot),
            canAbandon: steps.contains(.abandon),
            opinionBody: opinionBody?.rawValue, opinionBodyLabel: opinionBody?.label,
            canScore: steps.contains(.notation),
            canClose: steps.contains(.clotureExpertise) && steps.contains(.notation),
            canDecide: steps.contains(.decision),
            excellenceAllowed: referentiel.excellence && dossier.requestedLabel == .cmqExcellence,
            durations: referentiel.durees.map { OptionItem(value: String($0), label: "\($0) an\($0 > 1 ? "s" : "")", selected: $0 == dossier.requestedDurationYears) },
            verdicts: Verdict.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: false) },
            today: CalendarDay.today.iso, base: Self.url(id), apiURL: LabellingURL.apiDossier(id).path)
        return try await req.view.render("gestion/dossier", context).encodeResponse(status: status, for: req)
    }

    static func eventLabel(_ event: String, etape: String?, referentiel: Referentiel) -> String {
        let step = etape.flatMap { referentiel.etape(code: $0)?.libelle }
        switch event {
        case "creation": return "Ouverture du dossier"
        case "depot": return "Dépôt"
        case "avis": return step ?? "Avis"
        case "cloture-expertise": return "Avis collectif du groupe d'experts"
        case "notation": return "Notes des experts"
        case "decision": return "Décision"
        case "abandon": return "Abandon"
        case "piece": return "Pièce jointe"
        case "piece-retiree": return "Pièce retirée"
        default: return event
        }
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

    struct ListRow: Encodable {
        var url: String
        var campus: String
        var referentiel: String
        var nature: String
        var statut: String
        var etapes: String
    }

    struct ExpiringRow: Encodable {
        var campus: String
        var url: String
        var fin: String
        var excellence: Bool
        var region: String
    }

    struct ListContext: Encodable {
        var page: PageMeta
        var rows: [ListRow]
        var total: Int
        var statuses: [OptionItem]
        var canOpen: Bool
        var campuses: [OptionItem]
        var referentiels: [OptionItem]
        var expiring: [ExpiringRow]
        var errors: [String]
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await renderList(req, errors: [], status: .ok)
    }

    func renderList(_ req: Request, errors: [String], status: HTTPResponseStatus) async throws -> Response {
        guard let actor = req.actor else { throw AppError.unauthorized("Vous devez vous connecter.") }
        let statut = req.query[String.self, at: "statut"].flatMap(DossierStatus.Kind.init(rawValue:))
        let page = try await LabellingQueries.visibleDossiers(actor: actor, filter: .init(statut: statut), page: PageRequest(page: 1, per: 100), on: req.db)
        let referentiels = try await Referentiels.catalog(on: req.db).referentiels
        let catalogue = Dictionary(referentiels.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var campuses: [Campus] = []
        if actor.role == .administrateurNational { campuses = try await Campus.query(on: req.db).sort(\.$nomCle).all() }
        if actor.role == .regionAcademique { campuses = try await Campus.query(on: req.db).filter(\.$regionCode == (actor.regionCode ?? "")).sort(\.$nomCle).all() }
        let horizon = CalendarDay.today.adding(months: 12)
        var expiring: [LabelDTO] = []
        if actor.role == .administrateurNational || actor.role == .regionAcademique {
            expiring = try await LabellingQueries.labels(.init(expirantAvant: horizon, region: actor.role == .regionAcademique ? actor.regionCode : nil), on: req.db)
                .sorted { $0.fin < $1.fin }
        }
        let context = ListContext(
            page: PageMeta(title: "Dossiers de labellisation", section: "gestion"),
            rows: page.items.map { item in
                ListRow(url: Self.url(item.id), campus: item.campusNom, referentiel: item.referentiel,
                        nature: DossierKind(rawValue: item.nature)?.label ?? item.nature, statut: item.statutLibelle,
                        etapes: item.etapesEnCours.compactMap { catalogue[item.referentiel]?.etape(code: $0)?.libelle }.joined(separator: " ; "))
            },
            total: page.total,
            statuses: DossierStatus.Kind.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == statut) },
            canOpen: !campuses.isEmpty, campuses: campuses.map { OptionItem(value: $0.id!.uuidString.lowercased(), label: $0.nom, selected: false) },
            referentiels: referentiels.reversed().map { OptionItem(value: $0.code, label: "\($0.code) · \($0.titre)", selected: false) },
            expiring: expiring.map { ExpiringRow(campus: $0.campusNom, url: RegistryURL.campus($0.campus).path, fin: CalendarDay(iso: $0.fin)?.frenchLong ?? $0.fin,
                                                 excellence: $0.excellence, region: $0.regionNom) },
            errors: errors)
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
