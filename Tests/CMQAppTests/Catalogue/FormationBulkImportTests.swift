@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

/// The steps an operation reported.
final class RecordedProgress: ProgressReporter {
    let steps = NIOLockedValueBox<[(label: String, done: Int, total: Int)]>([])
    func step(_ label: String, done: Int, total: Int) { steps.withLockedValue { $0.append((label, done, total)) } }
    func message(_ text: String) {}
}

/// The formation import at scale: prepared outside any transaction, written in bulk statements (on SQLite the new
/// formations staged first, unseen), it writes what importing the lines one by one through the formation service writes.
@Suite("Catalogue: bulk import of formations")
struct FormationBulkImportTests {
    static let header = "identifiant;intitule;organisation_id;organisation_uai;filiere;type_diplome;niveau_entree;niveau_sortie;cfd;rncp;romes;duree;statuts;capacite;modalite;dates_debut;description;lien"

    static let titles = ["Mécanique automobile", "Œnologie et viticulture", "Maintenance des matériels agricoles", "Plasturgie",
                         "Cuisine", "Technicien en chaudronnerie", "Électrotechnique", "Logistique portuaire"]
    static let types: [DiplomaType] = [.cap, .bacPro, .bts, .but, .licencePro, .master]
    static let romes = ["H3201", "H3203", "H2903", "I1604", "G1602", "N1103"]
    static let statuses: [[LearnerStatus]] = [[.scolaire], [.scolaire, .apprenti], [.etudiant], [.apprenti, .formationContinue], [.etudiant, .apprenti]]

    /// The `index`-th generated line: every field used, in turn; `variant` changes what an update changes.
    static func line(_ index: Int, id: UUID, organisation: UUID, variant: Int = 0) -> String {
        let type = types[(index + variant) % types.count]
        let fields: [String] = [
            id.lower,
            index % 17 == 0 ? "" : "\(titles[(index + variant) % titles.count]) \(index)",
            index % 11 == 0 ? "" : organisation.lower,
            index % 11 == 0 ? "0020079A" : "",
            index % 3 == 0 ? "" : Filiere.allCases[index % Filiere.allCases.count].rawValue,
            index % 17 == 0 ? "" : type.rawValue,
            index % 5 == 0 && type.level.number > 3 ? "3" : "",
            index % 7 == 0 && index % 17 != 0 ? String(type.level.number) : "",
            index % 17 == 0 ? "40024202" : "",
            index % 13 == 0 ? "RNCP\(35000 + index)" : "",
            (0..<(index % 3)).map { romes[(index + $0 + variant) % romes.count] }.joined(separator: "|"),
            index % 4 == 0 ? "" : "\(1 + index % 3) an(s)",
            statuses[(index + variant) % statuses.count].map(\.rawValue).joined(separator: "|"),
            index % 6 == 0 ? "" : String(8 + (index + variant) % 30),
            ["presentiel", "mixte", "distance", ""][index % 4],
            index % 9 == 0 ? "2026-09-01|2027-01-15" : "",
            index % 2 == 0 ? "Conduite de presses, mécanique embarquée; « guillemets »." : "",
            index % 10 == 0 ? "https://www.onisep.fr/formation/\(index)" : "",
        ]
        return fields.map { FormationCSV.field($0) }.joined(separator: ";")
    }

    struct Corpus {
        var organisations: [UUID]
        /// Formations already in the catalogue before the import.
        var seeded: [UUID]
        var file: String
    }

    /// A few organisations, `seed` formations created through the service, and a file of `count` lines: first the
    /// seeded formations (one in three unchanged, the others changed), then new ones.
    static func corpus(_ app: Application, count: Int, seed: Int) async throws -> Corpus {
        try await Factory.organisation(app.db, uai: "0020079A")
        var organisations: [UUID] = []
        for index in 0..<6 { organisations.append(try await Factory.organisation(app.db, nom: "Organisation \(index)").requireID()) }
        let seeded = (0..<seed).map { _ in UUID() }
        var lines = [header]
        for index in 0..<count {
            let id = index < seed ? seeded[index] : UUID()
            lines.append(line(index, id: id, organisation: organisations[index % organisations.count], variant: index < seed && index % 3 != 0 ? 1 : 0))
        }
        return Corpus(organisations: organisations, seeded: seeded, file: lines.joined(separator: "\n") + "\n")
    }

    /// Puts the seeded formations back as they were, through the service (the first `seed` lines, unchanged).
    static func reseed(_ app: Application, _ corpus: Corpus) async throws {
        try await AuditEntry.query(on: app.db).filter(\.$entity == Formation.auditEntity).delete()
        try await FormationROME.query(on: app.db).delete()
        try await FormationStatut.query(on: app.db).delete()
        try await Formation.query(on: app.db).delete()
        var lines = [header]
        for (index, id) in corpus.seeded.enumerated() {
            lines.append(line(index, id: id, organisation: corpus.organisations[index % corpus.organisations.count]))
        }
        let importer = FormationImporter(db: app.db, caller: .command("test"))
        var rejected: [LineError] = []
        let checked = try await importer.check(try FormationCSV.read(lines.joined(separator: "\n")).records, rejecting: &rejected, progress: SilentProgress())
        #expect(rejected.isEmpty)
        let service = FormationService(db: app.db, caller: .command("test"))
        for item in checked { _ = try await service.create(item.input, id: item.record.identifiant) }
    }

