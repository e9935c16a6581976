@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// LHEO as partners check it: cmq's exports against the official XSD (`xmllint`), ONISEP's real example file,
/// the round trip export → import → export.
///
/// The schema checks need `xmllint` (Debian `libxml2-utils`, which `.ci/run` installs). In CI (`CI` set) a
/// missing `xmllint` fails the test; elsewhere the test prints a notice and checks nothing more.
@Suite("Catalogue: LHEO valid against the official schema, real feeds, round trip")
struct LHEOExchangeTests {
    // MARK: - The official schema

    static func fixture(_ name: String, _ ext: String, _ folder: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures/\(folder)"))
    }

    /// The path of xmllint, or nil (after a notice, or a failure in CI) when it is missing.
    static func xmllint() -> String? {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/xmllint" }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        if ProcessInfo.processInfo.environment["CI"].map({ !$0.isEmpty }) ?? false {
            Issue.record("xmllint is missing: install Debian's libxml2-utils (.ci/run does) to check LHEO against the official schema")
        } else {
            print("◇ NOTICE: xmllint not found (apt-get install libxml2-utils): the LHEO files are not checked against the official XSD in this run.")
        }
        return nil
    }

    /// `xmllint --noout --schema lheo-2.3.xsd` on a document: its exit status and what it printed.
    static func validate(_ data: Data, with xmllint: String) throws -> (valid: Bool, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cmq-lheo-\(UUID().uuidString).xml")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--schema", try fixture("lheo-2.3", "xsd", "lheo").path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus == 0, String(decoding: output, as: UTF8.self))
    }

    /// A valid SIRET (Luhn) made from a number, for organisations of the tests.
    static func siret(_ number: Int) -> String {
        let base = String(format: "%013d", 1_000_000_000 + number)
        for key in 0...9 {
            let candidate = base + String(key)
            if (try? SIRET(candidate)) != nil { return candidate }
        }
        preconditionFailure("no Luhn key")
    }

    @Test("the export of the demo catalogue is valid LHEO 2.3 (0 errors against the official XSD), every formation in it: the demo's organisations have their invented SIRET",
          arguments: TestDatabase.all)
    func demoCatalogue(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: the demo data set; LHEO requires the SIRET of each formation's responsible organisation, which the
            // DEPP files do not give: the demo invents one for each organisation (`DemoSIRET`)
            _ = try await DemoLoader(db: app.db, logger: app.logger).load()
            // when
            let response = try await app.send(.GET, "/api/v1/formations.lheo.xml", as: .anonymous)
            let bts = try await app.send(.GET, "/api/v1/formations.lheo.xml?q=bts", as: .anonymous)
            // then
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "CMQ-Formations-Omises") == "0")
            let body = Data(buffer: response.body)
            let total = try await Formation.query(on: app.db).count()
            #expect(total > 100)
            #expect(String(decoding: body, as: UTF8.self).components(separatedBy: "<formation ").count - 1 == total)
            guard let xmllint = Self.xmllint() else { return }
            for (name, data) in [("catalogue", body), ("?q=bts", Data(buffer: bts.body))] {
                let result = try Self.validate(data, with: xmllint)
                #expect(result.valid, "\(name): \(result.output.prefix(2_000))")
            }
        }
    }

    @Test("edge cases are valid LHEO: no SIRET for the trainer, names over 50 characters, accents, & < >, long titles and texts",
          arguments: TestDatabase.all)
    func edgeCases(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: a trainer without SIRET, responsible organisations with long names and signs that XML escapes
            let trainer = try await Factory.organisation(app.db, nom: "Lycée professionnel « Les Forges & <Ateliers> » de Saint-Quentin-en-Tourmont et environs",
                                                         uai: "0020079A", departement: "02")
            trainer.adresse = "Zone d'activités de la Vallée de l'Oise, bâtiment des Forges & Fonderies, allée des Métallurgistes réunis"
            trainer.codePostal = "02100"
            trainer.commune = "Saint-Quentin-en-Tourmont-sur-la-Vallée-de-l'Oise-et-de-ses-affluents"
            trainer.siteWeb = "https://forges.example.fr/?a=1&b=<2>"
            try await trainer.save(on: app.db)
            let owner = try await Factory.organisation(app.db, nom: "Chambre de commerce et d'industrie régionale des Hauts-de-France — Campus « Plasturgie »",
                                                       kind: "organisme-formation-continue", isPublic: false, siret: Self.siret(7))
            let title = "Conduite de presses à injecter & <contrôle> qualité : " + String(repeating: "matériaux composites, ", count: 10)
            let description = String(repeating: "Découverte de l'injection, du moulage & des <essais> ; ", count: 80)
            let json = #"{"intitule": \#(OpenDataWriter.string(title)), "organisationId": "\#(trainer.id!.lower)", "organisationResponsableId": "\#(owner.id!.lower)", "niveauSortie": 4, "statuts": ["apprenti"], "description": \#(OpenDataWriter.string(description)), "datesDebut": ["2026-09-01"]}"#
            let created = try await app.send(.POST, "/api/v1/formations", json: json)
            #expect(created.status == .created, "\(created.body.string)")
            // when
            let response = try await app.send(.GET, "/api/v1/formations.lheo.xml", as: .anonymous)
            // then: the trainer's optional SIRET is left out, names are shortened where LHEO limits them and whole elsewhere
            #expect(response.status == .ok)
            let text = response.body.string
            #expect(!text.contains("<SIRET></SIRET>") && !text.contains("<organisme-formateur>"))
            #expect(text.range(of: "<coordonnees-organisme>\\s*<coordonnees>", options: .regularExpression) != nil)
            #expect(text.contains("<nom-organisme>Chambre de commerce et d&apos;industrie régionale des Hauts-de-France — Campus « Plasturgie »</nom-organisme>")
                    || text.contains("<nom-organisme>Chambre de commerce et d'industrie régionale des Hauts-de-France — Campus « Plasturgie »</nom-organisme>"))
            #expect(text.contains("<nom>CCI régionale des Hauts-de-France — Campus…</nom>"))
            guard let xmllint = Self.xmllint() else { return }
            let result = try Self.validate(Data(buffer: response.body), with: xmllint)
            #expect(result.valid, "\(result.output.prefix(2_000))")
            // and the long title and description come back whole from cmq's extras
            let records = LHEO.records(try LHEO.decode(Data(buffer: response.body)))
            #expect(records.first?.intitule == title.trimmingCharacters(in: .whitespaces))
            #expect(records.first?.description == description.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("an organisation without SIRET costs its formations in LHEO, and the file says how many", arguments: TestDatabase.all)
    func omittedWithoutSIRET(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: one formation of an organisation with a SIRET, one of an organisation without
            let with = try await Factory.organisation(app.db, nom: "Lycée avec SIRET", uai: "0020079A", siret: Self.siret(1))
            let without = try await Factory.organisation(app.db, nom: "Lycée sans SIRET", uai: "0010001W")
            for organisation in [with, without] {
                let response = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "CAP \#(organisation.nom)", "organisationId": "\#(organisation.id!.lower)", "niveauSortie": 3, "statuts": ["scolaire"]}"#)
                #expect(response.status == .created)
            }
            // when
            let both = try await app.send(.GET, "/api/v1/formations.lheo.xml", as: .anonymous)
            let onlyWithout = try await app.send(.GET, "/api/v1/formations.lheo.xml?organisation=\(without.id!.lower)", as: .anonymous)
            // then
            #expect(both.status == .ok)
            #expect(both.headers.first(name: "CMQ-Formations-Omises") == "1")
            #expect(both.body.string.contains("<!-- 1 formation(s) omise(s) : LHEO exige le SIRET de l'organisme responsable, que cmq n'a pas pour Lycée sans SIRET. -->"))
            #expect(both.body.string.contains("CAP Lycée avec SIRET") && !both.body.string.contains("<intitule-formation>CAP Lycée sans SIRET"))
            #expect(onlyWithout.status == .conflict && onlyWithout.isProblemJSON)
            #expect(onlyWithout.body.string.contains("Lycée sans SIRET"))
        }
    }

    // MARK: - ONISEP's real file

    @Test("ONISEP's BTS example (LHEO 2.2) imports as an initial formation with its level, its link and a plain-text description",
          arguments: TestDatabase.all)
    func onisepExample(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: the lycée Kerneuzec, named by --organisation (the file's SIRET is not in cmq)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Kerneuzec", uai: "0290076A", departement: "29")
            let data = try Data(contentsOf: try Self.fixture("exemple-bts-onisep-2.2", "xml", "lheo"))
            // when
            let document = try LHEO.decode(data)
            let records = LHEO.records(document, organisation: .uai("0290076A"))
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(records)
            // then
            #expect(document.xmlns == "http://www.lheo.org/2.2")
            #expect(report.applied && report.created == 1, "\(report.rejected)")
            let formation = try #require(try await Formation.query(on: app.db).with(\.$statuts).with(\.$romes).first())
            #expect(formation.$organisation.id == lycee.id && formation.$responsable.id == nil)
            #expect(formation.intitule == "BTS négociation et relation client")
            #expect(formation.niveauSortie == 5)
            #expect(formation.learnerStatuses == [.etudiant])
            #expect(formation.lien == "http://www2.cndp.fr/archivage/valid/brochadmin/bouton/c052.htm")
            #expect(formation.rncp == "RNCP474")
            #expect(formation.duree == "2 ans")
            #expect(formation.datesDebut == "2015-09-01")
            #expect(Set((formation.$romes.value ?? []).map(\.code)) == ["D1402", "D1403", "D1408"])
            let description = try #require(formation.description)
            #expect(description.hasPrefix("En plus des enseignements généraux"))
            #expect(description.contains("\n- Gestion de clientèles"))
            #expect(!description.contains("<") && !description.contains("&lt;"))
        }
    }

    @Test("without --organisation, ONISEP's file names its own SIRET: an unknown one is reported, nothing is written", arguments: TestDatabase.all)
    func onisepUnknownSIRET(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let data = try Data(contentsOf: try Self.fixture("exemple-bts-onisep-2.2", "xml", "lheo"))
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(LHEO.records(try LHEO.decode(data)))
            #expect(!report.applied)
            #expect(report.rejected.map(\.description) == ["formation 1 : organisation : aucune organisation n'a le SIRET 19290076900014."])
            #expect(try await Formation.query(on: app.db).count() == 0)
        }
    }

    @Test("a document in another namespace than LHEO 2.2 or 2.3 is refused, naming the one expected")
    func foreignNamespace() throws {
        let data = try Data(contentsOf: try Self.fixture("exemple-bts-onisep-2.2", "xml", "lheo"))
        let foreign = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "http://www.lheo.org/2.2", with: "http://example.org/offres")
        do {
            _ = try LHEO.decode(Data(foreign.utf8))
            Issue.record("a foreign namespace was accepted")
        } catch {
            #expect(error.description.contains("http://lheo.gouv.fr/2.3"))
        }
        // The same file with the 2.3 namespace is read as well.
        let modern = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "http://www.lheo.org/2.2", with: "http://lheo.gouv.fr/2.3")
        #expect(LHEO.records(try LHEO.decode(Data(modern.utf8))).first?.niveauSortie == "5")
    }

    @Test("ONISEP's example with the 2.3 namespace is valid 2.3 for xmllint too (the schema fixture is the right one)")
    func onisepValid() throws {
        guard let xmllint = Self.xmllint() else { return }
        let data = try Data(contentsOf: try Self.fixture("exemple-bts-onisep-2.2", "xml", "lheo"))
        let modern = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "http://www.lheo.org/2.2", with: "http://lheo.gouv.fr/2.3")
        let result = try Self.validate(Data(modern.utf8), with: xmllint)
        #expect(result.valid, "\(result.output)")
    }

    // MARK: - Round trip

    @Test("export → import → export gives the same LHEO document", arguments: TestDatabase.all)
    func roundTrip(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            try await CatalogueExchangeTests.corpus(app)
            let first = try await app.send(.GET, "/api/v1/formations.lheo.xml", as: .anonymous)
            #expect(first.status == .ok)
            // when: the file is imported back (every formation updated in place), then exported again
            let records = LHEO.records(try LHEO.decode(Data(buffer: first.body)))
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(records)
            #expect(report.applied && report.rejected.isEmpty, "\(report.rejected)")
            let second = try await app.send(.GET, "/api/v1/formations.lheo.xml", as: .anonymous)
            // then
            #expect(second.body.string == first.body.string)
        }
    }
}

