import CMQDomain
import Fluent
import Foundation
import Vapor

/// What the back-office shows of the actions an account may see: the team's campus, the actions a member organises,
/// the région's campuses (read only), everything for the national level.
enum ActionScopeQuery {
    /// The actions the actor may read in the back-office (drafts included).
    static func query(_ actor: Actor, on db: any Database) async throws -> QueryBuilder<ActionRecord> {
        let query = ActionRecord.query(on: db).join(Campus.self, on: \ActionRecord.$campus.$id == \Campus.$id).with(\.$campus)
        switch actor.role {
        case .administrateurNational: break
        case .regionAcademique: query.filter(Campus.self, \.$regionCode == (actor.regionCode ?? "-"))
        case .equipeCampus: query.filter(\.$campus.$id == (actor.campusID ?? UUID()))
        case .membre:
            let ids = try await ActionOrganisationRecord.query(on: db).filter(\.$organisation.$id == (actor.organisationID ?? UUID()))
                .filter(\.$role == .organisateur).all().map { $0.$action.id }
            query.filter(\.$id ~~ ids)
        case .instance: query.filter(\.$id == UUID())
        }
        return query
    }
}

/// `/gestion/actions`: the actions of the account's scope, with the links it may follow.
struct ActionManagementPage: Encodable {
    struct Row: Encodable {
        var titre: String
        var url: String
        var campus: String
        var quand: String
        var type: String
        var moderation: String
        var statut: String
        var inscrits: String?
        var participants: String?
        var editURL: String?
        var publishURL: String?
        var withdrawURL: String?
        var duplicateURL: String?
        var participationURL: String?
        var registrationsURL: String?
    }

    var page: PageMeta
    var rows: [Row]
    var newURL: String?
    var countsURL: String
    var moderations: [OptionItem]
    var years: [OptionItem]

    static func load(caller: Caller, actor: Actor, query: [String: String], on db: any Database) async throws -> ActionManagementPage {
        var reader = QueryReader(query)
        let moderation = reader.choice("etat", Moderation.self, "L'état")
        let yearText = reader.raw("annee")
        let year = yearText.flatMap(SchoolYear.init(label:))
        if yearText != nil, year == nil { reader.fail("annee", "L'année scolaire s'écrit 2026-2027.") }
        try reader.finish()
        let builder = try await ActionScopeQuery.query(actor, on: db)
        if let moderation { builder.filter(\.$moderation == moderation) }
        if let year { builder.filter(\.$anneeScolaire == year.startYear) }
        let records = try await builder.sort(\.$premierDebut, .descending).limit(500).all()
        let loaded = try await ActionService.loaded(records, on: db)
        let rows = loaded.map { action -> Row in
            let record = action.record, id = record.id
            let mayEdit = caller.may(.update, .campusAction(action.scope))
            return Row(
                titre: record.titre, url: ActionsURL.page(id).path, campus: action.campus.nom,
                quand: ((try? record.timings) ?? []).first.map(\.french) ?? "", type: record.type.label, moderation: record.moderation.label,
                statut: record.statut.label,
                inscrits: record.inscription == .cmq ? "\(record.placesPrises) / \(record.capacite ?? 0)" : nil,
                participants: record.participantsTotal.map(String.init),
                editURL: mayEdit ? ActionsURL.edit(id).path : nil,
                publishURL: mayEdit && record.moderation.mayBecome(.publie) ? ActionsURL.publish(id).path : nil,
                withdrawURL: mayEdit && record.moderation.mayBecome(.retire) ? ActionsURL.withdraw(id).path : nil,
                duplicateURL: caller.may(.create, .campusAction(action.scope)) ? ActionsURL.duplicate(id).path : nil,
                participationURL: mayEdit ? ActionsURL.participation(id).path : nil,
                registrationsURL: record.inscription == .cmq && caller.may(.read, .actionRegistrations(action.scope)) ? ActionsURL.registrationsCSV(id).path : nil)
        }
        let canCreate = actor.role == .administrateurNational || actor.role == .equipeCampus || actor.role == .membre
        let thisYear = SchoolYear(containing: caller.today)
        return ActionManagementPage(
            page: PageMeta(title: "Actions des campus", section: "gestion"), rows: rows, newURL: canCreate ? ActionsURL.new.path : nil,
            countsURL: ActionsURL.counts.path,
            moderations: Moderation.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == moderation) },
            years: (0..<6).map { SchoolYear(startYear: thisYear.startYear + 1 - $0) }.map { OptionItem(value: $0.label, label: $0.label, selected: $0 == year) })
    }
}

/// `/gestion/actions/comptes`: participants by school year × type × audience, per campus, région or nation.
struct ActionCountsPage: Encodable {
    struct Row: Encodable {
        var scope: String
        var annee: String
        var type: String
        var actions: Int
        var counts: [Int]
        var total: Int
    }

    var page: PageMeta
    var levels: [OptionItem]
    var audiences: [String]
    var rows: [Row]
    var csvURL: String

    static func rows(caller: Caller, actor: Actor, level: CountLevel, on db: any Database) async throws -> [Row] {
        let records = try await ActionScopeQuery.query(actor, on: db).filter(\.$participationLe != nil).all()
        let participations = records.compactMap { record -> ParticipationRecord? in
            guard let participation = record.participation else { return nil }
            return ParticipationRecord(campusID: record.$campus.id, regionCode: record.campus.regionCode, schoolYear: record.schoolYear,
                                       type: record.type, counts: participation.counts)
        }
        let campusNames = Dictionary(records.map { ($0.$campus.id.uuidString.lowercased(), $0.campus.nom) }, uniquingKeysWith: { a, _ in a })
        return ActionCounts.rollup(participations, level: level).map { row in
            let scope = switch level {
            case .campus: campusNames[row.scope] ?? row.scope
            case .region: TerritoryCatalog.shared.region(code: row.scope)?.nom ?? row.scope
            case .national: "France"
            }
            return Row(scope: scope, annee: row.schoolYear.label, type: row.type.label, actions: row.actions,
                       counts: ActionAudience.allCases.map(row.participants), total: row.total)
        }
    }

    static func level(_ query: [String: String]) throws(AppError) -> CountLevel {
        var reader = QueryReader(query)
        let level = reader.choice("niveau", CountLevel.self, "Le niveau") ?? .campus
        try reader.finish()
        return level
    }

    static func load(caller: Caller, actor: Actor, query: [String: String], on db: any Database) async throws -> ActionCountsPage {
        let level = try level(query)
        let labels: [CountLevel: String] = [.campus: "Par campus", .region: "Par région académique", .national: "National"]
        return ActionCountsPage(
            page: PageMeta(title: "Participation aux actions par année scolaire", section: "gestion"),
            levels: CountLevel.allCases.map { OptionItem(value: $0.rawValue, label: labels[$0] ?? $0.rawValue, selected: $0 == level) },
            audiences: ActionAudience.allCases.map(\.label), rows: try await rows(caller: caller, actor: actor, level: level, on: db),
            csvURL: ActionsURL.countsCSV.path(query: ["niveau": level.rawValue]))
    }
}
