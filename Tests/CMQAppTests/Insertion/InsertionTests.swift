@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// InserJeunes in cmq: the files import (all or nothing, millésimes side by side), and a campus, a formation and
/// an establishment show their figures with the statistical secret respected, on the pages and in the API.
@Suite("Insertion: imports, pages and API")
struct InsertionTests {
    static let regionHeader = "\u{FEFF}id;millesime;code_region_ij;code_region;voie;cfd;mefstat11;nb_annee_term;nb_en_emploi_12_mois;nb_en_emploi_18_mois;nb_en_emploi_24_mois;nb_en_emploi_6_mois;nb_poursuite_etudes;nb_sortant;taux_emploi_12_mois;taux_emploi_18_mois;taux_emploi_24_mois;taux_emploi_6_mois;taux_poursuite_etudes"

    /// Région 32 (Hauts-de-France), millésime 2022_2023: columns term; emploi 12, 18, 24, 6; poursuite; sortants.
    static let regions = regionHeader + "\n" + [
        "a;2022_2023;09;32;apprentissage;50022510;;40;20;;;18;10;30;;;;;",
        "b;2022_2023;09;32;scolaire;;24722503001;30;6;;;5;15;15;;;;;",
        "c;2022_2023;09;32;scolaire;;24722503002;10;1;;;1;5;5;;;;;",
        "d;2022_2023;09;32;scolaire;;24725410001;60;16;;;15;30;30;;;;;",
        "e;2022_2023;09;32;apprentissage;40099999;;12;7;;;7;2;10;;;;;",
        "f;2022_2023;01;11;apprentissage;50022510;;100;45;;;40;20;80;;;;;",
        "g;2021_2022;09;32;apprentissage;50022510;;50;20;;;20;10;40;;;;;",
    ].joined(separator: "\n") + "\n"

    static let mef = "\u{FEFF}MEF;DISPOSITIF_FORMATION;FORMATION_DIPLOME;MEF_STAT_11\n1;247;40022503;24722503001\n2;247;40022503;24722503002\n3;247;40025410;24725410001\n"

    static let diplomas = "FORMATION_DIPLOME;NIVEAU_FORMATION_DIPLOME;LIBELLE_LONG_200;" + (1...7).map { "ANCIEN_DIPLOME_\($0)" }.joined(separator: ";") + ";"
        + (1...7).map { "NOUVEAU_DIPLOME_\($0)" }.joined(separator: ";") + "\n"
        + "40025411;400;TECHNICIEN DU BATIMENT;40025410" + String(repeating: ";", count: 13) + "\n"

    static let depp = "n°UAI de l'établissement;Libellé de l'établissement;Région;Dont apprentis en EPLE;Taux de poursuite d'études;Taux;Taux attendu;Valeur ajoutée;Part en poursuite d'études;Part en emploi 6 mois après la sortie;Part des autres situations\r\n"
        + "0020079A;Lycée professionnel Condorcet;HAUTS-DE-FRANCE;ensemble;49;40;37;3;49;21;30\r\n"
        + "0020079A;Lycée professionnel Condorcet;HAUTS-DE-FRANCE;dont apprentis;nd;nd;nd;nd;nd;nd;nd\r\n"

    struct Seeded {
        var campus: Campus
        var small: Campus
        var formations: [String: Formation]
        var lycee: Organisation
    }

