import CMQDomain
import Fluent
import Vapor

/// The public insertion pages: the definitions, and the campuses ranked by devenir favorable.
struct InsertionPagesController {
    struct RankingContext: Encodable {
        struct Row: Encodable {
            var rank: Int?
            var nom: String
            var url: String
            var filiere: String
            var region: String
            var devenir: FigureCell
            var poursuite: String
            var emploi: String
        }

        var page: PageMeta
        var scope: String
        var millesime: String?
        var rows: [Row]
        var regions: [OptionItem]
        var filieres: [OptionItem]
        var definitionsURL: String
        var apiURL: String
    }

    @Sendable func definitions(req: Request) async throws -> View {
        struct Context: Encodable { var page: PageMeta; var threshold: Int; var rankingURL: String }
        return try await req.view.render("insertion/definitions", Context(
            page: PageMeta(title: "Insertion et poursuite d'études : définitions",
                           description: "Les indicateurs InserJeunes affichés par cmq : taux de poursuite d'études, taux d'emploi, part en emploi, devenir favorable, valeur ajoutée, secret statistique, quadrants.",
                           section: "campus"),
            threshold: StatisticalSecret.threshold, rankingURL: InsertionURL.classement.path))
    }

    @Sendable func ranking(req: Request) async throws -> View {
        var reader = QueryReader(req.queryParameters)
        let region = reader.region()
        let filiere = reader.filiere()
        try reader.finish()
        let ranked = try await InsertionRanking(db: req.db).rank(region: region, filiere: filiere, today: req.today)
        let territory = TerritoryCatalog.shared
        var rank = 0
        let rows = (ranked?.entries ?? []).map { entry -> RankingContext.Row in
            let devenir = FigureCell(entry.totals.devenirFavorable)
            if devenir.published { rank += 1 }
            return RankingContext.Row(rank: devenir.published ? rank : nil, nom: entry.campus.nom, url: RegistryURL.campus(entry.campus.id).path,
                                      filiere: entry.campus.filiere.label, region: territory.region(code: entry.campus.regionCode)?.nom ?? entry.campus.regionCode,
                                      devenir: devenir, poursuite: FigureCell(entry.totals.tauxPoursuite).value,
                                      emploi: FigureCell(entry.totals.tauxEmploi(mois: 6)).value)
        }
        let scope = [region.map { "région \($0.nom)" } ?? "France entière", filiere.map { "filière « \($0.label) »" }].compactMap { $0 }.joined(separator: ", ")
        return try await req.view.render("insertion/classement", RankingContext(
            page: PageMeta(title: "Campus classés par devenir favorable (\(scope))",
                           description: "Les campus des métiers et des qualifications classés par taux de devenir favorable de leurs diplômes (InserJeunes).",
                           section: "campus"),
            scope: scope, millesime: ranked?.millesime.label, rows: rows,
            regions: territory.regions.map { OptionItem(value: $0.code, label: $0.nom, selected: $0 == region) },
            filieres: Filiere.allCases.map { OptionItem(value: $0.slug, label: $0.label, selected: $0 == filiere) },
            definitionsURL: InsertionURL.definitions.path,
            apiURL: InsertionURL.apiClassement.path(query: ["region": region?.code, "filiere": filiere?.slug])))
    }
}
