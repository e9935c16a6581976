import CMQDomain
import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

extension TemoignageError {
    var appError: AppError {
        switch self {
        case .reasonRequired: .validation([FieldError("motif", message)])
        case .illegalMove, .notPublishable: .conflict(message)
        }
    }
}

extension MediaError {
    func appError(_ field: String) -> AppError {
        if case .tooLarge = self { return .payloadTooLarge(message) }
        return .validation([FieldError(field, message)])
    }
}

/// What a submitter writes about a testimony (API body or form), checked.
struct TemoignageInput: Sendable {
    var campusID: UUID
    var titre: String
    var prenom: String
    var texte: String
    var formationID: UUID?
    var etablissementID: UUID?
    var categorie: String?
    var age: String
    var dateNaissance: CalendarDay?
    var titulairesAutorite: Int

    static func read(_ reader: inout InputReader, today: CalendarDay) throws(AppError) -> TemoignageInput {
        let campus = reader.uuid("campusId", required: true).value
        let titre = reader.text("titre", required: true, maxLength: 140).value ?? ""
        let prenom = reader.text("prenom", required: true, maxLength: 40).value ?? ""
        if prenom.contains(" ") || prenom.contains(where: \.isNumber) {
            reader.fail("prenom", "Indiquez le prénom seul (sans nom de famille, sans chiffre) : il est publié.")
        }
        let texte = reader.text("texte", required: true, maxLength: 2000).value ?? ""
        let formation = reader.uuid("formationId").value
        let etablissement = reader.uuid("etablissementId").value
        let categorie = reader.text("categorie", maxLength: 60).value
        let age = reader.text("age", required: true, maxLength: 10).value ?? ""
        if !age.isEmpty, !["majeur", "mineur"].contains(age) { reader.fail("age", "Indiquez « majeur » ou « mineur ».") }
        let naissance = reader.day("dateNaissance").value
        let titulaires = reader.integer("titulairesAutorite", range: 0...2).value ?? 0
        if let naissance, naissance > today { reader.fail("dateNaissance", "La date de naissance est dans le futur.") }
        if let naissance, !age.isEmpty, AgeDeclaration.birthDate(naissance).isMinor(on: today) != (age == "mineur") {
            reader.fail("age", "L'âge déclaré ne correspond pas à la date de naissance.")
        }
        try reader.finish()
        return TemoignageInput(campusID: campus!, titre: titre, prenom: prenom, texte: texte, formationID: formation, etablissementID: etablissement,
                               categorie: categorie, age: age, dateNaissance: naissance, titulairesAutorite: titulaires)
    }
}

/// The testimonies of "Ma réussite pro": submission, media (sniffed, stored in chunks), consents, moderation and
/// withdrawal, checked against the caller's rights (`Resource.temoignage`, `.temoignageModeration`) and recorded in
/// the audit trail. Every change of state is a conditional write (`claim`) from the state read.
struct TemoignageService {
    let db: any Database
    let caller: Caller

    /// A testimony with what its rules need.
    struct Loaded: Sendable {
        var record: TemoignageRecord
        var campus: Campus
        var memberIDs: [UUID]
        var consents: [ConsentementRecord]

        var id: UUID { record.id! }
        var consentRecords: [ConsentRecord] { consents.compactMap(\.consent) }

        func consentStatus(_ scope: ConsentScope = .publication, on day: CalendarDay) -> ConsentStatus {
            ConsentRules.status(record.consentSubject, records: consentRecords, scope: scope, on: day)
        }

        /// On the public site: published, and its consents still complete.
        func isPublic(on day: CalendarDay) -> Bool {
            record.etat == .publie && consentStatus(on: day).isComplete && record.videoID != nil
        }

        func scope(on day: CalendarDay) -> Resource.TemoignageScope {
            Resource.TemoignageScope(campusID: campus.id!, regionCode: campus.regionCode, memberOrganisationIDs: memberIDs,
                                     submitterID: record.$soumisPar.id, isPublished: isPublic(on: day))
        }

        var publicationCheck: (CalendarDay) -> PublicationCheck {
            { day in PublicationCheck(hasVideo: record.videoID != nil, hasCaptions: record.sousTitresID != nil, consent: consentStatus(on: day)) }
        }
    }

