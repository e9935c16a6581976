import CMQDomain
import Vapor

/// The page and the API of the search of everything.
struct EverythingSearchController {
    @Sendable func page(req: Request) async throws -> View {
        let query = try EverythingSearch.Query.read(req.queryParameters)
        let context = try await EverythingPage.load(query, search: search(req))
        return try await req.view.render("recherche", context)
    }

    @Sendable func api(req: Request) async throws -> EverythingSearchDTO {
        EverythingSearchDTO(try await search(req).run(try EverythingSearch.Query.read(req.queryParameters)))
    }

    private func search(_ req: Request) -> EverythingSearch {
        EverythingSearch(db: req.db, cache: req.application.searchCache, index: req.application.catalogueIndex, today: req.today,
                         sqliteReads: req.application.sqliteFormationReads)
    }
}
