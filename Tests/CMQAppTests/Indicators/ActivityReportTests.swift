@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("The annual activity report: written, transmitted (figures frozen), acknowledged")
struct ActivityReportTests {
    struct Report: Decodable {
        struct Section: Decodable {
            struct Figure: Decodable { let code: String; let valeur: Double? }
            let code: String
            let texte: String
            let chiffres: [Figure]
        }
        struct Event: Decodable { let statut: String; let commentaire: String? }
        let statut: String?
        let chiffresFiges: Bool
        let commentaireRegion: String?
        let sections: [Section]
        let historique: [Event]
        let modifiable: Bool
        let peutPrendreEnCompte: Bool

        func section(_ code: String) -> Section? { sections.first { $0.code == code } }
        func figure(_ code: String) -> Double? { sections.flatMap(\.chiffres).first { $0.code == code }?.valeur }
    }

    @Test("from draft to acknowledgment, with the rights of each role and the figures frozen at transmission", arguments: TestDatabase.all)
    func lifecycle(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet")
            try await Factory.membership(app.db, campus: campus, organisation: lycee)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id)
            let region = try await TestAccounts.identity(app, .regionAcademique, region: campus.regionCode)
            let otherRegion = try await TestAccounts.identity(app, .regionAcademique, region: "11")
            let member = try await TestAccounts.identity(app, .membre, organisation: lycee.id)
            let year = SchoolYear(containing: CalendarDay.today)
            let base = "/api/v1/campus/\(campus.id!.lower)/rapports/\(year)"

            // Reading: not public; the team, its région and the national level.
            #expect(try await app.send(.GET, base, as: .anonymous).status == .unauthorized)
            #expect(try await app.send(.GET, base, as: member).status == .forbidden)
            #expect(try await app.send(.GET, base, as: otherRegion).status == .forbidden)
            let empty = try await app.send(.GET, base, as: region).decoded(Report.self)
            #expect(empty.statut == nil && !empty.modifiable && !empty.peutPrendreEnCompte)
            #expect(empty.figure("RES-01") == 1)

