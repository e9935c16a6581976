import CMQDomain
import Crypto
import Fluent
import Foundation
import SQLKit

extension LabellingError {
    /// 409 when the state of the dossier forbids it, 422 (on the given field) when the request is wrong.
    func appError(field: String) -> AppError {
        isConflict ? .conflict(message) : .validation([FieldError(field, message)])
    }
}

/// The labelling procedure as the API and the pages use it: every change goes through the state machine of
/// `CMQDomain.LabelDossier`, is recorded as a transition, and is checked against the caller's rights.
struct LabellingService {
    let db: any Database
    let caller: Caller
    /// When the recorded transitions happen (the demo replays past procedures at their dates).
    var clock: @Sendable () -> Date { caller.clock.now }

    /// A stored dossier with its rebuilt state machine and its campus.
    struct Loaded {
        var record: DossierRecord
        var dossier: LabelDossier
        var campus: Campus
        var opinions: [AvisRecord]
        var evaluations: [EvaluationRecord]
        var pieces: [PieceRecord]
    }

    // MARK: - Reading

    func load(_ id: UUID) async throws -> Loaded {
        guard let record = try await DossierRecord.query(on: db).filter(\.$id == id).with(\.$campus).first() else {
            throw AppError.notFound("Aucun dossier de labellisation n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        let opinions = try await AvisRecord.query(on: db).filter(\.$dossier.$id == id).sort(\.$date).all()
        let evaluations = try await EvaluationRecord.query(on: db).filter(\.$dossier.$id == id).all()
        let pieces = try await PieceRecord.query(on: db).filter(\.$dossier.$id == id).field(\.$id).field(\.$nom).field(\.$taille)
            .field(\.$sha256).field(\.$format).field(\.$createdAt).field(\.$dossier.$id).sort(\.$nom).all()
        guard let referentiel = try await Referentiels.find(record.referentiel, on: db) else {
            throw AppError.conflict("Le référentiel « \(record.referentiel) » de ce dossier n'est plus connu de cmq.")
        }
        let dossier = try restore(record, referentiel: referentiel, opinions: opinions, evaluations: evaluations, pieces: pieces)
        return Loaded(record: record, dossier: dossier, campus: record.campus, opinions: opinions, evaluations: evaluations, pieces: pieces)
    }

    private func restore(_ record: DossierRecord, referentiel: Referentiel, opinions: [AvisRecord], evaluations: [EvaluationRecord],
                         pieces: [PieceRecord]) throws -> LabelDossier {
        let sections = Self.sections(of: record)
        let avis = opinions.filter { !$0.collectif }.compactMap(Self.avis)
        let collective = opinions.first { $0.collectif }.flatMap(Self.avis)
        let decision = record.decision.flatMap { try? JSONDecoder().decode(Decision.self, from: Data($0.utf8)) }
        let abandon = record.abandonLe.flatMap(CalendarDay.init(iso:)).map { Abandon(date: $0, motif: record.abandonMotif ?? "") }
        do {
            return try LabelDossier.restore(
                referentiel: referentiel, kind: DossierKind(rawValue: record.nature) ?? .creation,
                requestedLabel: RequestedLabel(rawValue: record.labelDemande) ?? .cmq, requestedDurationYears: record.dureeDemandee,
                sections: sections, attachments: pieces.compactMap { try? Attachment(fileName: $0.nom, size: $0.taille, sha256: $0.sha256) },
                depot: record.depot.flatMap(CalendarDay.init(iso:)), opinions: avis,
                evaluations: evaluations.map { Evaluation(expert: $0.expertID.uuidString, critere: $0.critere, note: $0.note, commentaire: $0.commentaire) },
                collectiveOpinion: collective, decision: decision, abandon: abandon)
        } catch {
            throw AppError.conflict("Le dossier enregistré n'est plus cohérent avec son référentiel : \(error.message)")
        }
    }

    static func sections(of record: DossierRecord) -> [DossierSection: String] {
        let raw = (try? JSONDecoder().decode([String: String].self, from: Data(record.sections.utf8))) ?? [:]
        return Dictionary(raw.compactMap { key, value in DossierSection(rawValue: key).map { ($0, value) } }, uniquingKeysWith: { a, _ in a })
    }

    static func avis(_ record: AvisRecord) -> Avis? {
        guard let date = CalendarDay(iso: record.date) else { return nil }
        return Avis(instance: record.instance, auteur: record.auteur, date: date, verdict: record.verdict, texte: record.texte)
    }

    /// The rights view of a dossier: its campus, région and the bodies it is assigned to (once deposited).
    static func resource(_ record: DossierRecord, campus: Campus, dossier: LabelDossier?) -> Resource {
        let bodies = dossier.map { $0.depot == nil ? [] : Set($0.referentiel.instances) } ?? []
        return .dossier(campusID: campus.id!, regionCode: campus.regionCode, academieCode: campus.academieCode, bodies: bodies)
    }

    func authorize(_ action: Action, _ loaded: Loaded) throws(AppError) {
        try caller.authorize(action, Self.resource(loaded.record, campus: loaded.campus, dossier: loaded.dossier))
    }

    /// A step of the procedure: the account may write on this dossier, and its role plays that part.
    func authorize(step: ProcedureAction, _ loaded: Loaded) throws(AppError) {
        try authorize(step == .decision ? .read : .update, loaded)
        guard !caller.isOperator, let actor = caller.actor else { return }
        if case .denied(let reason) = AccessPolicy.decide(actor, step, in: loaded.dossier.referentiel) { throw .forbidden(reason) }
    }

    /// The steps the caller may take on this dossier now (the pages show their forms).
    func steps(_ loaded: Loaded) -> Set<ProcedureAction> {
        loaded.dossier.steps(for: caller.actor, dossier: Self.resource(loaded.record, campus: loaded.campus, dossier: loaded.dossier))
    }

    // MARK: - Creating and preparing

    struct CreateInput: Sendable {
        var campusID: UUID
        var referentiel: String?
        var nature: DossierKind
        var label: RequestedLabel
        var duree: Int?
    }

    func create(_ input: CreateInput) async throws -> Loaded {
        guard let campus = try await Campus.find(input.campusID, on: db) else {
            throw AppError.validation([FieldError("campusId", "Le campus n'existe pas.")])
        }
        try caller.authorize(.create, .dossier(campusID: input.campusID, regionCode: campus.regionCode, academieCode: campus.academieCode, bodies: []))
        let catalog = try await Referentiels.catalog(on: db)
        guard let referentiel = input.referentiel.map({ catalog.referentiel(code: $0) }) ?? catalog.current else {
            throw AppError.validation([FieldError("referentiel", "Le référentiel « \(input.referentiel ?? "") » n'existe pas ; référentiels : \(catalog.referentiels.map(\.code).joined(separator: ", ")).")])
        }
        if let open = try await DossierRecord.query(on: db).filter(\.$campus.$id == input.campusID)
            .filter(\.$statut ~~ DossierRecord.openStatuses).first() {
            throw AppError.conflict("Ce campus a déjà un dossier en cours (\(open.id!.uuidString.lowercased())) : un seul dossier à la fois.")
        }
        var renewed: LabelRecord?
        if input.nature == .renouvellement {
            renewed = try await LabelRecord.query(on: db).filter(\.$campus.$id == input.campusID).filter(\.$retraitLe == nil)
                .sort(\.$fin, .descending).first()
            guard renewed != nil else {
                throw AppError.conflict("Un renouvellement s'ouvre depuis un campus labellisé : ce campus n'a pas de label à renouveler.")
            }
        }
        let dossier: LabelDossier
        do {
            dossier = try LabelDossier(referentiel: referentiel, kind: input.nature, requestedLabel: input.label, requestedDurationYears: input.duree)
        } catch {
            throw error.appError(field: error == .excellenceNotInReferentiel(referentiel.code) ? "labelDemande" : "dureeDemandee")
        }
        let record = DossierRecord(campusID: input.campusID, referentiel: referentiel.code, nature: input.nature, label: dossier.requestedLabel,
                                   duree: dossier.requestedDurationYears)
        record.$labelRenouvele.id = renewed?.id
        if input.nature == .renouvellement {
            let prefill = try await RenewalPrefill(db: db).sections(for: campus, on: caller.today)
            record.sections = Self.encode(prefill)
        }
        try await db.writeTransaction { db in
            try await record.create(on: db)
            try await Self.record(Transition(event: "creation", etape: nil, from: .brouillon, to: .brouillon, actor: caller.author.label, at: clock(),
                                             comment: input.nature == .renouvellement ? "Renouvellement du label, prérempli à partir des données du campus." : nil),
                                  dossierID: record.requireID(), on: db)
            try await caller.audit.record(.create, record, id: record.requireID(), on: db)
        }
        return try await load(record.requireID())
    }

    static func encode(_ sections: [DossierSection: String]) -> String {
        let raw = Dictionary(sections.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { a, _ in a })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(raw)) ?? Data("{}".utf8), as: UTF8.self)
    }

