@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// A campus network of three establishments (two lycées and a CFA) and the accounts that act on its pathways.
struct ParcoursFixture {
    static let key = "cle-de-test-des-parcours-0123456789-abcdef"

    var campus: Campus
    var lyceeA: Organisation
    var lyceeB: Organisation
    var cfa: Organisation
    var outsider: Organisation
    var team: TestIdentity
    var memberA: TestIdentity
    var memberB: TestIdentity
    var region: TestIdentity
    var otherRegion: TestIdentity
    var otherTeam: TestIdentity

    static func make(_ app: Application, key: String? = ParcoursFixture.key) async throws -> ParcoursFixture {
        app.cmqConfig.pseudonymKey = key
        let campus = try await Factory.campus(app.db)
        let other = try await Factory.campus(app.db, nom: "Autre campus", academie: "12", region: "76")
        let lyceeA = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A")
        let lyceeB = try await Factory.organisation(app.db, nom: "Lycée Condorcet (général et technologique)", uai: "0020050U")
        let cfa = try await Factory.organisation(app.db, nom: "CFA de l'industrie", kind: "cfa", uai: "0801864S")
        let outsider = try await Factory.organisation(app.db, nom: "Lycée d'ailleurs", uai: "0622801H")
        for member in [lyceeA, lyceeB, cfa] { try await Factory.membership(app.db, campus: campus, organisation: member) }
        try await Factory.membership(app.db, campus: other, organisation: outsider)
        return ParcoursFixture(
            campus: campus, lyceeA: lyceeA, lyceeB: lyceeB, cfa: cfa, outsider: outsider,
            team: try await TestAccounts.identity(app, .equipeCampus, campus: campus.requireID()),
            memberA: try await TestAccounts.identity(app, .membre, organisation: lyceeA.requireID()),
            memberB: try await TestAccounts.identity(app, .membre, organisation: lyceeB.requireID()),
            region: try await TestAccounts.identity(app, .regionAcademique, region: "32"),
            otherRegion: try await TestAccounts.identity(app, .regionAcademique, region: "76"),
            otherTeam: try await TestAccounts.identity(app, .equipeCampus, campus: other.requireID()))
    }

    static let header = "ine;annee_scolaire;uai;code_formation;statut;issue\n"

    /// A valid INE-BEA for a number.
    static func ine(_ number: Int) -> String {
        let digits = String(format: "%010d", number)
        return digits + String(INE.beaCheckLetter(forDigits: digits))
    }

    /// A file of `count` learners numbered from `first`, all in one formation and status.
    static func file(uai: String, year: String = "2024-2025", learners: ClosedRange<Int>, formation: String = "40025214",
                     statut: String = "scolaire", issue: String = "poursuite") -> String {
        header + learners.map { "\(ine($0));\(year);\(uai);\(formation);\(statut);\(issue)\n" }.joined()
    }

    func upload(_ app: Application, _ organisation: Organisation, _ csv: String, as identity: TestIdentity) async throws -> TestingHTTPResponse {
        try await app.send(.POST, "/api/v1/organisations/\(organisation.requireID().lower)/parcours", json: csv, contentType: "text/csv; charset=utf-8", as: identity)
    }
}

