import CMQDomain
import Fluent
import Foundation
import Vapor

/// `/api/v1/dossiers`, `/api/v1/labels` and `/api/v1/referentiels/labellisation`.
struct LabellingAPIController {
    // MARK: - Dossiers

    static func filter(from query: [String: String]) throws(AppError) -> DossierFilter {
        var reader = QueryReader(query)
        var filter = DossierFilter()
        filter.statut = reader.choice("statut", DossierStatus.Kind.self, "Le statut")
        filter.campus = reader.uuid("campus", of: "de campus")
        filter.region = reader.region()?.code
        filter.referentiel = reader.text("referentiel")
        if let q = reader.text("q") {
            if q.codePointCount > 200 { reader.fail("q", "Les mots du nom du campus tiennent en 200 caractères au plus.") } else { filter.q = q }
        }
        filter.tri = reader.choice("tri", DossierSort.self, "L'ordre") ?? .recent
        try reader.finish()
        return filter
    }

    /// The dossiers the caller may read: all for the national administrator, those of its région, of its
    /// campus, or those deposited and assigned to its body.
    @Sendable func list(req: Request) async throws -> PageDTO<DossierSummaryDTO> {
        let (filter, page) = try readListQuery(req.queryParameters, filter: Self.filter)
        guard let actor = req.actor else { throw AppError.unauthorized("Vous devez vous connecter pour consulter les dossiers de labellisation.") }
        return PageDTO(try await LabellingQueries.visibleDossiers(actor: actor, filter: filter, page: page, on: req.db))
    }

    static func dto(_ loaded: LabellingService.Loaded, on db: any Database) async throws -> DossierDTO {
        let label = try await LabelRecord.query(on: db).filter(\.$dossier.$id == loaded.record.id!).first()
        return loaded.toDTO(label: label)
    }

