import CMQDomain
import Fluent
import Foundation
import Vapor

/// Exports of any catalogue search: cmq's CSV (which `cmq import formations --format csv` reads back), JSON
/// (the API's formation objects) and LHEO 2.3 XML.
struct FormationExport {
    let db: any Database

    enum Format: String, CaseIterable, Sendable {
        case csv, json, lheo

        var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .json: "application/json; charset=utf-8"
            case .lheo: "application/xml; charset=utf-8"
            }
        }

        var fileExtension: String {
            switch self {
            case .csv: "csv"
            case .json: "json"
            case .lheo: "lheo.xml"
            }
        }
    }

    /// Every formation the search finds, in the search's order, loaded 500 at a time.
    func formations(_ criteria: CatalogueSearch.Criteria, progress: any ProgressReporter = SilentProgress()) async throws -> [Formation] {
        let ids = try await CatalogueSearch(db: db).allIDs(criteria)
        var result: [Formation] = []
        result.reserveCapacity(ids.count)
        for chunk in ids.chunked(500) {
            let loaded = try await Formation.query(on: db).filter(\.$id ~~ chunk)
                .with(\.$organisation).with(\.$responsable).with(\.$statuts).with(\.$romes).all()
            let byID = Dictionary(loaded.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
            result += chunk.compactMap { byID[$0] }
            progress.step("Formations", done: result.count, total: ids.count)
        }
        return result
    }

    /// The file, and how many formations it holds.
    func export(_ criteria: CatalogueSearch.Criteria, as format: Format, progress: any ProgressReporter = SilentProgress()) async throws -> (data: Data, count: Int) {
        let formations = try await formations(criteria, progress: progress)
        return (try encode(formations, as: format), formations.count)
    }

    private func encode(_ formations: [Formation], as format: Format) throws -> Data {
        switch format {
        case .csv:
            var text = "\u{FEFF}" + FormationCSV.headerLine
            for formation in formations { text += FormationCSV.line(formation, responsable: formation.responsable) }
            return Data(text.utf8)
        case .json:
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(try formations.map { try $0.toDTO() })
        case .lheo:
            return try LHEO.encode(formations.map { LHEO.formation($0, responsable: $0.responsable) })
        }
    }
}

extension FormationsAPIController {
    /// `GET /api/v1/formations.csv|.json|.lheo.xml`: the whole result of a search, with the search's filters.
    func exportHandler(_ format: FormationExport.Format) -> @Sendable (Request) async throws -> Response {
        { req in
            let criteria = try Self.criteria(from: req.queryParameters)
            let (data, _) = try await FormationExport(db: req.db).export(criteria, as: format)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: format.contentType)
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"formations.\(format.fileExtension)\"")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
    }
}
