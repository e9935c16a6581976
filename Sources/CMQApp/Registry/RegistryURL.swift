import Foundation

/// The registry's addresses: public pages, back-office forms, API. `nil` parameters: the route's keys.
enum RegistryURL: RouteURL, Equatable {
    // Public pages
    case home
    case campusList
    case campus(UUID?)
    case organisation(UUID?)
    case region(String?)
    // Back-office
    case gestion
    case campusNew
    case campusEdit(UUID?)
    case campusDelete(UUID?)
    case network(UUID?)
    case membershipRemoval(campus: UUID?, membership: UUID?)
    case organisationNew
    case organisationEdit(UUID?)
    case organisationDelete(UUID?)
    // API
    case apiCampusList
    case apiCampus(UUID?)
    case apiCampusMembers(UUID?)
    case apiCampusMember(campus: UUID?, membership: UUID?)
    case apiCampusCompliance(UUID?)
    case apiOrganisations
    case apiOrganisation(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .home: []
        case .campusList: ["campus"]
        case .campus(let id): ["campus", .id("campusID", id)]
        case .organisation(let id): ["organisations", .id("organisationID", id)]
        case .region(let slug): ["regions", .parameter("region", slug)]
        case .gestion: ["gestion"]
        case .campusNew: ["gestion", "campus", "nouveau"]
        case .campusEdit(let id): ["gestion", "campus", .id("campusID", id), "modifier"]
        case .campusDelete(let id): ["gestion", "campus", .id("campusID", id), "supprimer"]
        case .network(let id): ["gestion", "campus", .id("campusID", id), "membres"]
        case .membershipRemoval(let campus, let membership):
            ["gestion", "campus", .id("campusID", campus), "membres", .id("membreID", membership), "retirer"]
        case .organisationNew: ["gestion", "organisations", "nouvelle"]
        case .organisationEdit(let id): ["gestion", "organisations", .id("organisationID", id), "modifier"]
        case .organisationDelete(let id): ["gestion", "organisations", .id("organisationID", id), "supprimer"]
        case .apiCampusList: ["api", "v1", "campus"]
        case .apiCampus(let id): ["api", "v1", "campus", .id("campusID", id)]
        case .apiCampusMembers(let id): ["api", "v1", "campus", .id("campusID", id), "membres"]
        case .apiCampusMember(let campus, let membership): ["api", "v1", "campus", .id("campusID", campus), "membres", .id("membreID", membership)]
        case .apiCampusCompliance(let id): ["api", "v1", "campus", .id("campusID", id), "conformite"]
        case .apiOrganisations: ["api", "v1", "organisations"]
        case .apiOrganisation(let id): ["api", "v1", "organisations", .id("organisationID", id)]
        }
    }

    /// The campus list, filtered.
    static func campusList(academie: String? = nil, region: String? = nil, filiere: String? = nil) -> String {
        RegistryURL.campusList.path(query: ["academie": academie, "region": region, "filiere": filiere])
    }

    /// A région's page, for one filière or all.
    static func region(_ slug: String, filiere: String?) -> String {
        RegistryURL.region(slug).path(query: ["filiere": filiere])
    }
}
