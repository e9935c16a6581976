import CMQDomain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import NIOSSL
import SQLKit
import Vapor

/// Sets up an application: database, middleware, views, migrations, commands and routes.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.cmqConfig = config
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    // On SIGTERM the server closes its connections as their answers go (see GracefulShutdown).
    app.http.server.configuration.shutdownTimeout = .seconds(Int64(config.shutdownTimeout))
    app.routes.defaultMaxBodySize = "512kb"

    // Blocking work (SQLite statements, password hashing, files) runs on the application's own thread pool: a
    // SQLite writer waiting for the lock holds a thread, and must never take the last one from the writer it
    // waits for (several applications in one process, as in the tests, would share the global pool).
    app.threadPool = NIOThreadPool(numberOfThreads: 2 * System.coreCount + 2)
    try configureDatabase(app, config.database)
    if case .sqliteFile = config.database, let sql = app.db as? any SQLDatabase {
        // Write-ahead logging: readers do not wait for the writer, and a commit appends to one file
        // (the mode stays with the database file).
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }
    if config.metricsToken != nil || config.metricsTextfile != nil { CMQMetrics.bootstrap() }
    CMQMetrics.textfile.withLockedValue { $0 = config.metricsTextfile }
    app.requestsInFlight = InFlightRequests()
    app.searchCache = config.searchCache ? SearchCache() : nil
    app.catalogueIndex = CatalogueIndex()
    app.indicatorFiguresCache = config.indicatorCacheSeconds > 0 ? IndicatorFiguresCache(lifetime: TimeInterval(config.indicatorCacheSeconds)) : nil
    // The communes base (35,000 communes) is read once, in the background (on a Dispatch thread, not an event loop
    // where Swift's tasks run), before the first search by place; a command other than `serve` reads it if it needs it.
    if [nil, "serve"].contains(app.environment.arguments.dropFirst().first) {
        DispatchQueue.global(qos: .utility).async { _ = CommuneGazetteer.shared }
    }
    // The synonyms of the catalogue search (Data/recherche/synonymes.txt), read once at start.
    _ = SearchSynonyms.bundled

    // Middleware: the security headers on every response; errors next so that it catches everything; then the
    // refusal of unsafe input, and static files from the bundle.
    app.middleware = .init()
    // First: a stopping instance waits for every request this one counts.
    app.middleware.use(InFlightMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    // One line per request, with its request id (tests would print one per request: `debug` there).
    app.middleware.use(RequestLogMiddleware(level: app.environment == .testing ? .debug : .info))
    app.middleware.use(CMQErrorMiddleware())
    app.middleware.use(InputSafetyMiddleware())
    app.middleware.use(CatalogueCacheMiddleware())
    app.middleware.use(IndicatorFiguresCacheMiddleware())
    app.middleware.use(PublicFilesMiddleware(publicDirectory: Resources.publicDirectory))

    // Views: Leaf templates shipped as package resources.
    app.directory.viewsDirectory = Resources.viewsDirectory
    app.directory.publicDirectory = Resources.publicDirectory
    app.views.use(.leaf)
    // The bundle may sit under a hidden folder (.build): allow it, but stay inside the views folder.
    app.leaf.sources = .singleSource(NIOLeafFiles(
        fileio: app.fileio, limits: [.toSandbox, .requireExtensions, .onlyLeafExtensions],
        sandboxDirectory: Resources.viewsDirectory, viewDirectory: Resources.viewsDirectory))
    app.leaf.cache.isEnabled = app.environment.isRelease || app.environment == .testing

    // Accounts: passwords hashed with Bcrypt (a low cost in tests only), sessions in the database.
    app.passwords.use(.bcrypt(cost: app.environment == .testing ? 4 : 12))
    SessionSetup.configure(app)
    // The notices of the pages a back-office action redirects to (`/campus?supprime=1`).
    app.leaf.tags["queryFlag"] = QueryFlagTag()

    addMigrations(app)
    addCommands(app)
    try routes(app)
}

func configureDatabase(_ app: Application, _ choice: AppConfig.DatabaseChoice) throws {
    switch choice {
    // SQLite writes one transaction at a time: under a burst of writes, requests wait for a connection
    // longer than a server's usual 10 seconds rather than fail.
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(60)), as: .sqlite)
        app.sqliteFormationReads = SQLiteFormationReads(path: path)
        app.lifecycle.use(SQLiteFormationReadsLifecycle())
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, connectionPoolTimeout: .seconds(60)), as: .sqlite)
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        // As on SQLite, a burst of writes waits for a connection rather than fail after the usual 10 seconds.
        app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30)), as: .psql)
    }
}