    var now: Date { caller.clock.now() }
    var today: CalendarDay { caller.today }

    /// The submitter's name of the demo's testimonies: their pages say that they are demo content.
    static let demoAuthor = "Contenu de démonstration (cmq)"

    static func notFound(_ id: UUID) -> AppError { .notFound("Aucun témoignage n'a l'identifiant \(id.uuidString.lowercased()).") }

    // MARK: - Reading

    /// The testimony, if the caller may read it (an unpublished one is not found by the public: 404).
    func load(_ id: UUID) async throws -> Loaded {
        guard let loaded = try await Self.load(id, on: db) else { throw Self.notFound(id) }
        guard caller.may(.read, .temoignage(loaded.scope(on: today))) else { throw Self.notFound(id) }
        return loaded
    }

    static func load(_ id: UUID, on db: any Database) async throws -> Loaded? {
        guard let record = try await TemoignageRecord.query(on: db).filter(\.$id == id).with(\.$campus).first() else { return nil }
        let members = try await Membership.query(on: db).filter(\.$campus.$id == record.$campus.id).all().map { $0.$organisation.id }
        let consents = try await ConsentementRecord.query(on: db).filter(\.$temoignage.$id == id).sort(\.$createdAt).all()
        return Loaded(record: record, campus: record.campus, memberIDs: members, consents: consents)
    }

    // MARK: - Submission

