import CMQDomain
import Fluent
import Vapor

/// `/api/v1/campus`: the campuses, their network and its compliance.
struct CampusAPIController {
    @Sendable func list(req: Request) async throws -> PageDTO<CampusDTO> {
        let query = req.queryParameters
        let (filter, pageRequest) = try readListQuery(query, filter: CampusFilter.read)
        let page = try await filter.query(on: req.db, today: req.today).sort(\.$nomCle).paginated(pageRequest)
        return PageDTO(try page.map { try $0.toDTO() })
    }

    @Sendable func get(req: Request) async throws -> CampusDTO {
        let service = CampusService(db: req.db, caller: req.caller)
        let campus = try await service.find(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        return try campus.toDTO(team: try await service.team(of: campus.requireID()))
    }

    @Sendable func create(req: Request) async throws -> Response {
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let input = CampusInput.read(&reader)
        try reader.finish()
        let service = CampusService(db: req.db, caller: req.caller)
        let campus = try await service.create(input)
        let dto = try campus.toDTO(team: try await service.team(of: campus.requireID()))
        return try await dto.created(at: RegistryURL.apiCampus(dto.id).path, for: req)
    }

    @Sendable func update(req: Request) async throws -> CampusDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let service = CampusService(db: req.db, caller: req.caller)
        _ = try await service.find(id)
        var reader = InputReader(object: try req.jsonObject(), mode: .update)
        let input = CampusInput.read(&reader)
        try reader.finish()
        let campus = try await service.update(id, input)
        return try campus.toDTO(team: try await service.team(of: id))
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await CampusService(db: req.db, caller: req.caller).delete(try req.uuidParameter("campusID", notFound: "Aucun campus"))
        return .noContent
    }

    // MARK: network

    @Sendable func members(req: Request) async throws -> [MembershipDTO] {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        _ = try await CampusService(db: req.db, caller: req.caller).find(id)
        return try await NetworkService(db: req.db, caller: req.caller).memberships(of: id).map { try $0.toDTO() }
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        _ = try await CampusService(db: req.db, caller: req.caller).find(id)
        var reader = InputReader(object: try req.jsonObject(), mode: .create)
        let input = MembershipInput.read(&reader)
        try reader.finish()
        guard let input else { throw AppError.validation(reader.errors) }
        let membership = try await NetworkService(db: req.db, caller: req.caller).add(input, to: id)
        let dto = try membership.toDTO()
        return try await dto.created(at: RegistryURL.apiCampusMember(campus: id, membership: dto.id).path, for: req)
    }

    @Sendable func removeMember(req: Request) async throws -> HTTPStatus {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let membershipID = try req.uuidParameter("membreID", notFound: "Aucun membre")
        try await NetworkService(db: req.db, caller: req.caller).remove(membershipID, from: id)
        return .noContent
    }

    @Sendable func compliance(req: Request) async throws -> ComplianceDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        _ = try await CampusService(db: req.db, caller: req.caller).find(id)
        let today = req.today
        return try await NetworkService(db: req.db, caller: req.caller).compliance(of: id, on: today).toDTO(campusID: id, day: today)
    }
}
