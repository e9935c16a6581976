import CMQDomain
import Fluent
import SQLKit
import Vapor

struct DiplomeReferenceDTO: Content, Equatable {
    var cfd: String
    var rncp: String?
    var sigle: String
    var typeDiplome: String?
    var intitule: String
    var niveau: Int
    var cpc: String
    var secteur: String
    var premiereSession: Int?
    var derniereSession: Int?
}

struct NiveauDiplomeDTO: Content, Equatable {
    var code: String
    var niveauInterministeriel: String
    var libelleCourt: String
    var libelle: String
    var niveauRncp: Int?
}

struct ROMEReferenceDTO: Content, Equatable {
    var code: String
    var libelle: String
    var parent: String?
}

struct OnisepReferenceDTO: Content, Equatable {
    var identifiant: String
    var sigleType: String?
    var libelleType: String
    var intitule: String
    var duree: String?
    var rncp: String?
    var niveau: Int?
    var typeDiplome: String?
    var lien: String
    var domaines: String?
}

struct ReferencePageDTO<Item: Content>: Content {
    var items: [Item]
    var page: Int
    var per: Int
    var total: Int
}

/// Reading the national reference tables: by code, or by words of the title (accents and case ignored).
struct ReferenceLookup {
    let db: any Database

    private var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        return sql
    }

    struct Filter: Sendable, Equatable {
        var q: String?
        var niveau: Int?
        var typeDiplome: DiplomaType?
    }

    static func filter(from query: [String: String]) throws(AppError) -> Filter {
        var reader = QueryReader(query)
        var filter = Filter()
        if let q = reader.text("q"), !TextFolding.searchKey(q).isEmpty { filter.q = q }
        filter.niveau = reader.level()
        filter.typeDiplome = reader.choice("typeDiplome", DiplomaType.self, "Le type de diplôme")
        try reader.finish()
        return filter
    }

    /// Every word of the query must begin a word of the folded title, or be one of the codes.
    private func apply(_ filter: Filter, titleKey: String, codes: [String], to select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select
        if let q = filter.q {
            for word in TextFolding.searchKey(q).split(separator: " ").prefix(8).map(String.init) {
                let title = SQLBinaryExpression(
                    SQLBinaryExpression(SQLColumn(titleKey), .like, SQLBind(word + "%")), .or,
                    SQLBinaryExpression(SQLColumn(titleKey), .like, SQLBind("% " + word + "%")))
                var any: any SQLExpression = title
                for code in codes {
                    any = SQLBinaryExpression(any, .or, SQLBinaryExpression(SQLFunction("lower", args: SQLColumn(code)), .equal, SQLBind(word)))
                }
                select = select.where(SQLGroupExpression(any))
            }
        }
        if let niveau = filter.niveau { select = select.where(SQLColumn("niveau"), .equal, SQLBind(niveau)) }
        if let type = filter.typeDiplome { select = select.where(SQLColumn("type_diplome"), .equal, SQLBind(type.rawValue)) }
        return select
    }

    private struct Total: Decodable { let n: Int }

    private func page<Row: Decodable>(_ table: String, _ filter: Filter, titleKey: String, codes: [String], orderBy: [String],
                                      page: PageRequest, as: Row.Type) async throws -> (rows: [Row], total: Int) {
        let count = apply(filter, titleKey: titleKey, codes: codes, to: sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(table))
        let total = try await count.first(decoding: Total.self)?.n ?? 0
        var select = apply(filter, titleKey: titleKey, codes: codes, to: sql.select().column(SQLLiteral.all).from(table))
        for column in orderBy { select = select.orderBy(column) }
        let rows = try await select.limit(page.per).offset(page.offset).all(decoding: Row.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
        return (rows, total)
    }

    func diplomes(_ filter: Filter, page request: PageRequest) async throws -> ReferencePageDTO<DiplomeReferenceDTO> {
        let (rows, total) = try await page(ReferenceTable.diplomes, filter, titleKey: "intitule_cle", codes: ["cfd", "rncp"],
                                           orderBy: ["niveau", "intitule_cle", "cfd"], page: request, as: DiplomeReferenceDTO.self)
        return ReferencePageDTO(items: rows, page: request.page, per: request.per, total: total)
    }

    func romes(_ filter: Filter, page request: PageRequest) async throws -> ReferencePageDTO<ROMEReferenceDTO> {
        let (rows, total) = try await page(ReferenceTable.rome, Filter(q: filter.q), titleKey: "libelle_cle", codes: ["code"],
                                           orderBy: ["code"], page: request, as: ROMEReferenceDTO.self)
        return ReferencePageDTO(items: rows, page: request.page, per: request.per, total: total)
    }

    func onisep(_ filter: Filter, page request: PageRequest) async throws -> ReferencePageDTO<OnisepReferenceDTO> {
        let (rows, total) = try await page(ReferenceTable.onisep, filter, titleKey: "intitule_cle", codes: ["rncp"],
                                           orderBy: ["intitule_cle", "identifiant"], page: request, as: OnisepReferenceDTO.self)
        return ReferencePageDTO(items: rows, page: request.page, per: request.per, total: total)
    }

    func niveaux() async throws -> [NiveauDiplomeDTO] {
        try await sql.select().column(SQLLiteral.all).from(ReferenceTable.niveaux).orderBy("code")
            .all(decoding: NiveauDiplomeDTO.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
    }

    func diplome(cfd: String) async throws -> DiplomeReferenceDTO? {
        try await sql.select().column(SQLLiteral.all).from(ReferenceTable.diplomes).where("cfd", .equal, cfd)
            .first(decoding: DiplomeReferenceDTO.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
    }

    /// The labels of ROME codes, for the codes the table knows.
    func romeLabels(_ codes: [String]) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        return Dictionary(try await sql.select().column("code").column("libelle").from(ReferenceTable.rome)
            .where(SQLColumn("code"), .in, SQLBind.group(codes)).all(decoding: ROMEReferenceDTO.self).map { ($0.code, $0.libelle) }, uniquingKeysWith: { a, _ in a })
    }
}

extension ReferentielsAPIController {
    @Sendable func diplomes(req: Request) async throws -> ReferencePageDTO<DiplomeReferenceDTO> {
        let (filter, page) = try readListQuery(req.queryParameters, filter: ReferenceLookup.filter)
        return try await ReferenceLookup(db: req.db).diplomes(filter, page: page)
    }

    @Sendable func diplome(req: Request) async throws -> DiplomeReferenceDTO {
        let raw = req.parameters.get("cfd") ?? ""
        guard let cfd = try? CFD(raw), let diplome = try await ReferenceLookup(db: req.db).diplome(cfd: cfd.value) else {
            throw AppError.notFound("Aucun diplôme professionnel n'a le code formation diplôme « \(raw) ».")
        }
        return diplome
    }

    @Sendable func niveauxDiplome(req: Request) async throws -> [NiveauDiplomeDTO] {
        try await ReferenceLookup(db: req.db).niveaux()
    }

    @Sendable func romes(req: Request) async throws -> ReferencePageDTO<ROMEReferenceDTO> {
        let (filter, page) = try readListQuery(req.queryParameters, filter: ReferenceLookup.filter)
        return try await ReferenceLookup(db: req.db).romes(filter, page: page)
    }

    @Sendable func formationsOnisep(req: Request) async throws -> ReferencePageDTO<OnisepReferenceDTO> {
        let (filter, page) = try readListQuery(req.queryParameters, filter: ReferenceLookup.filter)
        return try await ReferenceLookup(db: req.db).onisep(filter, page: page)
    }
}
