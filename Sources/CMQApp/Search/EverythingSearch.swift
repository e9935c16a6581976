import CMQDomain
import Fluent
import SQLKit
import Vapor

/// One query, every kind of answer: the place it names (a commune, a postcode, a département, a région), the
/// formations of its words (near that place, or in it), the campuses and the establishments whose name holds
/// the words, or that are near or in the place.
struct EverythingSearch {
    let db: any Database
    var cache: SearchCache?
    var index: CatalogueIndex?
    var today: CalendarDay
    /// On a SQLite file, the formations read without the driver's thread pool (`SQLiteFormationReads`).
    var sqliteReads: SQLiteFormationReads? = nil

    /// How many of each kind are shown (the totals are exact; the lists link to the whole results).
    static let shown = 5
    static let shownPlaces = 8

    struct Query: Sendable {
        var text: String
        var radius: Int = Nearby.defaultRadius

        static func read(_ parameters: [String: String]) throws(AppError) -> Query {
            var reader = QueryReader(parameters)
            let text = reader.text("q").map { String($0.prefix(200)) } ?? ""
            var radius = Nearby.defaultRadius
            if let raw = reader.raw("rayon") {
                if let number = Int(raw.trimmingCharacters(in: .whitespaces)), Nearby.radii.contains(number) {
                    radius = number
                } else {
                    reader.fail("rayon", "Le rayon est un nombre entier de kilomètres, de \(Nearby.radii.lowerBound) à \(Nearby.radii.upperBound).")
                }
            }
            try reader.finish()
            return Query(text: text, radius: radius)
        }
    }

    struct CampusHit: Sendable {
        var campus: Campus
        /// The distance of its nearest member from the commune searched around.
        var distance: Double?
    }

    struct OrganisationHit: Sendable {
        var organisation: Organisation
        var distance: Double?
    }

    struct Result: Sendable {
        var query: Query
        /// The place named, and the words left beside it.
        var place: Place?
        var words: String?
        var formations: [FormationReader.Item]
        var formationTotal: Int
        /// The formation search's criteria, for the link to the whole list.
        var criteria: CatalogueSearch.Criteria
        var campus: [CampusHit]
        var campusTotal: Int
        var organisations: [OrganisationHit]
        var organisationTotal: Int
        /// Other communes the query may mean (homonyms, or communes whose name starts with the query).
        var otherPlaces: [Commune]
        /// The words as corrected when one matched nothing in the catalogue ("mecaniqe" → "mecanique").
        var suggestion: String?

        var isEmpty: Bool { formationTotal == 0 && campusTotal == 0 && organisationTotal == 0 && place == nil }
    }

    func run(_ query: Query) async throws -> Result {
        let finder = PlaceFinder()
        var words: String? = query.text
        var place: Place?
        if let split = finder.split(query.text) {
            place = split.place
            words = split.words
        }
        if let text = words, FormationSearch.terms(text).isEmpty { words = nil }

        var criteria = CatalogueSearch.Criteria()
        criteria.q = words
        var near: Nearby?
        switch place {
        case .commune(let commune):
            near = Nearby(commune: commune, radius: query.radius)
            criteria.near = near
        case .departement(let departement): criteria.departement = departement
        case .region(let region): criteria.region = region
        case nil: break
        }
        var formations: [FormationReader.Item] = []
        var formationTotal = 0
        var offering: Set<UUID> = []
        var suggestion: String?
        if words != nil || place != nil {
            let found = try await CatalogueSearch(db: db, cache: cache, index: index).run(criteria, page: PageRequest(page: 1, per: Self.shown), today: today)
            let byID = try await FormationReader(db: db, sqliteReads: sqliteReads).read(found.ids)
            formations = found.ids.compactMap { byID[$0] }
            formationTotal = found.total
            suggestion = found.suggestion
            offering = Set((found.facets[.campus] ?? []).compactMap { UUID(canonical: $0.value) })
        }
        let (campus, campusTotal) = try await campuses(words: words, place: place, near: near, offering: offering)
        let (organisations, organisationTotal) = try await organisations(words: words, place: place, near: near)
        return Result(query: query, place: place, words: words, formations: formations, formationTotal: formationTotal, criteria: criteria,
                      campus: campus, campusTotal: campusTotal, organisations: organisations, organisationTotal: organisationTotal,
                      otherPlaces: otherPlaces(query.text, chosen: place), suggestion: suggestion)
    }

