import CMQDomain
import Foundation
import Vapor

/// `cmq indicateurs charger FICHIER` / `cmq indicateurs liste`.
struct IndicatorsCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "charger": LoadIndicatorsCommand(),
        "liste": ListIndicatorsCommand(),
    ]

    var help: String { "The indicator catalogue of the campuses (shipped, and extended with data files)." }
}

struct LoadIndicatorsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "An indicator catalogue as JSON (the format of Resources/Data/indicateurs/catalogue.json in CMQDomain).")
        var file: String
    }

    var help: String { "Check and add the indicators of a JSON file to the catalogue (every problem is listed; nothing is kept of a file with one)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = try CommandFile.data(signature.file)
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        do {
            let indicators = try await IndicatorService.load(data, now: app.clock.now(), on: app.db)
            context.console.success("\(indicators.count) indicateur(s) ajouté(s) au catalogue : \(indicators.map(\.code).joined(separator: ", ")).")
        } catch let error as AppError {
            let problems = error.fieldErrors.map(\.detail)
            for problem in problems { context.console.error(problem) }
            throw CommandFailure("Catalogue refusé : \(problems.count) problème(s), rien n'a été ajouté.")
        }
    }
}

struct ListIndicatorsCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "List the indicators of the catalogue." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let catalog = try await IndicatorService.catalog(on: app.db)
        for indicator in catalog.indicators {
            let source = if case .computed(let computation) = indicator.source { "calculé (\(computation.rawValue))" } else { "saisi" }
            context.console.print("\(indicator.code) · \(indicator.family.label) · \(indicator.libelle) · \(indicator.unit.label) · \(source)\(indicator.isPublic ? "" : " · non public")")
        }
        context.console.print("\(catalog.indicators.count) indicateur(s).")
    }
}
