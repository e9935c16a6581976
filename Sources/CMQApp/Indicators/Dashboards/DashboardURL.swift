import Foundation

/// The addresses of the dashboards. `nil`: the route's keys. Each dashboard's tables download as
/// `…/donnees/{table}.csv` with `…/donnees/{table}.schema.json`, under the same query string.
enum DashboardURL: RouteURL, Equatable {
    case national
    case nationalFile(String?)
    /// A région académique's dashboard, by the région's slug (as its page).
    case region(String?)
    case regionFile(region: String?, file: String?)
    case campus(UUID?)
    case campusFile(campus: UUID?, file: String?)
    // API: the same tables as JSON
    case apiNational
    case apiRegion(String?)
    case apiCampus(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .national: ["tableau-de-bord"]
        case .nationalFile(let file): ["tableau-de-bord", "donnees", .parameter("fichier", file)]
        case .region(let slug): ["regions", .parameter("region", slug), "tableau-de-bord"]
        case .regionFile(let slug, let file): ["regions", .parameter("region", slug), "tableau-de-bord", "donnees", .parameter("fichier", file)]
        case .campus(let id): ["campus", .id("campusID", id), "tableau-de-bord"]
        case .campusFile(let id, let file): ["campus", .id("campusID", id), "tableau-de-bord", "donnees", .parameter("fichier", file)]
        case .apiNational: ["api", "v1", "tableaux-de-bord", "national"]
        case .apiRegion(let region): ["api", "v1", "tableaux-de-bord", "regions", .parameter("region", region)]
        case .apiCampus(let id): ["api", "v1", "tableaux-de-bord", "campus", .id("campusID", id)]
        }
    }
}
