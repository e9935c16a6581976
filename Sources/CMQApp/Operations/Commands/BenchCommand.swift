import CMQDomain
import Fluent
import SQLKit
import Vapor

/// `cmq bench …`: what the benchmarks under `Benchmarks/` need.
struct BenchCommandGroup: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "seed": BenchSeedCommand(),
        "plateau": BenchPlateauCommand(),
    ]

    var help: String { "Prepare a database for the benchmarks (see Benchmarks/README.md)." }
}

/// `cmq bench seed --formations 200000`: scales the catalogue with realistic formations (titles, levels, codes
/// and ROME from the national reference tables, given by the demo's lycées and CFA), inserted in bulk.
struct BenchSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "formations", help: "How many formations the catalogue should hold in the end (default 200000).")
        var formations: Int?

        @Option(name: "seed", help: "Seed of the pseudo-random choices, for repeatable data sets (default 1).")
        var seed: Int?
    }

    var help: String { "Fill the catalogue up to N formations for benchmarks (the demo data is loaded first if the database is empty)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        if try await Organisation.query(on: app.db).count() == 0 {
            context.console.print("Base vide : chargement du jeu de démonstration d'abord.")
            _ = try await DemoLoader(db: app.db, logger: app.logger).load(progress: ConsoleProgress(console: context.console))
        }
        let target = signature.formations ?? 200_000
        let existing = try await Formation.visible(on: app.db).count()
        guard target > existing else {
            context.console.success("Le catalogue compte déjà \(existing) formation(s) : rien à ajouter.")
            return
        }
        let started = Date()
        let count = target - existing
        let seeder = CatalogueSeeder(db: app.db, seed: UInt64(signature.seed ?? 1))
        try await seeder.insert(count, progress: ConsoleProgress(console: context.console))
        let seconds = Date().timeIntervalSince(started)
        context.console.success("Catalogue prêt : \(count) formation(s) ajoutée(s), \(target) au total, en \(String(format: "%.1f", seconds)) s.")
    }
}

/// Generates and inserts formations in bulk (500 per statement, each batch in a transaction).
struct CatalogueSeeder {
    let db: any Database
    let seed: UInt64

    /// A small, repeatable generator (SplitMix64).
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Model: Sendable {
        var intitule: String
        var niveau: Int
        var type: DiplomaType?
        var cfd: String?
        var rncp: String?
        var duree: String?
        var lien: String?
    }

    func insert(_ count: Int, progress: any ProgressReporter) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        var random = Generator(state: seed)
        // The titles of the national lists, with their level and codes.
        var models = ReferenceFiles.diplomes.map {
            Model(intitule: $0.intitule, niveau: $0.niveau, type: $0.typeDiplome, cfd: $0.cfd, rncp: $0.rncp, duree: nil, lien: nil)
        }
        models += ReferenceFiles.onisep.compactMap { o in
            o.niveau.map { Model(intitule: o.intitule, niveau: $0, type: o.typeDiplome, cfd: nil, rncp: o.rncp, duree: o.duree, lien: o.lien) }
        }
        let romes = ReferenceFiles.romes.map(\.code)
        // The training establishments of the database give them.
        let givers = try await Organisation.query(on: db)
            .filter(\.$kind ~~ [OrganisationKind.lyceeProfessionnel, .lyceePolyvalent, .lyceeGeneralTechnologique, .lyceeAgricole, .cfa, .universite, .iut, .ecoleIngenieurs, .organismeFormationContinue])
            .all(\.$id)
        guard !givers.isEmpty else { return }
        let filieres = Filiere.allCases.map(\.slug)
        let modalites = ["presentiel", "presentiel", "presentiel", "mixte", "distance"]
        let now = Date()

