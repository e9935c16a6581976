import CMQDomain
import Fluent
import Foundation

/// The public list's filters (`/actions`, `/actions/archives`, the feeds), read from the query string.
struct ActionFilters: Sendable {
    var region: RegionAcademique?
    var academie: Academie?
    var departement: Departement?
    var filiere: Filiere?
    var type: ActionType?
    var audience: ActionAudience?
    var from: CalendarDay?
    var to: CalendarDay?
    var online: Bool?
    var campusID: UUID?
    var page = 1

    static let perPage = 20

    /// Reads the filters; a postcode (`cp`) gives its département.
    static func read(_ query: [String: String]) throws(AppError) -> ActionFilters {
        var reader = QueryReader(query)
        var filters = ActionFilters()
        filters.region = reader.region()
        filters.academie = reader.academie()
        filters.departement = reader.departement()
        if filters.departement == nil, let postcode = reader.raw("cp") {
            let trimmed = postcode.trimmingCharacters(in: .whitespaces)
            if trimmed.count == 5, trimmed.allSatisfy(\.isNumber), let commune = CommuneGazetteer.shared.communes(postcode: trimmed).first {
                filters.departement = TerritoryCatalog.shared.departement(code: commune.departementCode)
            } else {
                reader.fail("cp", "« \(postcode) » n'est pas un code postal connu (cinq chiffres).")
            }
        }
        filters.filiere = reader.filiere()
        filters.type = reader.choice("type", ActionType.self, "Le type d'action")
        filters.audience = reader.choice("public", ActionAudience.self, "Le public")
        filters.from = reader.day("du")
        filters.to = reader.day("au")
        filters.online = reader.bool("enLigne")
        filters.campusID = reader.uuid("campus", of: "de campus")
        if let page = reader.raw("page") {
            if let number = Int(page), (1...1_000_000).contains(number) { filters.page = number } else { reader.fail("page", "La page est un nombre entier de 1 à 1 000 000.") }
        }
        if let from = filters.from, let to = filters.to, to < from { reader.fail("au", "La date de fin précède la date de début.") }
        try reader.finish()
        return filters
    }

    /// The query string of these filters (for the pager and the other view).
    var query: [String: String?] {
        ["region": region?.code, "academie": academie?.code, "departement": departement?.code, "filiere": filiere?.rawValue,
         "type": type?.rawValue, "public": audience?.rawValue, "du": from?.iso, "au": to?.iso, "enLigne": online.map { $0 ? "true" : "false" },
         "campus": campusID?.uuidString.lowercased()]
    }

    /// The published actions matching, upcoming (not ended at `now`) or past, with their campus.
    func query(upcoming: Bool, now: LocalDateTime, on db: any Database) -> QueryBuilder<ActionRecord> {
        let query = ActionRecord.query(on: db).join(Campus.self, on: \ActionRecord.$campus.$id == \Campus.$id).with(\.$campus)
            .filter(\.$moderation == .publie)
        if upcoming {
            query.filter(\.$dernierFin > now.wallClockMinutes).sort(\.$premierDebut).sort(\.$id)
        } else {
            query.filter(\.$dernierFin <= now.wallClockMinutes).sort(\.$premierDebut, .descending).sort(\.$id)
        }
        if let region { query.filter(Campus.self, \.$regionCode == region.code) }
        if let academie { query.filter(Campus.self, \.$academieCode == academie.code) }
        if let departement { query.filter(\.$departement == departement.code) }
        if let filiere { query.filter(\.$filiere == filiere.rawValue) }
        if let type { query.filter(\.$type == type) }
        if let audience { query.filter(\.$audiences ~~ audience.rawValue) }
        if let from { query.filter(\.$dernierFin > LocalDateTime(day: from, time: .midnight).wallClockMinutes) }
        if let to { query.filter(\.$premierDebut < LocalDateTime(day: to.nextDay, time: .midnight).wallClockMinutes) }
        if let online { query.filter(\.$lieuType, online ? .equal : .notEqual, .enLigne) }
        if let campusID { query.filter(\.$campus.$id == campusID) }
        return query
    }
}