    /// A campus in Hauts-de-France whose member gives: a CAP by apprenticeship, a bac pro at school (two MEFSTAT11),
    /// a renewed bac pro (figures of its former diploma), a small bac pro by apprenticeship, a formation without
    /// CFD; and a second campus whose only diploma is the small one.
    static func seed(_ app: Application) async throws -> Seeded {
        let importer = InsertionImporter(db: app.db)
        #expect(try await importer.importBCN(mef).applied)
        #expect(try await importer.importBCN(diplomas).applied)
        #expect(try await importer.importRegions(regions).applied)
        #expect(try await importer.importEstablishments(depp, millesime: Millesime("2022_2023")!).applied)
        let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A", departement: "02")
        let campus = try await Factory.campus(app.db)
        try await Factory.membership(app.db, campus: campus, organisation: lycee)
        var formations: [String: Formation] = [:]
        for (key, cfd, level, status) in [("cap", "50022510", 3, LearnerStatus.apprenti), ("bacpro", "40022503", 4, .scolaire),
                                          ("renouvele", "40025411", 4, .scolaire), ("petit", "40099999", 4, .apprenti), ("sanscfd", nil, 4, .scolaire)] as [(String, String?, Int, LearnerStatus)] {
            let formation = Formation(organisationID: try lycee.requireID(), intitule: "Formation \(key)", niveauSortie: level)
            formation.intituleCle = TextFolding.searchKey(formation.intitule)
            formation.filiere = campus.filiere.slug
            formation.cfd = cfd
            formation.statutsMasque = FormationStatusMask.mask([status])
            formation.refreshSearchText()
            try await formation.create(on: app.db)
            try await FormationStatut(formationID: try formation.requireID(), statut: status.rawValue).create(on: app.db)
            formations[key] = formation
        }
        let other = try await Organisation.query(on: app.db).count() // keeps the second campus's member distinct
        let cfa = try await Factory.organisation(app.db, nom: "CFA \(other)", kind: "cfa", isPublic: false, departement: "59")
        let small = try await Factory.campus(app.db, nom: "Petit campus")
        try await Factory.membership(app.db, campus: small, organisation: cfa)
        let formation = Formation(organisationID: try cfa.requireID(), intitule: "Petit bac pro", niveauSortie: 4)
        formation.intituleCle = TextFolding.searchKey(formation.intitule)
        formation.filiere = small.filiere.slug
        formation.cfd = "40099999"
        formation.statutsMasque = FormationStatusMask.mask([.apprenti])
        formation.refreshSearchText()
        try await formation.create(on: app.db)
        try await FormationStatut(formationID: try formation.requireID(), statut: LearnerStatus.apprenti.rawValue).create(on: app.db)
        return Seeded(campus: campus, small: small, formations: formations, lycee: lycee)
    }

