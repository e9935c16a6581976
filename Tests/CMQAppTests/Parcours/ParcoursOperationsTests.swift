@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import Vapor

@Suite("Pathways: commands, configuration, demo")
struct ParcoursOperationsTests {
    static func run(_ command: some AsyncCommand, _ app: Application, _ arguments: [String]) async throws {
        var context = CommandContext(console: app.console, input: CommandInput(arguments: ["cmq"] + arguments))
        context.application = app
        try await command.run(using: &context)
    }

    @Test("cmq import parcours, cmq rgpd delete-parcours, cmq rgpd purge-parcours", arguments: TestDatabase.all)
    func commands(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await ParcoursFixture.make(app)
            let file = TestScratch.directory + "/parcours-\(UUID().uuidString.prefix(8)).csv"
            try ParcoursFixture.file(uai: "0020079A", year: "2024-2025", learners: 1...6).write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            // when: imported by the command line
            try await Self.run(ImportParcoursCommand(), app, [file, "--uai", "0020079a"])
            #expect(try await ParcoursEtape.query(on: app.db).count() == 6)
            // a bad UAI or an unknown establishment: refused, nothing more written
            await #expect(throws: (any Error).self) { try await Self.run(ImportParcoursCommand(), app, [file, "--uai", "123"]) }
            await #expect(throws: (any Error).self) { try await Self.run(ImportParcoursCommand(), app, [file, "--uai", "0010001W"]) }
            // one learner erased by INE
            try await Self.run(RGPDDeleteParcoursCommand(), app, ["--ine", ParcoursFixture.ine(2)])
            #expect(try await ParcoursEtape.query(on: app.db).count() == 5)
            await #expect(throws: (any Error).self) { try await Self.run(RGPDDeleteParcoursCommand(), app, ["--ine", "pas-un-ine"]) }
            // the purge with the application's clock on 2026-11-30 keeping 2 school years (2025-2026, 2026-2027) deletes 2024-2025
            app.clock = .fixed(Date(timeIntervalSince1970: 1_796_040_000)) // 2026-11-30 12:00 UTC
            try await Self.run(RGPDPurgeParcoursCommand(), app, ["--annees", "2"])
            #expect(try await ParcoursEtape.query(on: app.db).count() == 0)
            await #expect(throws: (any Error).self) { try await Self.run(RGPDPurgeParcoursCommand(), app, ["--annees", "0"]) }
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entity ~~ ["parcours", "parcours-effacement"]).all()
            #expect(entries.count == 3)
            #expect(entries.allSatisfy { $0.actorLabel.hasPrefix("cmq ") })
            _ = f
        }
    }

    @Test("CMQ_PSEUDONYM_KEY and CMQ_PARCOURS_RETENTION are checked at start")
    func configuration() throws {
        let config = try AppConfig.fromEnvironment(["CMQ_PSEUDONYM_KEY": String(repeating: "k", count: 32), "CMQ_PARCOURS_RETENTION": "3"])
        #expect(config.pseudonymKey?.count == 32 && config.parcoursRetentionYears == 3)
        #expect(try AppConfig.fromEnvironment([:]).pseudonymKey == nil)
        #expect(try AppConfig.fromEnvironment([:]).parcoursRetentionYears == 5)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_PSEUDONYM_KEY": "trop-courte"]) }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_PARCOURS_RETENTION": "0"]) }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_PARCOURS_RETENTION": "vingt"]) }
    }

    @Test("the demo's pathways are generated the same every time, in the campus's formations, and said to be generated", arguments: TestDatabase.all)
    func demo(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: the demo campus with a CAP and a bac pro at one lycée, a BTS at another
            let f = try await ParcoursFixture.make(app)
            for (organisation, cfd, level) in [(f.lyceeA, "50022510", 3), (f.lyceeA, "40022503", 4), (f.lyceeB, "32022506", 5)] {
                let formation = Formation(organisationID: try organisation.requireID(), intitule: "Formation \(cfd)", niveauSortie: level)
                formation.cfd = cfd
                try await formation.create(on: app.db)
            }
            func generated() async throws -> [String] {
                try await ParcoursEtape.query(on: app.db).all()
                    .map { "\($0.pseudonyme)|\($0.annee)|\($0.uai)|\($0.codeFormation)|\($0.statut.rawValue)|\($0.issue?.rawValue ?? "")" }.sorted()
            }
            // when
            let count = try await ParcoursDemo(db: app.db).load()
            let first = try await generated()
            try await ParcoursEtape.query(on: app.db).delete()
            try await ParcoursEnvoi.query(on: app.db).delete()
            _ = try await ParcoursDemo(db: app.db).load()
            // then
            #expect(count > 150 && first.count == count)
            #expect(try await generated() == first)
            #expect(Set(first.map { $0.split(separator: "|")[1] }) == ["2023", "2024", "2025"])
            #expect(first.contains { $0.hasSuffix("|32022506|apprenti|") || $0.contains("|32022506|apprenti|") })
            #expect(try await ParcoursDemo.isDemo(campusID: f.campus.requireID(), on: app.db))
            let page = try await app.send(.GET, "/campus/\(try f.campus.requireID().lower)/parcours", as: .anonymous).body.string
            #expect(page.contains("Données de démonstration générées"))
            // a place's learners, a column total of one year's table and a row total of the next, are masked in both or in neither
            for identity in [TestIdentity.anonymous, .admin] {
                let flows = try await app.send(.GET, "/api/v1/campus/\(try f.campus.requireID().lower)/parcours", as: identity).decoded(ParcoursFlowsDTO.self)
                #expect(flows.transitions.count == 2)
                let (first, second) = (flows.transitions[0], flows.transitions[1])
                for (index, column) in first.colonnes.enumerated() where !column.sortie {
                    let row = try #require(second.lignes.first { $0.depart.cle == column.cle })
                    #expect(row.total.masque == first.totauxColonnes[index].masque, "\(column.libelle)")
                    if !row.total.masque { #expect(row.total.valeur == first.totauxColonnes[index].valeur) }
                }
            }
        }
    }
}
