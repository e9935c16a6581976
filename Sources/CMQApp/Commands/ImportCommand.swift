import Fluent
import Vapor

/// `cmq import …`: the importers.
struct ImportCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "etablissements": ImportEtablissementsCommand(),
    ]

    var help: String { "Import data files into cmq." }
}

/// `cmq import etablissements FILE`: the annuaire de l'éducation CSV, upserted by UAI.
struct ImportEtablissementsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "An 'annuaire de l'éducation' CSV file (';'-separated, as published on data.education.gouv.fr).")
        var file: String

        @Flag(name: "skip-invalid", help: "Import the valid lines even when some lines are rejected (default: all or nothing).")
        var skipInvalid: Bool
    }

    var help: String {
        "Import establishments from the annuaire de l'éducation CSV: upsert by UAI, all or nothing, every bad line reported."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let url = URL(fileURLWithPath: signature.file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandFailure("Fichier introuvable ou illisible : \(signature.file)")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw CommandFailure("Le fichier \(signature.file) n'est pas un texte lisible (UTF-8 ou Latin-1 attendu).")
        }
        try await app.autoMigrate()
        let importer = AnnuaireImporter(db: app.db)
        let report: AnnuaireImporter.Report
        do {
            report = try await importer.importFile(text, options: .init(skipInvalid: signature.skipInvalid), progress: ConsoleProgress(console: context.console))
        } catch let error as AnnuaireImporter.FileError {
            throw CommandFailure("Import impossible : \(error.description)")
        }
        for error in report.rejected {
            context.console.error("Rejetée, \(error)")
        }
        for warning in report.warnings {
            context.console.warning("Avertissement, \(warning)")
        }
        if report.applied {
            context.console.success(report.summary)
        } else {
            throw CommandFailure(report.summary)
        }
    }
}
