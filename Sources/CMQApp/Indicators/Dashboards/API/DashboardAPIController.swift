import CMQDomain
import Vapor

/// The dashboards' tables as JSON (`/api/v1/tableaux-de-bord/…`): the same tables as the pages and their CSV
/// files, under the same filters and the same rights.
struct DashboardAPIController {
    @Sendable func national(req: Request) async throws -> DashboardDTO {
        let query = try DashboardQuery.read(req, regionFixed: false)
        let service = DashboardService(req)
        let (tables, context) = try await NationalDashboardPage.tables(query, service: service)
        return DashboardDTO(tables, order: DashboardDTO.nationalOrder, year: query.year, indicator: context.indicator, today: req.caller.today)
    }

    @Sendable func region(req: Request) async throws -> DashboardDTO {
        let region = try DashboardPagesController.region(req)
        let query = try DashboardQuery.read(req, regionFixed: true)
        let service = DashboardService(req)
        let result = try await RegionDashboardPage.tables(query, region: region, service: service)
        return DashboardDTO(result.tables, order: DashboardDTO.regionOrder, year: query.year, indicator: result.indicator, today: req.caller.today)
    }

    @Sendable func campus(req: Request) async throws -> DashboardDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let year = try DashboardPagesController.year(req)
        let service = DashboardService(req)
        let result = try await CampusDashboardPage.tables(campusID: id, year: year, service: service)
        return DashboardDTO(result.tables, order: ["indicateurs", "evolution"], year: year, indicator: nil, today: req.caller.today)
    }
}

struct DashboardDTO: Content {
    struct Column: Content {
        var nom: String
        var type: String
        var titre: String
    }

    struct Table: Content {
        var nom: String
        var titre: String
        var description: String
        var colonnes: [Column]
        var lignes: [[String: JSONValue]]
    }

    static let nationalOrder = ["campus-filiere-region", "indicateur-region", "indicateur-campus", "labels-annee", "lacunes", "mutualisation", "dossiers-etapes", "labels-expirant"]
    static let regionOrder = ["indicateur-campus", "rapports", "dossiers", "labels-expirant"]

    var miseAJour: String
    var annee: String
    var indicateur: String?
    var tables: [Table]

    init(_ tables: [String: DashboardTable], order: [String], year: SchoolYear, indicator: Indicator?, today: CalendarDay) {
        miseAJour = today.iso
        annee = year.description
        indicateur = indicator?.code
        self.tables = order.compactMap { tables[$0] }.map { table in
            Table(nom: table.slug, titre: table.title, description: table.description,
                  colonnes: table.fields.map { Column(nom: $0.name, type: $0.kind.rawValue, titre: $0.title) },
                  lignes: table.rows.map { row in
                      Dictionary(uniqueKeysWithValues: zip(table.fields, row).map { field, cell in (field.name, Self.json(cell)) })
                  })
        }
    }

    private enum CodingKeys: String, CodingKey {
        case miseAJour, annee, indicateur, tables
    }

    /// `indicateur` is always sent, `null` on a campus's dashboard.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(miseAJour, forKey: .miseAJour)
        try container.encode(annee, forKey: .annee)
        try container.encode(indicateur, forKey: .indicateur)
        try container.encode(tables, forKey: .tables)
    }

    static func json(_ cell: DatasetCell) -> JSONValue {
        switch cell {
        case .text(let value): value.map(JSONValue.string) ?? .null
        case .integer(let value): value.map { .number(Double($0)) } ?? .null
        case .number(let value): value.flatMap { $0.isFinite ? .number($0) : nil } ?? .null
        case .boolean(let value): value.map(JSONValue.bool) ?? .null
        }
    }
}