@Suite("Pathways: import, rights, flows, erasure")
struct ParcoursTests {
    @Test("a member uploads its file: stored pseudonymised (HMAC-SHA256 of the INE), no INE anywhere, audited", arguments: TestDatabase.all)
    func importPseudonymised(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let f = try await ParcoursFixture.make(app)
            // when
            let response = try await f.upload(app, f.lyceeA, ParcoursFixture.file(uai: "0020079A", learners: 1...12), as: f.memberA)
            // then
            #expect(response.status == .created, "\(response.body.string)")
            let dto = try response.decoded(ParcoursImportDTO.self)
            #expect(dto.etapes == 12 && dto.anneeScolaire == "2024-2025" && dto.etapesRemplacees == nil)
            let steps = try await ParcoursEtape.query(on: app.db).all()
            #expect(steps.count == 12)
            let expected = try Pseudonymiser(secret: ParcoursFixture.key).pseudonym(try INE(ParcoursFixture.ine(1)))
            #expect(steps.contains { $0.pseudonyme == expected })
            #expect(steps.allSatisfy { $0.pseudonyme.count == 64 && !$0.pseudonyme.contains(String(ParcoursFixture.ine(1).prefix(10))) })
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "parcours").all()
            #expect(audit.count == 1 && audit[0].action == "creation" && audit[0].changes.contains("\"etapes\""))
            #expect(!audit[0].changes.contains(ParcoursFixture.ine(1)))
        }
    }

    @Test("bad lines: 422 naming each line, nothing written", arguments: TestDatabase.all)
    func badLines(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            let csv = ParcoursFixture.header
                + "\(ParcoursFixture.ine(1));2024-2025;0020079A;40025214;scolaire;\n"
                + "12345678901;2024-2025;0020079A;40025214;scolaire;\n"                   // line 3: no format (all digits, wrong Base 36 key)
                + "\(ParcoursFixture.ine(3));2024-2025;0020050U;40025214;scolaire;\n"   // line 4: another establishment's UAI
            let response = try await f.upload(app, f.lyceeA, csv, as: f.memberA)
            #expect(response.status == .unprocessableEntity)
            #expect(response.isProblemJSON)
            let details = response.problem?.errors?.map(\.detail) ?? []
            #expect(details.contains { $0.hasPrefix("ligne 3 :") } && details.contains { $0.hasPrefix("ligne 4 :") })
            #expect(!details.contains { $0.hasPrefix("ligne 2 :") })
            #expect(try await ParcoursEtape.query(on: app.db).count() == 0)
            #expect(try await ParcoursEnvoi.query(on: app.db).count() == 0)
        }
    }

    @Test("without CMQ_PSEUDONYM_KEY the import is refused in French and writes nothing", arguments: TestDatabase.all)
    func keyMissing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app, key: nil)
            let response = try await f.upload(app, f.lyceeA, ParcoursFixture.file(uai: "0020079A", learners: 1...3), as: f.memberA)
            #expect(response.status == .conflict)
            #expect(response.problem?.detail.contains("CMQ_PSEUDONYM_KEY") == true)
            #expect(try await ParcoursEtape.query(on: app.db).count() == 0)
            // and a start with pathways stored but no key says so
            app.cmqConfig.pseudonymKey = ParcoursFixture.key
            #expect(try await f.upload(app, f.lyceeA, ParcoursFixture.file(uai: "0020079A", learners: 1...3), as: f.memberA).status == .created)
            #expect(try await ParcoursService.startupCheck(key: nil, on: app.db)?.contains("CMQ_PSEUDONYM_KEY") == true)
            #expect(try await ParcoursService.startupCheck(key: ParcoursFixture.key, on: app.db) == nil)
            // another key: refused at import and at start
            app.cmqConfig.pseudonymKey = String(repeating: "x", count: 40)
            #expect(try await f.upload(app, f.lyceeA, ParcoursFixture.file(uai: "0020079A", learners: 1...3), as: f.memberA).status == .conflict)
            await #expect(throws: AppConfig.Invalid.self) { try await ParcoursService.startupCheck(key: String(repeating: "x", count: 40), on: app.db) }
        }
    }

    @Test("the same establishment and school year sent again replaces the former file", arguments: TestDatabase.all)
    func replaces(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            #expect(try await f.upload(app, f.lyceeA, ParcoursFixture.file(uai: "0020079A", learners: 1...10), as: f.memberA).status == .created)
            // another year is kept beside it
            #expect(try await f.upload(app, f.lyceeA, ParcoursFixture.file(uai: "0020079A", year: "2023-2024", learners: 1...4), as: f.team).status == .created)
            let again = try await f.upload(app, f.lyceeA, ParcoursFixture.file(uai: "0020079A", learners: 1...6), as: f.memberA)
            #expect(again.status == .created)
            #expect(try again.decoded(ParcoursImportDTO.self).etapesRemplacees == 10)
            #expect(try await ParcoursEtape.query(on: app.db).filter(\.$annee == 2024).count() == 6)
            #expect(try await ParcoursEtape.query(on: app.db).filter(\.$annee == 2023).count() == 4)
            #expect(try await ParcoursEnvoi.query(on: app.db).count() == 2)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "parcours").filter(\.$action == "modification").all()
            #expect(audit.count == 1 && audit[0].changes.contains("\"avant\":\"10\""))
        }
    }

    @Test("two uploads of one establishment and school year at once: both succeed, one file remains", arguments: TestDatabase.all)
    func concurrentUploads(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            let first = ParcoursFixture.file(uai: "0020079A", learners: 1...40), second = ParcoursFixture.file(uai: "0020079A", learners: 100...129)
            async let a = f.upload(app, f.lyceeA, first, as: f.memberA)
            async let b = f.upload(app, f.lyceeA, second, as: f.team)
            let statuses = try await [a.status, b.status]
            #expect(statuses == [.created, .created])
            let envois = try await ParcoursEnvoi.query(on: app.db).all()
            #expect(envois.count == 1)
            let steps = try await ParcoursEtape.query(on: app.db).count()
            #expect(steps == 40 || steps == 30)
            #expect(envois.first?.etapes == steps)
        }
    }

    @Test("refusals: nobody, another member, the région, another campus's team, an outsider; nothing written", arguments: TestDatabase.all)
    func refusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            let csv = ParcoursFixture.file(uai: "0020079A", learners: 1...3)
            #expect(try await f.upload(app, f.lyceeA, csv, as: .anonymous).status == .unauthorized)
            #expect(try await f.upload(app, f.lyceeA, csv, as: f.memberB).status == .forbidden)
            #expect(try await f.upload(app, f.lyceeA, csv, as: f.region).status == .forbidden)
            #expect(try await f.upload(app, f.lyceeA, csv, as: f.otherTeam).status == .forbidden)
            // an establishment outside every network has nowhere to show its pathways
            let outsider = try await Factory.organisation(app.db, nom: "Hors réseau", uai: "0010001W")
            let lonely = try await f.upload(app, outsider, ParcoursFixture.file(uai: "0010001W", learners: 1...3), as: .admin)
            #expect(lonely.status == .unprocessableEntity)
            #expect(try await ParcoursEtape.query(on: app.db).count() == 0)
        }
    }

    /// Two school years: 30 learners at lycée A in 2023 (bac pro scolaire); in 2024, 12 are at the CFA (BTS apprenti),
    /// 3 at lycée B (BTS scolaire), the others gone (10 declared continuing elsewhere, 5 graduated).
    static func network(_ app: Application, _ f: ParcoursFixture) async throws {
        var lyceeA = ParcoursFixture.header
        for n in 1...30 {
            let issue = n <= 25 ? "poursuite" : "diplome"
            lyceeA += "\(ParcoursFixture.ine(n));2023-2024;0020079A;40025214;scolaire;\(issue)\n"
        }
        #expect(try await f.upload(app, f.lyceeA, lyceeA, as: f.memberA).status == .created)
        #expect(try await f.upload(app, f.cfa, ParcoursFixture.file(uai: "0801864S", learners: 1...12, formation: "32025415", statut: "apprenti", issue: ""),
                                   as: f.team).status == .created)
        #expect(try await f.upload(app, f.lyceeB, ParcoursFixture.file(uai: "0020050U", learners: 13...15, formation: "32025415", issue: ""),
                                   as: f.memberB).status == .created)
    }

    @Test("flows by audience: the team and the région see the network (threshold 5), the public 20, a member its own learners", arguments: TestDatabase.all)
    func flowsByAudience(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            try await Self.network(app, f)
            let path = "/api/v1/campus/\(try f.campus.requireID().lower)/parcours"

            let inside = try await app.send(.GET, path, as: f.team).decoded(ParcoursFlowsDTO.self)
            #expect(inside.vue == "interne" && inside.seuil == 5)
            let t = try #require(inside.transitions.first)
            #expect(t.de == "2023-2024" && t.a == "2024-2025")
            #expect(t.apprenants.valeur == 30)
            // 12 + 3 continue in the network, but the 3 are masked (< 5) and their row sum would give them back
            let cfaColumn = try #require(t.colonnes.firstIndex { $0.uai == "0801864S" })
            let lyceeBColumn = try #require(t.colonnes.firstIndex { $0.uai == "0020050U" })
            let row = try #require(t.lignes.first { $0.depart.uai == "0020079A" })
            #expect(row.effectifs[lyceeBColumn].masque && row.effectifs[lyceeBColumn].valeur == nil && row.effectifs[lyceeBColumn].texte == "< 5")
            #expect(row.total.valeur == 30)
            // no row or column with exactly one masked member among shown totals
            let shownCells = row.effectifs.filter { !$0.masque }.compactMap(\.valeur).reduce(0, +)
            #expect(row.effectifs.filter(\.masque).count != 1 || row.total.masque || shownCells == 30)
            #expect(row.effectifs.filter(\.masque).count >= 2)
            _ = cfaColumn
            #expect(t.sorties.first { $0.libelle.hasPrefix("Poursuite") }?.effectif.valeur == 10)
            // 30 − 12 − 10 − 5 would give the 3 back: the 5 graduates are masked too (secondary), and their column's total
            #expect(row.effectifs[t.colonnes.firstIndex { $0.cle == "diplome" }!].texte == "secret")
            #expect(t.sorties.first { $0.libelle.hasPrefix("Diplômé") }?.effectif.masque == true)
            #expect(t.changementsDeStatut.first?.libelle == "De scolaire à apprenti")

            let regional = try await app.send(.GET, path, as: f.region).decoded(ParcoursFlowsDTO.self)
            #expect(regional.vue == "interne")
            #expect(try await app.send(.GET, path, as: f.otherRegion).decoded(ParcoursFlowsDTO.self).vue == "public")

            let public_ = try await app.send(.GET, path, as: .anonymous).decoded(ParcoursFlowsDTO.self)
            #expect(public_.vue == "public" && public_.seuil == 20)
            let publicRow = try #require(public_.transitions.first?.lignes.first { $0.depart.uai == "0020079A" })
            #expect(publicRow.effectifs.allSatisfy { $0.valeur == nil || $0.valeur == 0 || $0.valeur! >= 20 })
            #expect(publicRow.effectifs[cfaColumn].texte == "< 20")

            let member = try await app.send(.GET, path, as: f.memberB).decoded(ParcoursFlowsDTO.self)
            #expect(member.vue == "membre")
            #expect(member.transitions.first?.lignes.isEmpty == true) // lycée B had nobody in 2023-2024
            let memberA = try await app.send(.GET, path, as: f.memberA).decoded(ParcoursFlowsDTO.self)
            #expect(memberA.transitions.first?.lignes.map(\.depart.uai) == ["0020079A"])
        }
    }

    @Test("a place's learners masked in one year's table are masked in the next one's too (no recovery across tables)", arguments: TestDatabase.all)
    func linkedTables(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: 2023 at lycée A, 18 learners: 2 go to lycée B, 7 to the CFA, 9 graduate; lycée B has 6 newcomers in 2024;
            // the 7 at the CFA are still there in 2025. In 2023's table the 2 is small; row A then masks the 7 and
            // column « CFA 2024 » its total 7. In 2024's table the CFA's row total is the same 7: shown, it would give
            // back the 7 of 2023's table, then the 2 (18 − 7 − 9).
            let f = try await ParcoursFixture.make(app)
            func lines(_ learners: [Int], _ year: String, _ uai: String, _ formation: String, _ statut: String, _ issue: (Int) -> String) -> String {
                ParcoursFixture.header + learners.map { "\(ParcoursFixture.ine($0));\(year);\(uai);\(formation);\(statut);\(issue($0))\n" }.joined()
            }
            #expect(try await f.upload(app, f.lyceeA, lines(Array(1...18), "2023-2024", "0020079A", "40025214", "scolaire") { $0 <= 9 ? "poursuite" : "diplome" }, as: f.team).status == .created)
            #expect(try await f.upload(app, f.lyceeB, lines([1, 2] + Array(100...105), "2024-2025", "0020050U", "32022506", "scolaire") { _ in "" }, as: f.team).status == .created)
            #expect(try await f.upload(app, f.cfa, lines(Array(3...9), "2024-2025", "0801864S", "32025415", "apprenti") { _ in "poursuite" }, as: f.team).status == .created)
            #expect(try await f.upload(app, f.cfa, lines(Array(3...9), "2025-2026", "0801864S", "32025415", "apprenti") { _ in "" }, as: f.team).status == .created)
            // when
            let flows = try await app.send(.GET, "/api/v1/campus/\(try f.campus.requireID().lower)/parcours", as: f.team).decoded(ParcoursFlowsDTO.self)
            // then
            let (first, second) = (flows.transitions[0], flows.transitions[1])
            let cfa = try #require(first.colonnes.firstIndex { $0.uai == "0801864S" })
            #expect(first.totauxColonnes[cfa].masque)
            let cfaRow = try #require(second.lignes.first { $0.depart.uai == "0801864S" })
            #expect(cfaRow.total.masque && cfaRow.total.valeur == nil)
            // and that row's sum (its cells and its total) has two masked members
            #expect(cfaRow.effectifs.filter(\.masque).count + (cfaRow.total.masque ? 1 : 0) >= 2)
        }
    }

    @Test("the flows page: SVG diagram and table twin, masked cells as text, the team's upload link", arguments: TestDatabase.all)
    func flowsPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            try await Self.network(app, f)
            let path = "/campus/\(try f.campus.requireID().lower)/parcours"
            let team = try await app.send(.GET, path, as: f.team)
            #expect(team.status == .ok)
            let html = team.body.string
            #expect(html.contains("<svg") && html.contains("aria-hidden=\"true\"") && html.contains("<table>"))
            #expect(html.contains("&lt; 5"))
            #expect(html.contains("href=\"/gestion/parcours\""))
            #expect(!html.contains("données de démonstration") && !html.contains("Données de démonstration"))
            let anonymous = try await app.send(.GET, path, as: .anonymous).body.string
            #expect(anonymous.contains("&lt; 20") && !anonymous.contains("href=\"/gestion/parcours\""))
            // the campus page links to the flows (data stored: everybody); a campus without pathways links only for its readers
            #expect(try await app.send(.GET, "/campus/\(try f.campus.requireID().lower)", as: .anonymous).body.string.contains(path))
            let empty = try await Factory.campus(app.db, nom: "Campus sans parcours")
            let emptyPath = "/campus/\(try empty.requireID().lower)"
            #expect(!(try await app.send(.GET, emptyPath, as: .anonymous).body.string.contains("/parcours\"")))
            #expect(try await app.send(.GET, emptyPath, as: .admin).body.string.contains("\(emptyPath)/parcours"))
            // the upload page lists the team's members and the layout
            let upload = try await app.send(.GET, "/gestion/parcours", as: f.team).body.string
            #expect(upload.contains("Lycée Condorcet (0020079A)") && upload.contains("exemple-parcours.csv") && upload.contains("2023-2024"))
        }
    }

    @Test("a learner's steps are erased by INE (hashed with the same key), and the purge keeps the latest school years", arguments: TestDatabase.all)
    func erasureAndPurge(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            try await Self.network(app, f)
            let service = ParcoursService(db: app.db, caller: .command("rgpd delete-parcours"), key: ParcoursFixture.key)
            // learner 1 has a step at lycée A (2023) and one at the CFA (2024)
            #expect(try await service.eraseLearner(ine: ParcoursFixture.ine(1)) == 2)
            #expect(try await service.eraseLearner(ine: ParcoursFixture.ine(1)) == 0)
            await #expect(throws: AppError.self) { try await service.eraseLearner(ine: "1234") }
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "parcours-effacement").count() == 2)
            #expect(try await ParcoursEtape.query(on: app.db).count() == 30 + 12 + 3 - 2)
            // by a signed-in account other than the national administrator: refused
            let caller = Caller(actor: Actor(userID: UUID(), role: .equipeCampus, campusID: try f.campus.requireID()), author: .command("x"), isOperator: false)
            await #expect(throws: AppError.self) { try await ParcoursService(db: app.db, caller: caller, key: ParcoursFixture.key).eraseLearner(ine: ParcoursFixture.ine(2)) }

            // purge on 2025-11-30 (school year 2025-2026) keeping 2 school years: 2024-2025 and 2025-2026 stay
            var command = Caller.command("rgpd purge-parcours")
            command.clock = AppClock.fixed(Date(timeIntervalSince1970: 1_764_504_000)) // 2025-11-30 12:00 UTC
            let result = try await ParcoursService(db: app.db, caller: command, key: nil).purge(keepingYears: 2)
            #expect(result.keptFrom == SchoolYear(start: 2024))
            #expect(result.etapes == 29)
            #expect(try await ParcoursEtape.query(on: app.db).filter(\.$annee == 2023).count() == 0)
            #expect(try await ParcoursEtape.query(on: app.db).count() == 14)
            #expect(try await ParcoursEnvoi.query(on: app.db).filter(\.$annee == 2023).count() == 0)
        }
    }

    @Test("the access policy: who reads the flows, who sends the files")
    func policy() {
        let campus = UUID(), organisation = UUID()
        let scope = [Resource.CampusScope(id: campus, regionCode: "32")]
        let flows = Resource.parcours(campusID: campus, regionCode: "32")
        let files = Resource.parcoursEtablissement(organisationID: organisation, campuses: scope)
        func actor(_ role: Role, region: String? = nil, campus: UUID? = nil, organisation: UUID? = nil) -> Actor {
            Actor(userID: UUID(), role: role, regionCode: region, campusID: campus, organisationID: organisation)
        }
        #expect(AccessPolicy.decide(nil, .read, flows) != .allowed)
        #expect(AccessPolicy.decide(actor(.equipeCampus, campus: campus), .read, flows) == .allowed)
        #expect(AccessPolicy.decide(actor(.equipeCampus, campus: UUID()), .read, flows) != .allowed)
        #expect(AccessPolicy.decide(actor(.regionAcademique, region: "32"), .read, flows) == .allowed)
        #expect(AccessPolicy.decide(actor(.regionAcademique, region: "76"), .read, flows) != .allowed)
        #expect(AccessPolicy.decide(actor(.membre, organisation: organisation), .read, flows) != .allowed)
        #expect(AccessPolicy.decide(actor(.membre, organisation: organisation), .create, files) == .allowed)
        #expect(AccessPolicy.decide(actor(.membre, organisation: UUID()), .create, files) != .allowed)
        #expect(AccessPolicy.decide(actor(.equipeCampus, campus: campus), .create, files) == .allowed)
        #expect(AccessPolicy.decide(actor(.regionAcademique, region: "32"), .create, files) != .allowed)
        #expect(AccessPolicy.decide(actor(.regionAcademique, region: "32"), .read, files) == .allowed)
        #expect(AccessPolicy.decide(Actor(userID: UUID(), role: .instance, instance: .cnee), .read, flows) != .allowed)
    }
}
