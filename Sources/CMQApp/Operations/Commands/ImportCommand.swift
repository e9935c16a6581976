import CMQDomain
import Fluent
import Vapor

/// `cmq import …`: the importers.
struct ImportCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "etablissements": ImportEtablissementsCommand(),
        "formations": ImportFormationsCommand(),
        "parcours": ImportParcoursCommand(),
        "inserjeunes": ImportInserJeunesCommand(),
        "bcn": ImportBCNCommand(),
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
        let text = try CommandFile.text(signature.file)
        try await DatabaseSchema.prepareForCommand(app)
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

/// `cmq import formations FILE --format csv|onisep|lheo`: formations from cmq's CSV, ONISEP's Idéo CSV or
/// LHEO 2.2/2.3 XML; all or nothing, every bad line reported with its number and reason. CSV files may be in
/// UTF-8 (with or without BOM) or Windows-1252; anything else is refused with the encoding to use.
struct ImportFormationsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The file to import.")
        var file: String

        @Option(name: "format", help: "csv (cmq's own CSV, as exported), onisep (Idéo-Formations initiales CSV) or lheo (LHEO 2.3 XML).")
        var format: String?

        @Option(name: "organisation", help: "For --format onisep (required) and lheo (optional): the UAI or SIRET of the organisation that gives the formations and is responsible for them, instead of those the file names.")
        var organisation: String?

        @Flag(name: "skip-invalid", help: "Import the valid lines even when some lines are rejected (default: all or nothing).")
        var skipInvalid: Bool
    }

    var help: String {
        "Import formations (csv, onisep or lheo): all or nothing, every bad line reported with its number, a closing summary."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let format = signature.format, ["csv", "onisep", "lheo"].contains(format) else {
            throw CommandFailure("Indiquez le format du fichier : --format csv, --format onisep ou --format lheo.")
        }
        let data = try CommandFile.data(signature.file)
        try await DatabaseSchema.prepareForCommand(app)
        let trimmed = signature.organisation?.trimmingCharacters(in: .whitespaces)
        let organisation = trimmed?.isEmpty == false ? trimmed : nil
        if format == "csv", organisation != nil {
            throw CommandFailure("--organisation ne s'applique pas au CSV de cmq, dont chaque ligne nomme son organisation (organisation_uai, organisation_siret ou organisation_id).")
        }
        let key = organisation.map { raw -> FormationRecord.OrganisationKey in raw.count == 8 ? .uai(raw.uppercased()) : .siret(raw.filter { $0.isNumber }) }
        let records: [FormationRecord]
        var parseErrors: [LineError] = []
        switch format {
        case "lheo":
            do { records = LHEO.records(try LHEO.decode(data), organisation: key) } catch { throw CommandFailure("Import impossible : \(error.description)") }
        default:
            let text: String
            do { text = try TextEncoding.decode(data).text } catch { throw CommandFailure("\(signature.file) : \(error.description)") }
            do {
                if format == "onisep" {
                    guard let key else {
                        throw CommandFailure("Le fichier ONISEP ne dit pas où les formations sont données : indiquez --organisation UAI ou SIRET.")
                    }
                    (records, parseErrors) = try OnisepFormations.read(text, organisation: key)
                } else {
                    (records, parseErrors) = try FormationCSV.read(text)
                }
            } catch let error as FormationCSV.FileError {
                throw CommandFailure("Import impossible : \(error.description)")
            }
        }
        context.console.print("\(records.count + parseErrors.count) formation(s) lue(s) dans \(signature.file).")
        let report = try await FormationImporter(db: app.db, caller: .command("import formations"))
            .run(records, parseErrors: parseErrors, skipInvalid: signature.skipInvalid, progress: ConsoleProgress(console: context.console))
        for error in report.rejected {
            context.console.error("Rejetée, \(error)")
        }
        if report.applied {
            context.console.success(report.summary)
        } else {
            throw CommandFailure(report.summary)
        }
    }
}

