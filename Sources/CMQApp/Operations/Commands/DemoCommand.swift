import Fluent
import Vapor

/// `cmq demo`: loads the demo data set into an empty database.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "force", help: "Replace the campuses and organisations already in the database.")
        var force: Bool
    }

    var help: String {
        "Load the demo data set (DEPP lycées and CFA, the campuses of the seeds) into an empty database."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        if try await !DemoLoader.databaseIsEmpty(app.db) {
            guard signature.force else {
                throw CommandFailure("La base de données contient déjà des campus ou des organisations : cmq demo ne charge le jeu de démonstration que dans une base vide. Relancez avec --force pour les remplacer.")
            }
            context.console.warning("--force : suppression des campus et organisations existants…")
            try await DemoLoader.clearRegistry(app.db)
        }
        let summary = try await DemoLoader(db: app.db, logger: app.logger).load(progress: ConsoleProgress(console: context.console))
        context.console.success(summary.description)
        try await DemoLoader.printAccounts(app)
    }
}

/// A command that ends in failure with a message for the person at the terminal (exit status 1).
struct CommandFailure: Error, CustomStringConvertible, LocalizedError {
    let description: String
    init(_ description: String) { self.description = description }
    var errorDescription: String? { description }
}
