import CMQDomain
import Fluent
import Foundation
import Vapor

/// The contest's public pages: the editions, an edition (its calendar, categories, entries and the public vote) and
/// its results once their date has come.
struct ConcoursPagesController {
    struct Step: Encodable {
        var label: String
        var date: String
    }

    struct EditionCard: Encodable {
        var nom: String
        var url: String
        var phase: String
        var resultsURL: String?
    }

    struct ListContext: Encodable {
        var page: PageMeta
        var editions: [EditionCard]
    }

    static func phaseLabel(_ phase: ContestCalendar.Phase) -> String {
        switch phase {
        case .avantDepots: "Dépôts à venir"
        case .depots: "Dépôts ouverts"
        case .juryAcademique: "Jurys académiques en cours"
        case .juryNational: "Jury national en cours"
        case .deliberation: "Délibération"
        case .resultats: "Résultats publiés"
        }
    }

    @Sendable func list(req: Request) async throws -> View {
        let service = ConcoursService(db: req.db, caller: req.caller)
        let now = req.caller.clock.now()
        let cards = try await service.editions().map { edition in
            let phase = try edition.calendar.phase(at: now)
            return EditionCard(nom: edition.nom, url: ConcoursURL.edition(edition.id).path, phase: Self.phaseLabel(phase),
                               resultsURL: phase == .resultats ? ConcoursURL.results(edition.id).path : nil)
        }
        return try await req.view.render("concours/liste", ListContext(
            page: PageMeta(title: "Concours « Ma réussite pro »", description: "Le concours des témoignages de la voie professionnelle : catégories, jurys, prix du public.",
                           section: "temoignages"),
            editions: cards))
    }

    struct EntryItem: Encodable {
        var titre: String
        var prenom: String
        var campus: String
        var url: String
        var voteAction: String
        var votedFor: Bool
        var medal: String?
    }

    struct CategoryBlock: Encodable {
        var nom: String
        var anchor: String
        var entries: [EntryItem]
        var voted: Bool
    }

    struct EditionContext: Encodable {
        var page: PageMeta
        var nom: String
        var phase: String
        var steps: [Step]
        var grille: [String]
        var categories: [CategoryBlock]
        var voteOpen: Bool
        var signedIn: Bool
        var loginURL: String
        var resultsURL: String?
        var demo: Bool
        var notice: String?
        var manageURL: String?
    }

    static func steps(_ calendar: ContestCalendar) -> [Step] {
        let day = ConcoursEditionInput.day
        return [
            Step(label: "Dépôts des candidatures", date: "du \(day(calendar.submissionsOpen).frenchLong) au \(day(calendar.submissionsClose).frenchLong)"),
            Step(label: "Jurys académiques", date: "jusqu'au \(day(calendar.academieJuryClose).frenchLong)"),
            Step(label: "Jury national", date: "jusqu'au \(day(calendar.nationalJuryClose).frenchLong)"),
            Step(label: "Vote du public", date: "du \(day(calendar.voteOpen).frenchLong) au \(day(calendar.voteClose).frenchLong)"),
            Step(label: "Résultats", date: "le \(day(calendar.results).frenchLong)"),
        ]
    }

    @Sendable func edition(req: Request) async throws -> View {
        try await req.view.render("concours/edition", try await Self.editionContext(req, try ConcoursAPIController.editionID(req)))
    }

