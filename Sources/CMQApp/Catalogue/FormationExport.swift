import CMQDomain
import Fluent
import Foundation
import Vapor

/// Exports of any catalogue search: cmq's CSV (which `cmq import formations --format csv` reads back), JSON
/// (the API's formation objects) and LHEO 2.3 XML.
///
/// A file is written piece by piece, 500 formations at a time, read straight from the tables (no model built),
/// to whatever `write` sends them to (an HTTP response, a file): memory does not grow with the size of the
/// catalogue (only the list of the identifiers the search finds is held, 16 bytes a formation).
struct FormationExport {
    let db: any Database
    /// The instance's in-memory index, where the query's words are looked up (the database's own words otherwise).
    var index: CatalogueIndex? = nil

    /// How many formations are loaded and written at a time.
    static let batch = 500

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

    /// What an export will write: the formations in the search's order, and for LHEO those left out because
    /// their responsible organisation has no SIRET (which LHEO requires).
    struct Plan: Sendable {
        var format: Format
        var ids: [UUID]
        var omitted = 0
        /// The names of the organisations without SIRET that cost formations (at most 10).
        var omittedOrganisations: [String] = []
    }

    /// Reads what the search finds. For LHEO, the formations whose responsible organisation has no SIRET are set
    /// aside; when that leaves nothing, the export is refused (409) with the reason.
    func plan(_ criteria: CatalogueSearch.Criteria, as format: Format) async throws -> Plan {
        let ids = try await CatalogueSearch(db: db, index: index).allIDs(criteria)
        guard format == .lheo else { return Plan(format: format, ids: ids) }
        var plan = Plan(format: format, ids: [])
        plan.ids.reserveCapacity(ids.count)
        for chunk in ids.chunked(Self.batch) {
            let owners = try await FormationTableRows(db: db).owners(chunk)
            for id in chunk {
                guard let owner = owners[id] else { continue }
                if LHEO.canBeResponsible(siret: owner.siret) {
                    plan.ids.append(id)
                } else {
                    plan.omitted += 1
                    if plan.omittedOrganisations.count < 10, !plan.omittedOrganisations.contains(owner.nom) { plan.omittedOrganisations.append(owner.nom) }
                }
            }
        }
        if plan.ids.isEmpty, plan.omitted > 0 {
            throw AppError.conflict(Self.lheoRefusal(plan))
        }
        return plan
    }

    static func lheoRefusal(_ plan: Plan) -> String {
        "Aucune des \(plan.omitted) formation(s) trouvée(s) ne peut être écrite en LHEO : LHEO exige le SIRET de l'organisme responsable, "
            + "et \(plan.omittedOrganisations.joined(separator: ", "))\(plan.omittedOrganisations.count < plan.omitted ? "…" : "") n'en ont pas dans cmq. "
            + "Renseignez leur SIRET, ou exportez en CSV ou JSON."
    }

    /// What a LHEO file says about the formations it leaves out.
    static func lheoNotice(_ plan: Plan) -> String {
        "\(plan.omitted) formation(s) omise(s) : LHEO exige le SIRET de l'organisme responsable, que cmq n'a pas pour "
            + plan.omittedOrganisations.joined(separator: ", ") + (plan.omittedOrganisations.count < plan.omitted ? "…" : "") + "."
    }

    /// Writes the file planned, piece by piece; returns how many formations it holds.
    @discardableResult
    func write(_ plan: Plan, progress: any ProgressReporter = SilentProgress(), to write: (Data) async throws -> Void) async throws -> Int {
        var written = 0
        switch plan.format {
        case .csv: try await write(Data(("\u{FEFF}" + FormationCSV.headerLine).utf8))
        case .json: try await write(Data("[".utf8))
        case .lheo:
            var start = LHEO.documentStart
            if plan.omitted > 0 {
                // An XML comment may not hold "--".
                start += "<!-- " + Self.lheoNotice(plan).replacingOccurrences(of: "--", with: "- -") + " -->\n"
            }
            try await write(Data(start.utf8))
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        for chunk in plan.ids.chunked(Self.batch) {
            if plan.format == .csv {
                // The CSV straight from the tables: the same lines, without building models.
                let lines = try await FormationTableRows(db: db).csvLines(chunk)
                try await write(Data(lines.text.utf8))
                written += lines.count
                progress.step("Formations", done: written, total: plan.ids.count)
                continue
            }
            var piece = Data()
            if plan.format == .json {
                // The API's objects, read as the API reads them (two plain queries, no models).
                let items = try await FormationReader(db: db).read(chunk)
                for item in chunk.compactMap({ items[$0] }) {
                    if written > 0 { piece.append(UInt8(ascii: ",")) }
                    piece += try encoder.encode(item.dto)
                    written += 1
                }
            } else {
                // Read straight from the tables, as the CSV (the same elements as from models).
                for source in try await FormationTableRows(db: db).lheoSources(chunk) {
                    piece += try LHEO.element(LHEO.formation(source))
                    written += 1
                }
            }
            try await write(piece)
            progress.step("Formations", done: written, total: plan.ids.count)
        }
        switch plan.format {
        case .csv: break
        case .json: try await write(Data("]".utf8))
        case .lheo: try await write(Data(LHEO.documentEnd.utf8))
        }
        return written
    }

    /// The whole file in memory (tests and small exports).
    func export(_ criteria: CatalogueSearch.Criteria, as format: Format) async throws -> (data: Data, count: Int) {
        let plan = try await plan(criteria, as: format)
        var data = Data()
        let count = try await write(plan) { data += $0 }
        return (data, count)
    }
}

extension FormationsAPIController {
    /// `GET /api/v1/formations.csv|.json|.lheo.xml`: the whole result of a search, with the search's filters,
    /// streamed. A LHEO file that leaves formations out says how many in `CMQ-Formations-Omises`.
    func exportHandler(_ format: FormationExport.Format) -> @Sendable (Request) async throws -> Response {
        { req in
            let criteria = try Self.criteria(from: req.queryParameters)
            let export = FormationExport(db: req.db, index: req.application.catalogueIndex)
            let plan = try await export.plan(criteria, as: format)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: format.contentType)
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"formations.\(format.fileExtension)\"")
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
            if format == .lheo { headers.replaceOrAdd(name: "CMQ-Formations-Omises", value: String(plan.omitted)) }
            let body = Response.Body(managedAsyncStream: { writer in
                try await export.write(plan) { data in
                    try await writer.writeBuffer(ByteBuffer(data: data))
                }
            })
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
