import Vapor

/// `cmq rgpd …`: a person's rights of access and erasure.
struct RGPDCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = ["export": RGPDExportCommand(), "delete": RGPDDeleteCommand()]
    var help: String { "Personal data: export everything cmq holds about a person, or delete it." }
}

struct RGPDExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The person's email address.")
        var email: String?
        @Option(name: "output", help: "Write the JSON to this file instead of the standard output.")
        var output: String?
    }

    var help: String { "Export, as JSON, everything cmq holds about a person (account, tokens, sign-ins, teams, changes made)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, !email.isEmpty else { throw CommandFailure("Indiquez l'adresse de la personne : --email prenom.nom@exemple.fr") }
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let export = try await PersonalData(db: app.db).export(email: email)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(export)
        if let output = signature.output {
            try data.write(to: URL(fileURLWithPath: output))
            context.console.success("Export écrit dans \(output) (\(export.modificationsFaites.count) modification(s), \(export.equipesDeCampus.count) équipe(s)).")
        } else {
            context.console.print(String(decoding: data, as: UTF8.self))
        }
    }
}

struct RGPDDeleteCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The person's email address.")
        var email: String?
    }

    var help: String { "Delete a person's account and personal data; audit entries are pseudonymised, not deleted." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, !email.isEmpty else { throw CommandFailure("Indiquez l'adresse de la personne : --email prenom.nom@exemple.fr") }
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let summary = try await PersonalData(db: app.db).delete(email: email, caller: .command("rgpd delete"))
        context.console.success(summary.description)
    }
}
