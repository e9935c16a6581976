import CMQDomain
import Vapor

/// An edition of the contest as the API shows it: its calendar (days), its grid, its national places, its phase.
struct ConcoursEditionDTO: Content {
    struct Critere: Content {
        var code: String
        var libelle: String
        var poids: Int
        var maximum: Int
    }

    struct Categorie: Content {
        var id: UUID
        var code: String
        var nom: String
    }

    var id: UUID
    var nom: String
    var depotsOuverture: String
    var depotsCloture: String
    var juryAcademiqueCloture: String
    var juryNationalCloture: String
    var voteOuverture: String
    var voteCloture: String
    var resultats: String
    var phase: String
    var voteOuvert: Bool
    var placesNationales: Int
    var grille: [Critere]
    var categories: [Categorie]

    init(_ record: ConcoursEditionRecord, categories: [ConcoursCategorieRecord], now: Date) throws {
        let day = ConcoursEditionInput.day
        let calendar = try record.calendar
        id = try record.requireID()
        nom = record.nom
        depotsOuverture = day(calendar.submissionsOpen).iso
        depotsCloture = day(calendar.submissionsClose).iso
        juryAcademiqueCloture = day(calendar.academieJuryClose).iso
        juryNationalCloture = day(calendar.nationalJuryClose).iso
        voteOuverture = day(calendar.voteOpen).iso
        voteCloture = day(calendar.voteClose).iso
        resultats = day(calendar.results).iso
        phase = calendar.phase(at: now).rawValue
        voteOuvert = calendar.voteIsOpen(at: now)
        placesNationales = record.placesNationales
        grille = try record.grid.criteria.map { Critere(code: $0.code, libelle: $0.label, poids: $0.weight, maximum: $0.maximum) }
        self.categories = try categories.map { Categorie(id: try $0.requireID(), code: $0.code, nom: $0.nom) }
    }
}

struct ConcoursJureDTO: Content {
    var id: UUID
    var courriel: String
    var nom: String
    var niveau: String
    var academie: String?

    init(_ record: ConcoursJureRecord) throws {
        id = try record.requireID()
        courriel = record.utilisateur.email
        nom = record.utilisateur.nom
        niveau = record.niveau.rawValue
        academie = record.academieCode
    }
}

struct ConcoursCandidatureDTO: Content {
    var id: UUID
    var categorieId: UUID
    var temoignageId: UUID
    var titre: String
    var prenom: String
    var campus: String
    var academie: String
    var temoignage: String

    init(_ entry: ConcoursService.Entry) throws {
        id = try entry.candidature.requireID()
        categorieId = try entry.categorie.requireID()
        temoignageId = entry.temoignage.id
        titre = entry.temoignage.record.titre
        prenom = entry.temoignage.record.prenom
        campus = entry.temoignage.campus.nom
        academie = entry.candidature.academieCode
        temoignage = TemoignagesURL.page(entry.temoignage.id).path
    }
}

struct ConcoursNotesDTO: Content {
    var candidatureId: UUID
    var notes: [String: Int]
    /// The total on 20 of these marks (the grid's weighted mean).
    var total: Double
}

struct ConcoursResultatsDTO: Content {
    struct Classement: Content {
        var candidatureId: UUID
        var rang: Int
        var moyenne: Double
        var jures: Int
        var medaille: String?
    }

    struct Categorie: Content {
        var id: UUID
        var nom: String
        var classement: [Classement]
        var prixDuPublic: [UUID]
        var votes: [String: Int]
        var retenuesAuNational: [UUID]
    }

    var editionId: UUID
    var nom: String
    var categories: [Categorie]
}

/// The contest's API: editions, categories and juries (the national administrator), entries (the campus team),
/// marks (a juror's own), the public vote (any account, once per category) and the results.
struct ConcoursAPIController {
    func list(_ request: Request) async throws -> [ConcoursEditionDTO] {
        let service = ConcoursService(db: request.db, caller: request.caller)
        var result: [ConcoursEditionDTO] = []
        for edition in try await service.editions() {
            result.append(try ConcoursEditionDTO(edition, categories: try await service.categories(try edition.requireID()), now: request.caller.clock.now()))
        }
        return result
    }