/// `cmq import parcours FILE --uai UAI`: a member establishment's pathways for one school year (cmq's CSV layout),
/// pseudonymised with `CMQ_PSEUDONYM_KEY`; all or nothing, every bad line with its number; a school year sent
/// again replaces the earlier file.
struct ImportParcoursCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The establishment's pathways CSV (ine;annee_scolaire;uai;code_formation;statut;issue).")
        var file: String

        @Option(name: "uai", help: "The UAI of the member establishment whose learners the file lists.")
        var uai: String?
    }

    var help: String {
        "Import an establishment's pathways (INE pseudonymised at import): all or nothing, every bad line reported, a school year sent again replaces the former."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let raw = signature.uai, let uai = try? UAI(raw) else {
            throw CommandFailure("Indiquez l'UAI de l'établissement : --uai 0020079A")
        }
        let text = try CommandFile.text(signature.file)
        try await DatabaseSchema.prepareForCommand(app)
        guard let organisation = try await Organisation.query(on: app.db).filter(\.$uai == uai.value).first() else {
            throw CommandFailure("Aucun établissement n'a l'UAI \(uai.value) dans cmq.")
        }
        let service = ParcoursService(db: app.db, caller: .command("import parcours"), key: app.cmqConfig.pseudonymKey)
        do {
            let report = try await service.importFile(text, organisationID: organisation.requireID())
            context.console.success(report.summary)
        } catch let error as AppError {
            for fault in error.fieldErrors { context.console.error(fault.detail) }
            throw CommandFailure(error.fieldErrors.isEmpty ? error.detail : "Import refusé : rien n'a été enregistré.")
        }
    }
}

/// `cmq import inserjeunes FILE --type etablissements|regions [--millesime AAAA_AAAA]`: the InserJeunes figures
/// (DEPP files by lycée or CFA, or the file by région and formation); all or nothing, every bad line reported,
/// a millésime imported again is replaced, the others stay.
struct ImportInserJeunesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "An InserJeunes CSV file (';'-separated).")
        var file: String

        @Option(name: "type", help: "etablissements (DEPP file by lycée or CFA) or regions (ij_region_data: by région and formation).")
        var type: String?

        @Option(name: "millesime", help: "The millésime, e.g. 2022_2023: for etablissements, read from the file name when absent; for regions, only that millésime's lines are imported.")
        var millesime: String?
    }

    var help: String {
        "Import InserJeunes figures (--type etablissements|regions): all or nothing, every bad line reported, a millésime imported again is replaced."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let type = signature.type, ["etablissements", "regions"].contains(type) else {
            throw CommandFailure("Indiquez le type du fichier : --type etablissements ou --type regions.")
        }
        var millesime: Millesime? = nil
        if let raw = signature.millesime {
            guard let parsed = Millesime(raw) else {
                throw CommandFailure("Millésime « \(raw) » invalide : attendu AAAA_AAAA, deux années qui se suivent (par exemple 2022_2023).")
            }
            millesime = parsed
        }
        let text = try CommandFile.text(signature.file)
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let importer = InsertionImporter(db: app.db)
        let progress = ConsoleProgress(console: context.console)
        let report: InsertionImporter.Report
        do {
            if type == "regions" {
                report = try await importer.importRegions(text, only: millesime, progress: progress)
            } else {
                guard let chosen = millesime ?? Millesime(fileName: URL(fileURLWithPath: signature.file).lastPathComponent) else {
                    throw CommandFailure("Le nom du fichier ne contient pas de millésime (AAAA_AAAA) : indiquez --millesime, par exemple --millesime 2022_2023.")
                }
                report = try await importer.importEstablishments(text, millesime: chosen, progress: progress)
            }
        } catch let error as DataFileError {
            throw CommandFailure("Import impossible : \(error.description)")
        }
        try finish(report, context: context)
    }
}

/// `cmq import bcn FILE`: the BCN table N_MEF (MEFSTAT11 → CFD) or N_FORMATION_DIPLOME (diplomas and their
/// renewals), recognised by its header; UTF-8 or Windows-1252; the table is replaced as a whole.
struct ImportBCNCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "nMef.csv or nFormationDiplome_.csv from the BCN (';'-separated, UTF-8 or Windows-1252).")
        var file: String
    }

    var help: String {
        "Import a BCN table (N_MEF or N_FORMATION_DIPLOME): all or nothing, every bad line reported, the table replaced."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let text = try CommandFile.text(signature.file)
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let report: InsertionImporter.Report
        do {
            report = try await InsertionImporter(db: app.db).importBCN(text, progress: ConsoleProgress(console: context.console))
        } catch let error as DataFileError {
            throw CommandFailure("Import impossible : \(error.description)")
        }
        try finish(report, context: context)
    }
}

private func finish(_ report: InsertionImporter.Report, context: CommandContext) throws {
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
