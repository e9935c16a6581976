import CMQDomain
import Fluent
import Vapor

/// `/api/v1/organisations`: establishments, companies, labs and other members of campus networks.
struct OrganisationsAPIController {
    @Sendable func list(req: Request) async throws -> PageDTO<OrganisationDTO> {
        let query = req.queryParameters
        let (filter, pageRequest) = try readListQuery(query, filter: OrganisationFilter.read)
        let page = try await filter.apply(to: Organisation.query(on: req.db)).sort(\.$nomCle).paginated(pageRequest)
        return PageDTO(try page.map { try $0.toDTO() })
    }

    @Sendable func get(req: Request) async throws -> OrganisationDTO {
        try await OrganisationService(db: req.db, caller: req.caller).find(try req.uuidParameter("organisationID", notFound: "Aucune organisation")).toDTO()
    }

    @Sendable func create(req: Request) async throws -> Response {
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let input = OrganisationInput.read(&reader)
        try reader.finish()
        let dto = try await OrganisationService(db: req.db, caller: req.caller).create(input).toDTO()
        return try await dto.created(at: RegistryURL.apiOrganisation(dto.id).path, for: req)
    }

    @Sendable func update(req: Request) async throws -> OrganisationDTO {
        let id = try req.uuidParameter("organisationID", notFound: "Aucune organisation")
        let service = OrganisationService(db: req.db, caller: req.caller)
        _ = try await service.find(id)
        var reader = InputReader(object: try req.jsonObject(), mode: .update)
        let input = OrganisationInput.read(&reader)
        try reader.finish()
        return try await service.update(id, input).toDTO()
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await OrganisationService(db: req.db, caller: req.caller).delete(try req.uuidParameter("organisationID", notFound: "Aucune organisation"))
        return .noContent
    }
}