        var done = 0
        while done < count {
            let size = min(500, count - done)
            var formations: [[any SQLExpression]] = []
            var statuts: [[any SQLExpression]] = []
            var romeRows: [[any SQLExpression]] = []
            for _ in 0..<size {
                let model = models.randomElement(using: &random)!
                let id = UUID()
                let formation = Formation(id: id, organisationID: givers.randomElement(using: &random)!, intitule: model.intitule, niveauSortie: model.niveau)
                formation.typeDiplome = model.type?.rawValue
                formation.cfd = model.cfd
                formation.rncp = model.rncp
                formation.duree = model.duree
                formation.lien = model.lien
                formation.filiere = filieres.randomElement(using: &random)
                formation.modalite = modalites.randomElement(using: &random)!
                formation.capacite = Int.random(in: 8...36, using: &random)
                formation.refreshSearchText()
                var chosen = Set<LearnerStatus>()
                chosen.insert(model.niveau <= 4 ? .scolaire : .etudiant)
                if Int.random(in: 0..<3, using: &random) == 0 { chosen.insert(.apprenti) }
                if Int.random(in: 0..<6, using: &random) == 0 { chosen.insert(.formationContinue) }
                formations.append([
                    SQLBind(id), SQLBind(formation.$organisation.id), SQLBind(formation.intitule), SQLBind(formation.intituleCle),
                    SQLBind(formation.filiere), SQLBind(formation.typeDiplome), SQLBind(formation.niveauSortie), SQLBind(formation.cfd),
                    SQLBind(formation.rncp), SQLBind(formation.duree), SQLBind(formation.capacite), SQLBind(formation.modalite),
                    SQLBind(formation.lien), SQLBind(formation.texteCle), SQLBind(now), SQLBind(now), SQLBind(FormationStatusMask.mask(chosen)),
                ])
                for status in chosen { statuts.append([SQLBind(UUID()), SQLBind(id), SQLBind(status.rawValue)]) }
                for code in Set((0..<Int.random(in: 0...2, using: &random)).map { _ in romes.randomElement(using: &random)! }) {
                    romeRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(code)])
                }
            }
            let batch = (formations, statuts, romeRows)
            try await db.transaction { db in
                guard let sql = db as? any SQLDatabase else { return }
                var insert = sql.insert(into: Formation.schema).columns(
                    "id", "organisation_id", "intitule", "intitule_cle", "filiere", "type_diplome", "niveau_sortie", "cfd", "rncp", "duree",
                    "capacite", "modalite", "lien", "texte_cle", "cree_le", "modifie_le", "statuts_masque")
                for row in batch.0 { insert = insert.values(row) }
                try await insert.run()
                for rows in batch.1.chunked(500) {
                    var statutInsert = sql.insert(into: FormationStatut.schema).columns("id", "formation_id", "statut")
                    for row in rows { statutInsert = statutInsert.values(row) }
                    try await statutInsert.run()
                }
                for rows in batch.2.chunked(500) where !rows.isEmpty {
                    var romeInsert = sql.insert(into: FormationROME.schema).columns("id", "formation_id", "code")
                    for row in rows { romeInsert = romeInsert.values(row) }
                    try await romeInsert.run()
                }
            }
            done += size
            progress.step("Formations", done: done, total: count)
        }
        // Fresh statistics for the query planners of both databases.
        try await sql.raw("ANALYZE").run()
    }
}

/// `cmq bench plateau`: a campus, a member organisation with an account, and a platform open every day at all
/// hours, without approval, notice nor maximum duration, for `Benchmarks/reservations.sh`. Prints the
/// platform's id and an API token of the member account on one line.
struct BenchPlateauCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Create a platform and a member account for the booking benchmark; print \"PLATEAU_ID TOKEN\"." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSchema.prepareForCommand(app)
        let db = app.db
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let campus = Campus(nom: "Campus de mesure \(suffix)", filiere: Filiere.allCases[0], academieCode: "20", regionCode: "32",
                            formeJuridique: .etablissementBudgetPropre)
        campus.nomCle = TextFolding.searchKey(campus.nom)
        try await campus.create(on: db)
        let lycee = Organisation(nom: "Lycée de mesure \(suffix)", kind: .lyceeProfessionnel, isPublic: true)
        lycee.refreshDerivedFields()
        try await lycee.create(on: db)
        try await Membership(campusID: campus.requireID(), organisationID: lycee.requireID(), role: .membre).create(on: db)
        let allDay = try DayInterval(.midnight, .endOfDay)
        let input = PlateauService.Input(
            campusID: campus.id, organisationID: lycee.id, nom: "Plateau de mesure", description: "", adresse: "",
            horaires: try OpeningHours(Weekday.allCases, [allDay]), fermetures: [],
            regles: try PlateauRules(approvalRequired: false, minimumNoticeHours: 0, maximumDurationMinutes: nil),
            equipements: [.init(id: nil, nom: "Machine", categorie: "Mesure", quantite: 1, formationSecurite: false)])
        let plateau = try await PlateauService(db: db, caller: .command("bench plateau")).create(input)
        let user = User(email: "bench.\(suffix)@cmq.test", nom: "Mesure", passwordHash: try await app.password.async.hash(UUID().uuidString),
                        role: .membre, organisationID: lycee.id)
        try await user.create(on: db)
        let token = APITokens.generate()
        try await APIToken(userID: user.requireID(), nom: "bench", hash: APITokens.hash(token), prefix: String(token.prefix(8))).create(on: db)
        context.console.print("\(plateau.plateau.id.uuidString.lowercased()) \(token)")
    }
}