    /// Submits a testimony (waiting for moderation) and returns it with the private withdrawal link's token, given
    /// once (only its SHA-256 is stored).
    func submit(_ input: TemoignageInput) async throws -> (Loaded, withdrawalToken: String) {
        guard let campus = try await Campus.find(input.campusID, on: db) else {
            throw AppError.validation([FieldError("campusId", "Aucun campus n'a l'identifiant \(input.campusID.uuidString.lowercased()).")])
        }
        let members = try await Membership.query(on: db).filter(\.$campus.$id == input.campusID).all().map { $0.$organisation.id }
        let scope = Resource.TemoignageScope(campusID: input.campusID, regionCode: campus.regionCode, memberOrganisationIDs: members,
                                             submitterID: caller.actor?.userID, isPublished: false)
        try caller.authorize(.create, .temoignage(scope))
        var problems: [FieldError] = []
        if let etablissement = input.etablissementID, !members.contains(etablissement) {
            problems.append(FieldError("etablissementId", "L'établissement doit être membre du réseau du campus « \(campus.nom) »."))
        }
        if let formation = input.formationID, try await Formation.visible(formation, on: db) == nil {
            problems.append(FieldError("formationId", "Aucune formation n'a l'identifiant \(formation.uuidString.lowercased())."))
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        let token = Self.newToken()
        let id = UUID()
        let record = TemoignageRecord(id: id, campusID: input.campusID, titre: input.titre, prenom: input.prenom, texte: input.texte, age: input.age,
                                      dateNaissance: input.dateNaissance?.iso, titulairesAutorite: input.titulairesAutorite,
                                      soumisParID: caller.actor?.userID, soumisParNom: caller.author.displayName)
        record.$formation.id = input.formationID
        record.$etablissement.id = input.etablissementID
        record.categorie = input.categorie
        record.jetonRetrait = Self.hash(token)
        try await db.writeTransaction { db in
            try await record.create(on: db)
            try await caller.audit.record(.create, record, id: id, on: db)
        }
        return (try await load(id), token)
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Media

    /// Replaces the video: MP4 or WebM (sniffed), at most 3 minutes (read from the file).
    func attachVideo(_ id: UUID, _ file: SpooledUpload, pool: NIOThreadPool) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: today)))
        try Self.mayChangeMedia(current)
        let probe: VideoProbe
        do { probe = try VideoSniffer.check(try FileByteSource(path: file.path)) } catch let error as MediaError { throw error.appError("video") }
        return try await replace(current, file, nature: .video, mimeType: probe.container.mimeType, pool: pool) { record, mediaID in
            let old = record.videoID
            record.videoID = mediaID
            record.videoType = probe.container.mimeType
            record.duree = probe.durationSeconds
            return old
        }
    }

    /// Replaces the captions (WebVTT, ≤ 512 KB); their text becomes the transcript shown under the player.
    func attachCaptions(_ id: UUID, _ file: SpooledUpload, pool: NIOThreadPool) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: today)))
        try Self.mayChangeMedia(current)
        guard file.size <= UInt64(WebVTT.maximumSize) else { throw MediaError.tooLarge(bytes: file.size, limit: UInt64(WebVTT.maximumSize)).appError("sousTitres") }
        let captions: WebVTT
        do { captions = try WebVTT(bytes: try file.bytes()) } catch let error as MediaError { throw error.appError("sousTitres") }
        return try await replace(current, file, nature: .sousTitres, mimeType: "text/vtt", pool: pool) { record, mediaID in
            let old = record.sousTitresID
            record.sousTitresID = mediaID
            record.transcription = captions.transcript
            return old
        }
    }

    /// The largest poster accepted (2 MB).
    static let maximumPoster: UInt64 = 2_000_000

    /// Replaces the poster (PNG, JPEG or WebP, ≤ 2 MB).
    func attachPoster(_ id: UUID, _ file: SpooledUpload, pool: NIOThreadPool) async throws -> Loaded {
        let current = try await load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: today)))
        try Self.mayChangeMedia(current)
        guard file.size <= Self.maximumPoster else { throw MediaError.tooLarge(bytes: file.size, limit: Self.maximumPoster).appError("affiche") }
        guard let format = ImageSniffer.format(try file.head(12)) else { throw MediaError.notAnImage.appError("affiche") }
        return try await replace(current, file, nature: .affiche, mimeType: format.mimeType, pool: pool) { record, mediaID in
            let old = record.afficheID
            record.afficheID = mediaID
            return old
        }
    }

    /// The media of a withdrawn testimony are being deleted; those of a published one are changed by a new
    /// submission only.
    static func mayChangeMedia(_ loaded: Loaded) throws {
        switch loaded.record.etat {
        case .enAttente, .refuse: return
        case .publie: throw AppError.conflict("Ce témoignage est publié : retirez-le avant d'en changer la vidéo, les sous-titres ou l'image.")
        case .retire: throw AppError.conflict("Ce témoignage est retiré : ses fichiers sont effacés.")
        }
    }

    private func replace(_ current: Loaded, _ file: SpooledUpload, nature: TemoignageMediaRecord.Nature, mimeType: String, pool: NIOThreadPool,
                         apply: @escaping @Sendable (TemoignageRecord, UUID) -> UUID?) async throws -> Loaded {
        let id = current.id
        let state = current.record.etat.rawValue
        try await db.writeTransaction { db in
            // the state must not have moved since it was read (a moderator publishing at the same time)
            guard try await db.claim("temoignages", id: id, expected: [("etat", state)], changes: [("etat", state)]) else {
                throw AppError.conflict("Ce témoignage vient d'être modéré : rechargez-le et recommencez.")
            }
            let media = try await MediaStore.store(file, temoignageID: id, nature: nature, mimeType: mimeType, pool: pool, on: db)
            guard let record = try await TemoignageRecord.find(id, on: db) else { throw Self.notFound(id) }
            let before = record.auditSnapshot
            if let old = apply(record, media.id!) { try await MediaStore.delete([old], on: db) }
            try await record.update(on: db)
            try await caller.audit.record(.update, record, id: id, before: before, on: db)
        }
        return try await load(id)
    }

    /// The media `nature` of a testimony, if the caller may see it (the public: once published).
    func media(_ id: UUID, _ nature: TemoignageMediaRecord.Nature) async throws -> (TemoignageMediaRecord, isPublic: Bool) {
        let loaded = try await load(id)
        let mediaID: UUID?
        switch nature {
        case .video: mediaID = loaded.record.videoID
        case .sousTitres: mediaID = loaded.record.sousTitresID
        case .affiche: mediaID = loaded.record.afficheID
        case .justificatif: mediaID = nil
        }
        guard let mediaID, let media = try await TemoignageMediaRecord.find(mediaID, on: db) else {
            throw AppError.notFound("Ce témoignage n'a pas ce fichier.")
        }
        return (media, loaded.isPublic(on: today))
    }
}
