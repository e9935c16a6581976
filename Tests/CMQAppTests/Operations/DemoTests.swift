@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import Vapor

@Suite("Demo data set")
struct DemoTests {
    @Test("the demo loads the DEPP establishments and the campuses of the seeds, each with a compliant network", arguments: TestDatabase.all)
    func load(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(try await DemoLoader.databaseIsEmpty(app.db))
            // when
            let summary = try await DemoLoader(db: app.db, logger: app.logger).load()
            // then: about 5,000 real establishments, and the 11 campuses of the seeds
            #expect(summary.campus == 11)
            // Two school years of activity reports per campus: the year before acknowledged (figures frozen), this year a draft.
            #expect(summary.rapports == 22)
            let current = SchoolYear(containing: CalendarDay.today)
            #expect(try await ActivityReportRecord.query(on: app.db).filter(\.$annee == current.previous.startYear).filter(\.$statut == .prisEnCompte).count() == 11)
            #expect(try await ActivityReportRecord.query(on: app.db).filter(\.$annee == current.startYear).filter(\.$statut == .brouillon).count() == 11)
            #expect(try await ActivityReportRecord.query(on: app.db).filter(\.$valeurs == nil).filter(\.$statut == .prisEnCompte).count() == 0)
            #expect(try await IndicatorTargetRecord.query(on: app.db).count() == 44)
            #expect(summary.organisations > 5_000)
            #expect(try await Organisation.query(on: app.db).count() == summary.organisations)
            #expect(try await !DemoLoader.databaseIsEmpty(app.db))
            // every organisation has an invented SIRET (LHEO requires one): valid as a real one, marked as the demo's, each its own
            let sirets = try await Organisation.query(on: app.db).all().map(\.siret)
            #expect(sirets.allSatisfy { $0.map { DemoSIRET.isDemo($0) && (try? SIRET($0)) != nil } ?? false })
            #expect(Set(sirets).count == sirets.count)
            #expect(summary.description.contains("SIRET fictifs"))

            let berard = try #require(try await Organisation.query(on: app.db).filter(\.$uai == "0010001W").first())
            #expect(berard.nom.hasPrefix("Lycée professionnel Alexandre Bérard"))
            #expect(berard.kind == .lyceeProfessionnel && berard.isPublic && berard.lyceeDesMetiers)
            #expect(berard.departementCode == "01" && berard.regionCode == "84")

            // Amiens: Métallurgie et plasturgie, supported by the lycée Condorcet of Saint-Quentin
            let metallurgie = try #require(try await Campus.query(on: app.db).filter(\.$nom == "Métallurgie et plasturgie").first())
            #expect(metallurgie.academieCode == "20" && metallurgie.filiere == .materiauxInnovants)
            let network = NetworkService(db: app.db, caller: .command("test"))
            let support = try #require(try await network.memberships(of: metallurgie.requireID()).first { $0.role == .etablissementSupport })
            #expect(support.organisation.uai == "0020079A")
            #expect(support.organisation.commune == "Saint-Quentin")
            #expect(support.organisation.latitude != nil)

            for campus in try await Campus.query(on: app.db).all() {
                let compliance = try await network.compliance(of: campus.requireID(), on: app.clock.today)
                #expect(compliance.isCompliant, "\(campus.nom): \(compliance.checks.filter { !$0.passed }.map(\.explanation))")
            }
            let names = Set(try await Campus.query(on: app.db).all().map(\.nom))
            #expect(names.contains("Travaux publics") && names.contains("Aéronautique") && names.contains("Bois"))

            // Platforms: the injection press, the machining centre and the metrology room of Métallurgie et plasturgie,
            // with a school half-year of bookings, and requests waiting for their owner.
            #expect(summary.plateaux == 4)
            let plateaux = try await PlateauService.list(campusID: metallurgie.requireID(), on: app.db)
            let items = plateaux.flatMap(\.plateau.equipements).map(\.nom)
            #expect(items.contains("Presse à injecter Arburg 80 t") && items.contains("Centre d'usinage 5 axes DMG Mori"))
            #expect(plateaux.map(\.plateau.nom).contains("Salle de métrologie Innovaltech"))
            #expect(summary.reservations > 150)
            #expect(try await ReservationRecord.query(on: app.db).filter(\.$statut == BookingStatus.demandee).count() >= 3)
            #expect(try await ReservationRecord.query(on: app.db).filter(\.$statut == BookingStatus.refusee).count() >= 1)
            let usage = try await PlateauUsage.compute(plateaux, months: CalendarMonth(year: 2026, month: 9)!...CalendarMonth(year: 2027, month: 2)!, on: app.db)
            #expect(usage.monthly.count == 6)
            #expect(usage.total.byOrganisation.count >= 5)
            #expect((usage.monthly.first { $0.month.month == 10 }?.occupancyRate ?? 0) > 0.1)
            // the seeds' open day of 14 February 2015 at the lycée Condorcet, and a school year of actions per campus around today
            #expect(summary.actions == 11 * 6 + 1)
            let openDay = try #require(try await ActionRecord.query(on: app.db).filter(\.$anneeScolaire == 2014).first())
            #expect(try openDay.timings.first?.start.iso == "2015-02-14T09:00" && openDay.moderation == .publie && openDay.participantsTotal == 497)
            let now = LocalDateTime(date: Date()).wallClockMinutes
            #expect(try await ActionRecord.query(on: app.db).filter(\.$premierDebut > now).filter(\.$inscription == .cmq).count() == 22)
            #expect(try await ActionRecord.query(on: app.db).filter(\.$dernierFin < now).filter(\.$participationLe != nil).count() == 11 * 3 + 1)
            // "Ma réussite pro": two published, one waiting for a parent's consent (not publishable), one refused
            #expect(summary.temoignages == 4)
            let temoignages = try await TemoignageRecord.query(on: app.db).all()
            #expect(temoignages.map(\.etat.rawValue).sorted() == ["en-attente", "publie", "publie", "refuse"])
            #expect(try await TemoignageGallery.published(on: app.db, today: app.clock.today).count == 2)
        }
    }

    @Test("the demo's invented SIRETs: 000 and the rank from 1, the SIREN and the SIRET pass Luhn, all different, none past the capacity")
    func demoSIRETs() throws {
        func luhn(_ digits: String) -> Bool {
            digits.reversed().enumerated().reduce(0) { sum, item in
                let digit = Int(String(item.element))!
                return sum + (item.offset % 2 == 1 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit)
            } % 10 == 0
        }
        let ranks = [0, 1, 2, 9, 10, 5_530, 12_345, DemoSIRET.capacity - 1]
        let made = try ranks.map { try DemoSIRET.make(rank: $0) }
        for siret in made {
            #expect(siret.count == 14 && siret.hasPrefix("000") && DemoSIRET.isDemo(siret))
            #expect(luhn(String(siret.prefix(9))) && luhn(siret))
            #expect((try? SIRET(siret)) != nil)
        }
        // computed apart (Python): SIREN 00000001 + key 8, NIC 0001 + key 0; rank 5,530: SIREN 00005531 + key 9, NIC 0001 + key 6
        #expect(made[0] == "00000001800010")
        #expect(made[5] == "00005531900016")
        #expect(Set(made).count == made.count)
        #expect(throws: DemoError.self) { try DemoSIRET.make(rank: DemoSIRET.capacity) }
        #expect(throws: DemoError.self) { try DemoSIRET.make(rank: -1) }
    }

    @Test("cmq demo refuses a database that already has data, unless --force", arguments: TestDatabase.all)
    func refusesNonEmpty(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.organisation(app.db)
            var context = CommandContext(console: app.console, input: CommandInput(arguments: ["cmq"]))
            context.application = app
            do {
                try await DemoCommand().run(using: &context)
                Issue.record("cmq demo should refuse a database with data")
            } catch let failure as CommandFailure {
                #expect(failure.description.contains("--force"))
            }
            #expect(try await Organisation.query(on: app.db).count() == 1)
            #expect(try await Campus.query(on: app.db).count() == 0)
        }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test("defaults: SQLite file cmq.sqlite, 127.0.0.1:8080, demo on first start")
    func defaults() throws {
        let config = try AppConfig.fromEnvironment([:])
        #expect(config.database == .sqliteFile(path: "cmq.sqlite"))
        #expect(config.host == "127.0.0.1" && config.port == 8080 && config.demoOnFirstStart)
    }

    @Test("DATABASE_URL selects PostgreSQL or an SQLite file; HOST, PORT, CMQ_DEMO are read")
    func environment() throws {
        let config = try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://cmq:secret@127.0.0.1:5432/cmq", "HOST": "0.0.0.0", "PORT": "9000", "CMQ_DEMO": "false"])
        #expect(config.database == .postgres(url: "postgres://cmq:secret@127.0.0.1:5432/cmq"))
        #expect(config.host == "0.0.0.0" && config.port == 9000 && !config.demoOnFirstStart)
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": "sqlite:///var/lib/cmq/cmq.sqlite"]).database == .sqliteFile(path: "/var/lib/cmq/cmq.sqlite"))
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": "sqlite:data/cmq.sqlite"]).database == .sqliteFile(path: "data/cmq.sqlite"))
    }

    @Test("bad values stop the start with a clear message", arguments: [
        ["PORT": "huit"], ["PORT": "70000"], ["DATABASE_URL": "mysql://x"], ["CMQ_DEMO": "peut-être"],
    ])
    func invalid(environment: [String: String]) {
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(environment) }
    }

    @Test("cmq and cmq serve start the server; cmq serve --help and other commands don't")
    func serveDetection() {
        #expect(CMQMain.isServe(["cmq"]))
        #expect(CMQMain.isServe(["cmq", "serve"]))
        #expect(CMQMain.isServe(["cmq", "serve", "--port", "9000"]))
        #expect(!CMQMain.isServe(["cmq", "serve", "--help"]))
        #expect(!CMQMain.isServe(["cmq", "demo"]))
        #expect(!CMQMain.isServe(["cmq", "import", "etablissements", "x.csv"]))
    }

    @Test("a group's unknown subcommand is told in French with the ones that exist; known ones, flags and other commands pass")
    func unknownSubcommand() async throws {
        try await withTestApp(.sqlite) { app in
            let commands = app.asyncCommands.commands
            #expect(CMQMain.unknownSubcommand(["cmq", "import", "annuaire", "x.csv"], commands)
                == "cmq import : « annuaire » n'est pas une commande ; les commandes sont : bcn, etablissements, formations, inserjeunes, parcours (aide : cmq import --help).")
            #expect(CMQMain.unknownSubcommand(["cmq", "import", "etablissements", "x.csv"], commands) == nil)
            #expect(CMQMain.unknownSubcommand(["cmq", "import", "--help"], commands) == nil)
            #expect(CMQMain.unknownSubcommand(["cmq", "import"], commands) == nil)
            #expect(CMQMain.unknownSubcommand(["cmq", "demo", "x"], commands) == nil)
        }
    }
}