    /// Everything an import writes that a reader can see: every formation with its lists, mask and folded texts;
    /// the audit entries of formations; what searches find.
    struct Snapshot: Equatable {
        var formations: [[String]]
        var audit: [[String]]
        var searches: [String: Int]
    }

    static func snapshot(_ app: Application) async throws -> Snapshot {
        let formations = try await Formation.query(on: app.db).with(\.$statuts).with(\.$romes).all().map { formation -> [String] in
            [formation.id!.lower, formation.intitule, formation.intituleCle, formation.texteCle ?? "-", formation.$organisation.id.lower,
             formation.$responsable.id?.lower ?? "-", formation.filiere ?? "-", formation.typeDiplome ?? "-",
             formation.niveauEntree.map(String.init) ?? "-", String(formation.niveauSortie), formation.cfd ?? "-", formation.rncp ?? "-",
             formation.duree ?? "-", formation.capacite.map(String.init) ?? "-", formation.modalite, formation.datesDebut ?? "-",
             formation.description ?? "-", formation.lien ?? "-", String(formation.statutsMasque),
             formation.statuts.map(\.statut).sorted().joined(separator: ","), formation.romes.map(\.code).sorted().joined(separator: ","),
             String(formation.createdAt != nil && formation.updatedAt != nil)]
        }.sorted { $0[0] < $1[0] }
        let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == Formation.auditEntity).all().map {
            [$0.entityID.uuidString.lowercased(), $0.action, $0.entityLabel, $0.actorLabel, $0.changes]
        }.sorted { $0.lexicographicallyPrecedes($1) }
        var searches: [String: Int] = [:]
        for query in ["q=mecanique", "q=oenologie", "q=meca%20presses", "q=bts", "q=40024202", "statut=apprenti", "statut=formation-continue",
                      "niveau=5", "q=plasturgie&statut=scolaire"] {
            let response = try await app.send(.GET, "/api/v1/formations?\(query)&per=1")
            #expect(response.status == .ok)
            searches[query] = try response.decoded(PageDTO<FormationDTO>.self).total
        }
        // The search done by the database alone (on SQLite, its full-text index; "plasturgie" would also name the
        // campus one test attaches a formation to)
        for word in ["mecanique", "oenologie", "meca presses", "agricoles", "chaudronnerie", "viticulture", "cuisine", "electrotechnique"] {
            searches["base:\(word)"] = try await CatalogueSearch(db: app.db).allIDs(.init(q: word)).count
        }
        return Snapshot(formations: formations, audit: audit, searches: searches)
    }

    @Test("two thousand lines imported at once give the rows, searches and audit trail of an import line by line", arguments: TestDatabase.all)
    func sameAsOneByOne(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: 200 formations in the catalogue, and a file of 2,000 lines that updates them and adds 1,800
            let corpus = try await Self.corpus(app, count: 2000, seed: 200)
            let (records, parseErrors) = try FormationCSV.read(corpus.file)
            #expect(parseErrors.isEmpty)
            let importer = FormationImporter(db: app.db, caller: .command("test"))

            // when: the file goes line by line through the formation service (what the importer did before)…
            try await Self.reseed(app, corpus)
            var rejected: [LineError] = []
            let checked = try await importer.check(records, rejecting: &rejected, progress: SilentProgress())
            #expect(rejected.isEmpty)
            let service = FormationService(db: app.db, caller: .command("test"))
            let seeded = Set(corpus.seeded)
            for item in checked {
                let id = try #require(item.record.identifiant)
                if seeded.contains(id) { _ = try await service.update(id, item.input) } else { _ = try await service.create(item.input, id: id) }
            }
            let oneByOne = try await Self.snapshot(app)

            // … and then at once through the importer, a seeded formation being attached to a campus's offer
            try await Self.reseed(app, corpus)
            let campus = try await Factory.campus(app.db)
            try await CampusFormation(campusID: campus.requireID(), formationID: corpus.seeded[1]).create(on: app.db)
            let report = try await importer.run(records)
            let atOnce = try await Self.snapshot(app)

            // then
            // (the 67 seeded lines that change nothing write nothing)
            #expect(report.applied && report.created == 1800 && report.updated == 133 && report.unchanged == 67 && report.rejected.isEmpty)
            #expect(report.summary.hasPrefix("Import terminé : 1800 formation(s) créée(s), 133 mise(s) à jour, 67 inchangée(s), 0 rejetée(s), écrites en "))
            #expect(atOnce.formations.count == 2000)
            #expect(atOnce.formations == oneByOne.formations)
            // 200 creations of the seed, 1,800 of the file, 133 updates (the 67 unchanged lines record nothing)
            #expect(atOnce.audit.count == 2133)
            #expect(atOnce.audit == oneByOne.audit)
            #expect(atOnce.searches == oneByOne.searches)
            #expect(atOnce.searches["q=oenologie"] ?? 0 > 0 && atOnce.searches["statut=formation-continue"] ?? 0 > 0)
            // An update changes the formation in place: it stays attached to the campus.
            #expect(try await CampusFormation.query(on: app.db).filter(\.$formation.$id == corpus.seeded[1]).count() == 1)
        }
    }

    @Test("bad lines among thousands: nothing is written and every bad line is named with its number and reason", arguments: TestDatabase.all)
    func badLinesWriteNothing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: 100 formations in the catalogue and a file of 2,000 lines with five bad ones spread through it
            let corpus = try await Self.corpus(app, count: 2000, seed: 100)
            try await Self.reseed(app, corpus)
            let before = try await Self.snapshot(app)
            var lines = corpus.file.split(separator: "\n").map(String.init)
            let organisation = corpus.organisations[0].lower
            func bad(_ intitule: String, organisation: String = organisation, uai: String = "", type: String = "", niveau: String = "",
                     statut: String = "scolaire") -> String {
                var fields = [String](repeating: "", count: Self.header.split(separator: ";").count)
                (fields[1], fields[2], fields[3], fields[5], fields[7], fields[12]) = (intitule, organisation, uai, type, niveau, statut)
                return fields.joined(separator: ";")
            }
            lines[10] = bad("Niveau impossible", niveau: "9")                        // line 11
            lines[500] = bad("Organisation inconnue", organisation: "", uai: "0010001W", type: "cap")   // line 501
            lines[1200] = bad("Statut inconnu", type: "cap", statut: "pensionnaire")  // line 1201
            lines[1500] = ";Ligne courte;\(organisation)"                           // line 1501
            lines[1999] = lines[3]                                                   // line 2000 repeats line 4's identifier
            let (records, parseErrors) = try FormationCSV.read(lines.joined(separator: "\n"))

            // when
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(records, parseErrors: parseErrors)

            // then
            #expect(!report.applied)
            #expect(report.rejected.map(\.line) == [11, 501, 1201, 1501, 2000])
            #expect(report.rejected[0].reason.contains("niveauSortie"))
            #expect(report.rejected[1].reason.contains("aucune organisation n'a l'UAI 0010001W"))
            #expect(report.rejected[2].reason.contains("pensionnaire"))
            #expect(report.rejected[3].reason.contains("au lieu de"))
            #expect(report.rejected[4].reason == "identifiant : \(corpus.seeded[2].lower) est déjà celui de la ligne 4.")
            #expect(report.summary == "Import annulé : 5 formation(s) rejetée(s), aucune modification enregistrée.")
            #expect(try await Self.snapshot(app) == before)
        }
    }

    @Test("an import's new formations, staged in short transactions, are seen by no read until its last transaction shows them all; a stopped import's are removed", arguments: TestDatabase.all)
    func stagedUnseenUntilShown(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: 40 formations in the catalogue, and a file that updates them and adds 60
            let corpus = try await Self.corpus(app, count: 100, seed: 40)
            try await Self.reseed(app, corpus)
            var importer = FormationImporter(db: app.db, caller: .command("test"))
            importer.stagesNewFormations = true
            let records = try FormationCSV.read(corpus.file).records
            var rejected: [LineError] = []
            let checked = try await importer.check(records, rejecting: &rejected, progress: SilentProgress())
            let plan = try await importer.prepare(checked, progress: SilentProgress())
            let batch = try #require(plan.batch)
            // (14 of the 40 lines change nothing: they write nothing)
            #expect(plan.createdCount == 60 && plan.updatedCount == 26 && plan.unchangedCount == 14)
            let before = try await Self.snapshot(app)
            let shownBefore = try await app.send(.GET, "/api/v1/formations?per=1").decoded(PageDTO<FormationDTO>.self).total
            let csvBefore = try await app.send(.GET, "/api/v1/formations.csv").body.string

            // when: the new formations are staged (what an import does before its last transaction)
            try await FormationImporter.stage(plan.created, batch: batch, on: app.db, step: {})
            let staged = try await Formation.query(on: app.db).filter(\.$importBatch == batch).all()
            #expect(staged.count == 60)
            // The audit entries of the changes are staged too: 60 creations and 26 modifications.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$importBatch == batch).count() == 86)
            #expect(try await AuditEntry.shown(on: app.db).filter(\.$importBatch == batch).count() == 0)
            let one = try #require(staged.first)

            // then: no read sees them — searches, the formation itself, the organisation's page, exports, the journal
            #expect(try await Self.snapshot(app).searches == before.searches)
            #expect(try await app.send(.GET, "/api/v1/formations?per=1").decoded(PageDTO<FormationDTO>.self).total == shownBefore)
            #expect(try await app.send(.GET, "/api/v1/formations/\(one.id!.lower)").status == .notFound)
            #expect(try await app.send(.GET, "/formations/\(one.id!.lower)").status == .notFound)
            #expect(try await app.send(.GET, "/organisations/\(one.$organisation.id.lower)").body.string.contains(one.intitule) == false)
            #expect(try await app.send(.GET, "/api/v1/formations.csv").body.string == csvBefore)
            #expect(try await app.send(.GET, "/gestion/journal?q=\(one.id!.lower)", as: .admin).body.string.contains(one.intitule) == false)
            #expect(try await Formation.visible(on: app.db).count() == 40)
            #expect(try await CatalogueSearch(db: app.db).computeInDatabase(.init(), page: PageRequest(page: 1, per: 1)).total == 40)

            // when: the import stops there and is not seen again: the next import removes what it staged
            try await (app.db as! any SQLDatabase).raw("UPDATE lots_import SET vu_le = \(bind: Date().addingTimeInterval(-3600)) WHERE id = \(bind: batch)").run()
            try await FormationImporter.discardAbandonedBatches(on: app.db)
            #expect(try await Formation.query(on: app.db).count() == 40)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$importBatch == batch).count() == 0)
            #expect(try await FormationStatut.query(on: app.db).count() == FormationStatut.query(on: app.db).join(Formation.self, on: \FormationStatut.$formation.$id == \Formation.$id).count())
            #expect(try await Self.snapshot(app) == before)

            // when: the whole import runs: every formation is shown, with its audit entries, by its last transaction
            let report = try await importer.run(records)
            #expect(report.applied && report.created == 60 && report.updated == 26 && report.unchanged == 14)
            #expect(try await Formation.query(on: app.db).filter(\.$importBatch != nil).count() == 60)
            #expect(try await Formation.visible(on: app.db).count() == 100)
            // (the import wrote beside the instance, as the command does: its index reads the version every 200 ms)
            try await catalogueIndexCaughtUp(app)
            #expect(try await app.send(.GET, "/api/v1/formations?per=1").decoded(PageDTO<FormationDTO>.self).total == 100)
            let entries = try await AuditEntry.shown(on: app.db).filter(\.$entity == Formation.auditEntity).filter(\.$action == "creation").count()
            #expect(entries == 100)
            #expect(try await AuditEntry.shown(on: app.db).filter(\.$entity == Formation.auditEntity).filter(\.$action == "modification").count() == 26)
            struct Batch: Decodable { let publie_le: Date? }
            let batches = try await (app.db as! any SQLDatabase).raw("SELECT publie_le FROM lots_import").all(decoding: Batch.self)
            #expect(batches.count == 1 && batches.allSatisfy { $0.publie_le != nil })
        }
    }

    @Test("a file imported again writes nothing: no row, no audit entry, no catalogue version; one changed line writes that formation only", arguments: TestDatabase.all)
    func sameFileAgainWritesNothing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: a file of 30 formations, imported
            let corpus = try await Self.corpus(app, count: 30, seed: 0)
            let importer = FormationImporter(db: app.db, caller: .command("test"))
            let first = try await importer.run(try FormationCSV.read(corpus.file).records)
            #expect(first.applied && first.created == 30)
            let sql = try #require(app.db as? any SQLDatabase)
            let before = try await Self.snapshot(app)
            let version = try await CatalogueIndex.CatalogueState.read(on: sql).version
            let modified = try await Formation.query(on: app.db).all().map(\.updatedAt)

            // when: the same file again
            let again = try await importer.run(try FormationCSV.read(corpus.file).records)

            // then: every line is unchanged, and nothing was written
            #expect(again.applied && again.created == 0 && again.updated == 0 && again.unchanged == 30)
            #expect(again.summary.hasPrefix("Import terminé : 0 formation(s) créée(s), 0 mise(s) à jour, 30 inchangée(s), 0 rejetée(s)"))
            #expect(try await Self.snapshot(app) == before)
            #expect(try await CatalogueIndex.CatalogueState.read(on: sql).version == version)
            #expect(try await Formation.query(on: app.db).all().map(\.updatedAt) == modified)

            // when: the file with one line changed (its duration)
            let lines = corpus.file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var fields = lines[5].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let duree = try #require(Self.header.split(separator: ";").firstIndex(of: "duree"))
            fields[duree] = "7 mois"
            let changed = (lines[..<5] + [fields.joined(separator: ";")] + lines[6...]).joined(separator: "\n")
            let report = try await importer.run(try FormationCSV.read(changed).records)

            // then: that formation only is written, with its audit entry
            #expect(report.updated == 1 && report.unchanged == 29)
            let id = try #require(try FormationCSV.read(changed).records[4].identifiant)
            #expect(try await Formation.find(id, on: app.db)?.duree == "7 mois")
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entity == Formation.auditEntity).filter(\.$action == "modification").all()
            #expect(entries.map(\.entityID) == [id] && entries.first?.decodedChanges["duree"]?.apres == "7 mois")
        }
    }

    @Test("a formation changed by someone else between the preparation and the write stops the write, which a new preparation redoes; one the file leaves as it is does not", arguments: TestDatabase.all)
    func changedMeanwhile(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: two formations, and an import that leaves the first as it is, changes the second and adds one,
            // prepared from what they were
            let corpus = try await Self.corpus(app, count: 3, seed: 2)
            try await Self.reseed(app, corpus)
            let (kept, id) = (corpus.seeded[0], corpus.seeded[1])
            let importer = FormationImporter(db: app.db, caller: .command("test"))
            var rejected: [LineError] = []
            let checked = try await importer.check(try FormationCSV.read(corpus.file).records, rejecting: &rejected, progress: SilentProgress())
            let plan = try await importer.prepare(checked, progress: SilentProgress())
            #expect(plan.createdCount == 1 && plan.updatedCount == 1 && plan.unchangedCount == 1)
            let site = FormationService(db: app.db, caller: .command("site"))
            var input = FormationInput()
            input.intitule = .set("Changé par le site")

            // when: the site changes the formation the file leaves as it is: the import writes what it changes, and
            // leaves the site's change (it came first)
            _ = try await site.update(kept, input)
            try await importer.write(plan, progress: SilentProgress())
            #expect(try await Formation.query(on: app.db).count() == 3)
            #expect(try await Formation.find(kept, on: app.db)?.intitule == "Changé par le site")

            // when: the site changes a formation the file changes, before a newer import writes
            let again = try await importer.prepare(checked, progress: SilentProgress())
            #expect(again.createdCount == 0 && again.updatedCount == 1 && again.unchangedCount == 2)
            try await Self.reseed(app, corpus)
            let fresh = try await importer.prepare(checked, progress: SilentProgress())
            _ = try await site.update(id, input)

            // then: that write is refused and writes nothing…
            await #expect(throws: FormationImporter.ChangedMeanwhile.self) { try await importer.write(fresh, progress: SilentProgress()) }
            #expect(try await Formation.query(on: app.db).count() == 2)
            #expect(try await Formation.find(id, on: app.db)?.intitule == "Changé par le site")
            // … and a fresh preparation applies the file, its audit entry starting from the site's change
            let report = try await importer.run(try FormationCSV.read(corpus.file).records)
            #expect(report.applied && report.created == 1 && report.updated == 1 && report.unchanged == 1)
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entityID == id).sort(\.$at).all()
            #expect(entries.map(\.action) == ["creation", "modification", "modification"])
            #expect(entries.last?.decodedChanges["intitule"]?.avant == "Changé par le site")

            // when: a formation the file changes is changed meanwhile by a bulk write that does not list its
            // formations (an import past its limit): the write reads every formation it writes again, and stops
            try await Self.reseed(app, corpus)
            let stale = try await importer.prepare(checked, progress: SilentProgress())
            let lines = corpus.file.split(separator: "\n").map(String.init)
            var fields = lines[2].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            fields[try #require(Self.header.split(separator: ";").firstIndex(of: "duree"))] = "9 mois"
            var unlisted = FormationImporter(db: app.db, caller: .command("autre import"))
            unlisted.changesListedAtMost = 0
            #expect(try await unlisted.run(try FormationCSV.read(Self.header + "\n" + fields.joined(separator: ";") + "\n").records).updated == 1)
            await #expect(throws: FormationImporter.ChangedMeanwhile.self) { try await importer.write(stale, progress: SilentProgress()) }
            #expect(try await Formation.find(id, on: app.db)?.duree == "9 mois")
        }
    }

    @Test("SQLite: the changed formations are copied by the rowids read before the lock, only the columns the file changes; a formation whose row moved meanwhile stops the write, which writes nothing; the per-row triggers the copy would run for nothing are off during it only, inside its transaction")
    func copiedByRowid() async throws {
        try await withTestApp(.sqlite) { app in
            // given: three formations, a file that changes some of them, prepared
            let corpus = try await Self.corpus(app, count: 3, seed: 2)
            try await Self.reseed(app, corpus)
            var importer = FormationImporter(db: app.db, caller: .command("test"))
            var rejected: [LineError] = []
            let checked = try await importer.check(try FormationCSV.read(corpus.file).records, rejecting: &rejected, progress: SilentProgress())
            let plan = try await importer.prepare(checked, progress: SilentProgress())
            #expect(plan.updatedCount >= 1)
            #expect(plan.changedColumns.contains("modifie_le") && !plan.changedColumns.contains("organisation_id") && !plan.changedColumns.contains("cree_le"))
            let sql = try #require(app.db as? any SQLDatabase)
            struct Row: Decodable, Equatable { let id: UUID; let intitule: String; let modifie_le: Double? }
            @Sendable func rows() async throws -> [Row] {
                try await sql.raw("SELECT id, intitule, modifie_le FROM formations ORDER BY id").all(decoding: Row.self)
            }
            let before = try await rows()
            struct Trigger: Decodable, Equatable { let name: String; let sql: String }
            @Sendable func triggers(on sql: any SQLDatabase = sql) async throws -> [Trigger] {
                try await sql.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'formations' ORDER BY name").all(decoding: Trigger.self)
            }
            let triggersBefore = try await triggers()
            let idle = FormationImporter.triggersIdleInCopy + [FormationImporter.searchTriggerIdleInCopy]
            #expect(Set(idle).isSubset(of: triggersBefore.map(\.name)))

            // the copy's idle triggers are off during it only, inside its transaction: a failure puts them back
            struct Failure: Error {}
            await #expect(throws: Failure.self) {
                try await app.db.writeTransaction { db in
                    let sql = db as! any SQLDatabase
                    try await FormationImporter.withoutIdleTriggers(searchEntriesStaged: true, on: sql) {
                        let left = try await triggers(on: sql)
                        #expect(left == triggersBefore.filter { !idle.contains($0.name) })
                        throw Failure()
                    }
                }
            }
            #expect(try await triggers() == triggersBefore)
            try await app.db.writeTransaction { db in
                let sql = db as! any SQLDatabase
                try await FormationImporter.withoutIdleTriggers(searchEntriesStaged: false, on: sql) {
                    let left = try await triggers(on: sql)
                    #expect(left.map(\.name).contains(FormationImporter.searchTriggerIdleInCopy))
                }
            }
            #expect(try await triggers() == triggersBefore)

            // when: after the import read the rowids, a formation the file changes moves to another row, as it is (its
            // id, its values, its modification time: nothing a write of cmq does)
            let moved = try #require(corpus.seeded.first { id in plan.identifiers.contains(id) })
            @Sendable func move(on db: any Database) async throws {
                try await (db as! any SQLDatabase).raw("UPDATE formations SET rowid = (SELECT max(rowid) + 10 FROM formations) WHERE id = \(bind: moved)").run()
            }
            // (on the import's connection, which it holds from its first write to its last)
            importer.beforeLastTransaction = move

            // then: the write stops and writes nothing
            await #expect(throws: FormationImporter.ChangedMeanwhile.self) { try await importer.write(plan, progress: SilentProgress()) }
            #expect(try await rows().map(\.modifie_le) == before.map(\.modifie_le))
            #expect(try await triggers() == triggersBefore)

            // when: moved before the write, prepared again: it writes every change, found at the rows' new rowids
            importer.beforeLastTransaction = nil
            try await move(on: app.db)
            let again = try await importer.prepare(checked, progress: SilentProgress())
            try await importer.write(again, progress: SilentProgress())
            let after = try await Formation.query(on: app.db).all()
            #expect(after.count == 3)
            #expect(try await rows() != before)
            #expect(try await triggers() == triggersBefore)
            let expected = try FormationCSV.read(corpus.file).records
            for record in expected {
                let formation = try #require(after.first { $0.id == record.identifiant })
                if let intitule = record.intitule { #expect(formation.intitule == intitule) }
            }
        }
    }

    @Test("while an import writes, a formation the site writes waits for it on SQLite only (on PostgreSQL the import takes the catalogue's version last); both are then found", arguments: TestDatabase.all)
    func siteWritesDuringImport(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let organisation = try await Factory.organisation(app.db, nom: "Lycée des métiers").requireID()
            @Sendable func input(_ title: String) -> FormationInput {
                var input = FormationInput()
                input.intitule = .set(title)
                input.organisationID = .set(organisation)
                input.typeDiplome = .set(.cap)
                input.statuts = .set([.scolaire])
                return input
            }
            let sql = try #require(app.db as? any SQLDatabase)
            let postgres = sql.dialect.name != "sqlite"
            let imported = UUID(), written = UUID()
            let siteDone = NIOLockedValueBox(false)
            let siteWrite = NIOLockedValueBox<Task<Void, any Error>?>(nil)

            // given: an import's transaction, which has written a formation as the importer does
            try await app.db.writeTransaction { db in
                let importSQL = try #require(db as? any SQLDatabase)
                try await FormationImporter.beginBulkWrite(on: importSQL)
                _ = try await FormationService(db: db, caller: .command("import")).create(input("Formation importée"), id: imported)
                // when: the site writes a formation meanwhile, on a connection of its own
                siteWrite.withLockedValue {
                    $0 = Task {
                        _ = try await FormationService(db: app.db, caller: .command("site")).create(input("Formation écrite par le site"), id: written)
                        siteDone.withLockedValue { $0 = true }
                    }
                }
                if postgres {
                    for _ in 0..<200 where !siteDone.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
                    #expect(siteDone.withLockedValue { $0 }, "the site's write waited for the import's transaction")
                } else {
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(!siteDone.withLockedValue { $0 }, "SQLite writes one transaction at a time")
                }
                try await FormationImporter.endBulkWrite([imported], listingAtMost: 1, on: importSQL)
            }
            try await #require(siteWrite.withLockedValue { $0 }).value

            // then: both are changes of the catalogue, at most the current version; on PostgreSQL the import's is the
            // current one, after the site's (SQLite's per-row triggers move the version past what they record)
            struct Change: Decodable { let formation_id: UUID; let version: Int64 }
            struct Current: Decodable { let version: Int64 }
            let changes = try await sql.select().columns("formation_id", "version").from("catalogue_changes")
                .where("formation_id", .in, [imported, written]).all(decoding: Change.self)
            let versions = Dictionary(uniqueKeysWithValues: changes.map { ($0.formation_id, $0.version) })
            let current = try #require(try await sql.raw("SELECT version FROM catalogue_version WHERE id = 1").first(decoding: Current.self)).version
            #expect(versions.count == 2 && versions.values.allSatisfy { $0 <= current })
            if postgres { #expect(versions[imported] == current && versions[imported]! > versions[written]!) }
            for (query, title) in [("importee", "Formation importée"), ("ecrite%20site", "Formation écrite par le site")] {
                let page = try await app.send(.GET, "/api/v1/formations?q=\(query)").decoded(PageDTO<FormationDTO>.self)
                #expect(page.items.map(\.intitule) == [title])
            }
        }
    }

    @Test("SQLite: the full-text entries of the formations whose texts an import changes are written before its last transaction, which points the formations to them; former entries and those of a stopped import are removed; the site's later changes keep one entry per formation")
    func stagedSearchEntries() async throws {
        try await withTestApp(.sqlite) { app in
            // given: 30 formations, a file that changes 20 of them (most of their titles), and the full-text entries of another
            // import, still running, under the keys it reserved
            let corpus = try await Self.corpus(app, count: 30, seed: 30)
            try await Self.reseed(app, corpus)
            let sql = try #require(app.db as? any SQLDatabase)
            struct Count: Decodable { let n: Int }
            @Sendable func count(_ query: String) async throws -> Int { try await sql.raw("\(unsafeRaw: query)").first(decoding: Count.self)?.n ?? -1 }
            @Sendable func found(_ word: String) async throws -> Set<UUID> { Set(try await CatalogueSearch(db: app.db).allIDs(.init(q: word))) }
            // Every formation has one entry, under the key it points to, holding its texts; no other entry is left.
            @Sendable func oneEntryPerFormation() async throws -> Bool {
                let formations = try await count("SELECT count(*) AS n FROM formations")
                let matching = try await count("""
                    SELECT count(*) AS n FROM formations f JOIN formations_fts s ON s.rowid = coalesce(f.cle_recherche, f.rowid)
                    WHERE s.intitule = f.intitule_cle AND s.texte = coalesce(f.texte_cle, '')
                    """)
                try await sql.raw("INSERT INTO formations_fts (formations_fts) VALUES ('integrity-check')").run()
                return try await count("SELECT count(*) AS n FROM formations_fts WHERE rowid NOT BETWEEN -1001 AND -1000") == formations && matching == formations
            }
            #expect(try await oneEntryPerFormation())
            let running = UUID(), now = Date()
            try await sql.raw("INSERT INTO lots_import (id, commence_le, vu_le, recherche_a, recherche_de) VALUES (\(bind: running), \(bind: now), \(bind: now), -1000, -1001)").run()
            try await sql.raw("INSERT INTO formations_fts (rowid, intitule, texte) VALUES (-1000, 'entree', 'autre import'), (-1001, 'entree', 'autre import')").run()
            let changed = corpus.seeded[1]
            #expect(try await found("oenologie").contains(changed))
            #expect(try await !found("agricoles").contains(changed))
            struct Texts: Decodable, Equatable { let id: UUID; let intitule_cle: String; let texte_cle: String? }
            @Sendable func texts() async throws -> [UUID: Texts] {
                Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT id, intitule_cle, texte_cle FROM formations").all(decoding: Texts.self).map { ($0.id, $0) })
            }
            let before = try await texts()

            // when: the file is imported
            let progress = RecordedProgress()
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(try FormationCSV.read(corpus.file).records, progress: progress)
            // (the writing's steps, the staged entries' included, reach its total and never pass it)
            let writing = progress.steps.withLockedValue { $0.filter { $0.label == "Écriture" } }
            #expect(writing.allSatisfy { $0.done <= $0.total } && writing.last.map { $0.done == $0.total } == true)
            // (the removal of the former entries, after it, shows its progress too)
            let removal = progress.steps.withLockedValue { $0.filter { $0.label == "Nettoyage de l'index de recherche" } }
            #expect(removal.last.map { $0.done == $0.total && $0.total > 0 } == true)

            // then: the formations whose texts changed point to new entries (below the other import's keys), which the
            // search reads; their former entries are gone, the other import's are left
            #expect(report.updated == 20 && report.unchanged == 10)
            let newTexts = try await texts().filter { before[$0.key] != $0.value }.count
            #expect(newTexts > 10)
            #expect(try await count("SELECT count(*) AS n FROM formations WHERE cle_recherche IS NOT NULL") == newTexts)
            #expect(try await count("SELECT count(*) AS n FROM formations WHERE cle_recherche >= -1001") == 0)
            #expect(try await oneEntryPerFormation())
            #expect(try await count("SELECT count(*) AS n FROM formations_fts WHERE rowid BETWEEN -1001 AND -1000") == 2)
            #expect(try await found("agricoles").contains(changed))
            #expect(try await !found("oenologie").contains(changed))

            // when: the site changes that formation's title, then deletes another the import changed
            var input = FormationInput()
            input.intitule = .set("Cuisine du monde")
            _ = try await FormationService(db: app.db, caller: .command("site")).update(changed, input)
            try await FormationService(db: app.db, caller: .command("site")).delete(corpus.seeded[2])

            // then: one entry per formation still, each read by the search
            #expect(try await oneEntryPerFormation())
            #expect(try await found("monde") == [changed])
            #expect(try await !found("agricoles").contains(changed))

            // when: the other import stops and is not seen again
            try await sql.raw("UPDATE lots_import SET vu_le = \(bind: Date().addingTimeInterval(-3600)) WHERE id = \(bind: running)").run()
            try await FormationImporter.discardAbandonedBatches(on: app.db)

            // then: its entries are removed
            #expect(try await count("SELECT count(*) AS n FROM formations_fts WHERE rowid BETWEEN -1001 AND -1000") == 0)
            #expect(try await oneEntryPerFormation())

            // when: the migration is reverted: every entry is back under its formation's rowid, and found there; then
            // it is applied again (both on one connection: another, its schema read before the revert, would refuse to
            // add the column again as a duplicate, SQLite reading its schema anew only for a statement that names
            // something missing)
            try await app.db.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    // (its counts on that connection too: the pool's SQLite connection of this event loop is this one)
                    let sql = connection as! any SQLDatabase
                    @Sendable func count(_ query: String) async throws -> Int { try await sql.raw("\(unsafeRaw: query)").first(decoding: Count.self)?.n ?? -1 }
                    try await StageSearchEntries().revert(on: connection)
                    #expect(try await count("SELECT count(*) AS n FROM formations_fts") == count("SELECT count(*) AS n FROM formations"))
                    #expect(try await count("""
                        SELECT count(*) AS n FROM formations f JOIN formations_fts s ON s.rowid = f.rowid WHERE s.intitule = f.intitule_cle
                        """) == count("SELECT count(*) AS n FROM formations"))
                    try await StageSearchEntries().prepare(on: connection)
                }
            }.get()
            #expect(try await found("monde") == [changed])
            #expect(try await oneEntryPerFormation())
        }
    }

    @Test("SQLite: an import writes with a larger page cache on its connection, set back after the write, and after a failed one")
    func sqliteWriteCache() async throws {
        try await withTestApp(.sqlite) { app in
            struct CacheSize: Decodable { let cache_size: Int }
            struct Failure: Error {}
            try await app.db.withConnection { db in
                let sql = try #require(db as? any SQLDatabase)
                @Sendable func cacheSize() async throws -> Int? { try await sql.raw("PRAGMA cache_size").first(decoding: CacheSize.self)?.cache_size }
                let usual = try await cacheSize()
                try await FormationImporter.withWriteCache(on: sql) { () async throws in
                    let during = try await cacheSize()
                    #expect(during == -FormationImporter.sqliteWriteCacheKiB)
                }
                #expect(try await cacheSize() == usual)
                await #expect(throws: Failure.self) { try await FormationImporter.withWriteCache(on: sql) { throw Failure() } }
                #expect(try await cacheSize() == usual)
            }
        }
    }

    @Test("an import moves the catalogue's version once, at its end, and lists its formations as changed at it; past its limit it marks a reload instead; an index built before finds them either way", arguments: TestDatabase.all)
    func changesRecordedAtTheEnd(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: 10 formations, an index of them, and a file that changes them and adds 20
            let corpus = try await Self.corpus(app, count: 30, seed: 10)
            try await Self.reseed(app, corpus)
            let sql = try #require(app.db as? any SQLDatabase)
            let index = CatalogueIndex(checkInterval: 0)
            #expect(try await index.current(on: sql, today: .today).aliveCount == 10)
            let records = try FormationCSV.read(corpus.file).records
            struct Change: Decodable { let formation_id: UUID; let version: Int64 }
            func changes() async throws -> [UUID: Int64] {
                let rows = try await sql.select().columns("formation_id", "version").from("catalogue_changes").all(decoding: Change.self)
                return Dictionary(uniqueKeysWithValues: rows.map { ($0.formation_id, $0.version) })
            }
            let before = try await CatalogueIndex.CatalogueState.read(on: sql)

            // when: 20 lines, within the limit
            var importer = FormationImporter(db: app.db, caller: .command("test"))
            importer.changesListedAtMost = 20
            #expect(try await importer.run(Array(records[0..<20])).applied)

            // then: the version moved once (SQLite's per-row triggers did nothing), each formation listed at it
            let listed = try await CatalogueIndex.CatalogueState.read(on: sql)
            #expect(listed.version == before.version + 1 && listed.reload_version == before.reload_version)
            // (lines 0, 3, 6 and 9 repeat their formations: they write nothing, and are not listed)
            let unchanged = Set([0, 3, 6, 9].compactMap { records[$0].identifiant })
            let firstIDs = records[0..<20].compactMap(\.identifiant)
            let afterFirst = try await changes()
            #expect(unchanged.count == 4 && unchanged.allSatisfy { afterFirst[$0] != nil && afterFirst[$0] != listed.version })
            #expect(firstIDs.filter { !unchanged.contains($0) }.allSatisfy { afterFirst[$0] == listed.version })
            #expect(try await index.current(on: sql, today: .today).aliveCount == 20)

            // when: 10 more lines, past a limit of 5
            importer.changesListedAtMost = 5
            #expect(try await importer.run(Array(records[20..<30])).applied)

            // then: the version moved once more and is marked as a reload; none of the 10 is listed; the index has all 30
            let reload = try await CatalogueIndex.CatalogueState.read(on: sql)
            #expect(reload.version == listed.version + 1 && reload.reload_version == reload.version)
            let afterSecond = try await changes()
            #expect(records[20..<30].compactMap(\.identifiant).allSatisfy { afterSecond[$0] == nil })
            let snapshot = try await index.current(on: sql, today: .today)
            #expect(snapshot.aliveCount == 30 && snapshot.version == reload.version)
            // Every statuses mask is the importer's, and right.
            for formation in try await Formation.query(on: app.db).with(\.$statuts).all() {
                #expect(formation.statutsMasque == FormationStatusMask.mask(formation.statuts.compactMap { LearnerStatus(rawValue: $0.statut) }))
            }

            // when: the site writes a formation after the imports
            var input = FormationInput()
            input.intitule = .set("Écrite par le site")
            input.organisationID = .set(corpus.organisations[0])
            input.typeDiplome = .set(.cap)
            input.statuts = .set([.apprenti])
            let written = try await FormationService(db: app.db, caller: .command("site")).create(input).requireID()

            // then: the catalogue's triggers record it as before, with its mask
            let after = try await CatalogueIndex.CatalogueState.read(on: sql)
            #expect(after.version > reload.version && after.reload_version == reload.reload_version)
            let change = try #require(try await changes()[written])
            #expect(change > reload.version && change <= after.version)
            #expect(try await Formation.find(written, on: app.db)?.statutsMasque == FormationStatusMask.mask([.apprenti]))
            if sql.dialect.name == "sqlite" {
                struct Flag: Decodable { let ecriture_groupee: Int }
                #expect(try await sql.raw("SELECT ecriture_groupee FROM catalogue_version").first(decoding: Flag.self)?.ecriture_groupee == 0)
            }
        }
    }
}
