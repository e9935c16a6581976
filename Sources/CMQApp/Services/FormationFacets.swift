import CMQDomain
import Fluent
import Foundation
import SQLKit

/// The search of the catalogue: full text, filters and facet counts, on SQLite and PostgreSQL alike.
///
/// Every facet counts the formations that match the query and every *other* filter, so that a person sees
/// what choosing another value would give.
struct CatalogueSearch {
    let db: any Database

    enum Dimension: String, CaseIterable, Sendable {
        case niveau, typeDiplome, statut, filiere, region, academie, departement, campus
    }

    struct Criteria: Sendable, Equatable {
        var q: String?
        var organisation: UUID?
        var niveau: Int?
        var typeDiplome: DiplomaType?
        var statut: LearnerStatus?
        var filiere: Filiere?
        var region: RegionAcademique?
        var academie: Academie?
        var departement: Departement?
        var campus: UUID?

        func has(_ dimension: Dimension) -> Bool {
            switch dimension {
            case .niveau: niveau != nil
            case .typeDiplome: typeDiplome != nil
            case .statut: statut != nil
            case .filiere: filiere != nil
            case .region: region != nil
            case .academie: academie != nil
            case .departement: departement != nil
            case .campus: campus != nil
            }
        }
    }

    struct FacetValue: Sendable, Equatable {
        var value: String
        var count: Int
    }

    struct Result: Sendable {
        var ids: [UUID]
        var total: Int
        var facets: [Dimension: [FacetValue]]
    }

