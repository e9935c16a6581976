import CMQDomain
import Fluent
import Vapor

/// `/api/v1/formations`, and the offer and coverage of a campus.
struct FormationsAPIController {
    /// Reads the search's criteria from the query string; every wrong value is listed in one 422.
    static func criteria(from query: [String: String]) throws(AppError) -> CatalogueSearch.Criteria {
        var reader = QueryReader(query)
        var criteria = CatalogueSearch.Criteria()
        if let q = reader.text("q") {
            if q.codePointCount > FormationSearch.maxQueryLength {
                reader.fail("q", "La recherche ne peut pas dépasser \(FormationSearch.maxQueryLength) caractères (\(SearchTerm.maxWords) mots au plus sont cherchés).")
            } else if !FormationSearch.terms(q).isEmpty {
                criteria.q = q
            }
        }
        criteria.organisation = reader.uuid("organisation", of: "d'organisation")
        criteria.campus = reader.uuid("campus", of: "de campus")
        criteria.niveau = reader.level()
        criteria.statut = reader.choice("statut", LearnerStatus.self, "Le statut")
        criteria.typeDiplome = reader.choice("typeDiplome", DiplomaType.self, "Le type de diplôme")
        criteria.filiere = reader.filiere()
        criteria.region = reader.region()
        criteria.academie = reader.academie()
        criteria.departement = reader.departement()
        criteria.near = reader.nearby()
        try reader.finish()
        return criteria
    }

    /// A page of the search, written as JSON by hand (`CatalogueJSON`).
    @Sendable func list(req: Request) async throws -> Response {
        try await search(req).json.response()
    }

    func search(_ req: Request) async throws -> FormationSearchDTO {
        let (criteria, pageRequest) = try readListQuery(req.queryParameters, filter: Self.criteria)
        let result = try await CatalogueSearch(db: req.db, cache: req.application.searchCache, index: req.application.catalogueIndex).run(criteria, page: pageRequest)
        let byID = try await FormationReader(req).read(result.ids)
        return FormationSearchDTO(
            items: result.ids.compactMap { id in
                byID[id].map { item in
                    var dto = item.dto
                    dto.distanceKm = item.distance(from: criteria.near).map { ($0 * 10).rounded() / 10 }
                    return dto
                }
            },
            page: pageRequest.page, per: pageRequest.per, total: result.total,
            facettes: try await FacetsDTO(result, on: req.db),
            suggestion: result.suggestion, pres: criteria.near.map(NearbyPlaceDTO.init))
    }

    /// On a SQLite file, read on the request's event loop (`SQLiteFormationReads`): no task, no thread hop.
    @Sendable func get(req: Request) throws -> EventLoopFuture<Response> {
        let id = try req.uuidParameter("formationID", notFound: "Aucune formation")
        if let rows = req.application.sqliteFormationReads?.rows([id]) {
            guard let row = rows.first else { throw FormationReader.notFound(id) }
            return req.eventLoop.makeSucceededFuture(row.item.dto.json.response())
        }
        return req.eventLoop.makeFutureWithTask { try await FormationReader(req).one(id).json.response() }
    }

    @Sendable func create(req: Request) async throws -> Response {
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let input = FormationInput.read(&reader)
        try reader.finish()
        let dto = try await FormationService(db: req.db, caller: req.caller).create(input).toDTO()
        return try await dto.created(at: CatalogueURL.apiFormation(dto.id).path, for: req)
    }

    @Sendable func update(req: Request) async throws -> FormationDTO {
        let id = try req.uuidParameter("formationID", notFound: "Aucune formation")
        let service = FormationService(db: req.db, caller: req.caller)
        _ = try await service.find(id)
        var reader = InputReader(object: try req.jsonObject(), mode: .update)
        let input = FormationInput.read(&reader)
        try reader.finish()
        return try await service.update(id, input).toDTO()
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await FormationService(db: req.db, caller: req.caller).delete(try req.uuidParameter("formationID", notFound: "Aucune formation"))
        return .noContent
    }

    // MARK: a campus's offer

    @Sendable func offer(req: Request) async throws -> [FormationDTO] {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        return try await CampusOffer(db: req.db).formations(of: campus, on: req.today).map { try $0.toDTO() }
    }

    @Sendable func coverage(req: Request) async throws -> CoverageDTO {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        let formations = try await CampusOffer(db: req.db).formations(of: campus, on: req.today)
        return CoverageMatrix(offers: formations.compactMap(\.coverageOffer)).toDTO(campusID: try campus.requireID(), formations: formations.count)
    }

    @Sendable func attach(req: Request) async throws -> HTTPStatus {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let formationID = reader.uuid("formationId", required: true).value
        try reader.finish()
        guard let formationID else { throw AppError.validation(reader.errors) }
        try await CampusOffer(db: req.db).attach(formationID, to: campus, caller: req.caller)
        return .created
    }

    @Sendable func detach(req: Request) async throws -> HTTPStatus {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        try await CampusOffer(db: req.db).detach(try req.uuidParameter("formationID", notFound: "Aucune formation"), from: campus, caller: req.caller)
        return .noContent
    }
}