/// The migrations, in the order they shipped. Append only. Readiness compares this list with the database's.
func cmqMigrations() -> [any Migration] {
    [
        CreateOrganisations(),
        CreateCampus(),
        CreateCampusMembres(),
        CreateCampusEquipe(),
        CreateRegistryIndexes(),
        // 002: accounts, sessions, audit trail
        CreateUtilisateurs(),
        CreateJetonsAPI(),
        CreateTentativesConnexion(),
        CreateJournal(),
        SessionRecord.migration,
        // 003: the training-offer catalogue
        CreateFormations(),
        AddFormationSearch(),
        CreateReferenceTables(),
        AddCatalogueVersion(),
        CreateLabelling(),
        AddFormationStatusMask(),
        // 009: shared technical platforms and their bookings
        CreatePlateaux(),
        // 010: the territory of instance accounts
        AddUtilisateurAcademie(),
        // 011: the statuses mask written only when it changes (PostgreSQL)
        UpdateFormationStatusMaskTrigger(),
        // 012: the changed formations since a version, for the in-memory catalogue index
        AddCatalogueChanges(),
        // 013: the statuses mask kept by one statement per write (PostgreSQL), written only when it changes (SQLite)
        UpdateFormationStatusMaskStatementTrigger(),
        // 016: the telephone number of an organisation
        AddOrganisationTelephone(),
        // 017: the outbox of e-mails and the notifications shown in the application
        CreateMessagesSortants(),
        CreateNotifications(),
        // 018: password reset tokens, requests for an account
        CreateJetonsReinitialisation(),
        CreateDemandesAcces(),
        // 019: how each person receives each kind of notification; the key of the unsubscription links
        CreatePreferencesNotification(),
        CreateClesApplication(),
        // 020: the search's body text holds the French stems its words do not begin with ("chevaux" → "cheval")
        UpdateFormationSearchStems(),
        // 021: InserJeunes figures by région × formation and by establishment, the BCN tables they need
        CreateInsertion(),
        // 023: pseudonymised pathways (each establishment's yearly file and its steps)
        CreateParcours(),
        // 025: the campuses' actions and events, their organisations, formations, platforms and registrations
        CreateActions(),
        // 027: a campus's indicators: entered values, targets, catalogue files loaded
        CreateIndicateurs(),
        // 028: the annual activity reports and the history of their states
        CreateRapportsActivite(),
        // 029: the international mobilities of a campus's school year, by direction, public and country
        CreateMobilites(),
        // 032: "Ma réussite pro": testimonies, their media in chunks, their consents
        CreateTemoignages(),
        // 033: the contest of "Ma réussite pro": editions, categories, entries, jurors, their marks
        CreateConcours(),
        // 034: its public prize: one vote per account and category (unique index)
        CreateConcoursVotes(),
        // 035: an import takes the catalogue's version at its end (PostgreSQL): the site's writes do not wait for it
        DeferCatalogueVersionInBulkWrites(),
        // 036: an import records the catalogue's changes once, at its end (a reload of every index when they are many)
        AddCatalogueReloadVersion(),
        // 037: an import stages its new formations in short transactions and shows them all at once
        AddImportBatches(),
        // 038: SQLite's full-text index rewritten for a formation only when its indexed texts change
        RefreshSearchOnChangedTextsOnly(),
        // 039: SQLite's full-text entries of an import's changed formations written before its last transaction
        StageSearchEntries(),
        // 040: PostgreSQL's statuses mask left to the importer, as on SQLite
        SkipStatusMaskInBulkWrites(),
    ]
}

func addMigrations(_ app: Application) {
    app.migrations.add(cmqMigrations())
}

func addCommands(_ app: Application) {
    // Replaces Fluent's own `migrate`: the advisory lock on PostgreSQL, French output, no question asked.
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(ImportCommandGroup(), as: "import")
    app.asyncCommands.use(ExportCommandGroup(), as: "export")
    app.asyncCommands.use(BenchCommandGroup(), as: "bench")
    app.asyncCommands.use(LabelsCommandGroup(), as: "labels")
    app.asyncCommands.use(ReferentielsCommandGroup(), as: "referentiels")
    app.asyncCommands.use(UsersCommandGroup(), as: "users")
    app.asyncCommands.use(RGPDCommandGroup(), as: "rgpd")
    app.asyncCommands.use(MailCommandGroup(), as: "mail")
    app.asyncCommands.use(BackupCommand(), as: "sauvegarde")
    app.asyncCommands.use(RestoreCommand(), as: "restauration")
    app.asyncCommands.use(IndicatorsCommandGroup(), as: "indicateurs")
}

/// Where the shipped resources are, whatever the working directory.
enum Resources {
    static var root: String { Bundle.module.resourcePath ?? Bundle.module.bundlePath }
    static var viewsDirectory: String { root + "/Views/" }
    static var publicDirectory: String { root + "/Public/" }
    static var dataDirectory: String { root + "/Data/" }

    static func dataURL(_ relativePath: String) -> URL {
        URL(fileURLWithPath: dataDirectory + relativePath)
    }
}
