import CMQDomain
import Fluent
import Foundation
import Logging
import Vapor

/// The demo data set: every lycée and CFA of the DEPP files, and the campuses named in the seeds with their
/// real établissement support and a network of real partners (see `Data/demo/campus.json`).
struct DemoLoader {
    let db: any Database
    let logger: Logger

    struct Summary: CustomStringConvertible, Equatable {
        var organisations = 0
        var campus = 0
        var membres = 0
        var formations = 0
        var labels = 0
        var plateaux = 0
        var reservations = 0
        var rapports = 0
        var parcours = 0
        var actions = 0
        var insertion = 0
        var temoignages = 0

        var description: String {
            "Jeu de démonstration chargé : \(organisations) organisations (SIRET fictifs commençant par \(DemoSIRET.prefix)), \(campus) campus, \(membres) appartenances à un réseau, \(formations) formations, \(labels) campus avec leur histoire de labellisation, \(plateaux) plateaux techniques, \(reservations) réservations, \(insertion) lignes de chiffres InserJeunes, \(rapports) rapports d'activité, \(parcours) étapes de parcours générées, \(actions) actions et \(temoignages) témoignages « Ma réussite pro » (vidéos de démonstration)."
        }
    }

    /// Creates the demo accounts and prints them (with their passwords, once) on the console; then the contest « Ma
    /// réussite pro », whose jurors and voters are those accounts.
    static func printAccounts(_ app: Application) async throws {
        let fixed = ProcessInfo.processInfo.environment["CMQ_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let accounts = try await DemoAccounts.create(on: app.db, passwords: app.password.async, fixedPassword: fixed)
        let entries = try await DemoConcours(db: app.db, clock: app.clock).load()
        if entries > 0 { app.console.print("Concours « Ma réussite pro » : deux éditions, \(entries) candidatures (démonstration).") }
        let text = DemoAccounts.describe(accounts, passwordsFromEnvironment: fixed != nil)
        if !text.isEmpty { app.console.print(text) }
    }

    static func databaseIsEmpty(_ db: any Database) async throws -> Bool {
        let campus = try await Campus.query(on: db).count()
        let organisations = try await Organisation.query(on: db).count()
        return campus == 0 && organisations == 0
    }

    /// Removes every campus, membership, team member and organisation (used by `cmq demo --force`).
    static func clearRegistry(_ db: any Database) async throws {
        try await db.transaction { db in
            try await ParcoursEtape.query(on: db).delete()
            try await ParcoursEnvoi.query(on: db).delete()
            try await ReservationRecord.query(on: db).delete()
            try await ActionRecord.query(on: db).delete()
            try await RegionFormationRecord.query(on: db).delete()
            try await EstablishmentFigureRecord.query(on: db).delete()
            try await MefStatRecord.query(on: db).delete()
            try await DiplomaLinkRecord.query(on: db).delete()
            try await DiplomaRecord.query(on: db).delete()
            try await PlateauRecord.query(on: db).delete()
            try await LabelRecord.query(on: db).delete()
            try await DossierRecord.query(on: db).delete()
            try await TeamMember.query(on: db).delete()
            try await Membership.query(on: db).delete()
            try await Formation.query(on: db).delete()
            try await Campus.query(on: db).delete()
            try await Organisation.query(on: db).delete()
            try await User.query(on: db).filter(\.$email ~~ ["administrateur@cmq.test", "region.hauts-de-france@cmq.test",
                                                             "equipe.metallurgie@cmq.test", "membre.condorcet@cmq.test", "caen.amiens@cmq.test"]).delete()
        }
    }

    func load(progress: any ProgressReporter = SilentProgress()) async throws -> Summary {
        let lycees = try DEPPEtablissements.read(try Self.text("etablissements/depp-2022-etablissements-2022_2023-pro.csv"), source: .lycees)
        let cfa = try DEPPEtablissements.read(try Self.text("etablissements/depp-2022-etablissements-2022_2023-apprentissage.csv"), source: .cfa)
        let campusFile = try JSONDecoder().decode(DemoCampusFile.self, from: Data(contentsOf: Resources.dataURL("demo/campus.json")))
        let formationsFile = try JSONDecoder().decode(DemoFormationsFile.self, from: Data(contentsOf: Resources.dataURL("demo/formations.json")))

        var summary = try await db.transaction { db in
            var summary = Summary()
            // 1. Establishments of the DEPP files (a UAI in both files stays a lycée).
            let lyceeUAIs = Set(lycees.map(\.uai.value))
            let rows = lycees + cfa.filter { !lyceeUAIs.contains($0.uai.value) }
            var byUAI: [String: Organisation] = [:]
            var batch: [Organisation] = []
            for (index, row) in rows.enumerated() {
                let organisation = Organisation(nom: row.nom, kind: row.kind, isPublic: row.isPublic, lyceeDesMetiers: row.lyceeDesMetiers)
                organisation.uai = row.uai.value
                organisation.siret = try DemoSIRET.make(rank: index)
                organisation.departementCode = row.uai.departementCode
                organisation.refreshDerivedFields()
                byUAI[row.uai.value] = organisation
                batch.append(organisation)
                if batch.count == 250 || index == rows.count - 1 {
                    try await batch.create(on: db)
                    batch.removeAll(keepingCapacity: true)
                    progress.step("Établissements", done: index + 1, total: rows.count)
                }
            }
            summary.organisations = rows.count

            // 2. Campuses, their partners (shared by name across campuses) and their networks.
            var partners: [String: Organisation] = [:]
            for (index, entry) in campusFile.campus.enumerated() {
                guard let filiere = Filiere(slug: entry.filiere), let academie = TerritoryCatalog.shared.academie(code: entry.academie) else {
                    throw DemoError.invalid("campus « \(entry.nom) » : filière ou académie inconnue")
                }
                let campus = Campus(nom: entry.nom, filiere: filiere, academieCode: academie.code, regionCode: academie.regionCode,
                                    description: entry.description, siteWeb: entry.siteWeb,
                                    formeJuridique: LegalForm(rawValue: entry.formeJuridique ?? "") ?? .etablissementBudgetPropre,
                                    dateCreation: entry.dateCreation)
                campus.nomCle = TextFolding.searchKey(campus.nom)
                try await campus.create(on: db)
                let campusID = try campus.requireID()
                for (position, person) in (entry.equipe ?? []).enumerated() {
                    try await TeamMember(campusID: campusID, nom: person.nom, role: person.role, email: person.email, position: position).create(on: db)
                }
                for member in entry.membres {
                    let organisation: Organisation
                    if let uai = member.uai {
                        guard let found = byUAI[uai] else { throw DemoError.invalid("campus « \(entry.nom) » : UAI \(uai) absente des fichiers DEPP") }
                        organisation = found
                        if member.latitude != nil || member.commune != nil {
                            organisation.commune = member.commune ?? organisation.commune
                            organisation.latitude = member.latitude
                            organisation.longitude = member.longitude
                            organisation.placeAtCommuneCentre()
                            try await organisation.save(on: db)
                        }
                    } else if let inline = member.organisation {
                        if let known = partners[inline.nom] {
                            organisation = known
                        } else {
                            guard let kind = OrganisationKind(rawValue: inline.type) else { throw DemoError.invalid("type inconnu « \(inline.type) »") }
                            organisation = Organisation(nom: inline.nom, kind: kind, isPublic: inline.public ?? false)
                            organisation.siret = try DemoSIRET.make(rank: rows.count + partners.count)
                            organisation.commune = inline.commune
                            organisation.departementCode = inline.departement.map(TerritoryCatalog.normaliseDepartementCode)
                            organisation.refreshDerivedFields()
                            organisation.placeAtCommuneCentre()
                            try await organisation.create(on: db)
                            partners[inline.nom] = organisation
                            summary.organisations += 1
                        }
                    } else {
                        throw DemoError.invalid("campus « \(entry.nom) » : un membre n'a ni UAI ni organisation")
                    }
                    try await Membership(campusID: campusID, organisationID: try organisation.requireID(), role: member.role, depuis: member.depuis).create(on: db)
                    summary.membres += 1
                }
                summary.campus += 1
                progress.step("Campus", done: index + 1, total: campusFile.campus.count)
            }

            // 3. Real formations given by the members of each campus (Data/demo/formations.json).
            let campusesByName = Dictionary(try await Campus.query(on: db).all().map { ($0.nom, $0) }, uniquingKeysWith: { a, _ in a })
            for (index, entry) in formationsFile.formations.enumerated() {
                guard let campus = campusesByName[entry.campus] else { throw DemoError.invalid("formation « \(entry.intitule) » : campus « \(entry.campus) » inconnu") }
                let organisation: Organisation? = if let uai = entry.organisation.uai { byUAI[uai] } else { entry.organisation.nom.flatMap { partners[$0] } }
                guard let organisation, let level = Level(number: entry.niveauSortie) else {
                    throw DemoError.invalid("formation « \(entry.intitule) » : organisation ou niveau inconnu")
                }
                let formation = Formation(organisationID: try organisation.requireID(), intitule: entry.intitule, niveauSortie: level.number,
                                          modalite: (Modality(rawValue: entry.modalite ?? "") ?? .presentiel).rawValue)
                formation.intituleCle = TextFolding.searchKey(entry.intitule)
                formation.filiere = campus.filiere.slug
                formation.typeDiplome = entry.typeDiplome.flatMap(DiplomaType.init(rawValue:))?.rawValue
                formation.niveauEntree = entry.niveauEntree
                formation.cfd = entry.cfd.flatMap { try? CFD($0).value }
                formation.rncp = entry.rncp.flatMap { try? RNCP(lenient: $0).value }
                formation.duree = entry.duree
                formation.lien = entry.lien
                formation.statutsMasque = FormationStatusMask.mask(entry.statuts.compactMap(LearnerStatus.init(rawValue:)))
                formation.refreshSearchText()
                try await formation.create(on: db)
                let formationID = try formation.requireID()
                for status in Set(entry.statuts.compactMap(LearnerStatus.init(rawValue:))) {
                    try await FormationStatut(formationID: formationID, statut: status.rawValue).create(on: db)
                }
                for code in Set((entry.romes ?? []).compactMap { try? ROMECode($0).value }) {
                    try await FormationROME(formationID: formationID, code: code).create(on: db)
                }
                summary.formations += 1
                progress.step("Formations", done: index + 1, total: formationsFile.formations.count)
            }
            return summary
        }
        // 4. The labels the seeds tell, through real dossiers, and one dossier under way at each step.
        progress.message("Dossiers de labellisation…")
        summary.labels = try await DemoLabels(db: db).load()
        // 5. Shared platforms and a school half-year of their bookings.
        progress.message("Plateaux techniques et réservations…")
        (summary.plateaux, summary.reservations) = try await DemoPlateaux(db: db).load()
        // 6. The real InserJeunes figures (by région and formation, by establishment) and the BCN links they need.
        progress.message("Chiffres InserJeunes…")
        summary.insertion = try await Self.loadInsertion(on: db, progress: progress)
        // 7. Two school years of indicators, targets and activity reports.
        progress.message("Indicateurs et rapports d'activité…")
        summary.rapports = try await DemoIndicators(db: db).load(today: CalendarDay.today)
        // 8. Generated pathways of one campus's learners (said so on its pages).
        progress.message("Parcours des apprenants (générés)…")
        summary.parcours = try await ParcoursDemo(db: db).load()
        // 9. The campuses' actions: the seeds' open day, and a school year around today.
        progress.message("Actions des campus…")
        summary.actions = try await DemoActions(db: db, today: AppClock.system.today).load()
        // 10. "Ma réussite pro": the generated clips, consents complete for some, missing for one, one refused.
        progress.message("Témoignages « Ma réussite pro »…")
        summary.temoignages = try await DemoTemoignages(db: db, clock: .system).load()
        return summary
    }

    /// The shipped InserJeunes and BCN files (see `Data/LICENCES.md`), as `cmq import` would load them.
    static func loadInsertion(on db: any Database, progress: any ProgressReporter = SilentProgress()) async throws -> Int {
        let importer = InsertionImporter(db: db)
        func applied(_ report: InsertionImporter.Report, _ file: String) throws -> Int {
            guard report.applied else { throw DemoError.invalid("\(file) : \(report.rejected.first?.description ?? report.summary)") }
            return report.imported
        }
        var lines = 0
        for file in ["insertion/nMef-inserjeunes.csv", "insertion/nFormationDiplome-renouvellements.csv"] {
            let text = try TextEncoding.decode(try Data(contentsOf: Resources.dataURL(file))).text
            lines += try applied(try await importer.importBCN(text, progress: progress), file)
        }
        lines += try applied(try await importer.importRegions(try text("insertion/ij_region_data.csv"), progress: progress), "ij_region_data.csv")
        for file in ["etablissements/depp-2022-etablissements-2022_2023-pro.csv", "etablissements/depp-2022-etablissements-2022_2023-apprentissage.csv"] {
            guard let millesime = Millesime(fileName: file) else { throw DemoError.invalid("\(file) : pas de millésime dans le nom") }
            lines += try applied(try await importer.importEstablishments(try text(file), millesime: millesime, progress: progress), file)
        }
        return lines
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: Resources.dataURL(relativePath), encoding: .utf8)
    }
}

