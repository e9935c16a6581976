import Fluent
import Logging
import NIOCore
import NIOPosix
import Vapor

/// The program: read the configuration, set up the application, run the command asked for.
public enum CMQMain {
    public static func run() async throws {
        var env = try Environment.detect()
        if ProcessInfo.processInfo.environment["LOG_FORMAT"]?.lowercased() == "json" {
            // One JSON object per line, for the log collectors.
            try LoggingSystem.bootstrap(from: &env) { level in { label in JSONLogHandler(label: label, level: level) } }
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let config: AppConfig
        do {
            config = try AppConfig.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("cmq: configuration error: \(error)\n".utf8))
            exit(2)
        }
        let app = try await Application.make(env)
        // Swift's tasks run on the server's event loops (as Vapor's template does): a request's handler, its database
        // calls and its answer no longer hop between the event loops and a second pool of threads.
        if !NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
            app.logger.debug("Les tâches Swift restent sur l'exécuteur par défaut.")
        }
        do {
            try await configure(app, config: config)
            if let message = unknownSubcommand(env.arguments, app.asyncCommands.commands) {
                FileHandle.standardError.write(Data((message + "\n").utf8))
                try? await app.asyncShutdown()
                exit(1)
            }
            if isServe(env.arguments) {
                try await prepareForServe(app)
            }
            try await app.execute()
        } catch {
            // Vapor has already reported the command's error (a CommandFailure carries a French message).
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }

    /// `cmq` and `cmq serve` start the web server (but not `cmq serve --help`).
    static func isServe(_ arguments: [String]) -> Bool {
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") { return false }
        guard let command = rest.first else { return true }
        return command == "serve" || command.hasPrefix("-")
    }

    /// `cmq import annuaire`: a group's subcommand that does not exist, told in French with the ones that do
    /// (ConsoleKit would print its Swift error value).
    static func unknownSubcommand(_ arguments: [String], _ commands: [String: any AnyAsyncCommand]) -> String? {
        let rest = Array(arguments.dropFirst())
        guard rest.count >= 2, let group = commands[rest[0]] as? any AsyncCommandGroup else { return nil }
        let name = rest[1]
        guard !name.hasPrefix("-"), group.commands[name] == nil else { return nil }
        let known = group.commands.keys.sorted().joined(separator: ", ")
        return "cmq \(rest[0]) : « \(name) » n'est pas une commande ; les commandes sont : \(known) (aide : cmq \(rest[0]) --help)."
    }

    /// Before serving: on an embedded SQLite file bring the schema up to date (on PostgreSQL only `cmq migrate` does:
    /// an instance whose schema differs says so and is not ready) and, on an empty database, load the demo data set.
    static func prepareForServe(_ app: Application) async throws {
        var schemaCurrent = true
        if DatabaseSchema.migratesOnlyByCommand(app) {
            let check = await Readiness(app: app, db: app.db, logger: app.logger).migrationsCheck()
            if !check.passed {
                schemaCurrent = false
                app.logger.error("Le schéma de la base n'est pas celui de cette version : l'instance démarre mais n'est pas prête (/sante/pret) tant que « cmq migrate » n'a pas été lancé. \(check.detail ?? "")")
            }
        } else {
            try await DatabaseSchema.migrate(app)
        }
        if schemaCurrent, app.cmqConfig.demoOnFirstStart {
            // Under the migrations' lock: of two instances started at once on an empty PostgreSQL, one loads.
            try await DatabaseSchema.exclusively(app) {
                guard try await DemoLoader.databaseIsEmpty(app.db) else { return }
                app.logger.notice("Base de données vide : chargement du jeu de démonstration…")
                let summary = try await DemoLoader(db: app.db, logger: app.logger).load(progress: ConsoleProgress(console: app.console))
                app.logger.notice("\(summary)")
                try await DemoLoader.printAccounts(app)
            }
        }
        // Pathways: a key that is not the one of the stored pseudonyms stops the start; no key, a warning.
        if let warning = try await ParcoursService.startupCheck(key: app.cmqConfig.pseudonymKey, on: app.db) {
            app.logger.warning("\(warning)")
        }
        // The outbox worker sends the e-mails while the server runs (when CMQ_SMTP_URL is set).
        app.lifecycle.use(OutboxWorkerLifecycle())
        // Once a day at 07:00 (Paris): the labels that expire, the digests.
        app.lifecycle.use(DailyNoticesLifecycle())
        // Registered last, so stopped first: the requests in flight finish before the workers and the pools stop.
        app.lifecycle.use(GracefulShutdown())
        // Project and simplify the map contours now rather than on the first visit.
        _ = MapCatalog.shared
        if schemaCurrent {
            app.logger.notice("cmq est prêt sur http://\(app.cmqConfig.host):\(app.cmqConfig.port)")
        } else {
            app.logger.notice("cmq écoute sur http://\(app.cmqConfig.host):\(app.cmqConfig.port) mais n'est pas prêt : lancez « cmq migrate ».")
        }
    }
}
