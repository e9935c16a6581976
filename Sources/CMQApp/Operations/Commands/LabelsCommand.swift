import CMQDomain
import Fluent
import Foundation
import Vapor

/// `cmq labels …`: the labels' reminders.
struct LabelsCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "echeances": LabelsDueCommand(),
    ]

    var help: String { "Labels of the campuses: which expire soon." }
}

/// `cmq labels echeances --within 12m`: the labels in force that expire within a period (months `m` or days `j`).
struct LabelsDueCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "within", help: "The period: 12m (months, the default), 90j or 90d (days).")
        var within: String?
    }

    var help: String { "List the labels in force that expire within a period (default 12 months)." }

    static func limit(_ raw: String, from today: CalendarDay) -> CalendarDay? {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = text.last, let value = Int(text.dropLast()), value > 0, value <= 1200 else { return nil }
        switch unit {
        case "m": return today.adding(months: value)
        case "j", "d": return today.adding(days: value)
        default: return nil
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let today = context.application.clock.today
        let raw = signature.within ?? "12m"
        guard let limit = Self.limit(raw, from: today) else {
            throw CommandFailure("--within \(raw) : indiquez une durée en mois (12m) ou en jours (90j).")
        }
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let labels = try await LabellingQueries.labels(.init(expirantAvant: limit), on: app.db, today: today)
            .sorted { $0.fin < $1.fin }
        for label in labels {
            let end = CalendarDay(iso: label.fin)!
            context.console.print("\(end.frenchLong) · \(label.campusNom) (\(label.regionNom))\(label.excellence ? " · Excellence" : "") · dans \(today.days(until: end)) jour(s)")
        }
        context.console.success("\(labels.count) label(s) expire(nt) d'ici le \(limit.frenchLong).")
    }
}

/// `cmq referentiels charger FICHIER`: adds a version of the cahier des charges, as data.
struct ReferentielsCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "charger": LoadReferentielCommand(),
        "liste": ListReferentielsCommand(),
    ]

    var help: String { "Labelling référentiels (versions of the national cahier des charges)." }
}

struct LoadReferentielCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A référentiel as JSON (the format of Resources/Data/referentiels/2019.json in CMQDomain).")
        var file: String
    }

    var help: String { "Check and add a labelling référentiel from a JSON file." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = try CommandFile.data(signature.file)
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        do {
            let referentiel = try await Referentiels.load(data, on: app.db)
            context.console.success("Référentiel \(referentiel.code) ajouté : \(referentiel.etapes.count) étapes, \(referentiel.criteres.count) critères, durée de \(referentiel.dureeMinimaleAnnees) à \(referentiel.dureeMaximaleAnnees) an(s).")
        } catch let error as AppError {
            throw CommandFailure("Référentiel refusé : \(error.fieldErrors.first?.detail ?? error.detail)")
        }
    }
}

struct ListReferentielsCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "List the labelling référentiels in force." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        for referentiel in try await Referentiels.catalog(on: app.db).referentiels {
            context.console.print("\(referentiel.code) · \(referentiel.titre) · \(referentiel.etapes.map(\.libelle).joined(separator: " → "))")
        }
    }
}
