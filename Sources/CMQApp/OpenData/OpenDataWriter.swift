import CMQDomain
import Fluent
import Foundation

/// Writes a dataset as CSV (`;`, UTF-8, one header line), JSON or GeoJSON (RFC 7946), a page of rows at a
/// time, and its Table Schema. The licence and the producer are stated in every JSON file and every schema;
/// the CSV's are in its schema (and in the `Link` header of its response).
struct OpenDataWriter {
    let dataset: OpenDataset
    /// The absolute address of the site (`https://cmq.example.fr`), for the links the files carry.
    let base: String
    /// The day the label statuses are computed on (the application's clock).
    let today: CalendarDay

    /// How many rows are read at a time.
    static let page = 500
    /// Changes when the layout of the files changes (part of their ETags).
    static let formatVersion = "1"

    static func path(_ dataset: OpenDataset, _ format: OpenDataFormat) -> String { OpenDataURL.file(dataset: dataset.slug, format: format.rawValue).path }
    static func schemaPath(_ dataset: OpenDataset) -> String { OpenDataURL.schema(dataset: dataset.slug).path }

    /// Writes the file; returns how many rows it holds.
    @discardableResult
    func write(_ format: OpenDataFormat, on db: any Database, modified: Date?, to write: (Data) async throws -> Void) async throws -> Int {
        let fields = dataset.fields
        switch format {
        case .csv:
            try await write(Data((fields.map(\.name).joined(separator: ";") + "\r\n").utf8))
        case .json:
            try await write(Data(("{" + metadata(modified: modified) + ",\"donnees\":[").utf8))
        case .geojson:
            try await write(Data(("{\"type\":\"FeatureCollection\"," + metadata(modified: modified) + ",\"features\":[").utf8))
        }
        var after: UUID?
        var count = 0
        while true {
            let rows = try await dataset.page(db, after, Self.page, today)
            guard let last = rows.last else { break }
            after = last.key
            var text = ""
            for row in rows {
                switch format {
                case .csv:
                    text += row.cells.map(Self.csvField).joined(separator: ";") + "\r\n"
                case .json:
                    if count > 0 { text += "," }
                    text += Self.object(fields, row.cells)
                case .geojson:
                    guard let latitude = row.latitude, let longitude = row.longitude, latitude.isFinite, longitude.isFinite else { continue }
                    if count > 0 { text += "," }
                    // RFC 7946: longitude first, WGS 84.
                    text += "{\"type\":\"Feature\",\"id\":\(Self.string(row.key.uuidString.lowercased())),"
                        + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(Self.number(longitude)),\(Self.number(latitude))]},"
                        + "\"properties\":\(Self.object(fields, row.cells))}"
                }
                count += 1
            }
            try await write(Data(text.utf8))
            if rows.count < Self.page { break }
        }
        switch format {
        case .csv: break
        case .json, .geojson: try await write(Data("]}".utf8))
        }
        return count
    }

    /// The members that say what a JSON file is: title, licence, producer, schema, date.
    private func metadata(modified: Date?) -> String {
        var members = [
            "\"titre\":\(Self.string(dataset.title))",
            "\"description\":\(Self.string(dataset.description))",
            "\"licence\":{\"nom\":\(Self.string(OpenDataLicence.name)),\"identifiant\":\(Self.string(OpenDataLicence.identifier)),\"url\":\(Self.string(OpenDataLicence.url))}",
            "\"producteur\":\(Self.string(OpenDataLicence.producer))",
            "\"schema\":\(Self.string(base + Self.schemaPath(dataset)))",
        ]
        if let modified { members.append("\"miseAJour\":\(Self.string(Self.timestamp(modified)))") }
        return members.joined(separator: ",")
    }

    /// The Table Schema (frictionless) of the CSV. Its primary key is the dataset's one required and unique field
    /// (`id`), when it has one; a table of counts (`parcours-flux`) has none.
    func schema() -> Data {
        let keys = dataset.fields.filter { $0.required && $0.unique }
        let primaryKey = keys.count == 1 ? keys[0].name : nil
        var fields: [String] = []
        for field in dataset.fields {
            var members = ["\"name\":\(Self.string(field.name))", "\"type\":\(Self.string(field.kind.rawValue))",
                           "\"title\":\(Self.string(field.title))", "\"description\":\(Self.string(field.description))"]
            if let format = field.format { members.append("\"format\":\(Self.string(format))") }
            if field.kind == .boolean { members.append("\"trueValues\":[\"true\"],\"falseValues\":[\"false\"]") }
            if field.kind == .number { members.append("\"decimalChar\":\".\"") }
            var constraints: [String] = []
            if field.required { constraints.append("\"required\":true") }
            if field.unique { constraints.append("\"unique\":true") }
            if let values = field.values { constraints.append("\"enum\":[\(values.map(Self.string).joined(separator: ","))]") }
            if let pattern = field.pattern { constraints.append("\"pattern\":\(Self.string(pattern))") }
            if let minimum = field.minimum { constraints.append("\"minimum\":\(field.kind == .integer ? String(Int(minimum)) : Self.number(minimum))") }
            if let maximum = field.maximum { constraints.append("\"maximum\":\(field.kind == .integer ? String(Int(maximum)) : Self.number(maximum))") }
            if !constraints.isEmpty { members.append("\"constraints\":{\(constraints.joined(separator: ","))}") }
            fields.append("{" + members.joined(separator: ",") + "}")
        }
        let text = "{\"name\":\(Self.string(dataset.slug)),\"title\":\(Self.string(dataset.title)),\"description\":\(Self.string(dataset.description)),"
            + "\"fields\":[\(fields.joined(separator: ","))],"
            + (primaryKey.map { "\"primaryKey\":[\(Self.string($0))]," } ?? "") + "\"missingValues\":[\"\"],"
            + "\"licenses\":[{\"name\":\(Self.string(OpenDataLicence.identifier)),\"title\":\(Self.string(OpenDataLicence.name)),\"path\":\(Self.string(OpenDataLicence.url))}]}"
        return Data(text.utf8)
    }

    // MARK: - Values

    static func csvField(_ cell: DatasetCell) -> String {
        switch cell {
        case .text(let value): FormationCSV.field(value)
        case .integer(let value): value.map(String.init) ?? ""
        case .number(let value): value.flatMap { $0.isFinite ? number($0) : nil } ?? ""
        case .boolean(let value): value.map { $0 ? "true" : "false" } ?? ""
        }
    }

    static func object(_ fields: [DatasetField], _ cells: [DatasetCell]) -> String {
        "{" + zip(fields, cells).map { field, cell in string(field.name) + ":" + json(cell) }.joined(separator: ",") + "}"
    }

    static func json(_ cell: DatasetCell) -> String {
        switch cell {
        case .text(let value): value.map(string) ?? "null"
        case .integer(let value): value.map(String.init) ?? "null"
        case .number(let value): value.flatMap { $0.isFinite ? number($0) : nil } ?? "null"
        case .boolean(let value): value.map { $0 ? "true" : "false" } ?? "null"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, and `<` so that the text can sit in a
    /// page's `<script type="application/ld+json">`.
    static func string(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "<": result += "\\u003c"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