    struct EditInput: Sendable {
        var sections: [DossierSection: String] = [:]
        var label: RequestedLabel?
        var duree: Int?
    }

    func edit(_ id: UUID, _ input: EditInput) async throws -> Loaded {
        var loaded = try await load(id)
        try authorize(step: .edition, loaded)
        do {
            try loaded.dossier.check(.edition)
            for (section, text) in input.sections { try loaded.dossier.setSection(section, text: text) }
            if input.label != nil || input.duree != nil {
                try loaded.dossier.setRequest(label: input.label ?? loaded.dossier.requestedLabel, durationYears: input.duree ?? loaded.dossier.requestedDurationYears)
            }
        } catch {
            throw error.appError(field: input.duree != nil ? "dureeDemandee" : "labelDemande")
        }
        let before = loaded.record.auditSnapshot
        loaded.record.sections = Self.encode(loaded.dossier.sections)
        loaded.record.labelDemande = loaded.dossier.requestedLabel.rawValue
        loaded.record.dureeDemandee = loaded.dossier.requestedDurationYears
        let record = loaded.record
        try await db.writeTransaction { db in
            try await record.save(on: db)
            try await caller.audit.record(.update, record, id: id, before: before, on: db)
        }
        return try await load(id)
    }

    // MARK: - Attachments