    @Test("the real InserJeunes and BCN files ship and import; importing them again replaces, never duplicates", arguments: TestDatabase.all)
    func realFiles(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lines = try await DemoLoader.loadInsertion(on: app.db)
            #expect(try await RegionFormationRecord.query(on: app.db).count() == 40_322)
            #expect(try await EstablishmentFigureRecord.query(on: app.db).count() == 5_605 + 2_527)
            #expect(try await MefStatRecord.query(on: app.db).count() == 598)
            #expect(Set(try await InsertionService(db: app.db).millesimes().map(\.description)) == ["2019_2020", "2020_2021", "2021_2022", "2022_2023"])
            #expect(try await DemoLoader.loadInsertion(on: app.db) == lines)
            #expect(try await RegionFormationRecord.query(on: app.db).count() == 40_322)
            // A CFA's headers end with a space and its masked values are `nd`: they are read, not rejected.
            let cfa = try await EstablishmentFigureRecord.query(on: app.db).filter(\.$fichier == "cfa").filter(\.$uai == "0010826T").first()
            #expect(cfa?.valeurAjoutee == 1 && cfa?.partAutres == 17)
        }
    }

    @Test("another millésime of the same layouts imports beside the first; importing it again replaces only it", arguments: TestDatabase.all)
    func secondMillesime(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.seed(app)
            let importer = InsertionImporter(db: app.db)
            let url = try #require(Bundle.module.url(forResource: "ij_region_2023_2024", withExtension: "csv", subdirectory: "Fixtures/insertion"))
            let text = try TextEncoding.decode(Data(contentsOf: url)).text
            let first = try await importer.importRegions(text)
            #expect(first.applied && first.imported == 40 && first.millesimes == ["2023_2024"] && first.replaced == 0)
            let again = try await importer.importRegions(text, only: Millesime("2023_2024"))
            #expect(again.replaced == 40)
            #expect(try await RegionFormationRecord.query(on: app.db).filter(\.$millesime == "2023_2024").count() == 40)
            #expect(try await RegionFormationRecord.query(on: app.db).filter(\.$millesime == "2022_2023").count() == 6)
            #expect(try await InsertionService(db: app.db).millesimes().first == Millesime("2023_2024"))
            // The DEPP file of another year: its millésime comes from its name.
            let deppName = "depp-2023-etablissements-2023_2024-pro"
            let deppURL = try #require(Bundle.module.url(forResource: deppName, withExtension: "csv", subdirectory: "Fixtures/insertion"))
            let millesime = try #require(Millesime(fileName: deppURL.lastPathComponent))
            #expect(millesime.description == "2023_2024")
            let depp = try await importer.importEstablishments(try TextEncoding.decode(Data(contentsOf: deppURL)).text, millesime: millesime)
            #expect(depp.applied && depp.imported == 30)
            #expect(Set(try await EstablishmentFigureRecord.query(on: app.db).all().map(\.millesime)) == ["2022_2023", "2023_2024"])
        }
    }

    @Test("a file with a bad line writes nothing and names the line; the millésime in place stays", arguments: TestDatabase.all)
    func allOrNothing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.seed(app)
            let bad = Self.regionHeader + "\n" + "a;2022_2023;09;32;apprentissage;50022510;;40;20;;;18;10;30;;;;;\n" + "b;2022_2023;09;32;apprentissage;50022511;;40;20;;;18;50;30;;;;;\n"
            let report = try await InsertionImporter(db: app.db).importRegions(bad)
            #expect(!report.applied)
            #expect(report.rejected.map(\.line) == [3])
            #expect(report.summary.contains("rien n'a été enregistré"))
            #expect(try await RegionFormationRecord.query(on: app.db).filter(\.$millesime == "2022_2023").count() == 6)
            let badDEPP = Self.depp + "0020079B;X;HAUTS-DE-FRANCE;ensemble;49;40;37;3;49;21;30\r\n"
            let deppReport = try await InsertionImporter(db: app.db).importEstablishments(badDEPP, millesime: Millesime("2022_2023")!)
            #expect(!deppReport.applied && deppReport.rejected.map(\.line) == [4])
            #expect(try await EstablishmentFigureRecord.query(on: app.db).count() == 2)
        }
    }

    @Test("the campus page consolidates sums then threshold, shows the quadrant and the formations without figures", arguments: TestDatabase.all)
    func campusPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seeded = try await Self.seed(app)
            let response = try await app.send(.GET, "/campus/\(seeded.campus.id!.lower)")
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.contains("Insertion et poursuite d'études"))
            // (10 + 18 + 20 + 6 + 30 + 15 + 2 + 7) / (40 + 40 + 60 + 12) = 108/152 = 71 %
            #expect(html.contains("71 %"))
            #expect(html.contains("108 sur 152 inscrits en année terminale"))
            // emploi: (18 + 6 + 15 + 7) / (30 + 20 + 30 + 10) = 46/90 = 51 %
            #expect(html.contains("46 sur 90 sortants"))
            #expect(html.contains("chiffres du diplôme précédent (CFD 40025410)"))
            #expect(html.contains("Formation sanscfd"))
            #expect(html.contains("pas de code diplôme (CFD)"))
            #expect(html.contains("<svg") && html.contains("Quadrant des diplômes du campus"))
            // The small bac pro alone: hidden, its counts never shown.
            #expect(html.contains("effectif insuffisant"))
            #expect(!html.contains("7 sur 10"))
        }
    }

    @Test("a formation shows its diploma's figures in its région, the trend, the quadrant; a small one only « effectif insuffisant »", arguments: TestDatabase.all)
    func formationPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seeded = try await Self.seed(app)
            let cap = try await app.send(.GET, "/formations/\(seeded.formations["cap"]!.id!.lower)").body.string
            // 18 / 30 = 60 %; poursuite 10/40 = 25 %; the région's CAP by apprenticeship is only this one: Q1
            #expect(cap.contains("Apprentissage, Hauts-de-France, millésime 2022-2023"))
            #expect(cap.contains("18 sur 30 sortants"))
            #expect(cap.contains("2021-2022") && cap.contains("Évolution par millésime"))
            #expect(cap.contains("Q1 :"))
            let small = try await app.send(.GET, "/formations/\(seeded.formations["petit"]!.id!.lower)").body.string
            #expect(small.contains("effectif insuffisant"))
            #expect(!small.contains("sur 12 inscrits") && !small.contains("sur 10 sortants"))
            #expect(small.contains("Hors quadrant"))
            let renewed = try await app.send(.GET, "/formations/\(seeded.formations["renouvele"]!.id!.lower)").body.string
            #expect(renewed.contains("chiffres du diplôme précédent (CFD 40025410)"))
        }
    }

    @Test("an establishment shows its DEPP lines with the value added; `nd` is « non diffusé »", arguments: TestDatabase.all)
    func establishmentPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seeded = try await Self.seed(app)
            let html = try await app.send(.GET, "/organisations/\(seeded.lycee.id!.lower)").body.string
            #expect(html.contains("+3 points"))
            #expect(html.contains("Dont apprentis"))
            #expect(html.contains("non diffusé"))
        }
    }

    @Test("the ranking puts published campuses first by devenir favorable; the others have no rank; filters are checked", arguments: TestDatabase.all)
    func ranking(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seeded = try await Self.seed(app)
            let page = try await app.send(.GET, "/insertion?region=32")
            #expect(page.status == .ok)
            let ranking = try await app.send(.GET, "/api/v1/insertion/classement?region=32").decoded(RankingDTO.self)
            #expect(ranking.campus.map(\.campusId) == [seeded.campus.id!, seeded.small.id!])
            #expect(ranking.campus[0].rang == 1 && ranking.campus[0].tauxDevenirFavorable.valeur == 71)
            #expect(ranking.campus[1].rang == nil && ranking.campus[1].tauxDevenirFavorable.statut == "effectif_insuffisant")
            #expect(ranking.campus[1].tauxDevenirFavorable.denominateur == nil)
            let bad = try await app.send(.GET, "/api/v1/insertion/classement?region=atlantide")
            #expect(bad.status == .unprocessableEntity && bad.isProblemJSON)
            #expect(try await app.send(.GET, "/insertion/definitions").body.string.contains("additionne les numérateurs et les dénominateurs"))
            // Both pages are in the site map.
            let plan = try await app.send(.GET, "/plan-du-site", as: .anonymous).body.string
            #expect(plan.contains(#"href="/insertion""#) && plan.contains(#"href="/insertion/definitions""#))
        }
    }

    @Test("API: responses match the OpenAPI document; hidden figures carry no counts; unknown things are 404 problems", arguments: TestDatabase.all)
    func api(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seeded = try await Self.seed(app)
            let validator = try OpenAPIValidator()
            let campus = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/campus/\(seeded.campus.id!.lower)", template: "/api/v1/insertion/campus/{campusId}")
            let dto = try campus.decoded(CampusInsertionDTO.self)
            let devenir = try #require(dto.indicateurs.first { $0.indicateur == "taux_devenir_favorable" })
            #expect(devenir.valeur == 71 && devenir.numerateur == 108 && devenir.denominateur == 152)
            #expect(dto.sansChiffre.map(\.intitule) == ["Formation sanscfd"])
            let small = try #require(dto.diplomes.first { $0.cfd == "40099999" })
            #expect(small.indicateurs.allSatisfy { $0.statut != "publie" && $0.numerateur == nil && $0.denominateur == nil })
            #expect(small.quadrant == "hors quadrant")
            #expect(dto.diplomes.first { $0.cfd == "40025411" }?.origine == "40025410")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/formations/\(seeded.formations["bacpro"]!.id!.lower)", template: "/api/v1/insertion/formations/{formationId}")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/formations/\(seeded.formations["sanscfd"]!.id!.lower)", template: "/api/v1/insertion/formations/{formationId}")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/etablissements/0020079A", template: "/api/v1/insertion/etablissements/{uai}")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/etablissements/0010001W", template: "/api/v1/insertion/etablissements/{uai}")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/etablissements/pas-une-uai", template: "/api/v1/insertion/etablissements/{uai}")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/campus/\(UUID().uuidString.lowercased())", template: "/api/v1/insertion/campus/{campusId}")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/classement?filiere=materiaux-innovants", template: "/api/v1/insertion/classement")
            _ = try await OpenAPITests.conforms(app, validator, .GET, "/api/v1/insertion/classement?filiere=inconnue", template: "/api/v1/insertion/classement")
        }
    }

    @Test("open data: each campus's consolidated figures as CSV with a Table Schema; hidden figures have no value nor denominator", arguments: TestDatabase.all)
    func openData(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let seeded = try await Self.seed(app)
            let csv = try await app.send(.GET, "/api/v1/donnees/insertion-campus.csv", as: .anonymous)
            #expect(csv.status == .ok)
            let lines = csv.body.string.split(whereSeparator: \.isNewline).map(String.init)
            #expect(lines.count == 3)
            let header = lines[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let rows = lines.dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
            #expect(header.contains("taux_devenir_favorable_statut"))
            func value(_ row: [String], _ column: String) -> String { header.firstIndex(of: column).map { row[$0] } ?? "absent" }
            let main = try #require(rows.first { value($0, "id") == seeded.campus.id!.lower })
            #expect(value(main, "taux_devenir_favorable") == "71" && value(main, "taux_devenir_favorable_denominateur") == "152")
            #expect(value(main, "millesime") == "2022_2023" && value(main, "diplomes") == "4")
            let small = try #require(rows.first { value($0, "id") == seeded.small.id!.lower })
            #expect(value(small, "taux_devenir_favorable").isEmpty && value(small, "taux_devenir_favorable_denominateur").isEmpty)
            #expect(value(small, "taux_devenir_favorable_statut") == "effectif_insuffisant")
            let schema = try await app.send(.GET, "/api/v1/donnees/insertion-campus.schema.json", as: .anonymous)
            #expect(schema.status == .ok && schema.body.string.contains("taux_devenir_favorable_statut"))
        }
    }
}