    @Sendable func create(req: Request) async throws -> Response {
        var reader = try req.inputReader(mode: .create)
        let input = LabellingService.CreateInput.read(&reader)
        try reader.finish()
        guard let input else { throw AppError.validation([FieldError("campusId", "Le campus est obligatoire.")]) }
        let loaded = try await LabellingService(db: req.db, caller: req.caller).create(input)
        let response = try await Self.dto(loaded, on: req.db).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: LabellingURL.apiDossier(loaded.record.id).path)
        return response
    }

    @Sendable func get(req: Request) async throws -> DossierDTO {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        let loaded = try await LabellingService(db: req.db, caller: req.caller).load(id)
        try LabellingService(db: req.db, caller: req.caller).authorize(.read, loaded)
        return try await Self.dto(loaded, on: req.db)
    }

    @Sendable func update(req: Request) async throws -> DossierDTO {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        var reader = try req.inputReader(mode: .update)
        let input = LabellingService.EditInput.read(&reader)
        try reader.finish()
        return try await Self.dto(try await LabellingService(db: req.db, caller: req.caller).edit(id, input), on: req.db)
    }

    @Sendable func deposit(req: Request) async throws -> DossierDTO {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        var reader = try req.inputReader(mode: .create, allowEmpty: true)
        let input = DatedStepInput.readDeposit(&reader, today: req.today)
        try reader.finish()
        return try await Self.dto(try await LabellingService(db: req.db, caller: req.caller).deposit(id, date: input.date, comment: input.text), on: req.db)
    }

    @Sendable func opinions(req: Request) async throws -> [AvisDTO] {
        try await get(req: req).avis
    }

    @Sendable func giveOpinion(req: Request) async throws -> Response {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        var reader = try req.inputReader(mode: .create)
        let input = LabellingService.OpinionInput.read(&reader, instance: req.actor?.instance, today: req.today)
        try reader.finish()
        guard let input else { throw AppError.validation([]) }
        let loaded = try await LabellingService(db: req.db, caller: req.caller).giveOpinion(id, input)
        return try await Self.dto(loaded, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable func evaluations(req: Request) async throws -> SyntheseDTO {
        let dossier = try await get(req: req)
        guard let synthese = dossier.synthese else {
            throw AppError.notFound("Le référentiel \(dossier.referentiel) ne prévoit pas d'expertise notée.")
        }
        return synthese
    }

    @Sendable func score(req: Request) async throws -> SyntheseDTO {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        var reader = try req.inputReader(mode: .create)
        let read = reader.objects("notes") { line -> LabellingService.ScoreInput? in
            let critere = line.text("critere", required: true, maxLength: 80)
            let note = line.integer("note", required: true, range: 0...4)
            let commentaire = line.text("commentaire", maxLength: 5_000)
            guard case .set(let c?) = critere, case .set(let n?) = note else { return nil }
            return .init(critere: c, note: n, commentaire: commentaire.value ?? "")
        }
        let scores = read.newValue ?? []
        if scores.isEmpty, !reader.hasErrors { reader.fail("notes", "Au moins une note est attendue.") }
        try reader.finish()
        let loaded = try await LabellingService(db: req.db, caller: req.caller).score(id, scores)
        guard let synthese = try await Self.dto(loaded, on: req.db).synthese else {
            throw AppError.notFound("Le référentiel ne prévoit pas d'expertise notée.")
        }
        return synthese
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        var reader = try req.inputReader(mode: .create)
        let decision = Decision.read(&reader, today: req.today)
        try reader.finish()
        guard let decision else { throw AppError.validation([FieldError("resultat", "Le résultat de la décision est obligatoire.")]) }
        let loaded = try await LabellingService(db: req.db, caller: req.caller).decide(id, decision)
        return try await Self.dto(loaded, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable func abandon(req: Request) async throws -> DossierDTO {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        var reader = try req.inputReader(mode: .create)
        let input = DatedStepInput.readAbandon(&reader, today: req.today)
        try reader.finish()
        let loaded = try await LabellingService(db: req.db, caller: req.caller).abandon(id, date: input.date, motif: input.text ?? "")
        return try await Self.dto(loaded, on: req.db)
    }

    @Sendable func history(req: Request) async throws -> [TransitionDTO] {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        let loaded = try await LabellingService(db: req.db, caller: req.caller).load(id)
        try LabellingService(db: req.db, caller: req.caller).authorize(.read, loaded)
        return try await TransitionRecord.query(on: req.db).filter(\.$dossier.$id == id).sort(\.$at).sort(\.$id).all().map {
            TransitionDTO(le: $0.at, evenement: $0.evenement, etape: $0.etape, de: $0.de, vers: $0.vers, auteur: $0.auteur, commentaire: $0.commentaire)
        }
    }

    // MARK: - Attachments

    /// `POST /api/v1/dossiers/{id}/pieces?nom=projet.pdf` with the file as the body (up to 20 MB).
    @Sendable func attach(req: Request) async throws -> Response {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        guard let name = req.queryParameters["nom"], !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AppError.validation([FieldError("nom", "Le nom du fichier (paramètre « nom ») est obligatoire.")])
        }
        var body = req.body.data ?? ByteBuffer()
        if req.body.data == nil, let collected = try? await req.body.collect(upTo: AttachmentPolicy.maximumSize + 1) { body = collected }
        guard body.readableBytes <= AttachmentPolicy.maximumSize else {
            throw AppError.payloadTooLarge("Le fichier dépasse 20 Mo : la taille maximale d'une pièce jointe est de 20 Mo.")
        }
        let piece = try await LabellingService(db: req.db, caller: req.caller).attach(id, fileName: name, contents: Data(buffer: body))
        let dto = PieceDTO(id: piece.id!, nom: piece.nom, format: piece.format, taille: piece.taille, sha256: piece.sha256,
                           url: LabellingURL.apiPiece(dossier: id, piece: piece.id).path)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        let pieceID = try req.uuidParameter("pieceID", notFound: "Aucune pièce jointe")
        let piece = try await LabellingService(db: req.db, caller: req.caller).piece(id, pieceID)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: AttachmentFormat(rawValue: piece.format)?.mimeType ?? "application/octet-stream")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(piece.nom.replacingOccurrences(of: "\"", with: ""))\"")
        headers.replaceOrAdd(name: "Digest", value: "sha-256=\(Data(hexString: piece.sha256)?.base64EncodedString() ?? "")")
        return Response(status: .ok, headers: headers, body: .init(data: piece.contenu))
    }

    @Sendable func detach(req: Request) async throws -> HTTPStatus {
        let id = try req.uuidParameter("dossierID", notFound: "Aucun dossier de labellisation")
        let pieceID = try req.uuidParameter("pieceID", notFound: "Aucune pièce jointe")
        try await LabellingService(db: req.db, caller: req.caller).detach(id, pieceID)
        return .noContent
    }

    // MARK: - Labels (public)

    static func labelFilter(from query: [String: String]) throws(AppError) -> LabelFilter {
        var reader = QueryReader(query)
        var filter = LabelFilter()
        filter.expirantAvant = reader.day("expirant_avant")
        filter.campus = reader.uuid("campus", of: "de campus")
        filter.region = reader.region()?.code
        filter.valides = reader.bool("valides") ?? filter.valides
        try reader.finish()
        return filter
    }

    @Sendable func listLabels(req: Request) async throws -> [LabelDTO] {
        try await LabellingQueries.labels(try Self.labelFilter(from: req.queryParameters), on: req.db, today: req.today)
    }

    /// The national list of labels as open data (CSV), filtered as the list is: the columns of the open dataset
    /// « labels » (codes, référentiel, NOR and Bulletin officiel), described by its Table Schema.
    @Sendable func labelsCSV(req: Request) async throws -> Response {
        let labels = try await LabellingQueries.labels(try Self.labelFilter(from: req.queryParameters), on: req.db, today: req.today)
        var text = OpenDataset.labels.fields.map(\.name).joined(separator: ";") + "\r\n"
        for label in labels {
            let cells: [DatasetCell] = [
                .text(label.id.uuidString.lowercased()), .text(label.campusNom), .text(label.campus.uuidString.lowercased()), .text(label.filiere),
                .text(label.filiereLibelle), .text(label.region), .text(label.regionNom), .text(label.excellence ? "CMQ Excellence" : "CMQ"),
                .boolean(label.excellence), .text(label.referentiel), .text(label.debut), .text(label.fin), .integer(label.dureeAnnees),
                .text(label.nor), .text(label.bulletinOfficiel), .text(label.retraitLe),
            ]
            text += cells.map(OpenDataWriter.csvField).joined(separator: ";") + "\r\n"
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"labels-cmq.csv\"")
        headers.replaceOrAdd(name: .accessControlAllowOrigin, value: "*")
        headers.add(name: .link, value: "<\(OpenDataLicence.url)>; rel=\"license\"")
        headers.add(name: .link, value: "<\(OpenDataWriter.schemaPath(.labels))>; rel=\"describedby\"; type=\"application/json\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    @Sendable func withdraw(req: Request) async throws -> LabelDTO {
        let id = try req.uuidParameter("labelID", notFound: "Aucun label")
        var reader = try req.inputReader(mode: .create)
        let motif = reader.text("motif", required: true, maxLength: 2_000)
        let date = reader.day("date")
        try reader.finish()
        let label = try await LabellingService(db: req.db, caller: req.caller).withdraw(id, date: date.value ?? req.today, motif: motif.value ?? "")
        guard let campus = try await Campus.find(label.$campus.id, on: req.db) else { throw AppError.notFound("Le campus de ce label n'existe plus.") }
        return label.toDTO(campus: campus)
    }

    // MARK: - Référentiels

    @Sendable func referentiels(req: Request) async throws -> [ReferentielDTO] {
        try await Referentiels.catalog(on: req.db).referentiels.map(ReferentielDTO.init)
    }
}

struct ReferentielDTO: Content, Equatable {
    struct Etape: Content, Equatable {
        var code: String
        var libelle: String
        var nature: String
        var instance: String?
        var groupe: String?
    }

    struct Critere: Content, Equatable {
        var code: String
        var libelle: String
    }

    struct Famille: Content, Equatable {
        var code: String
        var libelle: String
        var criteres: [Critere]
    }

    var code: String
    var titre: String
    var etapes: [Etape]
    var dureeMinimaleAnnees: Int
    var dureeMaximaleAnnees: Int
    var renouvelable: Bool
    var excellence: Bool
    var exigencesExcellence: [String]
    var familles: [Famille]

    init(_ referentiel: Referentiel) {
        code = referentiel.code
        titre = referentiel.titre
        etapes = referentiel.etapes.map { etape in
            switch etape.kind {
            case .depot: Etape(code: etape.code, libelle: etape.libelle, nature: "depot", instance: nil, groupe: etape.groupe)
            case .avis(let body): Etape(code: etape.code, libelle: etape.libelle, nature: "avis", instance: body.rawValue, groupe: etape.groupe)
            case .expertise(let body): Etape(code: etape.code, libelle: etape.libelle, nature: "expertise", instance: body.rawValue, groupe: etape.groupe)
            case .decision: Etape(code: etape.code, libelle: etape.libelle, nature: "decision", instance: nil, groupe: etape.groupe)
            }
        }
        dureeMinimaleAnnees = referentiel.dureeMinimaleAnnees
        dureeMaximaleAnnees = referentiel.dureeMaximaleAnnees
        renouvelable = referentiel.renouvelable
        excellence = referentiel.excellence
        exigencesExcellence = referentiel.mentionExcellence?.exigences ?? []
        familles = referentiel.familles.map { Famille(code: $0.code, libelle: $0.libelle, criteres: $0.criteres.map { Critere(code: $0.code, libelle: $0.libelle) }) }
    }
}

extension Request {
    /// A reader of the JSON body; `allowEmpty` accepts a request without a body (an empty object).
    func inputReader(mode: InputReader.Mode, allowEmpty: Bool = false) throws -> InputReader {
        if allowEmpty, (body.data?.readableBytes ?? 0) == 0 { return InputReader(object: [:], mode: mode) }
        return InputReader(object: try jsonObject(), mode: mode)
    }
}

extension Data {
    /// Bytes from hexadecimal text ("a1b2…"); nil when the text is not hexadecimal.
    init?(hexString: String) {
        guard hexString.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
