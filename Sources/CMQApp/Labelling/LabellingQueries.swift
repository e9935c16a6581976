import CMQDomain
import Fluent
import Foundation

/// Which dossiers an account may read.
struct DossierFilter: Sendable {
    var statut: DossierStatus.Kind?
    var campus: UUID?
    var region: String?
    var referentiel: String?
    /// Words of the campus's name.
    var q: String?
    var tri: DossierSort = .recent
}

/// The orders of the dossier lists.
enum DossierSort: String, CaseIterable, Sendable {
    /// Last changed first.
    case recent = "-modification"
    /// Waiting the longest first (last changed the longest ago).
    case waiting = "modification"
    /// By campus name.
    case campus
    /// Deposited most recently first.
    case deposit = "-depot"

    var label: String {
        switch self {
        case .recent: "Modifiés le plus récemment"
        case .waiting: "En attente depuis le plus longtemps"
        case .campus: "Par campus"
        case .deposit: "Déposés le plus récemment"
        }
    }
}

/// Which labels a list shows.
struct LabelFilter: Sendable {
    var expirantAvant: CalendarDay?
    var campus: UUID?
    var region: String?
    var valides: Bool = false
}

/// The reads of the labelling shared by the API, the pages and the `cmq labels` command.
enum LabellingQueries {
    /// The dossiers the account may read: all for the national administrator, those of its région, of its
    /// campus, or those deposited and assigned to its body.
    static func visibleDossiers(actor: Actor, filter: DossierFilter, page: PageRequest, on db: any Database) async throws -> Page<DossierSummaryDTO> {
        let query = DossierRecord.query(on: db).join(Campus.self, on: \DossierRecord.$campus.$id == \Campus.$id)
        switch actor.role {
        case .administrateurNational: break
        case .regionAcademique: query.filter(Campus.self, \.$regionCode == (actor.regionCode ?? ""))
        case .equipeCampus: query.filter(\.$campus.$id == (actor.campusID ?? UUID()))
        case .instance:
            let referentiels = try await Referentiels.catalog(on: db).referentiels
                .filter { referentiel in actor.instance.map { referentiel.instances.contains($0) } ?? false }.map(\.code)
            query.filter(\.$referentiel ~~ referentiels).filter(\.$depot != nil)
            // A CAEN sees its académie's dossiers, a CREFOP its région's; the national bodies every one.
            switch actor.instance?.territory {
            case .academie?: query.filter(Campus.self, \.$academieCode == (actor.academieCode ?? ""))
            case .region?: query.filter(Campus.self, \.$regionCode == (actor.regionCode ?? ""))
            case .national?, nil: break
            }
        case .membre:
            throw AppError.forbidden("Les dossiers de labellisation sont réservés à la région académique, au campus concerné et aux instances.")
        }
        if let statut = filter.statut { query.filter(\.$statut == statut.rawValue) }
        if let campus = filter.campus { query.filter(\.$campus.$id == campus) }
        if let region = filter.region { query.filter(Campus.self, \.$regionCode == region) }
        if let referentiel = filter.referentiel { query.filter(\.$referentiel == referentiel) }
        if let q = filter.q {
            for term in TextFolding.searchKey(q).split(separator: " ").prefix(8) {
                query.filter(Campus.self, \.$nomCle, .contains(inverse: false, .anywhere), String(term))
            }
        }
        switch filter.tri {
        case .recent: query.sort(\.$updatedAt, .descending)
        case .waiting: query.sort(\.$updatedAt, .ascending)
        case .campus: query.sort(Campus.self, \.$nomCle)
        case .deposit: query.sort(\.$depot, .descending)
        }
        let result = try await query.sort(\.$id).paginated(page)
        var items: [DossierSummaryDTO] = []
        for record in result.items {
            items.append(record.summary(campus: try record.joined(Campus.self)))
        }
        return Page(items: items, page: result.page, per: result.per, total: result.total)
    }

    /// The labels, newest first; `expirant_avant` keeps the labels in force today that end before that day.
    static func labels(_ filter: LabelFilter, limit: Int? = nil, on db: any Database, today: CalendarDay) async throws -> [LabelDTO] {
        let query = LabelRecord.query(on: db).join(Campus.self, on: \LabelRecord.$campus.$id == \Campus.$id)
        if let before = filter.expirantAvant {
            query.filter(\.$fin >= today.iso).filter(\.$fin < before.iso).filter(\.$retraitLe == nil)
        }
        if filter.valides { query.filter(\.$fin >= today.iso).filter(\.$retraitLe == nil) }
        if let campus = filter.campus { query.filter(\.$campus.$id == campus) }
        if let region = filter.region { query.filter(Campus.self, \.$regionCode == region) }
        query.sort(\.$debut, .descending).sort(\.$id)
        if let limit { query.limit(limit) }
        let records = try await query.all()
        return try records.map { $0.toDTO(campus: try $0.joined(Campus.self)) }
    }
}
