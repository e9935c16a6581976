import Foundation
import Vapor

/// `cmq export …`: the exports.
struct ExportCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "formations": ExportFormationsCommand(),
    ]

    var help: String { "Export data from cmq." }
}

/// `cmq export formations --format csv|json|lheo --sortie FILE [filters]`: a catalogue search to a file,
/// written 500 formations at a time.
struct ExportFormationsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "format", help: "csv, json or lheo (LHEO 2.3 XML).")
        var format: String?

        @Option(name: "sortie", help: "The file to write (standard output when left out).")
        var sortie: String?

        @Option(name: "q", help: "Words to search for.")
        var q: String?

        @Option(name: "niveau", help: "Exit level, 3 to 8.")
        var niveau: String?

        @Option(name: "filiere", help: "Filière slug.")
        var filiere: String?

        @Option(name: "region", help: "Région académique code or slug.")
        var region: String?

        @Option(name: "academie", help: "Académie code or slug.")
        var academie: String?

        @Option(name: "statut", help: "scolaire, etudiant, apprenti or formation-continue.")
        var statut: String?
    }

    var help: String { "Export the formations a search finds as CSV, JSON or LHEO 2.3 XML." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let raw = signature.format, let format = FormationExport.Format(rawValue: raw) else {
            throw CommandFailure("Indiquez le format : --format csv, --format json ou --format lheo.")
        }
        var query: [String: String] = [:]
        query["q"] = signature.q
        query["niveau"] = signature.niveau
        query["filiere"] = signature.filiere
        query["region"] = signature.region
        query["academie"] = signature.academie
        query["statut"] = signature.statut
        let criteria: CatalogueSearch.Criteria
        do { criteria = try FormationsAPIController.criteria(from: query) } catch {
            throw CommandFailure(error.fieldErrors.map { "\($0.field) : \($0.detail)" }.joined(separator: "\n"))
        }
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let progress: any ProgressReporter = signature.sortie == nil ? SilentProgress() : ConsoleProgress(console: context.console)
        let export = FormationExport(db: app.db)
        let plan: FormationExport.Plan
        do { plan = try await export.plan(criteria, as: format) } catch let error as AppError {
            throw CommandFailure(error.detail)
        }
        // Written piece by piece: memory does not grow with the catalogue.
        let handle: FileHandle
        if let path = signature.sortie {
            guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
                throw CommandFailure("Impossible d'écrire \(path).")
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        var size = 0
        let count = try await export.write(plan, progress: progress) { data in
            try handle.write(contentsOf: data)
            size += data.count
        }
        if let path = signature.sortie {
            try handle.close()
            context.console.success("Export terminé : \(count) formation(s) écrite(s) dans \(path) (\(ByteCountFormatter.string(fromByteCount: Int64(size), countStyle: .file))).")
        }
        if plan.omitted > 0 {
            context.console.warning(FormationExport.lheoNotice(plan))
        }
    }
}
