import CMQDomain
import Fluent
import Foundation

/// The campuses of the nation or of a région, ranked by their consolidated taux de devenir favorable: those whose
/// total passes the statistical secret first, by rate (then by name), then the others with their reason.
struct InsertionRanking {
    struct Entry: Sendable {
        var campus: Campus
        var totals: FigureTotals
    }

    let db: any Database

    func rank(region: RegionAcademique?, filiere: Filiere?, today: CalendarDay) async throws -> (millesime: Millesime, entries: [Entry])? {
        let service = InsertionService(db: db)
        guard let latest = try await service.millesimes().first else { return nil }
        let table = try await service.table(latest)
        var query = Campus.query(on: db)
        if let region { query = query.filter(\.$regionCode == region.code) }
        if let filiere { query = query.filter(\.$filiere == filiere) }
        var entries: [Entry] = []
        for campus in try await query.sort(\.$nom).all() {
            let formations = try await CampusOffer(db: db).formations(of: campus, on: today)
            let consolidation = CampusConsolidation(items: CampusInsertionBlock.items(formations), table: table)
            entries.append(Entry(campus: campus, totals: consolidation.total))
        }
        entries.sort { a, b in
            switch (a.totals.devenirFavorable.percent, b.totals.devenirFavorable.percent) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.campus.nom < b.campus.nom
            }
        }
        return (latest, entries)
    }
}
