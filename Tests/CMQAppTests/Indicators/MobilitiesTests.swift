@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("A campus's international mobilities: lines, rights, the indicators they make")
struct MobilitiesTests {
    static let body = #"{"mobilites": [{"sens": "sortante", "public": "apprenti", "pays": "DE", "nombre": 4}, {"sens": "sortante", "public": "scolaire", "pays": "es", "nombre": 3}, {"sens": "entrante", "public": "personnel", "pays": "IT", "nombre": 1}]}"#

    @Test("the team records the year's lines; INT-01 and INT-02 are their sums; the public reads only the totals; refusals change nothing", arguments: TestDatabase.all)
    func linesAndIndicators(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let id = campus.id!.lower
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id)
            let region = try await TestAccounts.identity(app, .regionAcademique, region: campus.regionCode)
            let otherTeam = try await TestAccounts.identity(app, .equipeCampus, campus: try await Factory.campus(app.db, nom: "Autre").id)
            let year = SchoolYear(containing: CalendarDay.today)
            let path = "/api/v1/campus/\(id)/mobilites/\(year)"

            // Before any line: no value for INT-01 (not recorded is not zero).
            let before = try await IndicatorComputer(db: app.db).compute([.mobilitesSortantes], campus: campus, year: year, today: .today)
            #expect(before[.mobilitesSortantes] == nil)
            #expect(try await app.send(.PUT, path, json: Self.body, as: .anonymous).status == .unauthorized)
            #expect(try await app.send(.PUT, path, json: Self.body, as: otherTeam).status == .forbidden)
            let saved = try await app.send(.PUT, path, json: Self.body, as: team)
            #expect(saved.status == .ok, "\(saved.body.string)")
            struct Lines: Decodable { struct Line: Decodable { let pays: String; let paysNom: String; let nombre: Int }; let mobilites: [Line]; let sortantes: Int; let entrantes: Int; let modifiable: Bool }
            let lines = try saved.decoded(Lines.self)
            #expect(lines.sortantes == 7 && lines.entrantes == 1 && lines.modifiable)
            #expect(lines.mobilites.contains { $0.pays == "ES" && $0.paysNom == "Espagne" && $0.nombre == 3 })
            let values = try await IndicatorComputer(db: app.db).compute([.mobilitesSortantes, .mobilitesEntrantes], campus: campus, year: year, today: .today)
            #expect(values[.mobilitesSortantes] == 7 && values[.mobilitesEntrantes] == 1)

            // Reading the lines: the team and its région; not the public, who reads INT-01 on the indicators.
            #expect(try await app.send(.GET, path, as: region).decoded(Lines.self).mobilites.count == 3)
            #expect(try await app.send(.GET, path, as: .anonymous).status == .unauthorized)
            #expect(try await app.send(.GET, path, as: otherTeam).status == .forbidden)
            let board = try await app.send(.GET, "/api/v1/campus/\(id)/indicateurs", as: .anonymous).body.string
            #expect(board.contains("\"INT-01\""))
            // INT-01 is computed: it is not entered any more.
            #expect(try await app.send(.PUT, "/api/v1/campus/\(id)/indicateurs/INT-01/valeurs/\(year)", json: #"{"valeur": 3}"#, as: team).status == .unprocessableEntity)

            // Refusals, all or nothing: France, a number of 0, the same key twice, a school year to come, no list, a null
            // list (the document says an array: found by the fuzzer, which saw null accepted as "remove them all").
            for bad in [#"{"mobilites": [{"sens": "sortante", "public": "apprenti", "pays": "FR", "nombre": 2}]}"#,
                        #"{"mobilites": [{"sens": "sortante", "public": "apprenti", "pays": "DE", "nombre": 0}]}"#,
                        #"{"mobilites": [{"sens": "sortante", "public": "apprenti", "pays": "DE", "nombre": 1}, {"sens": "sortante", "public": "apprenti", "pays": "de", "nombre": 2}]}"#,
                        #"{"mobilites": [{"sens": "ailleurs", "public": "apprenti", "pays": "DE", "nombre": 1}]}"#,
                        #"{}"#, #"{"mobilites": null}"#] {
                let refused = try await app.send(.PUT, path, json: bad, as: team)
                #expect(refused.status == .unprocessableEntity, "\(bad) → \(refused.status)")
                if bad.contains("null") || bad == "{}" {
                    #expect(refused.body.string.contains("vide pour les retirer toutes"), "\(bad): the field's own hint")
                }
            }
            #expect(try await app.send(.PUT, "/api/v1/campus/\(id)/mobilites/\(year.next)", json: Self.body, as: team).status == .unprocessableEntity)
            #expect(try await MobilityRecord.query(on: app.db).count() == 3)

