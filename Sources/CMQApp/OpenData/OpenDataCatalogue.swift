import CMQDomain
import Fluent
import Foundation
import Vapor

/// What the page /donnees and the DCAT-AP catalogue say about each dataset: its files (with their size), its
/// schema, its licence, its last change.
struct OpenDataCatalogue {
    let db: any Database
    let base: String
    /// The day the label statuses are computed on.
    let today: CalendarDay

    struct Distribution: Sendable {
        var format: OpenDataFormat
        var url: String
        /// The file's size, when it was measured.
        var bytes: Int?
    }

    struct Summary: Sendable {
        var dataset: OpenDataset
        /// The CSV's rows, when its size was measured.
        var rows: Int?
        var modified: Date?
        var distributions: [Distribution]
        var schemaURL: String
    }

    /// Every dataset and its files. With `sizes`, the size of each file is measured by writing it once (to
    /// nowhere) and kept there while the dataset is unchanged; without, sizes are left out (the DCAT catalogue,
    /// which must answer fast, does not give them).
    func summaries(sizes: OpenDataSizes? = nil) async throws -> [Summary] {
        var result: [Summary] = []
        for dataset in OpenDataset.all {
            let stamp = try await dataset.stamp(db)
            var distributions: [Distribution] = []
            var rows: Int?
            for format in dataset.formats {
                var bytes: Int?
                if let sizes {
                    let key = base + "|" + OpenDataAPIController.validators(dataset.slug + "." + format.rawValue, stamp).etag
                    let measured: (bytes: Int, rows: Int)
                    if let known = await sizes.size(key) {
                        measured = known
                    } else {
                        var counted = 0
                        let count = try await OpenDataWriter(dataset: dataset, base: base, today: today).write(format, on: db, modified: stamp.modified) { counted += $0.count }
                        measured = (counted, count)
                        await sizes.remember(key, measured)
                    }
                    bytes = measured.bytes
                    if format == .csv { rows = measured.rows }
                }
                distributions.append(Distribution(format: format, url: base + OpenDataWriter.path(dataset, format), bytes: bytes))
            }
            result.append(Summary(dataset: dataset, rows: rows, modified: stamp.modified, distributions: distributions,
                                  schemaURL: base + OpenDataWriter.schemaPath(dataset)))
        }
        return result
    }

    /// The catalogue in DCAT-AP (JSON-LD): one `dcat:Dataset` per dataset, one `dcat:Distribution` per file, the
    /// Table Schema as `dct:conformsTo`, the Licence Ouverte on everything.
    static func dcat(_ summaries: [Summary], base: String) -> Data {
        let s = OpenDataWriter.string
        let licence = "{\"@id\":\(s(OpenDataLicence.url))}"
        let publisher = "{\"@type\":\"foaf:Agent\",\"foaf:name\":\(s(OpenDataLicence.producer))}"
        let french = "{\"@id\":\"http://publications.europa.eu/resource/authority/language/FRA\"}"
        let datasets = summaries.map { summary -> String in
            let dataset = summary.dataset
            let id = base + "/donnees#" + dataset.slug
            let distributions = summary.distributions.map { file in
                "{\"@type\":\"dcat:Distribution\",\"@id\":\(s(file.url)),\"dct:title\":\(s("\(dataset.title) (\(file.format.label))")),"
                    + "\"dcat:accessURL\":{\"@id\":\(s(file.url))},\"dcat:downloadURL\":{\"@id\":\(s(file.url))},"
                    + "\"dcat:mediaType\":{\"@id\":\(s("https://www.iana.org/assignments/media-types/" + file.format.mediaType))},"
                    + "\"dct:format\":\(s(file.format.label)),"
                    + (file.bytes.map { "\"dcat:byteSize\":{\"@value\":\"\($0)\",\"@type\":\"xsd:nonNegativeInteger\"}," } ?? "")
                    + "\"dct:license\":\(licence)"
                    + (file.format == .csv ? ",\"dct:conformsTo\":{\"@id\":\(s(summary.schemaURL))}" : "")
                    + (summary.modified.map { ",\"dct:modified\":{\"@value\":\(s(OpenDataWriter.timestamp($0))),\"@type\":\"xsd:dateTime\"}" } ?? "")
                    + "}"
            }
            return "{\"@type\":\"dcat:Dataset\",\"@id\":\(s(id)),\"dct:identifier\":\(s(dataset.slug)),\"dct:title\":\(s(dataset.title)),"
                + "\"dct:description\":\(s(dataset.description)),\"dcat:keyword\":[\(dataset.keywords.map(s).joined(separator: ","))],"
                + "\"dct:publisher\":\(publisher),\"dct:language\":\(french),\"dct:license\":\(licence),"
                + "\"dct:accessRights\":{\"@id\":\"http://publications.europa.eu/resource/authority/access-right/PUBLIC\"},"
                + "\"dcat:landingPage\":{\"@id\":\(s(base + OpenDataURL.page.path))},"
                + (summary.modified.map { "\"dct:modified\":{\"@value\":\(s(OpenDataWriter.timestamp($0))),\"@type\":\"xsd:dateTime\"}," } ?? "")
                + "\"dcat:distribution\":[\(distributions.joined(separator: ","))]}"
        }
        let context = "{\"dcat\":\"http://www.w3.org/ns/dcat#\",\"dct\":\"http://purl.org/dc/terms/\",\"foaf\":\"http://xmlns.com/foaf/0.1/\","
            + "\"xsd\":\"http://www.w3.org/2001/XMLSchema#\"}"
        let text = "{\"@context\":\(context),\"@type\":\"dcat:Catalog\",\"@id\":\(s(base + OpenDataURL.catalogue.path)),"
            + "\"dct:title\":\(s("Données ouvertes des campus des métiers et des qualifications")),"
            + "\"dct:description\":\(s("Les listes publiques de cmq : campus, organisations, réseaux, plateaux techniques et leurs équipements, labels.")),"
            + "\"dct:publisher\":\(publisher),\"dct:language\":\(french),\"dct:license\":\(licence),"
            + "\"foaf:homepage\":{\"@id\":\(s(base + OpenDataURL.page.path))},"
            + "\"dcat:dataset\":[\(datasets.joined(separator: ","))]}"
        return Data(text.utf8)
    }
}

/// The sizes of the files already measured, by ETag (kept by each instance; a change of the data changes the
/// ETag, so a stale size is never shown). At most a few hundred entries: the oldest are dropped.
actor OpenDataSizes {
    /// The sizes measured by this process (keyed by address and ETag, so that several sites or databases in one
    /// process never share a size).
    static let shared = OpenDataSizes()

    private var sizes: [String: (bytes: Int, rows: Int)] = [:]
    private var order: [String] = []

    func size(_ key: String) -> (bytes: Int, rows: Int)? { sizes[key] }

    func remember(_ key: String, _ value: (bytes: Int, rows: Int)) {
        if sizes[key] == nil { order.append(key) }
        sizes[key] = value
        while order.count > 256 { sizes[order.removeFirst()] = nil }
    }
}
