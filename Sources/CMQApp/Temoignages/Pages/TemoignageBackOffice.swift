import CMQDomain
import Fluent
import Vapor

/// `/gestion/temoignages`: the testimonies the account manages, the submission form (video, captions and poster
/// streamed like the API's uploads), and each testimony's page with its consents and the moderation's forms. Every
/// form goes through `TemoignageService`, as the API.
struct TemoignageBackOfficeController {
    struct ErrorLine: Encodable {
        var text: String
        var href: String?
    }

    // MARK: - The list and the submission form

    struct ListPage: Encodable {
        struct Row: Encodable {
            var titre: String
            var prenom: String
            var campus: String
            var etat: String
            var consentements: String
            var soumis: String
            var url: String
        }

        var page: PageMeta
        var rows: [Row]
        var etats: [OptionItem]
        var errors: [ErrorLine]
        var mayModerate: Bool
        /// The submission form, to those who may submit for a campus.
        var campuses: [OptionItem]
        var etablissements: [OptionItem]
        var formations: [OptionItem]
        var categories: [OptionItem]
        var ages: [OptionItem]
        var holders: [OptionItem]
        var values: [String: String]
        var videoLimit: Int
        var action: String
    }

    /// The rows shown at most (the most recent first).
    static let shownRows = 200

    @Sendable func list(req: Request) async throws -> Response {
        try await renderList(req, values: [:], errors: [], status: .ok)
    }

