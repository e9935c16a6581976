import Foundation

/// Who may book a platform besides the members of its campus.
public enum AccessScope: String, CaseIterable, Codable, Sendable, Hashable {
    /// The organisations of the campus's network: always allowed.
    case campusMembers = "membres-campus"
    /// The members of any other campus.
    case allCampuses = "autres-campus"
    /// Companies (organisations of kind `entreprise`), members of a campus or not.
    case companies = "entreprises"

    public var label: String {
        switch self {
        case .campusMembers: "Membres du campus"
        case .allCampuses: "Membres des autres campus"
        case .companies: "Entreprises"
        }
    }
}

/// The booking rules of a platform, set by its owner.
public struct PlateauRules: Hashable, Sendable {
    /// Whether the owner accepts each booking (it is then `demandee` until accepted), or bookings are accepted at once.
    public let approvalRequired: Bool
    /// How long before its start a booking must be made, in hours (0: until the start).
    public let minimumNoticeHours: Int
    /// The longest booking, in minutes; nil for no limit but the opening hours.
    public let maximumDurationMinutes: Int?
    /// Who may book; always contains `.campusMembers`.
    public let openTo: Set<AccessScope>

    /// By default: approval required, no notice, no maximum, members of the campus only.
    public init(approvalRequired: Bool = true, minimumNoticeHours: Int = 0, maximumDurationMinutes: Int? = nil,
                openTo: Set<AccessScope> = [.campusMembers]) throws(PlateauError) {
        guard minimumNoticeHours >= 0 else { throw .negativeNotice(minimumNoticeHours) }
        if let maximumDurationMinutes, maximumDurationMinutes <= 0 { throw .nonPositiveMaximumDuration(maximumDurationMinutes) }
        self.approvalRequired = approvalRequired
        self.minimumNoticeHours = minimumNoticeHours
        self.maximumDurationMinutes = maximumDurationMinutes
        self.openTo = openTo.union([.campusMembers])
    }

    /// The rules by default.
    public init() {
        approvalRequired = true
        minimumNoticeHours = 0
        maximumDurationMinutes = nil
        openTo = [.campusMembers]
    }

    /// The status of a new booking: accepted at once when the platform does not require approval.
    public var initialStatus: BookingStatus {
        approvalRequired ? .demandee : .acceptee
    }

    /// Whether `booker` may book a platform of campus `campusID`: a member of that campus always; a member
    /// of another campus when the platform is open to all campuses; a company when it is open to companies.
    public func allows(_ booker: Booker, onCampus campusID: UUID) -> Bool {
        booker.campusIDs.contains(campusID)
            || (openTo.contains(.allCampuses) && !booker.campusIDs.isEmpty)
            || (openTo.contains(.companies) && booker.kind == .entreprise)
    }
}

extension PlateauRules: Codable {
    private enum CodingKeys: String, CodingKey {
        case validation, preavisHeures, dureeMaximaleMinutes, ouvertA
    }

    /// `{"validation": true, "preavisHeures": 48, "dureeMaximaleMinutes": 480, "ouvertA": ["membres-campus", "entreprises"]}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(approvalRequired: container.decodeIfPresent(Bool.self, forKey: .validation) ?? true,
                          minimumNoticeHours: container.decodeIfPresent(Int.self, forKey: .preavisHeures) ?? 0,
                          maximumDurationMinutes: container.decodeIfPresent(Int.self, forKey: .dureeMaximaleMinutes),
                          openTo: Set(container.decodeIfPresent([AccessScope].self, forKey: .ouvertA) ?? [.campusMembers]))
        } catch let error as PlateauError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(approvalRequired, forKey: .validation)
        try container.encode(minimumNoticeHours, forKey: .preavisHeures)
        try container.encodeIfPresent(maximumDurationMinutes, forKey: .dureeMaximaleMinutes)
        try container.encode(AccessScope.allCases.filter(openTo.contains), forKey: .ouvertA)
    }
}

/// Who asks for a booking: an organisation, with what the access rules need to know, and the person acting for it.
public struct Booker: Hashable, Sendable {
    public var organisationID: UUID
    public var kind: OrganisationKind
    /// The campuses whose networks the organisation belongs to.
    public var campusIDs: Set<UUID>
    /// The person (account) who makes the booking.
    public var personID: UUID

    public init(organisationID: UUID, kind: OrganisationKind, campusIDs: Set<UUID>, personID: UUID) {
        self.organisationID = organisationID
        self.kind = kind
        self.campusIDs = campusIDs
        self.personID = personID
    }
}
