import CMQDomain
import Vapor

/// A testimony as the API shows it (to those who may read it: the public once published).
struct TemoignageDTO: Content {
    var id: UUID
    var campusId: UUID
    var titre: String
    var prenom: String
    var texte: String
    var categorie: String?
    var formationId: UUID?
    var etablissementId: UUID?
    var etat: String
    var publie: Bool
    var dureeSecondes: Double?
    var video: String?
    var sousTitres: String?
    var affiche: String?
    var transcription: String?
    /// Where the consents stand (read by those who manage the testimony only).
    var consentements: String?
    var motifRefus: String?
    /// Given once, at submission: the private link by which the family withdraws its consent.
    var jetonRetrait: String?

    init(_ loaded: TemoignageService.Loaded, today: CalendarDay, manages: Bool, token: String? = nil) {
        let record = loaded.record
        id = loaded.id
        campusId = loaded.campus.id!
        titre = record.titre
        prenom = record.prenom
        texte = record.texte
        categorie = record.categorie
        formationId = record.$formation.id
        etablissementId = record.$etablissement.id
        etat = record.etat.rawValue
        publie = loaded.isPublic(on: today)
        dureeSecondes = record.duree
        video = record.videoID.map { _ in TemoignagesURL.video(loaded.id).path }
        sousTitres = record.sousTitresID.map { _ in TemoignagesURL.captions(loaded.id).path }
        affiche = record.afficheID.map { _ in TemoignagesURL.poster(loaded.id).path }
        transcription = record.transcription
        consentements = manages ? loaded.consentStatus(on: today).message : nil
        motifRefus = manages ? record.motifRefus : nil
        jetonRetrait = token
    }
}

struct TemoignagesAPIController {
    func submit(_ request: Request) async throws -> Response {
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let input = try TemoignageInput.read(&reader, today: request.today)
        let caller = request.caller
        let (loaded, token) = try await TemoignageService(db: request.db, caller: caller).submit(input)
        return try await TemoignageDTO(loaded, today: caller.today, manages: true, token: token)
            .created(at: TemoignagesURL.apiItem(loaded.id).path, for: request)
    }

    func show(_ request: Request) async throws -> TemoignageDTO {
        let caller = request.caller
        let loaded = try await TemoignageService(db: request.db, caller: caller).load(try id(request))
        return TemoignageDTO(loaded, today: caller.today, manages: caller.may(.update, .temoignage(loaded.scope(on: caller.today))))
    }

    func uploadVideo(_ request: Request) async throws -> TemoignageDTO {
        let limit = UInt64(request.application.cmqConfig.temoignageVideoMaxMegabytes) * 1_000_000
        return try await upload(request, limit: limit, tooLarge: MediaError.tooLarge(bytes: limit + 1, limit: limit).message) { service, id, file in
            try await service.attachVideo(id, file, pool: request.application.threadPool)
        }
    }

    func uploadCaptions(_ request: Request) async throws -> TemoignageDTO {
        let limit = UInt64(WebVTT.maximumSize)
        return try await upload(request, limit: limit, tooLarge: MediaError.tooLarge(bytes: limit + 1, limit: limit).message) { service, id, file in
            try await service.attachCaptions(id, file, pool: request.application.threadPool)
        }
    }

    func uploadPoster(_ request: Request) async throws -> TemoignageDTO {
        let limit = TemoignageService.maximumPoster
        return try await upload(request, limit: limit, tooLarge: MediaError.tooLarge(bytes: limit + 1, limit: limit).message) { service, id, file in
            try await service.attachPoster(id, file, pool: request.application.threadPool)
        }
    }

    /// `POST …/consentements?role=…&donneLe=…&portees=…[&expireLe=…][&courriel=…]`, the signed form as the body (or
    /// none, with the e-mail confirmation's address).
    func recordConsent(_ request: Request) async throws -> Response {
        let caller = request.caller
        let service = TemoignageService(db: request.db, caller: caller)
        let id = try id(request)
        let current = try await service.load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: caller.today)))
        var reader = InputReader(form: request.queryParameters, mode: .create)
        let input = try ConsentInput.read(&reader, today: caller.today)
        let limit = UInt64(ProofSniffer.maximumSize)
        let tooLarge = MediaError.tooLarge(bytes: limit + 1, limit: limit).message
        if let length = request.headers.first(name: .contentLength).flatMap(UInt64.init), length > limit { throw AppError.payloadTooLarge(tooLarge) }
        let file = try await UploadSpool.receive(request, limit: limit, tooLarge: tooLarge)
        defer { file.remove() }
        let loaded = try await service.recordConsent(id, input, proof: file.size > 0 ? file : nil, pool: request.application.threadPool)
        return try await TemoignageDTO(loaded, today: caller.today, manages: true).encodeResponse(status: .created, for: request)
    }

    func withdrawConsent(_ request: Request) async throws -> TemoignageDTO {
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let motif = reader.text("motif", required: true, maxLength: 500).value ?? ""
        try reader.finish()
        let consent = try request.uuidParameter("consentementID", notFound: "Aucun consentement")
        let caller = request.caller
        let loaded = try await TemoignageService(db: request.db, caller: caller).withdrawConsent(try id(request), consentID: consent, motif: motif)
        return TemoignageDTO(loaded, today: caller.today, manages: true)
    }

    /// `{"decision": "publier" | "refuser" | "retirer" | "resoumettre", "motif": …, "note": …}`.
    func moderate(_ request: Request) async throws -> TemoignageDTO {
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let choice = try TemoignageService.Decision.read(&reader)
        let caller = request.caller
        let loaded = try await TemoignageService(db: request.db, caller: caller).moderate(try id(request), choice)
        return TemoignageDTO(loaded, today: caller.today, manages: true)
    }

    /// Checks the rights before reading the body, spools the body, hands it to the service, removes the file.
    private func upload(_ request: Request, limit: UInt64, tooLarge: String,
                        _ attach: (TemoignageService, UUID, SpooledUpload) async throws -> TemoignageService.Loaded) async throws -> TemoignageDTO {
        let caller = request.caller
        let service = TemoignageService(db: request.db, caller: caller)
        let id = try id(request)
        let current = try await service.load(id)
        try caller.authorize(.update, .temoignage(current.scope(on: caller.today)))
        if let length = request.headers.first(name: .contentLength).flatMap(UInt64.init), length > limit {
            throw AppError.payloadTooLarge(tooLarge)
        }
        let file = try await UploadSpool.receive(request, limit: limit, tooLarge: tooLarge)
        defer { file.remove() }
        guard file.size > 0 else { throw AppError.validation([FieldError("fichier", MediaError.empty.message)]) }
        let loaded = try await attach(service, id, file)
        return TemoignageDTO(loaded, today: caller.today, manages: true)
    }

    private func id(_ request: Request) throws -> UUID {
        try request.uuidParameter("temoignageID", notFound: "Aucun témoignage")
    }
}
