import CMQDomain
import Fluent
import Vapor

/// `/api/v1/formations`, and the offer and coverage of a campus.
struct FormationsAPIController {
    /// Filters of the formation list (the full-text search with facets comes with the catalogue search).
    struct Filter {
        var organisation: UUID?
        var niveau: Int?
        var statut: LearnerStatus?
        var type: DiplomaType?
        var q: String?

        static func read(from query: [String: String]) throws(AppError) -> Filter {
            var filter = Filter()
            var errors: [FieldError] = []
            if let raw = query["organisation"], !raw.isEmpty {
                if let id = UUID(uuidString: raw) { filter.organisation = id } else { errors.append(FieldError("organisation", "« \(raw) » n'est pas un identifiant d'organisation.")) }
            }
            if let raw = query["niveau"], !raw.isEmpty {
                if let number = Int(raw), Level(number: number) != nil { filter.niveau = number } else { errors.append(FieldError("niveau", "Le niveau doit être un entier de 3 à 8.")) }
            }
            if let raw = query["statut"], !raw.isEmpty {
                if let status = LearnerStatus(rawValue: raw) { filter.statut = status } else {
                    errors.append(FieldError("statut", "Le statut « \(raw) » n'est pas reconnu ; valeurs possibles : \(LearnerStatus.allCases.map(\.rawValue).joined(separator: ", "))."))
                }
            }
            if let raw = query["typeDiplome"], !raw.isEmpty {
                if let type = DiplomaType(rawValue: raw) { filter.type = type } else {
                    errors.append(FieldError("typeDiplome", "Le type de diplôme « \(raw) » n'est pas reconnu."))
                }
            }
            if let raw = query["q"], !FormationSearch.terms(raw).isEmpty { filter.q = raw }
            if !errors.isEmpty { throw .validation(errors) }
            return filter
        }
    }

    @Sendable func list(req: Request) async throws -> PageDTO<FormationDTO> {
        let (filter, pageRequest) = try readListQuery(req.queryParameters, filter: Filter.read)
        let query = Formation.query(on: req.db).with(\.$organisation).with(\.$statuts).with(\.$romes)
        if let organisation = filter.organisation { query.filter(\.$organisation.$id == organisation) }
        if let niveau = filter.niveau { query.filter(\.$niveauSortie == niveau) }
        if let type = filter.type { query.filter(\.$typeDiplome == type.rawValue) }
        if let statut = filter.statut {
            query.join(FormationStatut.self, on: \Formation.$id == \FormationStatut.$formation.$id).filter(FormationStatut.self, \.$statut == statut.rawValue)
        }
        guard let q = filter.q else {
            let page = try await query.sort(\.$niveauSortie).sort(\.$intituleCle).paginated(pageRequest)
            return PageDTO(try page.map { try $0.toDTO() })
        }
        // Full-text search: the ranked matches, narrowed by the other filters, in the ranking's order.
        let ranked = try await FormationSearch(db: req.db).matchingIDs(q)
        guard !ranked.isEmpty else { return PageDTO(Page(items: [], page: pageRequest.page, per: pageRequest.per, total: 0)) }
        let position = Dictionary(ranked.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let found = try await query.filter(\.$id ~~ ranked).all().sorted { position[$0.id!]! < position[$1.id!]! }
        let slice = found.dropFirst(pageRequest.offset).prefix(pageRequest.per)
        return PageDTO(Page(items: try slice.map { try $0.toDTO() }, page: pageRequest.page, per: pageRequest.per, total: found.count))
    }

    @Sendable func get(req: Request) async throws -> FormationDTO {
        try await FormationService(db: req.db, caller: req.caller).find(try req.uuidParameter("formationID", notFound: "Aucune formation")).toDTO()
    }

    @Sendable func create(req: Request) async throws -> Response {
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let input = FormationInput.read(&reader)
        try reader.finish()
        let dto = try await FormationService(db: req.db, caller: req.caller).create(input).toDTO()
        return try await dto.created(at: "/api/v1/formations/\(dto.id.uuidString.lowercased())", for: req)
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
        return try await CampusOffer(db: req.db).formations(of: campus).map { try $0.toDTO() }
    }

    @Sendable func coverage(req: Request) async throws -> CoverageDTO {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        let formations = try await CampusOffer(db: req.db).formations(of: campus)
        return CoverageMatrix(offers: formations.compactMap(\.coverageOffer)).toDTO(campusID: try campus.requireID(), formations: formations.count)
    }

    @Sendable func attach(req: Request) async throws -> HTTPStatus {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let formationID = reader.uuid("formationId", required: true).newValue ?? nil
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