    func attach(_ id: UUID, fileName: String, contents: Data) async throws -> PieceRecord {
        var loaded = try await load(id)
        try authorize(step: .edition, loaded)
        let format: AttachmentFormat
        let attachment: Attachment
        do {
            format = try AttachmentPolicy.validate(fileName: fileName, contents: contents)
            let digest = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
            attachment = try Attachment(fileName: AttachmentPolicy.cleanFileName(fileName), size: contents.count, sha256: digest)
        } catch {
            throw AppError.validation([FieldError("fichier", error.message)])
        }
        do { try loaded.dossier.addAttachment(attachment) } catch { throw error.appError(field: "fichier") }
        let piece = PieceRecord()
        piece.$dossier.id = id
        piece.nom = attachment.fileName
        piece.taille = attachment.size
        piece.sha256 = attachment.sha256
        piece.format = format.rawValue
        piece.contenu = contents
        let status = loaded.dossier.status
        try await db.writeTransaction { db in
            try await PieceRecord.query(on: db).filter(\.$dossier.$id == id).filter(\.$nom == attachment.fileName).delete()
            try await piece.create(on: db)
            try await Self.record(Transition(event: "piece", etape: nil, from: status, to: status, actor: caller.author.label,
                                             at: clock(), comment: "Pièce jointe : \(attachment.fileName) (SHA-256 \(attachment.sha256))."), dossierID: id, on: db)
        }
        return piece
    }

    func piece(_ id: UUID, _ pieceID: UUID) async throws -> PieceRecord {
        let loaded = try await load(id)
        try authorize(.read, loaded)
        guard let piece = try await PieceRecord.query(on: db).filter(\.$id == pieceID).filter(\.$dossier.$id == id).first() else {
            throw AppError.notFound("Ce dossier n'a pas de pièce jointe \(pieceID.uuidString.lowercased()).")
        }
        return piece
    }

    func detach(_ id: UUID, _ pieceID: UUID) async throws {
        var loaded = try await load(id)
        try authorize(step: .edition, loaded)
        guard let piece = loaded.pieces.first(where: { $0.id == pieceID }) else {
            throw AppError.notFound("Ce dossier n'a pas de pièce jointe \(pieceID.uuidString.lowercased()).")
        }
        do { try loaded.dossier.removeAttachment(named: piece.nom) } catch { throw error.appError(field: "fichier") }
        let status = loaded.dossier.status
        try await db.writeTransaction { db in
            try await PieceRecord.query(on: db).filter(\.$id == pieceID).delete()
            try await Self.record(Transition(event: "piece-retiree", etape: nil, from: status, to: status,
                                             actor: caller.author.label, at: clock(), comment: "Pièce retirée : \(piece.nom)."), dossierID: id, on: db)
        }
    }

    // MARK: - The procedure