/// The CSV export of a whole catalogue, read straight from the tables, writes the lines the models write.
@Suite("Catalogue: CSV from the tables")
struct FormationTableRowsTests {
    @Test("the lines read from the tables are those written from the models (organisation without codes, responsable, lists)",
          arguments: TestDatabase.all)
    func sameLines(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await CatalogueExchangeTests.corpus(app)
            let formations = try await Formation.query(on: app.db).with(\.$organisation).with(\.$responsable).with(\.$statuts).with(\.$romes)
                .sort(\.$intitule).all()
            let ids = formations.compactMap(\.id)
            let fromModels = formations.map { FormationCSV.line($0, responsable: $0.responsable) }.joined()
            let fromTables = try await FormationTableRows(db: app.db).csvLines(ids + [UUID()])
            #expect(fromTables.count == 3)
            #expect(fromTables.text == fromModels)
        }
    }
}

/// Files as real publishers write them: encodings, CSV errors.
@Suite("Catalogue: files as publishers write them")
struct PublisherFilesTests {
    @Test("the BCN's nFormationDiplome_.csv (Windows-1252) is read with its accents and typographic apostrophes")
    func bcnWindows1252() throws {
        // given: the BCN's table as published
        let url = try LHEOExchangeTests.fixture("nFormationDiplome_", "csv", "bcn")
        // when
        let (text, encoding) = try TextEncoding.decode(try Data(contentsOf: url))
        let table = try DelimitedText(text)
        // then
        #expect(encoding == .windows1252)
        #expect(table.rows.count == 4_023)
        #expect(!text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
        let titles = table.rows.compactMap { row in table.columnIndex["LIBELLE_LONG_200"].flatMap { $0 < row.count ? row[$0] : nil } }
        #expect(titles.contains("CONDUITE D’UN ELEVAGE CAPRIN ET COMMERCIALISATION DES PRODUITS (CSA)"))
        #expect(titles.filter { $0.contains("’") }.count == 3)
        #expect(text.contains("…"))
    }

    @Test("a cmq CSV import whose quoting is broken is refused in French with the line and what was expected")
    func csvError() {
        let text = CatalogueExchangeTests.csvHeader + "\n;Plasturgie;0020079A;;;;;4;;;;;;;;;;\n;\"Usinage\"C;0020079A;;;;;4;;;;;;;;;;\n"
        do {
            _ = try FormationCSV.read(text)
            Issue.record("the file must be refused")
        } catch {
            #expect(error.description == "Le fichier CSV est illisible, ligne 3 : après le guillemet qui ferme un champ, « ; » ou une fin de ligne était attendu, pas « C » (un guillemet dans un champ se double : \"\").")
        }
    }
}