    /// Campuses whose name or filière holds every word, or that offer a formation found, in or near the place;
    /// near a commune, the nearest first.
    private func campuses(words: String?, place: Place?, near: Nearby?, offering: Set<UUID>) async throws -> ([CampusHit], Int) {
        guard words != nil || place != nil else { return ([], 0) }
        let terms = words.map { TextFolding.searchKey($0).split(separator: " ").map(String.init) } ?? []
        var hits: [CampusHit] = []
        var distances: [UUID: Double] = [:]
        var inPlace: Set<UUID>?
        if let near {
            let nearby = Dictionary(try await OrganisationsNearby(sql: sql).within(near), uniquingKeysWith: { a, _ in a })
            let ids = Array(nearby.keys)
            // Only the memberships of the organisations within reach, read in slices (at most `Nearby.placeLimit`).
            for start in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[start..<min(start + 500, ids.count)])
                for membership in try await Membership.query(on: db).filter(\.$organisation.$id ~~ slice).all() where membership.isCurrent(on: today) {
                    guard let distance = nearby[membership.$organisation.id] else { continue }
                    distances[membership.$campus.id] = min(distances[membership.$campus.id] ?? .infinity, distance)
                }
            }
            inPlace = Set(distances.keys)
        } else if case .departement(let departement) = place {
            let members = try await Membership.query(on: db).join(Organisation.self, on: \Membership.$organisation.$id == \Organisation.$id)
                .filter(Organisation.self, \.$departementCode == departement.code).all()
            inPlace = Set(members.filter { $0.isCurrent(on: today) }.map(\.$campus.id))
        }
        for campus in try await Campus.query(on: db).sort(\.$nomCle).all() {
            if let inPlace, !inPlace.contains(campus.id!) { continue }
            if case .region(let region) = place, campus.regionCode != region.code { continue }
            let text = campus.nomCle + " " + TextFolding.searchKey(campus.filiere.label)
            let named = terms.allSatisfy { term in text.split(separator: " ").contains { $0.hasPrefix(term) } }
            guard named || offering.contains(campus.id!) else { continue }
            hits.append(CampusHit(campus: campus, distance: distances[campus.id!]))
        }
        if near != nil { hits.sort { ($0.distance ?? .infinity, $0.campus.nomCle) < ($1.distance ?? .infinity, $1.campus.nomCle) } }
        return (Array(hits.prefix(Self.shown)), hits.count)
    }

    /// Establishments whose name holds every word (or whose town is the commune), in or near the place.
    private func organisations(words: String?, place: Place?, near: Nearby?) async throws -> ([OrganisationHit], Int) {
        guard words != nil || place != nil else { return ([], 0) }
        let query = Organisation.query(on: db)
        if let words {
            for term in TextFolding.searchKey(words).split(separator: " ") {
                query.filter(\.$nomCle, .contains(inverse: false, .anywhere), String(term))
            }
        }
        if let near {
            let nearby = try await OrganisationsNearby(sql: sql).within(near)
            let distance = Dictionary(nearby, uniquingKeysWith: { a, _ in a })
            let ids = nearby.map(\.0)
            guard !ids.isEmpty else { return ([], 0) }
            // The nearest first: the ids are read in slices of the ordered list until the page is full.
            var hits: [OrganisationHit] = []
            var total = 0
            for start in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[start..<min(start + 500, ids.count)])
                let found = try await query.copy().filter(\.$id ~~ slice).all()
                total += found.count
                hits += found.map { OrganisationHit(organisation: $0, distance: distance[$0.id!]) }
            }
            hits.sort { ($0.distance ?? .infinity, $0.organisation.nomCle) < ($1.distance ?? .infinity, $1.organisation.nomCle) }
            return (Array(hits.prefix(Self.shown)), total)
        }
        switch place {
        case .departement(let departement): query.filter(\.$departementCode == departement.code)
        case .region(let region): query.filter(\.$regionCode == region.code)
        default: break
        }
        let total = try await query.count()
        let found = try await query.sort(\.$nomCle).limit(Self.shown).all()
        return (found.map { OrganisationHit(organisation: $0, distance: nil) }, total)
    }

    /// The homonyms of the commune chosen, or the communes whose name begins like the query.
    private func otherPlaces(_ text: String, chosen: Place?) -> [Commune] {
        let gazetteer = CommuneGazetteer.shared
        if case .commune(let commune) = chosen {
            return Array(gazetteer.communes(named: commune.nom).filter { $0 != commune }.prefix(Self.shownPlaces))
        }
        return []
    }

    private var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { preconditionFailure("cmq runs on SQL databases only") }
        return sql
    }
}