    static func editionContext(_ req: Request, _ id: UUID) async throws -> EditionContext {
        let caller = req.caller
        let service = ConcoursService(db: req.db, caller: caller)
        let edition = try await service.edition(id)
        let editionID = try edition.requireID()
        let calendar = try edition.calendar
        let now = caller.clock.now()
        let entries = try await service.entries(editionID).filter { ConcoursService.isEntered($0, on: caller.today) }
        let voted = try await service.votedCategories(editionID)
        let mine: Set<UUID>
        if let userID = caller.actor?.userID {
            mine = Set(try await ConcoursVoteRecord.query(on: req.db).filter(\.$utilisateur.$id == userID).all().map(\.$candidature.id))
        } else {
            mine = []
        }
        var blocks: [CategoryBlock] = []
        for categorie in try await service.categories(editionID) {
            let items = entries.filter { $0.categorie.id == categorie.id }.map { entry in
                EntryItem(titre: entry.temoignage.record.titre, prenom: entry.temoignage.record.prenom, campus: entry.temoignage.campus.nom,
                          url: TemoignagesURL.page(entry.temoignage.id).path, voteAction: ConcoursURL.vote(entry.candidature.id).path,
                          votedFor: entry.candidature.id.map(mine.contains) ?? false, medal: nil)
            }
            blocks.append(CategoryBlock(nom: categorie.nom, anchor: "categorie-\(categorie.code)", entries: items, voted: categorie.id.map(voted.contains) ?? false))
        }
        let notice: String? = switch req.query[String.self, at: "fait"] {
        case "vote"?: "Votre vote est enregistré. Merci !"
        default: nil
        }
        return EditionContext(
            page: PageMeta(title: "\(edition.nom) — concours « Ma réussite pro »", section: "temoignages"),
            nom: edition.nom, phase: phaseLabel(calendar.phase(at: now)), steps: steps(calendar),
            grille: try edition.grid.criteria.map { "\($0.label) (coefficient \($0.weight), noté sur \($0.maximum))" },
            categories: blocks, voteOpen: calendar.voteIsOpen(at: now), signedIn: caller.actor != nil,
            loginURL: "/connexion?retour=" + (ConcoursURL.edition(editionID).path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
            resultsURL: calendar.phase(at: now) == .resultats ? ConcoursURL.results(editionID).path : nil,
            demo: entries.contains { $0.temoignage.record.soumisParNom == TemoignageService.demoAuthor },
            notice: notice,
            manageURL: caller.may(.update, .concours) ? ConcoursURL.manage(editionID).path : nil)
    }

    /// The vote form: one vote per account and category; a refusal shows the edition again with its reason.
    @Sendable func vote(req: Request) async throws -> Response {
        let id = try ConcoursAPIController.candidatureID(req)
        let service = ConcoursService(db: req.db, caller: req.caller)
        let entry = try await service.entry(id)
        let editionID = try entry.edition.requireID()
        do {
            try await service.vote(id)
        } catch AppError.conflict(let detail) {
            var context = try await Self.editionContext(req, editionID)
            context.notice = detail
            return try await req.view.render("concours/edition", context).encodeResponse(status: .conflict, for: req)
        }
        return req.redirect(to: ConcoursURL.edition(editionID).path(query: ["fait": "vote"]) + "#categorie-\(entry.categorie.code)", redirectType: .normal)
    }

    struct ResultLine: Encodable {
        var rang: Int
        var medal: String?
        var titre: String
        var prenom: String
        var campus: String
        var url: String
        var moyenne: String
    }

    struct ResultBlock: Encodable {
        var nom: String
        var anchor: String
        var lines: [ResultLine]
        var prixDuPublic: [ResultLine]
        var academies: [ResultLine]
        var votes: Int
    }

    struct ResultsContext: Encodable {
        var page: PageMeta
        var nom: String
        var editionURL: String
        var date: String
        var categories: [ResultBlock]
        var demo: Bool
        var preview: Bool
    }

    @Sendable func results(req: Request) async throws -> View {
        let caller = req.caller
        let service = ConcoursService(db: req.db, caller: caller)
        let edition = try await service.edition(try ConcoursAPIController.editionID(req))
        let editionID = try edition.requireID()
        let published = service.resultsArePublished(edition)
        guard published || caller.may(.read, .concoursResultats(isPublished: false)) else {
            throw AppError.notFound("Les résultats de « \(edition.nom) » ne sont pas encore publiés.")
        }
        let entries = Dictionary(uniqueKeysWithValues: try await service.entries(editionID).compactMap { entry in entry.candidature.id.map { ($0, entry) } })
        func line(_ id: UUID, rank: Int, medal: Medal?, mean: Double?) -> ResultLine? {
            guard let entry = entries[id] else { return nil }
            return ResultLine(rang: rank, medal: medal?.label, titre: entry.temoignage.record.titre, prenom: entry.temoignage.record.prenom,
                              campus: entry.temoignage.campus.nom, url: TemoignagesURL.page(entry.temoignage.id).path,
                              moyenne: mean.map { String(format: "%.2f", $0).replacingOccurrences(of: ".", with: ",") } ?? "")
        }
        var blocks: [ResultBlock] = []
        for categorie in try await service.categories(editionID) {
            let results = try await service.results(try categorie.requireID())
            blocks.append(ResultBlock(
                nom: categorie.nom, anchor: "resultats-\(categorie.code)",
                lines: results.ranking.compactMap { line($0.entry, rank: $0.rank, medal: $0.medal, mean: $0.mean) },
                prixDuPublic: results.publicPrize.compactMap { line($0, rank: 1, medal: nil, mean: nil) },
                academies: results.qualified.sorted { $0.uuidString < $1.uuidString }.compactMap { line($0, rank: 0, medal: nil, mean: nil) },
                votes: results.votes.values.reduce(0, +)))
        }
        return try await req.view.render("concours/resultats", ResultsContext(
            page: PageMeta(title: "Résultats — \(edition.nom)", section: "temoignages"),
            nom: edition.nom, editionURL: ConcoursURL.edition(editionID).path, date: ConcoursEditionInput.day(edition.resultats).frenchLong,
            categories: blocks, demo: entries.values.contains { $0.temoignage.record.soumisParNom == TemoignageService.demoAuthor },
            preview: !published))
    }

    /// The medal of a testimony's entries whose results are published, for its page (« Médaille d'or — … »).
    static func medals(_ temoignageID: UUID, caller: Caller, on db: any Database) async throws -> [String] {
        let candidatures = try await ConcoursCandidatureRecord.query(on: db).filter(\.$temoignage.$id == temoignageID).with(\.$categorie) { $0.with(\.$edition) }.all()
        var lines: [String] = []
        let service = ConcoursService(db: db, caller: caller)
        for candidature in candidatures {
            let edition = candidature.categorie.edition
            guard let id = candidature.id else { continue }
            guard service.resultsArePublished(edition), let results = try? await service.results(try candidature.categorie.requireID()) else {
                lines.append("Candidat au concours « \(edition.nom) », catégorie \(candidature.categorie.nom)")
                continue
            }
            if let medal = results.ranking.first(where: { $0.entry == id })?.medal {
                lines.append("Médaille \(medal == .or ? "d'or" : medal == .argent ? "d'argent" : "de bronze") — « \(edition.nom) », catégorie \(candidature.categorie.nom)")
            }
            if results.publicPrize.contains(id) { lines.append("Prix du public — « \(edition.nom) », catégorie \(candidature.categorie.nom)") }
            if results.ranking.first(where: { $0.entry == id })?.medal == nil, !results.publicPrize.contains(id) {
                lines.append("A concouru à « \(edition.nom) », catégorie \(candidature.categorie.nom)")
            }
        }
        return lines
    }
}