    /// Applies an event of the procedure, stores its facts and its transition in one transaction. The change of
    /// state is a conditional write: when another caller moved the dossier in between, the event is applied
    /// again to the dossier as it now stands, and the procedure's rules answer (most often a 409).
    @discardableResult
    func apply(_ id: UUID, _ event: LabellingEvent, comment: String?, field: String, store: @escaping @Sendable (any Database, Loaded) async throws -> Void) async throws -> Loaded {
        try await retryingStaleState {
            var loaded = try await load(id)
            let before = [("statut", loaded.record.statut), ("etapes_en_cours", loaded.record.etapesEnCours)]
            let stepsBefore = Set(loaded.dossier.currentSteps.map(\.code))
            let transition: Transition
            do throws(LabellingError) {
                transition = try loaded.dossier.apply(event, by: caller.author.label, at: clock(), comment: comment)
            } catch {
                throw error.appError(field: field)
            }
            let status = loaded.dossier.status
            loaded.record.statut = status.slug
            loaded.record.etapesEnCours = loaded.dossier.currentSteps.map(\.code).joined(separator: ",")
            let current = loaded
            do {
                try await db.writeTransaction { db in
                    guard try await db.claim(DossierRecord.schema, id: id, expected: before,
                                             changes: [("statut", current.record.statut), ("etapes_en_cours", current.record.etapesEnCours)]) else {
                        throw StaleStateError()
                    }
                    try await store(db, current)
                    try await current.record.save(on: db)
                    try await Self.record(transition, dossierID: id, on: db)
                    try await LabellingNotices(db: db, caller: caller).changed(current, event: event, stepsBefore: stepsBefore)
                }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw AppError.conflict("Ce dossier vient d'être modifié par quelqu'un d'autre : rechargez-le et recommencez.")
            }
            return try await load(id)
        }
    }

    func deposit(_ id: UUID, date: CalendarDay, comment: String?) async throws -> Loaded {
        let loaded = try await load(id)
        try authorize(step: .depot, loaded)
        return try await apply(id, .depot(date: date), comment: comment, field: "date") { db, current in
            current.record.depot = date.iso
        }
    }

    struct OpinionInput: Sendable {
        var instance: Instance
        var verdict: Verdict
        var texte: String
        var date: CalendarDay
        var auteur: String?
    }

    /// An opinion of a body; an instance account gives only its own body's opinion.
    func giveOpinion(_ id: UUID, _ input: OpinionInput) async throws -> Loaded {
        let loaded = try await load(id)
        let collective = loaded.dossier.referentiel.expertise.map { if case .expertise(let body) = $0.kind { body == input.instance } else { false } } ?? false
        try authorize(step: collective ? .clotureExpertise : .avis(input.instance), loaded)
        let auteur = input.auteur.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? caller.author.label
        let avis = Avis(instance: input.instance, auteur: auteur, date: input.date, verdict: input.verdict, texte: input.texte)
        let event: LabellingEvent = collective ? .clotureExpertise(avis) : .avis(avis)
        let authorID = caller.actor?.userID
        return try await apply(id, event, comment: nil, field: "texte") { db, _ in
            let record = AvisRecord()
            record.$dossier.id = id
            record.instance = input.instance
            record.auteur = auteur
            record.auteurID = authorID
            record.date = input.date.iso
            record.verdict = input.verdict
            record.texte = input.texte
            record.collectif = collective
            try await record.create(on: db)
        }
    }

    struct ScoreInput: Sendable {
        var critere: String
        var note: Int
        var commentaire: String
    }

    /// An expert's scores (a score given again replaces the former one); only the expert body's accounts score.
    /// The `cmq` operator (the demo) records the scores of a named expert.
    func score(_ id: UUID, _ scores: [ScoreInput], expertName: String? = nil) async throws -> Loaded {
        var loaded = try await load(id)
        let expertID: UUID
        if caller.isOperator, let expertName {
            try authorize(.update, loaded)
            expertID = UUID(derivedFrom: "expert|\(expertName)")
        } else {
            try authorize(step: .notation, loaded)
            guard let actor = caller.actor, !caller.isOperator else {
                throw AppError.forbidden("Seuls les experts du groupe d'expertise notent un dossier, chacun en son nom.")
            }
            expertID = actor.userID
        }
        for (index, score) in scores.enumerated() {
            do {
                try loaded.dossier.record(Evaluation(expert: expertID.uuidString, critere: score.critere, note: score.note, commentaire: score.commentaire))
            } catch {
                throw error.appError(field: "notes[\(index)]")
            }
        }
        let expertName = expertName ?? caller.author.label
        let status = loaded.dossier.status
        let expertiseCode = loaded.dossier.referentiel.expertise?.code
        try await db.writeTransaction { db in
            for score in scores {
                try await EvaluationRecord.query(on: db).filter(\.$dossier.$id == id).filter(\.$expertID == expertID)
                    .filter(\.$critere == score.critere).delete()
                let record = EvaluationRecord()
                record.$dossier.id = id
                record.expertID = expertID
                record.expert = expertName
                record.critere = score.critere
                record.note = score.note
                record.commentaire = score.commentaire
                try await record.create(on: db)
            }
            try await Self.record(Transition(event: "notation", etape: expertiseCode, from: status, to: status,
                                             actor: expertName, at: clock(), comment: "\(scores.count) note(s) enregistrée(s)."), dossierID: id, on: db)
        }
        return try await load(id)
    }