            // Nothing to transmit before a text; the région does not write.
            #expect(try await app.send(.POST, base + "/transmission", as: team).status == .conflict)
            #expect(try await app.send(.PUT, base + "/textes", json: #"{"reseau": "Texte"}"#, as: region).status == .forbidden)
            let draft = try await app.send(.PUT, base + "/textes", json: #"{"reseau": "Le réseau s'est ouvert à une entreprise.", "perspectives": "Un BTS en apprentissage."}"#, as: team)
            #expect(draft.status == .ok, "\(draft.body.string)")
            let written = try draft.decoded(Report.self)
            #expect(written.statut == "brouillon" && written.modifiable)
            #expect(written.section("reseau")?.texte == "Le réseau s'est ouvert à une entreprise.")
            // A second write keeps the other sections.
            _ = try await app.send(.PUT, base + "/textes", json: #"{"offre": "Deux formations nouvelles."}"#, as: team)
            #expect(try await app.send(.GET, base, as: team).decoded(Report.self).section("perspectives")?.texte == "Un BTS en apprentissage.")
            #expect(try await app.send(.PUT, base + "/textes", json: #"{"inconnue": "x"}"#, as: team).status == .unprocessableEntity)
            // No section at all: refused (found by the fuzzer), nothing created.
            #expect(try await app.send(.PUT, base + "/textes", json: "{}", as: team).status == .unprocessableEntity)
            // The région cannot acknowledge a draft.
            #expect(try await app.send(.POST, base + "/prise-en-compte", json: "{}", as: region).status == .conflict)

            // Transmission freezes the figures: a member added afterwards does not change the report.
            let transmitted = try await app.send(.POST, base + "/transmission", as: team)
            #expect(transmitted.status == .ok)
            #expect(try transmitted.decoded(Report.self).chiffresFiges)
            try await Factory.membership(app.db, campus: campus, organisation: try await Factory.organisation(app.db, nom: "Entreprise Durand", kind: "entreprise"))
            let frozen = try await app.send(.GET, base, as: region).decoded(Report.self)
            #expect(frozen.figure("RES-01") == 1)
            #expect(frozen.peutPrendreEnCompte && !frozen.modifiable)
            // The live indicators did move.
            #expect(try await IndicatorService(db: app.db, caller: .command("test")).board(campusID: campus.id!, year: year).lines.first { $0.indicator.code == "RES-01" }?.value == 2)
            // The next school year's « year before » column is what the report froze, not today's figure.
            #expect(try await IndicatorService(db: app.db, caller: .command("test")).board(campusID: campus.id!, year: year.next).lines.first { $0.indicator.code == "RES-01" }?.previous == 1)
            // No more writing, no second transmission; the team does not acknowledge.
            #expect(try await app.send(.PUT, base + "/textes", json: #"{"reseau": "Autre"}"#, as: team).status == .conflict)
            #expect(try await app.send(.POST, base + "/transmission", as: team).status == .conflict)
            #expect(try await app.send(.POST, base + "/prise-en-compte", json: "{}", as: team).status == .forbidden)
            #expect(try await app.send(.POST, base + "/prise-en-compte", json: "{}", as: otherRegion).status == .forbidden)

            let acknowledged = try await app.send(.POST, base + "/prise-en-compte", json: #"{"commentaire": "Bon travail sur le réseau."}"#, as: region)
            #expect(acknowledged.status == .ok)
            let final = try acknowledged.decoded(Report.self)
            #expect(final.statut == "pris-en-compte" && final.commentaireRegion == "Bon travail sur le réseau.")
            #expect(final.historique.map(\.statut) == ["brouillon", "transmis", "pris-en-compte"])
            #expect(final.figure("RES-01") == 1)
            #expect(try await app.send(.POST, base + "/prise-en-compte", json: "{}", as: region).status == .conflict)

            // The figures download as CSV, frozen as the report shows them, with the same rights.
            let csv = try await app.send(.GET, base + "/chiffres.csv", as: region)
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
            #expect(lines.first?.first == "\u{FEFF}annee_scolaire")
            let members = try #require(lines.first { $0.count > 4 && $0[4] == "RES-01" })
            #expect(members[0] == year.description && members[1] == "pris-en-compte" && members[2] == "oui" && members[7] == "1")
            #expect(lines.count - 1 == final.sections.flatMap(\.chiffres).count)
            #expect(try await app.send(.GET, base + "/chiffres.csv", as: .anonymous).status == .unauthorized)
            #expect(try await app.send(.GET, base + "/chiffres.csv", as: otherRegion).status == .forbidden)
        }
    }

    @Test("two transmissions at once: one wins, the other is refused, and the history says it once", arguments: TestDatabase.all)
    func concurrentTransmissions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id)
            let base = "/api/v1/campus/\(campus.id!.lower)/rapports/\(SchoolYear(containing: CalendarDay.today))"
            #expect(try await app.send(.PUT, base + "/textes", json: #"{"reseau": "Texte"}"#, as: team).status == .ok)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await app.send(.POST, base + "/transmission", as: team).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            #expect(try await ActivityReportEventRecord.query(on: app.db).filter(\.$statut == .transmis).count() == 1)
        }
    }

    @Test("the report's page: the team's form, the région's acknowledgment form, refused to others", arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id)
            let region = try await TestAccounts.identity(app, .regionAcademique, region: campus.regionCode)
            let year = SchoolYear(containing: CalendarDay.today)
            let path = "/campus/\(campus.id!.lower)/rapports/\(year)"
            // The team's back-office home lists the reports to write (the year before and this one), linked.
            let otherRegion = try await TestAccounts.identity(app, .regionAcademique, region: "11")
            let teamHome = try await app.send(.GET, "/gestion", as: team).body.string
            #expect(teamHome.contains("Rapports d&#39;activité à écrire et transmettre") || teamHome.contains("Rapports d'activité à écrire et transmettre"))
            #expect(teamHome.contains("href=\"\(path)\"") && teamHome.contains("\(year.previous)"))
            let teamPage = try await app.send(.GET, path, as: team)
            #expect(teamPage.status == .ok, "\(teamPage.body.string.prefix(2000))")
            #expect(teamPage.body.string.contains("Enregistrer le brouillon") && teamPage.body.string.contains("Membres du réseau"))
            #expect(!teamPage.body.string.contains("Prendre en compte le rapport"))
            _ = try await app.send(.PUT, "/api/v1/campus/\(campus.id!.lower)/rapports/\(year)/textes", json: #"{"reseau": "Texte"}"#, as: team)
            _ = try await app.send(.POST, "/api/v1/campus/\(campus.id!.lower)/rapports/\(year)/transmission", as: team)
            // Transmitted: the région's home lists it to acknowledge; another région's does not; the team's no more.
            let regionHome = try await app.send(.GET, "/gestion", as: region).body.string
            #expect(regionHome.contains("href=\"\(path)\"") && regionHome.contains("transmis, à prendre en compte"))
            #expect(!(try await app.send(.GET, "/gestion", as: otherRegion).body.string.contains("href=\"\(path)\"")))
            #expect(!(try await app.send(.GET, "/gestion", as: team).body.string.contains("href=\"\(path)\"")))
            let regionPage = try await app.send(.GET, path, as: region)
            #expect(regionPage.body.string.contains("Prendre en compte le rapport") && !regionPage.body.string.contains("Enregistrer le brouillon"))
            #expect(regionPage.body.string.contains("figés") || regionPage.body.string.contains("ne changent plus"))
            #expect(try await app.send(.GET, path, as: .anonymous).status != .ok)
        }
    }
}