enum DemoError: Error, CustomStringConvertible {
    case invalid(String)

    var description: String {
        switch self { case .invalid(let reason): "Jeu de démonstration invalide : \(reason)." }
    }
}

/// The shape of `Data/demo/campus.json`.
struct DemoCampusFile: Decodable {
    struct Person: Decodable { var nom: String; var role: TeamRole; var email: String? }
    struct InlineOrganisation: Decodable {
        var nom: String
        var type: String
        var `public`: Bool?
        var commune: String?
        var departement: String?
    }
    struct Member: Decodable {
        var uai: String?
        var organisation: InlineOrganisation?
        var role: MembershipRole
        var depuis: String?
        var commune: String?
        var latitude: Double?
        var longitude: Double?
    }
    struct Entry: Decodable {
        var nom: String
        var filiere: String
        var academie: String
        var description: String?
        var siteWeb: String?
        var formeJuridique: String?
        var dateCreation: String?
        var equipe: [Person]?
        var membres: [Member]
    }

    var campus: [Entry]
}

/// The shape of `Data/demo/formations.json`.
struct DemoFormationsFile: Decodable {
    struct OrganisationRef: Decodable { var uai: String?; var nom: String? }
    struct Entry: Decodable {
        var campus: String
        var organisation: OrganisationRef
        var intitule: String
        var typeDiplome: String?
        var niveauEntree: Int?
        var niveauSortie: Int
        var cfd: String?
        var rncp: String?
        var romes: [String]?
        var duree: String?
        var statuts: [String]
        var modalite: String?
        var lien: String?
    }

    var formations: [Entry]
}

extension Organisation {
    /// An organisation whose town is known but not its coordinates is placed at the centre of its commune
    /// (La Poste's base), so that it can be found near a place; its own coordinates always win.
    func placeAtCommuneCentre() {
        guard latitude == nil, longitude == nil, let commune else { return }
        let candidates = CommuneGazetteer.shared.communes(named: commune)
        let found = departementCode.flatMap { code in candidates.first { $0.departementCode == code } } ?? (candidates.count == 1 ? candidates.first : nil)
        guard let found else { return }
        latitude = found.latitude
        longitude = found.longitude
    }
}