    /// The interministerial decision (national administrator only); a label starts on its date.
    func decide(_ id: UUID, _ decision: Decision) async throws -> Loaded {
        let loaded = try await load(id)
        try authorize(step: .decision, loaded)
        let encoded = String(decoding: try JSONEncoder().encode(decision), as: UTF8.self)
        let campusID = loaded.campus.id!
        let referentiel = loaded.dossier.referentiel.code
        return try await apply(id, .decision(decision), comment: decision.texte.isEmpty ? nil : decision.texte, field: "decision") { db, current in
            current.record.decision = encoded
            if let period = decision.labelPeriod {
                let label = LabelRecord()
                label.$campus.id = campusID
                label.$dossier.id = id
                label.debut = period.start.iso
                label.duree = period.durationYears
                label.fin = period.end.iso
                label.excellence = period.excellence
                label.referentiel = referentiel
                label.nor = decision.arrete?.nor?.value
                label.bo = decision.arrete?.bulletinOfficiel
                try await label.create(on: db)
                try await caller.audit.record(.create, label, id: label.requireID(), on: db)
            }
        }
    }

    func abandon(_ id: UUID, date: CalendarDay, motif: String) async throws -> Loaded {
        let loaded = try await load(id)
        try authorize(step: .abandon, loaded)
        return try await apply(id, .abandon(date: date, motif: motif), comment: motif, field: "motif") { _, current in
            current.record.abandonLe = date.iso
            current.record.abandonMotif = motif.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Withdraws a label (national administrator only), with its reason.
    func withdraw(_ labelID: UUID, date: CalendarDay, motif: String) async throws -> LabelRecord {
        try caller.authorize(.update, .labelDecision)
        guard let label = try await LabelRecord.find(labelID, on: db), let period = label.period else {
            throw AppError.notFound("Aucun label n'a l'identifiant \(labelID.uuidString.lowercased()).")
        }
        let withdrawn: LabelPeriod
        do { withdrawn = try period.withdrawn(on: date, motif: motif) } catch { throw error.appError(field: "motif") }
        let before = label.auditSnapshot
        label.retraitLe = withdrawn.withdrawal?.date.iso
        label.retraitMotif = withdrawn.withdrawal?.motif
        try await db.writeTransaction { db in
            try await label.save(on: db)
            try await caller.audit.record(.update, label, id: labelID, before: before, on: db)
        }
        return label
    }

    static func record(_ transition: Transition, dossierID: UUID, on db: any Database) async throws {
        let record = TransitionRecord()
        record.$dossier.id = dossierID
        record.at = transition.at
        record.evenement = transition.event
        record.etape = transition.etape
        record.de = transition.from.slug
        record.vers = transition.to.slug
        record.auteur = transition.actor
        record.commentaire = transition.comment
        try await record.create(on: db)
    }
}

extension DossierRecord: Audited {
    static var auditEntity: String { "dossier" }
    var auditLabel: String { "Dossier \(referentiel) de \($campus.value?.nom ?? "campus")" }
    var auditSnapshot: [String: String] {
        ["referentiel": referentiel, "nature": nature, "labelDemande": labelDemande, "dureeDemandee": String(dureeDemandee),
         "sections": sections, "statut": statut]
    }
}

extension LabelRecord: Audited {
    static var auditEntity: String { "label" }
    var auditLabel: String { "Label du \(debut) au \(fin)" }
    var auditSnapshot: [String: String] {
        var values = ["debut": debut, "duree": String(duree), "fin": fin, "excellence": String(excellence)]
        values["retraitLe"] = retraitLe
        values["retraitMotif"] = retraitMotif
        return values
    }
}
