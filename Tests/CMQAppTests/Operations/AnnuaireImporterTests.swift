@testable import CMQApp
import Fluent
import Foundation
import Testing

/// The annuaire de l'éducation importer, on a real extract (Ille-et-Vilaine: 86 lycée lines, BOM, CRLF, `;`)
/// and on broken copies of it.
@Suite("Import of the annuaire de l'éducation")
struct AnnuaireImporterTests {
    static func fixture() throws -> String {
        let url = try #require(Bundle.module.url(forResource: "annuaire-35-lycees", withExtension: "csv", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The fixture with one field of one line replaced.
    static func fixture(replacing old: String, with new: String) throws -> String {
        let text = try fixture()
        #expect(text.contains(old))
        return text.replacingOccurrences(of: old, with: new)
    }

    @Test("the real file imports: 84 lycées, duplicates and shared SIRETs reported, écoles and collèges ignored", arguments: TestDatabase.all)
    func realFile(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // when
            let report = try await AnnuaireImporter(db: app.db).importFile(try Self.fixture())
            // then
            #expect(report.applied)
            #expect(report.rejected.isEmpty)
            #expect(report.created == 84)
            #expect(report.duplicates == 2)
            #expect(report.ignored == 20)
            #expect(report.warnings.filter { $0.reason.contains("SIRET") }.count == 3)
            #expect(try await Organisation.query(on: app.db).count() == 84)
            let abbePierre = try #require(try await Organisation.query(on: app.db).filter(\.$uai == "0351962T").first())
            #expect(abbePierre.nom == "Lycée professionnel Abbé Pierre")
            #expect(abbePierre.kind == .lyceeAgricole)
            #expect(abbePierre.isPublic == false)
            #expect(abbePierre.siret == "77778441400016")
            #expect(abbePierre.commune == "Tinténiac")
            #expect(abbePierre.telephone == "02 99 68 06 50")
            #expect(abbePierre.departementCode == "35")
            #expect(abbePierre.academieCode == "14")
            #expect(abbePierre.regionCode == "53")
            #expect(abbePierre.latitude != nil)
            #expect(report.summary.hasPrefix("Import terminé : 84 créé(s), 0 mis à jour"))
        }
    }

    @Test("importing twice updates nothing; a changed name is an update, matched by UAI", arguments: TestDatabase.all)
    func upsert(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let importer = AnnuaireImporter(db: app.db)
            _ = try await importer.importFile(try Self.fixture())
            // when
            let again = try await importer.importFile(try Self.fixture())
            let renamed = try await importer.importFile(try Self.fixture(replacing: ";Lycée professionnel Abbé Pierre;", with: ";Lycée professionnel Abbé-Pierre;"))
            // then
            #expect(again.created == 0 && again.updated == 0 && again.unchanged == 84)
            #expect(renamed.updated == 1 && renamed.created == 0)
            #expect(try await Organisation.query(on: app.db).count() == 84)
            #expect(try await Organisation.query(on: app.db).filter(\.$uai == "0351962T").first()?.nom == "Lycée professionnel Abbé-Pierre")
        }
    }

    @Test("a bad UAI rejects the file: every bad line is reported with its number, nothing is written", arguments: TestDatabase.all)
    func badUAI(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given: two broken lines (a wrong check letter, a bad latitude)
            var text = try Self.fixture(replacing: "0351962T;Lycée professionnel Abbé Pierre", with: "0351962A;Lycée professionnel Abbé Pierre")
            let lines = text.components(separatedBy: "\r\n")
            let lineIndex = try #require(lines.firstIndex { $0.hasPrefix("0350053T;") })
            var fields = lines[lineIndex].components(separatedBy: ";")
            fields[51] = "quarante-huit"
            var changed = lines
            changed[lineIndex] = fields.joined(separator: ";")
            text = changed.joined(separator: "\r\n")
            // when
            let report = try await AnnuaireImporter(db: app.db).importFile(text)
            // then
            #expect(!report.applied)
            #expect(report.rejected.count == 2)
            let uaiLine = try #require(try Self.fixture().components(separatedBy: "\r\n").firstIndex { $0.hasPrefix("0351962T;") }) + 1
            #expect(report.rejected.contains { $0.line == uaiLine && $0.reason.contains("lettre de contrôle") })
            #expect(report.rejected.contains { $0.line == lineIndex + 1 && $0.reason.contains("latitude") })
            #expect(report.summary == "Import annulé : 2 ligne(s) rejetée(s), aucune modification enregistrée.")
            #expect(try await Organisation.query(on: app.db).count() == 0)
        }
    }

    @Test("--skip-invalid imports the good lines and still reports the bad ones", arguments: TestDatabase.all)
    func skipInvalid(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let text = try Self.fixture(replacing: "0351962T;Lycée professionnel Abbé Pierre", with: "0351962A;Lycée professionnel Abbé Pierre")
            let report = try await AnnuaireImporter(db: app.db).importFile(text, options: .init(skipInvalid: true))
            #expect(report.applied)
            #expect(report.rejected.count == 1)
            #expect(report.created == 83)
        }
    }

    @Test("a line with a missing field is rejected with the count of its fields", arguments: TestDatabase.all)
    func shortLine(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let text = try Self.fixture(replacing: "0351962T;Lycée professionnel Abbé Pierre;Lycée;", with: "0351962T;Lycée professionnel Abbé Pierre;")
            let report = try await AnnuaireImporter(db: app.db).importFile(text)
            #expect(!report.applied)
            #expect(report.rejected.first?.reason.contains("champ(s) au lieu de 69") == true)
            #expect(try await Organisation.query(on: app.db).count() == 0)
        }
    }

    @Test("an invalid SIRET rejects its line")
    func badSIRET() throws {
        let text = try Self.fixture(replacing: ";77778441400016;", with: ";77778441400017;")
        let (_, report) = try AnnuaireImporter.parse(text)
        #expect(report.rejected.count == 1)
        #expect(report.rejected[0].reason.contains("Luhn"))
    }

    @Test("the file's form is checked before any line: missing column, wrong separator, empty file")
    func fileErrors() throws {
        let text = try Self.fixture()
        #expect(throws: AnnuaireImporter.FileError.missingColumns(["Nom_etablissement"])) {
            try AnnuaireImporter.parse(text.replacingOccurrences(of: "Identifiant_de_l_etablissement;Nom_etablissement;", with: "Identifiant_de_l_etablissement;Nom;"))
        }
        #expect(throws: AnnuaireImporter.FileError.wrongSeparator) {
            try AnnuaireImporter.parse(text.replacingOccurrences(of: ";", with: ","))
        }
        #expect(throws: AnnuaireImporter.FileError.empty) { try AnnuaireImporter.parse("\u{FEFF}\r\n") }
    }

    @Test("BOM and CRLF are optional: the same file in LF without BOM gives the same lines")
    func bomAndLineEndings() throws {
        let text = try Self.fixture()
        let plain = String(text.dropFirst(text.hasPrefix("\u{FEFF}") ? 1 : 0)).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(plain != text)
        let (withBOM, _) = try AnnuaireImporter.parse(text)
        let (without, _) = try AnnuaireImporter.parse(plain)
        #expect(withBOM.map(\.uai) == without.map(\.uai))
        #expect(withBOM.count == 84)
    }

    @Test("a header with trailing spaces is still recognised")
    func trailingSpaces() throws {
        let text = try Self.fixture().replacingOccurrences(of: "Nom_etablissement;", with: "Nom_etablissement ;")
        let (candidates, report) = try AnnuaireImporter.parse(text)
        #expect(report.rejected.isEmpty)
        #expect(candidates.count == 84)
    }
}
