import CMQDomain
import Foundation

/// A table of a dashboard as it is downloaded: CSV (`;`, UTF-8) with its Table Schema, written by the open data's
/// writer (same cell rules, same schema layout, same licence). Its first field is `id`, unique.
struct DashboardTable: Sendable {
    /// `labels-annee`: the file's name (`labels-annee.csv`, `labels-annee.schema.json`).
    let slug: String
    let title: String
    let description: String
    let fields: [DatasetField]
    let rows: [[DatasetCell]]

    private var dataset: OpenDataset {
        let rows = rows.map { DatasetRow(key: UUID(), cells: $0) }
        return OpenDataset(slug: slug, title: title, description: description, keywords: [], fields: fields, hasPlace: false,
                           page: { _, after, _, _ in after == nil ? rows : [] },
                           stamp: { _ in DatasetStamp(count: rows.count, modified: nil, day: nil) })
    }

    func csv() -> String {
        var text = fields.map(\.name).joined(separator: ";") + "\r\n"
        for row in rows {
            text += row.map(OpenDataWriter.csvField).joined(separator: ";") + "\r\n"
        }
        return text
    }

    func schema(base: String, today: CalendarDay) -> Data {
        OpenDataWriter(dataset: dataset, base: base, today: today).schema()
    }

    /// The fields every table of campuses starts with.
    static func campusFields(_ what: String) -> [DatasetField] {
        [DatasetField("id", .string, "Identifiant du campus", "L'identifiant du campus dans cmq (UUID).", required: true, unique: true),
         DatasetField("campus", .string, "Campus", "Le nom du campus.", required: true),
         DatasetField("region", .string, "Région académique", "La région académique du campus.", required: true),
         DatasetField("filiere", .string, "Filière", "La filière du campus.", required: true)]
    }
}

/// The names of a dashboard's downloads: `{table}.csv` and `{table}.schema.json`.
enum DashboardFile: Equatable {
    case csv(String)
    case schema(String)

    init?(_ name: String) {
        if name.hasSuffix(".schema.json") {
            self = .schema(String(name.dropLast(".schema.json".count)))
        } else if name.hasSuffix(".csv") {
            self = .csv(String(name.dropLast(".csv".count)))
        } else {
            return nil
        }
    }

    var table: String {
        switch self {
        case .csv(let table), .schema(let table): table
        }
    }
}