            // A new list replaces the year's: one line changed, one removed, one kept; each change in the audit trail.
            let replaced = try await app.send(.PUT, path, json: #"{"mobilites": [{"sens": "sortante", "public": "apprenti", "pays": "DE", "nombre": 5}, {"sens": "entrante", "public": "personnel", "pays": "IT", "nombre": 1}]}"#, as: team)
            #expect(try replaced.decoded(Lines.self).sortantes == 5)
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "mobilite").all().map(\.action)
            #expect(actions.filter { $0 == "creation" }.count == 3 && actions.filter { $0 == "modification" }.count == 1 && actions.filter { $0 == "suppression" }.count == 1)
            #expect(try await app.send(.PUT, path, json: #"{"mobilites": []}"#, as: team).status == .ok)
            #expect(try await MobilityRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("two replacements at once: both answered, the year holds exactly one of the two lists", arguments: TestDatabase.all)
    func concurrentReplacements(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id)
            let path = "/api/v1/campus/\(campus.id!.lower)/mobilites/\(SchoolYear(containing: CalendarDay.today))"
            let lists = (0..<6).map { n in #"{"mobilites": [{"sens": "sortante", "public": "apprenti", "pays": "DE", "nombre": \#(n + 1)}, {"sens": "entrante", "public": "scolaire", "pays": "\#(["IT", "ES"][n % 2])", "nombre": 1}]}"# }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for list in lists { group.addTask { try await app.send(.PUT, path, json: list, as: team).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok })
            let records = try await MobilityRecord.query(on: app.db).all()
            #expect(records.count == 2)
            #expect(records.filter { $0.sens == .sortante }.count == 1 && records.filter { $0.sens == .entrante }.count == 1)
        }
    }

    @Test("the page: the team adds and removes a line by its forms; the région reads; the public is sent to sign in", arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            _ = try await TestAccounts.user(app, role: .equipeCampus, email: "equipe@cmq.test", campus: campus.id, password: "mot de passe équipe")
            var team = BrowserSession(app)
            _ = try await team.signIn("equipe@cmq.test", "mot de passe équipe")
            let year = SchoolYear(containing: CalendarDay.today)
            let path = "/campus/\(campus.id!.lower)/mobilites/\(year)"
            let indicators = try await team.get("/campus/\(campus.id!.lower)/indicateurs").body.string
            #expect(indicators.contains("href=\"\(path)\""))
            let empty = try await team.get(path).body.string
            #expect(empty.contains("Aucune mobilité saisie") && empty.contains("<option value=\"DE\">Allemagne</option>"))
            let form = "/gestion/campus/\(campus.id!.lower)/mobilites/\(year)"
            let added = try await team.post(form, [("sens", "sortante"), ("public", "apprenti"), ("pays", "PT"), ("nombre", "6")])
            #expect(added.status == .seeOther)
            let refused = try await team.post(form, [("sens", "sortante"), ("public", "apprenti"), ("pays", "FR"), ("nombre", "2")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("pas un pays étranger"))
            let shown = try await team.get(path).body.string
            #expect(shown.contains("Portugal") && shown.contains("<strong>6</strong> mobilité(s) sortante(s)"))
            #expect(try await team.post(form + "/retrait", [("sens", "sortante"), ("public", "apprenti"), ("pays", "PT")]).status == .seeOther)
            #expect(try await MobilityRecord.query(on: app.db).count() == 0)
            #expect(try await app.send(.GET, path, as: .anonymous).status != .ok)
            let region = try await TestAccounts.identity(app, .regionAcademique, region: campus.regionCode)
            #expect(try await app.send(.GET, path, as: region).status == .ok)
        }
    }
}
