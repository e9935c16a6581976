import CMQDomain
import Fluent
import Vapor

/// `/api/v1/formations`, and the offer and coverage of a campus.
struct FormationsAPIController {
    /// Reads the search's criteria from the query string; every wrong value is listed in one 422.
    static func criteria(from query: [String: String]) throws(AppError) -> CatalogueSearch.Criteria {
        var criteria = CatalogueSearch.Criteria()
        var errors: [FieldError] = []
        let territory = TerritoryCatalog.shared
        func value(_ key: String) -> String? { query[key].flatMap { $0.isEmpty ? nil : $0 } }
        if let raw = value("q"), !FormationSearch.terms(raw).isEmpty { criteria.q = raw }
        if let raw = value("organisation") {
            if let id = UUID(uuidString: raw) { criteria.organisation = id } else { errors.append(FieldError("organisation", "« \(raw) » n'est pas un identifiant d'organisation.")) }
        }
        if let raw = value("campus") {
            if let id = UUID(uuidString: raw) { criteria.campus = id } else { errors.append(FieldError("campus", "« \(raw) » n'est pas un identifiant de campus.")) }
        }
        if let raw = value("niveau") {
            if let number = Int(raw), Level(number: number) != nil { criteria.niveau = number } else { errors.append(FieldError("niveau", "Le niveau doit être un entier de 3 à 8.")) }
        }
        if let raw = value("statut") {
            if let status = LearnerStatus(rawValue: raw) { criteria.statut = status } else {
                errors.append(FieldError("statut", "Le statut « \(raw) » n'est pas reconnu ; valeurs possibles : \(LearnerStatus.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
        }
        if let raw = value("typeDiplome") {
            if let type = DiplomaType(rawValue: raw) { criteria.typeDiplome = type } else { errors.append(FieldError("typeDiplome", "Le type de diplôme « \(raw) » n'est pas reconnu.")) }
        }
        if let raw = value("filiere") {
            if let filiere = Filiere(slug: raw) { criteria.filiere = filiere } else { errors.append(FieldError("filiere", "La filière « \(raw) » n'existe pas.")) }
        }
        if let raw = value("region") {
            if let region = territory.region(matching: raw) { criteria.region = region } else { errors.append(FieldError("region", "La région académique « \(raw) » n'existe pas.")) }
        }
        if let raw = value("academie") {
            if let academie = territory.academie(matching: raw) { criteria.academie = academie } else { errors.append(FieldError("academie", "L'académie « \(raw) » n'existe pas.")) }
        }
        if let raw = value("departement") {
            if let departement = territory.departement(code: raw) { criteria.departement = departement } else { errors.append(FieldError("departement", "Le département « \(raw) » n'existe pas.")) }
        }
        if !errors.isEmpty { throw .validation(errors) }
        return criteria
    }

    @Sendable func list(req: Request) async throws -> FormationSearchDTO {
        let (criteria, pageRequest) = try readListQuery(req.queryParameters, filter: Self.criteria)
        let result = try await CatalogueSearch(db: req.db, cache: req.application.searchCache, index: req.application.catalogueIndex).run(criteria, page: pageRequest)
        let byID = try await FormationReader(db: req.db).read(result.ids)
        return FormationSearchDTO(
            items: result.ids.compactMap { byID[$0]?.dto },
            page: pageRequest.page, per: pageRequest.per, total: result.total,
            facettes: try await FacetsDTO(result, on: req.db))
    }

    @Sendable func get(req: Request) async throws -> FormationDTO {
        try await FormationReader(db: req.db).one(try req.uuidParameter("formationID", notFound: "Aucune formation"))
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
