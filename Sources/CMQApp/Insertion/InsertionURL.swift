import Foundation

/// The insertion pages and API: the definitions, the campuses ranked by devenir favorable (nation or région),
/// and the figures of a campus, a formation and an establishment in JSON.
enum InsertionURL: RouteURL, Equatable {
    case definitions
    case classement
    case apiCampus(UUID?)
    case apiFormation(UUID?)
    case apiEtablissement(String?)
    case apiClassement

    var segments: [PathSegment] {
        switch self {
        case .definitions: ["insertion", "definitions"]
        case .classement: ["insertion"]
        case .apiCampus(let id): ["api", "v1", "insertion", "campus", .id("campusID", id)]
        case .apiFormation(let id): ["api", "v1", "insertion", "formations", .id("formationID", id)]
        case .apiEtablissement(let uai): ["api", "v1", "insertion", "etablissements", .parameter("uai", uai)]
        case .apiClassement: ["api", "v1", "insertion", "classement"]
        }
    }

    /// The definition of a figure on the glossary page.
    static func definition(_ anchor: String) -> String { definitions.path + "#" + anchor }
}
