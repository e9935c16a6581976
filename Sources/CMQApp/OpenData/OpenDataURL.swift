import Foundation

/// The open data's addresses: the page, the files of each dataset and their schemas, the DCAT-AP catalogue, and
/// what search engines read.
enum OpenDataURL: RouteURL, Equatable {
    case page
    case robots
    case sitemap
    case catalogue
    /// A dataset's file: `campus.csv`, `campus.geojson`…
    case file(dataset: String, format: String)
    case schema(dataset: String)

    var segments: [PathSegment] {
        switch self {
        case .page: ["donnees"]
        case .robots: ["robots.txt"]
        case .sitemap: ["sitemap.xml"]
        case .catalogue: ["api", "v1", "donnees", "catalogue.jsonld"]
        case .file(let dataset, let format): ["api", "v1", "donnees", .constant("\(dataset).\(format)")]
        case .schema(let dataset): ["api", "v1", "donnees", .constant("\(dataset).schema.json")]
        }
    }
}
