import CMQDomain
import Fluent
import Foundation

/// The checked fields of a new membership.
struct MembershipInput: Sendable {
    var organisationID: UUID
    var role: MembershipRole
    var depuis: CalendarDay?
    var jusquA: CalendarDay?

    static func read(_ reader: inout InputReader) -> MembershipInput? {
        let organisationID = reader.uuid("organisationId", required: true).value
        let role = reader.choice("role", MembershipRole.self, required: true).value
        let depuis = reader.day("depuis").value
        let jusquA = reader.day("jusquA").value
        if let depuis, let jusquA, jusquA < depuis {
            reader.fail("jusquA", "La date de fin (\(jusquA.iso)) précède la date d'entrée dans le réseau (\(depuis.iso)).")
        }
        guard let organisationID, let role else { return nil }
        return MembershipInput(organisationID: organisationID, role: role, depuis: depuis, jusquA: jusquA)
    }
}

/// The network of a campus: its memberships and their compliance with the cahier des charges.
struct NetworkService {
    let db: any Database
    let caller: Caller

    private var audit: AuditLog { caller.audit }

    func memberships(of campusID: UUID) async throws -> [Membership] {
        try await Membership.query(on: db)
            .filter(\.$campus.$id == campusID)
            .with(\.$organisation)
            .all()
            .sorted { lhs, rhs in
                let order: [MembershipRole: Int] = [.etablissementSupport: 0, .membre: 1, .partenaire: 2]
                return (order[lhs.role] ?? 3, lhs.organisation.nomCle) < (order[rhs.role] ?? 3, rhs.organisation.nomCle)
            }
    }

    func add(_ input: MembershipInput, to campusID: UUID) async throws -> Membership {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .network(campusID: campusID, regionCode: campus.regionCode))
        guard let organisation = try await Organisation.find(input.organisationID, on: db) else {
            throw AppError.validation([FieldError("organisationId", "Aucune organisation n'a l'identifiant \(input.organisationID.uuidString.lowercased()).")])
        }
        if try await Membership.query(on: db).filter(\.$campus.$id == campusID).filter(\.$organisation.$id == input.organisationID).first() != nil {
            throw AppError.conflict("L'organisation « \(organisation.nom) » fait déjà partie du réseau du campus « \(campus.nom) ».")
        }
        let membership = Membership(campusID: campusID, organisationID: input.organisationID, role: input.role,
                                    depuis: input.depuis?.iso, jusquA: input.jusquA?.iso)
        membership.$organisation.value = organisation
        do {
            try await db.writeTransaction { db in
                try await membership.create(on: db)
                try await audit.record(.create, membership, id: membership.requireID(), on: db)
            }
        } catch where error.isConstraintFailure {
            throw AppError.conflict("L'organisation « \(organisation.nom) » fait déjà partie du réseau du campus « \(campus.nom) ».")
        }
        return membership
    }

    func remove(_ membershipID: UUID, from campusID: UUID) async throws {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        try caller.authorize(.update, .network(campusID: campusID, regionCode: campus.regionCode))
        guard let membership = try await Membership.query(on: db).filter(\.$id == membershipID).filter(\.$campus.$id == campusID)
            .with(\.$organisation).first() else {
            throw AppError.notFound("Le campus n'a pas de membre d'identifiant \(membershipID.uuidString.lowercased()).")
        }
        try await db.writeTransaction { db in
            try await audit.record(.delete, membership, id: membershipID, on: db)
            try await membership.delete(on: db)
        }
    }

    /// The compliance of the network and of the offer (levels 3 to 6) of a campus.
    func compliance(of campusID: UUID, on day: CalendarDay) async throws -> NetworkCompliance {
        let campus = try await CampusService(db: db, caller: caller).find(campusID)
        let members = try await memberships(of: campusID).compactMap { $0.networkMember }
        return NetworkCompliance(members: members, coverage: try await CampusOffer(db: db).coverage(of: campus, on: day), on: day)
    }
}

extension Membership {
    /// The membership as the compliance rules see it (the organisation must be loaded).
    var networkMember: NetworkMember? {
        guard let organisation = $organisation.value, case let kind = organisation.kind,
              case let role = role else { return nil }
        return NetworkMember(name: organisation.nom, kind: kind, isPublic: organisation.isPublic, role: role,
                             since: depuis.flatMap(CalendarDay.init(iso:)), until: jusquA.flatMap(CalendarDay.init(iso:)))
    }
}
