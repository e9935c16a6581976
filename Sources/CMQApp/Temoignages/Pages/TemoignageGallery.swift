import CMQDomain
import Fluent
import Vapor

/// The public gallery of "Ma réussite pro" and a testimony's page: what the templates show.
struct TemoignageGallery {
    struct Option: Encodable, Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Card: Encodable, Sendable {
        var url: String
        var titre: String
        var prenom: String
        var campus: String
        var formation: String?
        var affiche: String?
        var duree: String?
    }

    struct Context: Encodable {
        var page: PageMeta
        var cards: [Card]
        var filieres: [Option]
        var regions: [Option]
        var campus: [Option]
        var niveaux: [Option]
        var diplomes: [Option]
        var total: Int
    }

    struct Published: Sendable {
        var loaded: TemoignageService.Loaded
        var formation: Formation?
    }

    /// The published testimonies (consents complete today), newest first, at most 500.
    static func published(on db: any Database, today: CalendarDay, campusID: UUID? = nil, formationID: UUID? = nil) async throws -> [Published] {
        var query = TemoignageRecord.query(on: db).filter(\.$etat == .publie).filter(\.$videoID != nil).with(\.$campus).with(\.$formation)
        if let campusID { query = query.filter(\.$campus.$id == campusID) }
        if let formationID { query = query.filter(\.$formation.$id == formationID) }
        let records = try await query.sort(\.$publieLe, .descending).limit(500).all()
        let ids = records.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let consents = Dictionary(grouping: try await ConsentementRecord.query(on: db).filter(\.$temoignage.$id ~~ ids).all(), by: \.$temoignage.id)
        return records.map { record in
            Published(loaded: .init(record: record, campus: record.campus, memberIDs: [], consents: consents[record.id!] ?? []), formation: record.formation)
        }.filter { $0.loaded.isPublic(on: today) }
    }

    /// The cards shown on a campus's or a formation's page: its published testimonies, the newest first, at most
    /// `limit`.
    static func cards(on db: any Database, today: CalendarDay, campusID: UUID? = nil, formationID: UUID? = nil, limit: Int = 6) async throws -> [Card] {
        try await published(on: db, today: today, campusID: campusID, formationID: formationID).prefix(limit).map(card)
    }

    static func card(_ item: Published) -> Card {
        let record = item.loaded.record
        return Card(url: TemoignagesURL.page(item.loaded.id).path, titre: record.titre, prenom: record.prenom, campus: item.loaded.campus.nom,
                    formation: item.formation?.intitule, affiche: record.afficheID.map { _ in TemoignagesURL.poster(item.loaded.id).path },
                    duree: record.duree.map { MediaError.minutes($0) })
    }

    static func context(_ request: Request) async throws -> Context {
        let all = try await published(on: request.db, today: request.today)
        let query = request.queryParameters
        let filiere = query["filiere"], region = query["region"], campus = query["campus"], niveau = query["niveau"], diplome = query["diplome"]
        let kept = all.filter { item in
            let c = item.loaded.campus
            return (filiere.map { $0.isEmpty || c.filiere.rawValue == $0 } ?? true)
                && (region.map { $0.isEmpty || c.regionCode == $0 } ?? true)
                && (campus.map { $0.isEmpty || c.id?.uuidString.lowercased() == $0.lowercased() } ?? true)
                && (niveau.map { $0.isEmpty || item.formation.map { String($0.niveauSortie) } == $0 } ?? true)
                && (diplome.map { $0.isEmpty || item.formation?.typeDiplome == $0 } ?? true)
        }
        func options(_ pairs: [(String, String)], _ selected: String?) -> [Option] {
            Dictionary(pairs, uniquingKeysWith: { first, _ in first }).sorted { $0.value.localizedCompare($1.value) == .orderedAscending }
                .map { Option(value: $0.key, label: $0.value, selected: $0.key == selected) }
        }
        let regions = Dictionary(uniqueKeysWithValues: TerritoryCatalog.shared.regions.map { ($0.code, $0.nom) })
        return Context(
            page: PageMeta(title: "Ma réussite pro : témoignages", description: "Des élèves, apprentis et anciens de la voie professionnelle racontent leur réussite.", section: "temoignages"),
            cards: kept.map(card),
            filieres: options(all.map { ($0.loaded.campus.filiere.rawValue, $0.loaded.campus.filiere.label) }, filiere),
            regions: options(all.map { ($0.loaded.campus.regionCode, regions[$0.loaded.campus.regionCode] ?? $0.loaded.campus.regionCode) }, region),
            campus: options(all.map { ($0.loaded.campus.id!.uuidString.lowercased(), $0.loaded.campus.nom) }, campus?.lowercased()),
            niveaux: options(all.compactMap { $0.formation.map { (String($0.niveauSortie), "Niveau \($0.niveauSortie)") } }, niveau),
            diplomes: options(all.compactMap { $0.formation?.typeDiplome.map { ($0, $0) } }, diplome),
            total: kept.count)
    }

    struct PageContext: Encodable {
        var page: PageMeta
        var titre: String
        var prenom: String
        var texte: String
        var campus: String
        var campusURL: String
        var formation: String?
        var formationURL: String?
        var video: String
        var videoType: String
        var sousTitres: String?
        var affiche: String?
        var transcription: String?
        var demo: Bool
        /// Its entries in the contest and, once the results are published, its medals and public prize.
        var concours: [String]
    }

    static func page(_ request: Request) async throws -> PageContext {
        let id = try request.uuidParameter("temoignageID", notFound: "Aucun témoignage")
        let loaded = try await TemoignageService(db: request.db, caller: request.caller).load(id)
        guard loaded.isPublic(on: request.today) else { throw TemoignageService.notFound(id) }
        let record = loaded.record
        let formation = try await record.$formation.get(on: request.db)
        return PageContext(
            page: PageMeta(title: "\(record.titre) — Ma réussite pro", description: String(record.texte.prefix(200)), section: "temoignages"),
            titre: record.titre, prenom: record.prenom, texte: record.texte, campus: loaded.campus.nom,
            campusURL: RegistryURL.campus(loaded.campus.id).path, formation: formation?.intitule,
            formationURL: formation.map { CatalogueURL.formation($0.id).path },
            video: TemoignagesURL.video(id).path, videoType: record.videoType ?? "video/mp4",
            sousTitres: record.sousTitresID.map { _ in TemoignagesURL.captions(id).path },
            affiche: record.afficheID.map { _ in TemoignagesURL.poster(id).path }, transcription: record.transcription,
            demo: record.soumisParNom == TemoignageService.demoAuthor,
            concours: try await ConcoursPagesController.medals(id, caller: request.caller, on: request.db))
    }
}
