import CMQDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// The search of the catalogue: full text, filters and facet counts, on SQLite and PostgreSQL alike.
///
/// Every facet counts the formations that match the query and every *other* filter, so that a person sees
/// what choosing another value would give.
struct CatalogueSearch {
    let db: any Database
    /// Results of this instance, reused while the catalogue has not changed.
    var cache: SearchCache? = nil
    /// This instance's in-memory index of the catalogue: with it, the search, its total and its facets are
    /// counted in memory (`CatalogueIndex`); without it, by the database.
    var index: CatalogueIndex? = nil

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
        /// Only formations within a distance of a commune, the nearest first.
        var near: Nearby?

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
        /// The names of the campuses of the campus facet, when the search knows them (the in-memory index).
        var campusNames: [String: String]? = nil
        /// The query as corrected, when a word of it matched nothing and was replaced by the catalogue's nearest word.
        var suggestion: String? = nil
    }

    private var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        return sql
    }

    /// Runs the search: one page of formation ids (in order), the total, and the facets.
    func run(_ criteria: Criteria, page: PageRequest, today: CalendarDay = .today) async throws -> Result {
        guard let cache else { return try await compute(criteria, page: page, today: today) }
        let version = try await cache.version(on: sql)
        let key = SearchCache.Key(criteria: String(describing: criteria), page: page.page, per: page.per, day: today.iso)
        if let result = cache.result(for: key, version: version) { return result }
        let result = try await compute(criteria, page: page, today: today)
        cache.store(result, for: key, version: version)
        return result
    }

    private func compute(_ criteria: Criteria, page: PageRequest, today: CalendarDay) async throws -> Result {
        guard let index else { return try await computeInDatabase(criteria, page: page, today: today) }
        return try await index.current(on: sql, today: today).search(criteria, page: page)
    }

    /// The search counted by the database alone (the reference the in-memory index is tested against).
    func computeInDatabase(_ criteria: Criteria, page: PageRequest, today: CalendarDay = .today) async throws -> Result {
        let query = try await resolve(criteria, inDatabase: true, today: today)
        let scope = try await scope(criteria, query: query, today: today)
        let total = try await count(scope)
        guard total > 0 else { return Result(ids: [], total: 0, facets: [:], suggestion: query?.suggestion) }
        let ids = try await orderedIDs(scope, limit: page.per, offset: page.offset)
        var facets: [Dimension: [FacetValue]] = [:]
        for dimension in Dimension.allCases {
            facets[dimension] = try await counts(dimension, scope: scope, today: today)
        }
        return Result(ids: ids, total: total, facets: facets, suggestion: query?.suggestion)
    }

    /// Every formation the search finds, in order (for exports). The rows are read one by one as the database
    /// sends them and only their ids kept (16 bytes a formation): the rows themselves are never all held.
    func allIDs(_ criteria: Criteria, today: CalendarDay = .today) async throws -> [UUID] {
        let query = try await resolve(criteria, inDatabase: false, today: today)
        let select = orderedSelect(try await scope(criteria, query: query, today: today))
        let ids = NIOLockedValueBox<(ids: [UUID], failure: (any Error)?)>(([], nil))
        try await select.run { row in
            ids.withLockedValue { state in
                guard state.failure == nil else { return }
                do { state.ids.append(try row.decode(column: "id", as: UUID.self)) } catch { state.failure = error }
            }
        }
        return try ids.withLockedValue { state in
            if let failure = state.failure { throw failure }
            return state.ids
        }
    }

    /// The filters as SQL; the organisations within the distance of a `near` search are found first.
    private func scope(_ criteria: Criteria, query: ResolvedQuery?, today: CalendarDay) async throws -> Scope {
        var nearby: [(UUID, Double)]?
        if let near = criteria.near { nearby = try await OrganisationsNearby(sql: sql).within(near) }
        return Scope(criteria: criteria, query: query, dialect: sql.dialect.name, today: today, nearby: nearby)
    }

    /// The query's words as the catalogue answers them, looked up in the in-memory index (unless `inDatabase` or
    /// there is none) or in the database's own words: both give the same.
    private func resolve(_ criteria: Criteria, inDatabase: Bool, today: CalendarDay) async throws -> ResolvedQuery? {
        guard let q = criteria.q, !FormationSearch.terms(q).isEmpty else { return nil }
        if !inDatabase, let index {
            return ResolvedQuery.resolve(q, in: try await index.current(on: sql, today: today))
        }
        return ResolvedQuery.resolve(q, in: try await DatabaseVocabulary.read(on: sql))
    }

    /// The formations `f` joined to their organisation `o`: what every query of the search starts from.
    /// The join to the organisations is made only when a territorial filter or facet needs it: every
    /// formation has its organisation, and without the join the planners count straight from `formations`.
    private func base(joiningOrganisations join: Bool = true) -> SQLSelectBuilder {
        let select = sql.select().from(SQLAlias(SQLIdentifier(Formation.schema), as: SQLIdentifier("f")))
        guard join else { return select }
        return select.join(SQLAlias(SQLIdentifier(Organisation.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                           on: SQLColumn("organisation_id", table: "f"), .equal, SQLColumn("id", table: "o"))
    }

    private struct Total: Decodable { let n: Int }
    private struct Row: Decodable { let id: UUID }

    private func count(_ scope: Scope) async throws -> Int {
        let select = scope.apply(to: base(joiningOrganisations: scope.needsOrganisations(except: nil)).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), except: nil)
        return try await select.first(decoding: Total.self)?.n ?? 0
    }

    /// The matching ids in order, done by the database: for a text search, formations whose title holds every
    /// word first, then by title; otherwise by level, then title.
    private func orderedIDs(_ scope: Scope, limit: Int?, offset: Int) async throws -> [UUID] {
        var select = orderedSelect(scope)
        if let limit { select = select.limit(limit).offset(offset) }
        return try await select.all(decoding: Row.self).map(\.id)
    }

    /// The query of the matching ids, in the search's order.
    private func orderedSelect(_ scope: Scope) -> SQLSelectBuilder {
        var select = scope.apply(to: base(joiningOrganisations: scope.needsOrganisations(except: nil)).column(SQLColumn("id", table: "f"), as: "id"), except: nil)
        if let distance = scope.distanceRank { select = select.orderBy(distance) }
        if let titleFirst = scope.titleMatch {
            select = select.orderBy(SQLRaw("CASE WHEN \(titleFirst) THEN 0 ELSE 1 END"))
        } else {
            select = select.orderBy(SQLColumn("niveau_sortie", table: "f"))
        }
        return select.orderBy(SQLColumn("intitule_cle", table: "f")).orderBy(SQLColumn("id", table: "f"))
    }

    /// The filters as SQL, any of which can be left out (for the facet of that dimension).
    struct Scope {
        let criteria: Criteria
        /// The full-text condition, as SQL.
        let text: (any SQLExpression)?
        /// "The title holds every word" (for ordering), as SQL text; the words are folded letters and digits only.
        let titleMatch: String?
        let today: CalendarDay
        /// The organisations within the distance of a `near` search, with their distance (nil: no such filter).
        let nearby: [(UUID, Double)]?

        init(criteria: Criteria, query: ResolvedQuery?, dialect: String, today: CalendarDay, nearby: [(UUID, Double)]? = nil) {
            self.criteria = criteria
            self.today = today
            self.nearby = nearby
            titleMatch = query?.titleMatch
            text = query?.condition(dialect: dialect) { Self.offer($0, today: today) }
        }

        /// A campus's offer: the formations of its current members in its filière, and those attached to it.
        func offer(_ campus: UUID) -> any SQLExpression { Self.offer(campus, today: today) }

        static func offer(_ campus: UUID, today: CalendarDay) -> any SQLExpression {
            SQLGroupExpression(SQLQueryString("""
                f.id IN (SELECT f2.id FROM \(ident: Formation.schema) f2
                  JOIN \(ident: Membership.schema) m ON m.organisation_id = f2.organisation_id
                  JOIN \(ident: Campus.schema) c ON c.id = m.campus_id AND c.filiere = f2.filiere
                  WHERE m.campus_id = \(bind: campus)
                    AND (m.depuis IS NULL OR m.depuis <= \(bind: today.iso)) AND (m.jusqu_a IS NULL OR m.jusqu_a >= \(bind: today.iso)))
                OR f.id IN (SELECT cf.formation_id FROM \(ident: CampusFormation.schema) cf WHERE cf.campus_id = \(bind: campus))
                """))
        }

        /// Whether the filters in force (but `skipped`) read the organisations' territory.
        func needsOrganisations(except skipped: Dimension?) -> Bool {
            (criteria.region != nil && skipped != .region) || (criteria.academie != nil && skipped != .academie)
                || (criteria.departement != nil && skipped != .departement)
        }

        /// The distance of each formation's organisation, in `Nearby.rank` units, for ordering (nil without `near`).
        var distanceRank: (any SQLExpression)? {
            guard let nearby, !nearby.isEmpty else { return nil }
            var cases: [any SQLExpression] = []
            for (id, distance) in nearby {
                cases.append(SQLQueryString(" WHEN \(bind: id) THEN \(literal: Nearby.rank(distance))"))
            }
            return SQLGroupExpression(SQLList([SQLRaw("CASE f.organisation_id")] + cases + [SQLRaw(" END")], separator: SQLRaw("")))
        }

        func apply(to select: SQLSelectBuilder, except skipped: Dimension?) -> SQLSelectBuilder {
            var select = select
            func keep(_ dimension: Dimension) -> Bool { dimension != skipped }
            select = select.where(SQLRaw(Formation.visibleCondition("f")))
            if let text { select = select.where(text) }
            if let organisation = criteria.organisation { select = select.where(SQLColumn("organisation_id", table: "f"), .equal, SQLBind(organisation)) }
            if let nearby {
                select = nearby.isEmpty ? select.where(SQLRaw("1 = 0"))
                    : select.where(SQLColumn("organisation_id", table: "f"), .in, SQLBind.group(nearby.map(\.0)))
            }
            if keep(.campus), let campus = criteria.campus { select = select.where(offer(campus)) }
            if keep(.niveau), let niveau = criteria.niveau { select = select.where(SQLColumn("niveau_sortie", table: "f"), .equal, SQLBind(niveau)) }
            if keep(.typeDiplome), let type = criteria.typeDiplome { select = select.where(SQLColumn("type_diplome", table: "f"), .equal, SQLBind(type.rawValue)) }
            if keep(.filiere), let filiere = criteria.filiere { select = select.where(SQLColumn("filiere", table: "f"), .equal, SQLBind(filiere.slug)) }
            if keep(.region), let region = criteria.region { select = select.where(SQLColumn("region_code", table: "o"), .equal, SQLBind(region.code)) }
            if keep(.academie), let academie = criteria.academie { select = select.where(SQLColumn("academie_code", table: "o"), .equal, SQLBind(academie.code)) }
            if keep(.departement), let departement = criteria.departement {
                select = select.where(SQLColumn("departement_code", table: "o"), .equal, SQLBind(departement.code))
            }
            if keep(.statut), let statut = criteria.statut {
                select = select.where(SQLRaw("(f.statuts_masque & \(FormationStatusMask.bit(statut))) <> 0"))
            }
            return select
        }
    }

    private struct Count: Decodable {
        let key: String?
        let n: Int
    }

    private struct LevelCount: Decodable {
        let key: Int
        let n: Int
    }

    private func counts(_ dimension: Dimension, scope: Scope, today: CalendarDay) async throws -> [FacetValue] {
        let territorial = [Dimension.region, .academie, .departement].contains(dimension)
        var select = base(joiningOrganisations: territorial || scope.needsOrganisations(except: dimension))
        let key: any SQLExpression
        switch dimension {
        case .niveau:
            // Grouped on the integer column (a CAST would keep the planners from counting from the index).
            let levels = scope.apply(to: select.column(SQLColumn("niveau_sortie", table: "f"), as: "key")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), except: dimension)
            return try await levels.groupBy(SQLColumn("niveau_sortie", table: "f")).all(decoding: LevelCount.self)
                .map { FacetValue(value: String($0.key), count: $0.n) }.sorted { $0.value < $1.value }
        case .typeDiplome: key = SQLColumn("type_diplome", table: "f")
        case .filiere: key = SQLColumn("filiere", table: "f")
        case .region: key = SQLColumn("region_code", table: "o")
        case .academie: key = SQLColumn("academie_code", table: "o")
        case .departement: key = SQLColumn("departement_code", table: "o")
        case .statut:
            // One pass over the formations, a sum per status bit.
            for status in LearnerStatus.allCases {
                select = select.column(SQLRaw("SUM(CASE WHEN (f.statuts_masque & \(FormationStatusMask.bit(status))) <> 0 THEN 1 ELSE 0 END)"),
                                       as: status.rawValue.replacingOccurrences(of: "-", with: "_"))
            }
            struct Sums: Decodable { let scolaire: Int?; let etudiant: Int?; let apprenti: Int?; let formation_continue: Int? }
            let sums = try await scope.apply(to: select, except: dimension).first(decoding: Sums.self)
            let values: [(LearnerStatus, Int?)] = [(.apprenti, sums?.apprenti), (.etudiant, sums?.etudiant),
                                                   (.formationContinue, sums?.formation_continue), (.scolaire, sums?.scolaire)]
            return values.compactMap { status, count in (count ?? 0) > 0 ? FacetValue(value: status.rawValue, count: count!) : nil }
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
