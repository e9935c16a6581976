import CMQDomain
import Vapor

/// `cmq rgpd …`: a person's rights of access and erasure.
struct RGPDCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "export": RGPDExportCommand(), "delete": RGPDDeleteCommand(),
        "purge-parcours": RGPDPurgeParcoursCommand(), "delete-parcours": RGPDDeleteParcoursCommand(),
        "purge-temoignages": RGPDPurgeTemoignagesCommand(),
    ]
    var help: String { "Personal data: export everything cmq holds about a person, or delete it; the retention and erasure of pathways." }
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

/// `cmq rgpd purge-parcours [--annees N]`: deletes the pathway steps older than the retention (N school years,
/// today's counted; `CMQ_PARCOURS_RETENTION`, 5 by default).
/// `cmq rgpd purge-temoignages`: what the daily job does for the testimonies, now.
struct RGPDPurgeTemoignagesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "jours", help: "Days after a withdrawal before the media are deleted (0–365; default CMQ_TEMOIGNAGE_EFFACEMENT_JOURS, else 30).")
        var jours: Int?
    }

    var help: String { "Withdraw the testimonies whose consent was withdrawn or has expired; delete the videos withdrawn for longer than the delay." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let days = signature.jours ?? app.cmqConfig.temoignageDeletionDays
        guard MediaRetention.delayRange.contains(days) else { throw CommandFailure("--jours doit être un nombre de jours de 0 à 365.") }
        try await DatabaseSchema.prepareForCommand(app)
        let result = try await TemoignageService(db: app.db, caller: .command("rgpd purge-temoignages", clock: app.clock)).sweep(delayDays: days)
        context.console.success("\(result.retires) témoignage(s) retiré(s) (consentement retiré ou expiré) ; \(result.effaces) vidéo(s) effacée(s) (retirées depuis \(days) jour(s) ou plus).")
    }
}

struct RGPDPurgeParcoursCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "annees", help: "How many school years to keep, today's counted (1–20; default CMQ_PARCOURS_RETENTION, else 5).")
        var annees: Int?
    }

    var help: String { "Delete the pathway steps of school years older than the retention; recorded in the audit trail." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let years = signature.annees ?? app.cmqConfig.parcoursRetentionYears
        guard (1...20).contains(years) else { throw CommandFailure("--annees doit être un nombre d'années scolaires de 1 à 20.") }
        try await DatabaseSchema.prepareForCommand(app)
        let caller = Caller.command("rgpd purge-parcours", clock: app.clock)
        let result = try await ParcoursService(db: app.db, caller: caller, key: app.cmqConfig.pseudonymKey).purge(keepingYears: years)
        context.console.success("\(result.etapes) étape(s) de parcours antérieure(s) à \(result.keptFrom) supprimée(s) ; \(years) année(s) scolaire(s) conservée(s).")
    }
}

/// `cmq rgpd delete-parcours --ine INE`: deletes every pathway step of one learner (the INE is hashed with the
/// same key as at import, never stored nor printed).
struct RGPDDeleteParcoursCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "ine", help: "The learner's INE (11 characters).")
        var ine: String?
    }

    var help: String { "Delete one learner's pathway steps, found by its INE hashed with CMQ_PSEUDONYM_KEY; recorded in the audit trail." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let ine = signature.ine, !ine.isEmpty else { throw CommandFailure("Indiquez l'INE de l'apprenant : --ine 1234567890V") }
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let caller = Caller.command("rgpd delete-parcours", clock: app.clock)
        do {
            let count = try await ParcoursService(db: app.db, caller: caller, key: app.cmqConfig.pseudonymKey).eraseLearner(ine: ine)
            context.console.success("\(count) étape(s) de parcours de cet apprenant supprimée(s).")
        } catch let error as AppError {
            throw CommandFailure(error.fieldErrors.first?.detail ?? error.detail)
        }
    }
}