    func show(_ request: Request) async throws -> ConcoursEditionDTO {
        let service = ConcoursService(db: request.db, caller: request.caller)
        let edition = try await service.edition(try Self.editionID(request))
        return try ConcoursEditionDTO(edition, categories: try await service.categories(try edition.requireID()), now: request.caller.clock.now())
    }

    func create(_ request: Request) async throws -> Response {
        try request.caller.authorize(.create, .concours)
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let input = try ConcoursEditionInput.read(&reader)
        let service = ConcoursService(db: request.db, caller: request.caller)
        let edition = try await service.createEdition(input)
        return try await ConcoursEditionDTO(edition, categories: [], now: request.caller.clock.now())
            .created(at: ConcoursURL.apiItem(try edition.requireID()).path, for: request)
    }

    func update(_ request: Request) async throws -> ConcoursEditionDTO {
        try request.caller.authorize(.update, .concours)
        let id = try Self.editionID(request)
        let service = ConcoursService(db: request.db, caller: request.caller)
        _ = try await service.edition(id)
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let input = try ConcoursEditionInput.read(&reader)
        let edition = try await service.updateEdition(id, input)
        return try ConcoursEditionDTO(edition, categories: try await service.categories(id), now: request.caller.clock.now())
    }

    func addCategorie(_ request: Request) async throws -> Response {
        try request.caller.authorize(.create, .concours)
        let id = try Self.editionID(request)
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let (code, nom) = try Self.readCategorie(&reader)
        let service = ConcoursService(db: request.db, caller: request.caller)
        _ = try await service.addCategorie(id, code: code, nom: nom)
        let edition = try await service.edition(id)
        return try await ConcoursEditionDTO(edition, categories: try await service.categories(id), now: request.caller.clock.now())
            .created(at: ConcoursURL.apiItem(id).path, for: request)
    }