    private var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        return sql
    }

    /// Runs the search: one page of formation ids (in order), the total, and the facets.
    func run(_ criteria: Criteria, page: PageRequest, today: CalendarDay = .today) async throws -> Result {
        guard let (ordered, scope) = try await ordered(criteria, today: today) else { return Result(ids: [], total: 0, facets: [:]) }
        let pageIDs = Array(ordered.dropFirst(page.offset).prefix(page.per))
        var facets: [Dimension: [FacetValue]] = [:]
        for dimension in Dimension.allCases {
            facets[dimension] = try await counts(dimension, scope: scope, today: today)
        }
        return Result(ids: pageIDs, total: ordered.count, facets: facets)
    }

    /// Every formation the search finds, in order (for exports).
    func allIDs(_ criteria: Criteria, today: CalendarDay = .today) async throws -> [UUID] {
        try await ordered(criteria, today: today)?.ids ?? []
    }

    /// The matching ids in order (by rank for a text search, else by level and title) and the filters as
    /// SQL; nil when nothing can match.
    private func ordered(_ criteria: Criteria, today: CalendarDay) async throws -> (ids: [UUID], scope: Scope)? {
        // The full-text part gives a ranked list; the campus filter the campus's offer.
        var ranked: [UUID]?
        if let q = criteria.q {
            ranked = try await FormationSearch(db: db).matchingIDs(q)
            if ranked!.isEmpty { return nil }
        }
        var offer: [UUID]?
        if let campusID = criteria.campus {
            guard let campus = try await Campus.find(campusID, on: db) else { return nil }
            offer = try await CampusOffer(db: db).formations(of: campus, on: today).compactMap(\.id)
            if offer!.isEmpty { return nil }
        }
        let scope = Scope(criteria: criteria, text: criteria.q.flatMap { FormationSearch.condition($0, dialect: sql.dialect.name) }, offer: offer)

        var select = sql.select().column(SQLColumn("id", table: "f")).column(SQLColumn("niveau_sortie", table: "f"))
            .column(SQLColumn("intitule_cle", table: "f"))
            .from(SQLAlias(SQLIdentifier(Formation.schema), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier(Organisation.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organisation_id", table: "f"), .equal, SQLColumn("id", table: "o"))
        select = scope.apply(to: select, except: nil)
        struct Row: Decodable { let id: UUID; let niveau_sortie: Int; let intitule_cle: String }
        let rows = try await select.all(decoding: Row.self)
        let ordered: [UUID]
        if let ranked {
            let position = Dictionary(ranked.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            ordered = rows.map(\.id).sorted { (position[$0] ?? Int.max, $0.uuidString) < (position[$1] ?? Int.max, $1.uuidString) }
        } else {
            ordered = rows.sorted { ($0.niveau_sortie, $0.intitule_cle, $0.id.uuidString) < ($1.niveau_sortie, $1.intitule_cle, $1.id.uuidString) }.map(\.id)
        }
        return (ordered, scope)
    }

    /// The filters as SQL, any of which can be left out (for the facet of that dimension).
    struct Scope {
        let criteria: Criteria
        /// The full-text condition, as SQL.
        let text: (any SQLExpression)?
        let offer: [UUID]?

        func apply(to select: SQLSelectBuilder, except skipped: Dimension?) -> SQLSelectBuilder {
            var select = select
            func keep(_ dimension: Dimension) -> Bool { dimension != skipped }
            if let text { select = select.where(text) }
            if let organisation = criteria.organisation { select = select.where(SQLColumn("organisation_id", table: "f"), .equal, SQLBind(organisation)) }
            if keep(.campus), let offer { select = select.where(SQLColumn("id", table: "f"), .in, SQLBind.group(offer)) }
            if keep(.niveau), let niveau = criteria.niveau { select = select.where(SQLColumn("niveau_sortie", table: "f"), .equal, SQLBind(niveau)) }
            if keep(.typeDiplome), let type = criteria.typeDiplome { select = select.where(SQLColumn("type_diplome", table: "f"), .equal, SQLBind(type.rawValue)) }
            if keep(.filiere), let filiere = criteria.filiere { select = select.where(SQLColumn("filiere", table: "f"), .equal, SQLBind(filiere.slug)) }
            if keep(.region), let region = criteria.region { select = select.where(SQLColumn("region_code", table: "o"), .equal, SQLBind(region.code)) }
            if keep(.academie), let academie = criteria.academie { select = select.where(SQLColumn("academie_code", table: "o"), .equal, SQLBind(academie.code)) }
            if keep(.departement), let departement = criteria.departement {
                select = select.where(SQLColumn("departement_code", table: "o"), .equal, SQLBind(departement.code))
            }
            if keep(.statut), let statut = criteria.statut {
                select = select.where(SQLColumn("id", table: "f"), .in, SQLGroupExpression(
                    SQLQueryString("SELECT \(ident: "formation_id") FROM \(ident: FormationStatut.schema) WHERE \(ident: "statut") = \(bind: statut.rawValue)")))
            }
            return select
        }
    }

    private struct Count: Decodable {
        let key: String?
        let n: Int
    }

    private func counts(_ dimension: Dimension, scope: Scope, today: CalendarDay) async throws -> [FacetValue] {
        var select = sql.select()
            .from(SQLAlias(SQLIdentifier(Formation.schema), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier(Organisation.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organisation_id", table: "f"), .equal, SQLColumn("id", table: "o"))
        let key: any SQLExpression
        switch dimension {
        case .niveau: key = SQLRaw("CAST(f.niveau_sortie AS TEXT)")
        case .typeDiplome: key = SQLColumn("type_diplome", table: "f")
        case .filiere: key = SQLColumn("filiere", table: "f")
        case .region: key = SQLColumn("region_code", table: "o")
        case .academie: key = SQLColumn("academie_code", table: "o")
        case .departement: key = SQLColumn("departement_code", table: "o")
        case .statut:
            select = select.join(SQLAlias(SQLIdentifier(FormationStatut.schema), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                                 on: SQLColumn("formation_id", table: "s"), .equal, SQLColumn("id", table: "f"))
            key = SQLColumn("statut", table: "s")
        case .campus:
            return try await campusCounts(scope: scope, today: today)
        }
        select = scope.apply(to: select.column(key, as: "key").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), except: dimension)
        let rows = try await select.groupBy(key).all(decoding: Count.self)
        return rows.compactMap { row in row.key.map { FacetValue(value: $0, count: row.n) } }.sorted { $0.value < $1.value }
    }

    /// Formations per campus: those of its current members in its filière, and those attached to it.
    private func campusCounts(scope: Scope, today: CalendarDay) async throws -> [FacetValue] {
        var members = sql.select()
            .column(SQLColumn("campus_id", table: "m"), as: "campus").column(SQLColumn("id", table: "f"), as: "formation")
            .from(SQLAlias(SQLIdentifier(Formation.schema), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier(Organisation.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organisation_id", table: "f"), .equal, SQLColumn("id", table: "o"))
            .join(SQLAlias(SQLIdentifier(Membership.schema), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organisation_id", table: "m"), .equal, SQLColumn("organisation_id", table: "f"))
            .join(SQLAlias(SQLIdentifier(Campus.schema), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("campus_id", table: "m"))
            .where(SQLColumn("filiere", table: "c"), .equal, SQLColumn("filiere", table: "f"))
            .where(SQLGroupExpression(SQLQueryString("m.depuis IS NULL OR m.depuis <= \(bind: today.iso)")))
            .where(SQLGroupExpression(SQLQueryString("m.jusqu_a IS NULL OR m.jusqu_a >= \(bind: today.iso)")))
        members = scope.apply(to: members, except: .campus)
        var attached = sql.select()
            .column(SQLColumn("campus_id", table: "cf"), as: "campus").column(SQLColumn("id", table: "f"), as: "formation")
            .from(SQLAlias(SQLIdentifier(Formation.schema), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier(Organisation.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organisation_id", table: "f"), .equal, SQLColumn("id", table: "o"))
            .join(SQLAlias(SQLIdentifier(CampusFormation.schema), as: SQLIdentifier("cf")), method: SQLJoinMethod.inner,
                  on: SQLColumn("formation_id", table: "cf"), .equal, SQLColumn("id", table: "f"))
        attached = scope.apply(to: attached, except: .campus)
        struct Pair: Decodable, Hashable { let campus: UUID; let formation: UUID }
        let pairs = Set(try await members.all(decoding: Pair.self) + (try await attached.all(decoding: Pair.self)))
        var counts: [UUID: Int] = [:]
        for pair in pairs { counts[pair.campus, default: 0] += 1 }
        return counts.map { FacetValue(value: $0.key.uuidString.lowercased(), count: $0.value) }.sorted { $0.value < $1.value }
    }
}