    func renderList(_ req: Request, values: [String: String], errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let caller = req.caller
        guard let actor = caller.actor else { throw AppError.unauthorized("Connectez-vous pour gérer les témoignages.") }
        let etat = req.query[String.self, at: "etat"].flatMap(TemoignageEtat.init(rawValue:))
        let query = TemoignageRecord.query(on: req.db).with(\.$campus)
        switch actor.role {
        case .administrateurNational: break
        case .equipeCampus: query.filter(\.$campus.$id == (actor.campusID ?? UUID()))
        case .membre: query.filter(\.$soumisPar.$id == actor.userID)
        case .regionAcademique:
            let campuses = try await Campus.query(on: req.db).filter(\.$regionCode == (actor.regionCode ?? "")).all().compactMap(\.id)
            query.filter(\.$campus.$id ~~ campuses)
        case .instance: query.filter(\.$id == UUID())
        }
        if let etat { query.filter(\.$etat == etat) }
        let records = try await query.sort(\.$createdAt, .descending).sort(\.$id).limit(Self.shownRows).all()
        var rows: [ListPage.Row] = []
        var mayModerate = false
        for record in records {
            guard let id = record.id, let loaded = try await TemoignageService.load(id, on: req.db) else { continue }
            let scope = loaded.scope(on: caller.today)
            guard caller.may(.read, .temoignage(scope)) else { continue }
            if caller.may(.update, .temoignageModeration(scope)) { mayModerate = true }
            rows.append(.init(titre: record.titre, prenom: record.prenom, campus: loaded.campus.nom, etat: record.etat.label,
                              consentements: loaded.consentStatus(on: caller.today).message,
                              soumis: "\(record.createdAt.map { CalendarDay(date: $0).frenchLong } ?? "") par \(record.soumisParNom)",
                              url: TemoignagesURL.manage(id).path))
        }
        let (campuses, organisations) = try await Self.submittable(caller, on: req.db)
        let organisationIDs = organisations.compactMap(\.id)
        let formations = organisationIDs.isEmpty ? [] : try await Formation.visible(on: req.db).filter(\.$organisation.$id ~~ organisationIDs)
            .sort(\.$intitule).limit(500).all()
        let v = values
        func options(_ pairs: [(String, String)], _ key: String) -> [OptionItem] {
            pairs.map { OptionItem(value: $0.0, label: $0.1, selected: v[key] == $0.0) }
        }
        let context = ListPage(
            page: PageMeta(title: "Témoignages « Ma réussite pro »", section: "gestion"),
            rows: rows,
            etats: [OptionItem(value: "", label: "Tous", selected: etat == nil)]
                + TemoignageEtat.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == etat) },
            errors: errors.map { ErrorLine(text: Self.message($0), href: "#champ-\($0.field)") },
            mayModerate: mayModerate,
            campuses: options(campuses.map { ($0.id!.uuidString.lowercased(), $0.nom) }, "campusId"),
            etablissements: [OptionItem(value: "", label: "Non précisé", selected: (v["etablissementId"] ?? "").isEmpty)]
                + options(organisations.map { ($0.id!.uuidString.lowercased(), $0.nom) }, "etablissementId"),
            formations: [OptionItem(value: "", label: "Non précisée", selected: (v["formationId"] ?? "").isEmpty)]
                + options(formations.map { ($0.id!.uuidString.lowercased(), $0.intitule) }, "formationId"),
            categories: [OptionItem(value: "", label: "Aucune", selected: (v["categorie"] ?? "").isEmpty)]
                + options([("production", "Production"), ("services", "Services")], "categorie"),
            ages: options([("majeur", "Majeure (18 ans ou plus)"), ("mineur", "Mineure")], "age"),
            holders: options([("0", "Aucun (personne majeure)"), ("1", "Un"), ("2", "Deux")], "titulairesAutorite"),
            values: values, videoLimit: req.application.cmqConfig.temoignageVideoMaxMegabytes,
            action: TemoignagesURL.manageList.path)
        return try await req.view.render("gestion/temoignages", context).encodeResponse(status: status, for: req)
    }

    /// The campuses the account may submit a testimony for, and the organisations of their networks.
    static func submittable(_ caller: Caller, on db: any Database) async throws -> ([Campus], [Organisation]) {
        guard let actor = caller.actor else { return ([], []) }
        let candidates: [Campus]
        switch actor.role {
        case .administrateurNational: candidates = try await Campus.query(on: db).sort(\.$nom).all()
        case .equipeCampus: candidates = try await Campus.query(on: db).filter(\.$id == (actor.campusID ?? UUID())).all()
        case .membre:
            let ids = try await Membership.query(on: db).filter(\.$organisation.$id == (actor.organisationID ?? UUID())).all().map(\.$campus.id)
            candidates = ids.isEmpty ? [] : try await Campus.query(on: db).filter(\.$id ~~ ids).sort(\.$nom).all()
        case .regionAcademique, .instance: candidates = []
        }
        var campuses: [Campus] = []
        var organisationIDs: Set<UUID> = []
        for campus in candidates {
            guard let id = campus.id else { continue }
            let members = try await Membership.query(on: db).filter(\.$campus.$id == id).all().map(\.$organisation.id)
            let scope = Resource.TemoignageScope(campusID: id, regionCode: campus.regionCode, memberOrganisationIDs: members,
                                                 submitterID: actor.userID, isPublished: false)
            guard caller.may(.create, .temoignage(scope)) else { continue }
            campuses.append(campus)
            organisationIDs.formUnion(actor.role == .membre ? [actor.organisationID].compactMap { $0 } : members)
        }
        let organisations = organisationIDs.isEmpty ? [] : try await Organisation.query(on: db).filter(\.$id ~~ Array(organisationIDs)).sort(\.$nom).all()
        return (campuses, organisations)
    }

    /// The submission: the form's fields and files read as they arrive, every file checked before anything is
    /// written, then the testimony created and its files attached. Its page shows the family's withdrawal link once.
    @Sendable func submit(req: Request) async throws -> Response {
        let limit = UInt64(req.application.cmqConfig.temoignageVideoMaxMegabytes) * 1_000_000
        let form = try await MultipartSpool.receive(req, files: [
            "video": .init(limit: limit, tooLarge: MediaError.tooLarge(bytes: limit + 1, limit: limit).message),
            "sousTitres": .init(limit: UInt64(WebVTT.maximumSize),
                                tooLarge: MediaError.tooLarge(bytes: UInt64(WebVTT.maximumSize) + 1, limit: UInt64(WebVTT.maximumSize)).message),
            "affiche": .init(limit: TemoignageService.maximumPoster,
                             tooLarge: MediaError.tooLarge(bytes: TemoignageService.maximumPoster + 1, limit: TemoignageService.maximumPoster).message),
        ])
        defer { form.remove() }
        let caller = req.caller
        let service = TemoignageService(db: req.db, caller: caller)
        do {
            var reader = InputReader(form: form.fields, mode: .create)
            let input = try TemoignageInput.read(&reader, today: caller.today)
            try Self.checkFiles(form)
            let (submitted, token) = try await service.submit(input)
            let pool = req.application.threadPool
            if let video = form.files["video"] { _ = try await service.attachVideo(submitted.id, video, pool: pool) }
            if let captions = form.files["sousTitres"] { _ = try await service.attachCaptions(submitted.id, captions, pool: pool) }
            if let poster = form.files["affiche"] { _ = try await service.attachPoster(submitted.id, poster, pool: pool) }
            return try await renderItem(req, submitted.id, errors: [], notice: "Le témoignage est soumis : il attend la modération.",
                                        withdrawalLink: caller.siteBase + TemoignagesURL.withdrawal(token).path, status: .created)
        } catch AppError.validation(let faults) {
            return try await renderList(req, values: form.fields, errors: faults, status: .unprocessableEntity)
        }
    }

    /// The video (MP4 or WebM, sniffed, ≤ 3 minutes read from the file) and the captions are required; the poster is
    /// optional. Every fault is listed at once.
    static func checkFiles(_ form: SpooledForm) throws {
        var faults: [FieldError] = []
        if let video = form.files["video"] {
            do { _ = try VideoSniffer.check(try FileByteSource(path: video.path)) } catch let error as MediaError { faults.append(FieldError("video", error.message)) }
        } else {
            faults.append(FieldError("video", "Choisissez la vidéo (MP4 ou WebM, 3 minutes au plus)."))
        }
        if let captions = form.files["sousTitres"] {
            do { _ = try WebVTT(bytes: try captions.bytes()) } catch let error as MediaError { faults.append(FieldError("sousTitres", error.message)) }
        } else {
            faults.append(FieldError("sousTitres", "Choisissez les sous-titres (fichier WebVTT) : ils sont obligatoires pour publier une vidéo."))
        }
        if let poster = form.files["affiche"], ImageSniffer.format(try poster.head(12)) == nil {
            faults.append(FieldError("affiche", MediaError.notAnImage.message))
        }
        if !faults.isEmpty { throw AppError.validation(faults) }
    }

    // MARK: - One testimony: consents and moderation

    struct ItemPage: Encodable {
        struct ConsentRow: Encodable {
            var role: String
            var donneLe: String
            var portees: String
            var expireLe: String
            var preuve: String
            var retrait: String?
            var withdrawAction: String?
            var id: String
        }

        var page: PageMeta
        var titre: String
        var prenom: String
        var campus: String
        var etat: String
        var etatCode: String
        var texte: String
        var categorie: String?
        var formation: String?
        var etablissement: String?
        var soumis: String
        var age: String
        var duree: String?
        var videoURL: String?
        var videoType: String?
        var captionsURL: String?
        var posterURL: String?
        var publicURL: String?
        var transcription: String?
        var consentStatus: String
        var problems: [String]
        var consents: [ConsentRow]
        var motifRefus: String?
        var motifRetrait: String?
        var noteInterne: String?
        var errors: [ErrorLine]
        var notice: String?
        var withdrawalLink: String?
        var mayManage: Bool
        var mayModerate: Bool
        var canPublish: Bool
        var canRefuse: Bool
        var canWithdraw: Bool
        var canResubmit: Bool
        var canRecordConsent: Bool
        var roles: [OptionItem]
        var today: String
        var consentAction: String
        var moderationAction: String
        var listURL: String
    }

    @Sendable func item(req: Request) async throws -> Response {
        let id = try req.uuidParameter("temoignageID", notFound: "Aucun témoignage")
        let notice: String? = switch req.query[String.self, at: "fait"] {
        case "consentement": "Le consentement est enregistré."
        case "retrait-consentement": "Le consentement est retiré : le témoignage a quitté le site."
        case "publier": "Le témoignage est publié."
        case "refuser": "Le témoignage est refusé ; son auteur en reçoit le motif par courriel."
        case "retirer": "Le témoignage est retiré du site."
        case "resoumettre": "Le témoignage attend de nouveau la modération."
        default: nil
        }
        return try await renderItem(req, id, errors: [], notice: notice, withdrawalLink: nil, status: .ok)
    }

    func renderItem(_ req: Request, _ id: UUID, errors: [FieldError], notice: String?, withdrawalLink: String?,
                    status: HTTPResponseStatus) async throws -> Response {
        let caller = req.caller
        let loaded = try await TemoignageService(db: req.db, caller: caller).load(id)
        let today = caller.today
        let scope = loaded.scope(on: today)
        let record = loaded.record
        let mayManage = caller.may(.update, .temoignage(scope))
        let mayModerate = caller.may(.update, .temoignageModeration(scope))
        let formation = try await record.$formation.id.asyncMap { try await Formation.visible($0, on: req.db)?.intitule } ?? nil
        let etablissement = try await record.$etablissement.id.asyncMap { try await Organisation.find($0, on: req.db)?.nom } ?? nil
        let consents = loaded.consents.map { consent in
            ItemPage.ConsentRow(
                role: consent.role.label, donneLe: CalendarDay(iso: consent.donneLe)?.frenchLong ?? consent.donneLe,
                portees: consent.portees.split(separator: ",").compactMap { ConsentScope(rawValue: String($0))?.label }.joined(separator: ", "),
                expireLe: CalendarDay(iso: consent.expireLe)?.frenchLong ?? consent.expireLe,
                preuve: consent.$justificatif.id != nil ? "formulaire signé"
                    : consent.courrielConfirmation.map { "confirmation par courriel (\($0))" } ?? "—",
                retrait: consent.retireLe.map { "retiré le \(CalendarDay(iso: $0)?.frenchLong ?? $0)\(consent.motifRetrait.map { " : \($0)" } ?? "")" },
                withdrawAction: mayManage && consent.retireLe == nil && record.etat != .retire
                    ? TemoignagesURL.manageConsentWithdrawal(id, consent.id).path : nil,
                id: consent.id?.uuidString.lowercased() ?? "")
        }
        let holders = record.titulairesAutorite
        let roles = ConsentRole.allCases.filter { role in
            role == .personne || role == .representant1 && holders >= 1 || role == .representant2 && holders >= 2
        }.map { OptionItem(value: $0.rawValue, label: $0.label, selected: false) }
        let context = ItemPage(
            page: PageMeta(title: "Témoignage : \(record.titre)", section: "gestion"),
            titre: record.titre, prenom: record.prenom, campus: loaded.campus.nom, etat: record.etat.label, etatCode: record.etat.rawValue,
            texte: record.texte, categorie: record.categorie, formation: formation, etablissement: etablissement,
            soumis: "\(record.createdAt.map { CalendarDay(date: $0).frenchLong } ?? "") par \(record.soumisParNom)",
            age: record.age == "mineur" ? "mineure, \(holders) titulaire(s) de l'autorité parentale" : "majeure",
            duree: record.duree.map { "\(Int($0.rounded())) s" },
            videoURL: record.videoID.map { _ in TemoignagesURL.video(id).path }, videoType: record.videoType,
            captionsURL: record.sousTitresID.map { _ in TemoignagesURL.captions(id).path },
            posterURL: record.afficheID.map { _ in TemoignagesURL.poster(id).path },
            publicURL: loaded.isPublic(on: today) ? TemoignagesURL.page(id).path : nil,
            transcription: record.transcription,
            consentStatus: loaded.consentStatus(on: today).message,
            problems: record.etat == .enAttente ? loaded.publicationCheck(today).problems : [],
            consents: consents,
            motifRefus: record.motifRefus, motifRetrait: record.motifRetrait, noteInterne: mayModerate ? record.noteInterne : nil,
            errors: errors.map { ErrorLine(text: Self.message($0), href: "#champ-\($0.field)") }, notice: notice, withdrawalLink: withdrawalLink,
            mayManage: mayManage, mayModerate: mayModerate,
            canPublish: mayModerate && record.etat.mayBecome(.publie),
            canRefuse: mayModerate && record.etat.mayBecome(.refuse),
            canWithdraw: mayModerate && record.etat.mayBecome(.retire),
            canResubmit: mayManage && record.etat.mayBecome(.enAttente),
            canRecordConsent: mayManage && record.etat != .retire,
            roles: roles, today: today.iso,
            consentAction: TemoignagesURL.manageConsents(id).path, moderationAction: TemoignagesURL.manageModeration(id).path,
            listURL: TemoignagesURL.manageList.path)
        return try await req.view.render("gestion/temoignage", context).encodeResponse(status: status, for: req)
    }

    /// Runs a write on the testimony; a refusal shows its page again with the reason, and nothing written.
    func act(_ req: Request, _ id: UUID, done: String, _ write: () async throws -> Void) async throws -> Response {
        do {
            try await write()
            return req.redirect(to: TemoignagesURL.manage(id).path(query: ["fait": done]), redirectType: .normal)
        } catch AppError.validation(let faults) {
            return try await renderItem(req, id, errors: faults, notice: nil, withdrawalLink: nil, status: .unprocessableEntity)
        } catch AppError.conflict(let detail) {
            return try await renderItem(req, id, errors: [FieldError("decision", detail)], notice: nil, withdrawalLink: nil, status: .conflict)
        }
    }

    /// A consent with its proof (the signed form, streamed) or the e-mail confirmation's address.
    @Sendable func recordConsent(req: Request) async throws -> Response {
        let id = try req.uuidParameter("temoignageID", notFound: "Aucun témoignage")
        let caller = req.caller
        let service = TemoignageService(db: req.db, caller: caller)
        // the rights before the body is read
        let current = try await service.load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: caller.today)))
        let limit = UInt64(ProofSniffer.maximumSize)
        let form = try await MultipartSpool.receive(req, files: [
            "justificatif": .init(limit: limit, tooLarge: MediaError.tooLarge(bytes: limit + 1, limit: limit).message),
        ])
        defer { form.remove() }
        return try await act(req, id, done: "consentement") {
            var reader = InputReader(form: form.fields, mode: .create)
            let input = try ConsentInput.read(&reader, today: caller.today)
            _ = try await service.recordConsent(id, input, proof: form.files["justificatif"], pool: req.application.threadPool)
        }
    }

    @Sendable func withdrawConsent(req: Request) async throws -> Response {
        let id = try req.uuidParameter("temoignageID", notFound: "Aucun témoignage")
        let consent = try req.uuidParameter("consentementID", notFound: "Aucun consentement")
        let form = try req.content.decode([String: String].self)
        return try await act(req, id, done: "retrait-consentement") {
            var reader = InputReader(form: form, mode: .create)
            let motif = reader.text("motif", required: true, maxLength: 500).value ?? ""
            try reader.finish()
            _ = try await TemoignageService(db: req.db, caller: req.caller).withdrawConsent(id, consentID: consent, motif: motif)
        }
    }

    @Sendable func moderate(req: Request) async throws -> Response {
        let id = try req.uuidParameter("temoignageID", notFound: "Aucun témoignage")
        let form = try req.content.decode([String: String].self)
        let decision = form["decision"] ?? ""
        return try await act(req, id, done: ["publier", "refuser", "retirer", "resoumettre"].contains(decision) ? decision : "moderation") {
            var reader = InputReader(form: form, mode: .create)
            let choice = try TemoignageService.Decision.read(&reader)
            _ = try await TemoignageService(db: req.db, caller: req.caller).moderate(id, choice)
        }
    }

    /// A fault worded with the form's label of its field.
    static func message(_ fault: FieldError) -> String {
        let label = fieldLabel(fault.field)
        return FormState.naming(label, in: fault.detail.replacingOccurrences(of: "champ « \(fault.field) »", with: "champ « \(label) »"))
    }

    static func fieldLabel(_ field: String) -> String {
        switch field {
        case "campusId": "Campus"
        case "titre": "Titre"
        case "prenom": "Prénom"
        case "texte": "Texte"
        case "formationId": "Formation"
        case "etablissementId": "Établissement"
        case "categorie": "Catégorie"
        case "age": "Âge"
        case "dateNaissance": "Date de naissance"
        case "titulairesAutorite": "Titulaires de l'autorité parentale"
        case "video": "Vidéo"
        case "sousTitres": "Sous-titres"
        case "affiche": "Image d'affiche"
        case "role": "Personne qui consent"
        case "donneLe": "Date du consentement"
        case "portees": "Portée"
        case "expireLe": "Fin du consentement"
        case "courriel": "Adresse de la confirmation par courriel"
        case "justificatif": "Formulaire signé"
        case "motif": "Motif"
        case "note": "Note interne"
        case "decision": "Décision"
        default: field
        }
    }
}

extension TemoignageService.Decision {
    /// `decision` (publier, refuser, retirer, resoumettre) with its `motif` and internal `note`: the API's body and
    /// the back-office's forms.
    static func read(_ reader: inout InputReader) throws(AppError) -> Self {
        let decision = reader.text("decision", required: true, maxLength: 20).value ?? ""
        let motif = reader.text("motif", maxLength: 1000).value
        let note = reader.text("note", maxLength: 2000).value
        let choice: Self?
        switch decision {
        case "publier": choice = .publish(note: note)
        case "refuser": choice = .refuse(motif: motif ?? "", note: note)
        case "retirer": choice = .withdraw(motif: motif ?? "", note: note)
        case "resoumettre": choice = .resubmit
        default:
            choice = nil
            if !decision.isEmpty { reader.fail("decision", "Indiquez publier, refuser, retirer ou resoumettre.") }
        }
        try reader.finish()
        return choice!
    }
}