    static func readCategorie(_ reader: inout InputReader) throws(AppError) -> (String, String) {
        let code = reader.text("code", required: true, maxLength: 40).value
        let nom = reader.text("nom", required: true, maxLength: 120).value
        if let code, !code.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            reader.fail("code", "Le code d'une catégorie s'écrit en minuscules non accentuées, chiffres et tirets.")
        }
        try reader.finish()
        return (code ?? "", nom ?? "")
    }

    func jurors(_ request: Request) async throws -> [ConcoursJureDTO] {
        try request.caller.authorize(.update, .concours)
        let service = ConcoursService(db: request.db, caller: request.caller)
        let id = try Self.editionID(request)
        _ = try await service.edition(id)
        return try await service.jurors(id).map(ConcoursJureDTO.init)
    }

    func addJuror(_ request: Request) async throws -> Response {
        try request.caller.authorize(.create, .concours)
        let id = try Self.editionID(request)
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let (email, niveau, academie) = try Self.readJuror(&reader)
        let juror = try await ConcoursService(db: request.db, caller: request.caller).addJuror(id, email: email, niveau: niveau, academieCode: academie)
        return try await ConcoursJureDTO(juror).created(at: ConcoursURL.apiJuror(id, try juror.requireID()).path, for: request)
    }

    static func readJuror(_ reader: inout InputReader) throws(AppError) -> (String, ConcoursJureRecord.Niveau, String?) {
        let email = reader.email("courriel", required: true).value
        let niveauText = reader.text("niveau", required: true, maxLength: 20).value
        let academie = reader.text("academie", maxLength: 10).value
        let niveau = niveauText.flatMap(ConcoursJureRecord.Niveau.init(rawValue:))
        if niveauText != nil, niveau == nil { reader.fail("niveau", "Indiquez le niveau du juré : academique ou national.") }
        if niveau == .academique {
            if let academie {
                if TerritoryCatalog.shared.academie(code: academie) == nil { reader.fail("academie", "L'académie « \(academie) » n'existe pas ; donnez son code (par exemple 20).") }
            } else {
                reader.fail("academie", "Un juré académique siège pour une académie : indiquez-la.")
            }
        }
        try reader.finish()
        return (email ?? "", niveau ?? .national, academie)
    }

    func delete(_ request: Request) async throws -> HTTPStatus {
        try await ConcoursService(db: request.db, caller: request.caller).deleteEdition(try Self.editionID(request))
        return .noContent
    }

    func deleteCategorie(_ request: Request) async throws -> HTTPStatus {
        let categorie = try request.uuidParameter("categorieID", notFound: "Aucune catégorie")
        try await ConcoursService(db: request.db, caller: request.caller).deleteCategorie(try Self.editionID(request), categorieID: categorie)
        return .noContent
    }

    func removeJuror(_ request: Request) async throws -> HTTPStatus {
        let jure = try request.uuidParameter("jureID", notFound: "Aucun juré")
        try await ConcoursService(db: request.db, caller: request.caller).removeJuror(try Self.editionID(request), jurorID: jure)
        return .noContent
    }

    func entries(_ request: Request) async throws -> [ConcoursCandidatureDTO] {
        let service = ConcoursService(db: request.db, caller: request.caller)
        let id = try Self.editionID(request)
        _ = try await service.edition(id)
        return try await service.visibleEntries(id).map(ConcoursCandidatureDTO.init)
    }

    func enter(_ request: Request) async throws -> Response {
        let id = try Self.editionID(request)
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let temoignage = reader.uuid("temoignageId", required: true).value
        let categorie = reader.uuid("categorieId", required: true).value
        try reader.finish()
        let service = ConcoursService(db: request.db, caller: request.caller)
        let categories = try await service.categories(id)
        guard let temoignage, let categorie, categories.contains(where: { $0.id == categorie }) else {
            throw AppError.validation([FieldError("categorieId", "Cette catégorie n'est pas une catégorie de l'édition.")])
        }
        let entry = try await service.enter(temoignage, categorieID: categorie)
        return try await ConcoursCandidatureDTO(entry).created(at: ConcoursURL.apiEntries(id).path, for: request)
    }

    /// `PUT …/notes` `{"notes": {"critere": note, …}}`: the caller's own marks, replacing theirs.
    func mark(_ request: Request) async throws -> ConcoursNotesDTO {
        let id = try Self.candidatureID(request)
        var reader = InputReader(object: try request.jsonObject(), mode: .create)
        let marks = reader.decoded("notes", [String: Int].self, required: true).value
        try reader.finish()
        guard let marks, marks.count <= 20, marks.values.allSatisfy({ (-1_000...1_000).contains($0) }) else {
            throw AppError.validation([FieldError("notes", "Donnez une note entière par critère de la grille.")])
        }
        let total = try await ConcoursService(db: request.db, caller: request.caller).score(id, marks: marks)
        return ConcoursNotesDTO(candidatureId: id, notes: marks, total: total)
    }

    func vote(_ request: Request) async throws -> Response {
        let id = try Self.candidatureID(request)
        try await ConcoursService(db: request.db, caller: request.caller).vote(id)
        return Response(status: .created)
    }

    func results(_ request: Request) async throws -> ConcoursResultatsDTO {
        let service = ConcoursService(db: request.db, caller: request.caller)
        let edition = try await service.edition(try Self.editionID(request))
        var categories: [ConcoursResultatsDTO.Categorie] = []
        for categorie in try await service.categories(try edition.requireID()) {
            let results = try await service.results(try categorie.requireID())
            categories.append(.init(
                id: try categorie.requireID(), nom: categorie.nom,
                classement: results.ranking.map { .init(candidatureId: $0.entry, rang: $0.rank, moyenne: $0.mean, jures: $0.jurors, medaille: $0.medal?.label) },
                prixDuPublic: results.publicPrize,
                votes: Dictionary(uniqueKeysWithValues: results.votes.map { ($0.key.uuidString.lowercased(), $0.value) }),
                retenuesAuNational: results.qualified.sorted { $0.uuidString < $1.uuidString }))
        }
        if categories.isEmpty, !service.resultsArePublished(edition), !request.caller.may(.read, .concoursResultats(isPublished: false)) {
            throw AppError.conflict("Les résultats de « \(edition.nom) » ne sont pas encore publiés.")
        }
        return ConcoursResultatsDTO(editionId: try edition.requireID(), nom: edition.nom, categories: categories)
    }

    static func editionID(_ request: Request) throws -> UUID {
        try request.uuidParameter("editionID", notFound: "Aucune édition du concours")
    }

    static func candidatureID(_ request: Request) throws -> UUID {
        try request.uuidParameter("candidatureID", notFound: "Aucune candidature")
    }
}
