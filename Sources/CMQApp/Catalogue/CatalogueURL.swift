import Foundation

/// The catalogue's addresses: the search and formation pages, the API and its exports. `nil`: the route's keys.
enum CatalogueURL: RouteURL, Equatable {
    case search
    case formation(UUID?)
    case apiFormations
    /// An export of a search: `csv`, `json`, `lheo.xml`.
    case apiExport(extension: String)
    case apiFormation(UUID?)
    case apiCampusOffer(UUID?)
    case apiCampusFormations(UUID?)
    case apiCampusFormation(campus: UUID?, formation: UUID?)
    case apiCampusCoverage(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .search: ["formations"]
        case .formation(let id): ["formations", .id("formationID", id)]
        case .apiFormations: ["api", "v1", "formations"]
        case .apiExport(let fileExtension): ["api", "v1", .constant("formations.\(fileExtension)")]
        case .apiFormation(let id): ["api", "v1", "formations", .id("formationID", id)]
        case .apiCampusOffer(let id): ["api", "v1", "campus", .id("campusID", id), "offre"]
        case .apiCampusFormations(let id): ["api", "v1", "campus", .id("campusID", id), "formations"]
        case .apiCampusFormation(let campus, let formation): ["api", "v1", "campus", .id("campusID", campus), "formations", .id("formationID", formation)]
        case .apiCampusCoverage(let id): ["api", "v1", "campus", .id("campusID", id), "couverture"]
        }
    }
}
