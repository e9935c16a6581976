@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VaporTesting
import XMLCoder

/// The reference tables, the formation importers (cmq CSV, ONISEP, LHEO) and the exports of a search.
@Suite("Catalogue: reference data, imports and exports")
struct CatalogueExchangeTests {
    // MARK: - Reference tables

    @Test("the four reference files are loaded by the migrations, every row", arguments: TestDatabase.all)
    func referenceTables(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lookup = ReferenceLookup(db: app.db)
            #expect(try await lookup.diplomes(.init(), page: .init(per: 1)).total == 576)
            #expect(try await lookup.romes(.init(), page: .init(per: 1)).total == 609)
            #expect(try await lookup.onisep(.init(), page: .init(per: 1)).total == 6086)
            #expect(try await lookup.niveaux().count == 212)
            // The CFD "400-24202 V" of the file is the 8-character code 40024202, level 4, bac pro.
            let diplome = try #require(try await lookup.diplome(cfd: "40024202"))
            #expect(diplome.niveau == 4)
            #expect(diplome.typeDiplome == "bac-pro")
            #expect(diplome.rncp == "RNCP751")
        }
    }

    @Test("the reference API: words without accents, code, level filter, 404 and 422, as documented", arguments: TestDatabase.all)
    func referenceAPI(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let found = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/referentiels/diplomes?q=CHAUDRONNERIE&niveau=4",
                                                        template: "/api/v1/referentiels/diplomes", as: .anonymous)
            let page = try found.decoded(ReferencePageDTO<DiplomeReferenceDTO>.self)
            #expect(page.total >= 1)
            #expect(page.items.allSatisfy { $0.niveau == 4 && TextFolding.searchKey($0.intitule).contains("chaudronnerie") })
            let byCode = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/referentiels/rome?q=h2903", template: "/api/v1/referentiels/rome")
            #expect(try byCode.decoded(ReferencePageDTO<ROMEReferenceDTO>.self).items.map(\.code) == ["H2903"])
            let onisep = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/referentiels/formations-onisep?q=oenologie",
                                                         template: "/api/v1/referentiels/formations-onisep")
            #expect(try onisep.decoded(ReferencePageDTO<OnisepReferenceDTO>.self).items.allSatisfy { TextFolding.searchKey($0.intitule).contains("oenolog") })
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/referentiels/niveaux-diplome", template: "/api/v1/referentiels/niveaux-diplome")
            _ = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/referentiels/diplomes/40024202", template: "/api/v1/referentiels/diplomes/{cfd}")
            let missing = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/referentiels/diplomes/99999999", template: "/api/v1/referentiels/diplomes/{cfd}")
            #expect(missing.status == .notFound)
            let wrong = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/referentiels/diplomes?niveau=9&per=500", template: "/api/v1/referentiels/diplomes")
            #expect(wrong.status == .unprocessableEntity)
            #expect(Set(wrong.faultyFields) == ["niveau", "per"])
        }
    }

    // MARK: - cmq CSV

    static let csvHeader = "identifiant;intitule;organisation_uai;organisation_siret;filiere;type_diplome;niveau_entree;niveau_sortie;cfd;rncp;romes;duree;statuts;capacite;modalite;dates_debut;description;lien"

    static func formationCount(_ app: Application) async throws -> Int {
        try await Formation.query(on: app.db).count()
    }

    @Test("a CSV with bad lines writes nothing and names every bad line with its number and reason", arguments: TestDatabase.all)
    func csvAllOrNothing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.organisation(app.db, uai: "0020079A")
            let text = """
                \(Self.csvHeader)
                ;Plastiques et composites;0020079A;;materiaux-innovants;bac-pro;;4;;;H3201|H3203;3 ans;scolaire|apprenti;24;presentiel;2026-09-01;;
                ;Niveau impossible;0020079A;;;;;9;;;;;scolaire;;;;;
                ;Organisation inconnue;0010001W;;;cap;;;;;;;scolaire;;;;;
                ;Ligne courte;0020079A
                ;Statut inconnu;0020079A;;;cap;;;;;;;pensionnaire;;;;;
                """
            let (records, parseErrors) = try FormationCSV.read(text)
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(records, parseErrors: parseErrors)
            #expect(!report.applied)
            #expect(report.rejected.map(\.line) == [3, 4, 5, 6])
            #expect(report.rejected[0].reason.contains("niveauSortie"))
            #expect(report.rejected[1].reason.contains("aucune organisation n'a l'UAI 0010001W"))
            #expect(report.rejected[2].reason.contains("au lieu de"))
            #expect(report.rejected[3].reason.contains("pensionnaire"))
            #expect(report.summary.hasPrefix("Import annulé"))
            #expect(try await Self.formationCount(app) == 0)

            // Asked to skip the bad lines, it writes the good one, with every field.
            let skipped = try await FormationImporter(db: app.db, caller: .command("test")).run(records, parseErrors: parseErrors, skipInvalid: true)
            #expect(skipped.applied && skipped.created == 1 && skipped.rejected.count == 4)
            let formation = try #require(try await Formation.query(on: app.db).with(\.$statuts).with(\.$romes).with(\.$organisation).first())
            #expect(formation.intitule == "Plastiques et composites")
            #expect(formation.niveauSortie == 4 && formation.capacite == 24 && formation.datesDebut == "2026-09-01")
            #expect(formation.learnerStatuses == [.apprenti, .scolaire])
            #expect(formation.romes.map(\.code).sorted() == ["H3201", "H3203"])
            // The import is in the audit trail, under the command's name.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == Formation.auditEntity).count() == 1)
        }
    }

    @Test("a CFD alone is completed from the national diploma list; an identifier updates instead of adding", arguments: TestDatabase.all)
    func csvReferenceAndUpdate(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.organisation(app.db, uai: "0020079A")
            let id = UUID()
            let first = try FormationCSV.read("\(Self.csvHeader)\n\(id.lower);;0020079A;;;;;;40024202;;;;scolaire;;;;;\n")
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(first.records)
            #expect(report.created == 1)
            let formation = try #require(try await Formation.find(id, on: app.db))
            #expect(formation.intitule == "BAC PRO Artisanat et métiers d'art option tapissier d'ameublement")
            #expect(formation.niveauSortie == 4 && formation.typeDiplome == "bac-pro" && formation.rncp == "RNCP751")

            let second = try FormationCSV.read("\(Self.csvHeader)\n\(id.lower);Tapissier d'ameublement;0020079A;;;;;;40024202;;;;apprenti;;;;;\n")
            let again = try await FormationImporter(db: app.db, caller: .command("test")).run(second.records)
            #expect(again.created == 0 && again.updated == 1)
            #expect(try await Self.formationCount(app) == 1)
            #expect(try await Formation.find(id, on: app.db)?.intitule == "Tapissier d'ameublement")
        }
    }

    @Test("a file that is not cmq's CSV is refused as a whole, with the reason")
    func csvFileErrors() throws {
        #expect(throws: FormationCSV.FileError.self) { try FormationCSV.read("") }
        #expect(throws: FormationCSV.FileError.self) { try FormationCSV.read("identifiant,intitule,organisation_uai\n,Cuisine,0020079A\n") }
        #expect(throws: FormationCSV.FileError.self) { try FormationCSV.read("identifiant;organisation_uai\n;0020079A\n") }
        let (records, errors) = try FormationCSV.read("\(Self.csvHeader)\nnot-an-id;Cuisine;0020079A;;;cap;;;;;;;scolaire;;;;;\n")
        #expect(records.isEmpty)
        #expect(errors == [LineError(line: 2, reason: "identifiant : « not-an-id » n'est pas un identifiant de formation.")])
    }

    // MARK: - ONISEP

    /// The header and the first 200 formations of the real ONISEP file shipped with cmq.
    static func onisepExtract() throws -> String {
        let text = try String(contentsOf: Resources.dataURL("referentiels/ideo-formations_initiales_en_france.csv"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).prefix(201).joined(separator: "\n") + "\n"
    }

    @Test("the real ONISEP file: formations without an RNCP level are refused with their line, the others import, a second import updates", arguments: TestDatabase.all)
    func onisep(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.organisation(app.db, uai: "0020079A")
            let (records, errors) = try OnisepFormations.read(try Self.onisepExtract(), organisation: .uai("0020079A"))
            // Counted by hand in the file: 80 of the first 200 lines have "niveau RNCP" 0 or empty.
            #expect(errors.count == 80)
            #expect(errors.prefix(3).map(\.line) == [3, 4, 12])
            #expect(errors[0].reason.contains("non inscrit au RNCP"))
            #expect(records.count == 120)
            let importer = FormationImporter(db: app.db, caller: .command("test"))
            let refused = try await importer.run(records, parseErrors: errors)
            #expect(!refused.applied)
            #expect(try await Self.formationCount(app) == 0)
            let done = try await importer.run(records, parseErrors: errors, skipInvalid: true)
            #expect(done.created == 120)
            // Line 2: "Chargé d'accompagnement social et professionnel", niveau RNCP 3 → level 5, étudiant.
            let first = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Chargé d'accompagnement social et professionnel").with(\.$statuts).first())
            #expect(first.niveauSortie == 5)
            #expect(first.learnerStatuses == [.etudiant])
            #expect(first.lien == "http://www.onisep.fr/http/redirection/formation/slug/FOR.6913")
            let again = try await importer.run(records, parseErrors: errors, skipInvalid: true)
            // The same file again changes nothing, and writes nothing.
            #expect(again.created == 0 && again.updated == 0 && again.unchanged == 120)
            #expect(try await Self.formationCount(app) == 120)
        }
    }

    // MARK: - LHEO

    /// Two organisations and three formations that use every shared field.
    static func corpus(_ app: Application) async throws {
        let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A", siret: "19020079400013", departement: "02")
        let entreprise = try await Factory.organisation(app.db, nom: "Plastiques de Picardie", kind: "entreprise", isPublic: false, siret: "73282932000074")
        let universite = try await Factory.organisation(app.db, nom: "Université sans code", kind: "universite")
        for json in [
            #"{"intitule": "Plasturgie", "organisationId": "\#(lycee.id!.lower)", "organisationResponsableId": "\#(entreprise.id!.lower)", "filiere": "materiaux-innovants", "typeDiplome": "bac-pro", "niveauEntree": 3, "niveauSortie": 4, "cfd": "40025214", "rncp": "RNCP35478", "romes": ["H3201", "H2903"], "duree": "3 ans", "statuts": ["scolaire", "apprenti"], "capacite": 24, "modalite": "mixte", "datesDebut": ["2026-09-01", "2027-01-15"], "description": "Conduite de presses à injecter.", "lien": "https://www.onisep.fr/formation"}"#,
            #"{"intitule": "Technicien supérieur en plasturgie", "organisationId": "\#(lycee.id!.lower)", "typeDiplome": "bts", "statuts": ["etudiant"], "modalite": "distance"}"#,
            #"{"intitule": "Doctorat matériaux", "organisationId": "\#(universite.id!.lower)", "niveauSortie": 8, "statuts": ["etudiant"]}"#,
        ] {
            let response = try await app.send(.POST, "/api/v1/formations", json: json)
            #expect(response.status == .created, "\(response.body.string)")
        }
    }

    /// What must survive a round trip: every field both models share (ids and timestamps aside).
    static func shared(_ dto: FormationDTO) -> [String] {
        [dto.id.lower, dto.intitule, dto.organisation.id.lower, dto.organisationResponsableId?.lower ?? "", dto.filiere ?? "", dto.typeDiplome ?? "",
         dto.niveauEntree.map(String.init) ?? "", String(dto.niveauSortie), dto.cfd ?? "", dto.rncp ?? "", dto.romes.joined(separator: ","),
         dto.duree ?? "", dto.statuts.joined(separator: ","), dto.capacite.map(String.init) ?? "", dto.modalite, dto.datesDebut.joined(separator: ","),
         dto.description ?? "", dto.lien ?? ""]
    }

    static func everything(_ app: Application) async throws -> [[String]] {
        let response = try await app.send(.GET, "/api/v1/formations.json")
        return try response.decoded([FormationDTO].self).map(shared).sorted { $0[1] < $1[1] }
    }

    @Test("the JSON export, read from the tables, writes for each formation the object its model gives", arguments: TestDatabase.all)
    func jsonExportEqualsModels(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Self.corpus(app)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            let exported = try await app.send(.GET, "/api/v1/formations.json", as: .anonymous).decoded([FormationDTO].self)
            let models = try await Formation.query(on: app.db).with(\.$organisation).with(\.$responsable).with(\.$statuts).with(\.$romes).all()
            #expect(exported.count == models.count && exported.count > 0)
            let byID = Dictionary(uniqueKeysWithValues: try models.map { ($0.id!, try $0.toDTO()) })
            for dto in exported {
                let expected = try #require(byID[dto.id])
                #expect(String(decoding: try encoder.encode(dto), as: UTF8.self) == String(decoding: try encoder.encode(expected), as: UTF8.self))
            }
        }
    }

    @Test("the LHEO export follows the standard's structure: offres → formation → action → session, elements in order", arguments: TestDatabase.all)
    func lheoStructure(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Self.corpus(app)
            let response = try await app.send(.GET, "/api/v1/formations.lheo.xml?niveau=4", as: .anonymous)
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description.hasPrefix("application/xml") == true)
            let tree = try XMLTree(Data(buffer: response.body))
            #expect(tree.root.name == "lheo" && tree.root.attributes["xmlns"] == "http://lheo.gouv.fr/2.3")
            let formations = tree.root.children(named: "offres").flatMap { $0.children(named: "formation") }
            #expect(formations.count == 1)
            let formation = try #require(formations.first)
            // The ordered sequence of the standard for <formation> (optional elements may be absent).
            let formationSequence = ["domaine-formation", "intitule-formation", "objectif-formation", "resultats-attendus", "contenu-formation",
                                     "certifiante", "contact-formation", "parcours-de-formation", "code-niveau-entree", "objectif-general-formation",
                                     "certification", "code-niveau-sortie", "url-formation", "action", "organisme-formation-responsable",
                                     "identifiant-module", "positionnement", "sous-modules", "modules-prerequis", "extras"]
            #expect(XMLTree.follows(formation.children.map(\.name), formationSequence))
            for required in ["domaine-formation", "intitule-formation", "objectif-formation", "resultats-attendus", "contenu-formation", "certifiante",
                             "contact-formation", "parcours-de-formation", "code-niveau-entree", "action", "organisme-formation-responsable"] {
                #expect(formation.children(named: required).count >= 1, "missing \(required)")
            }
            #expect(formation.text("code-niveau-entree") == "13")
            #expect(formation.text("code-niveau-sortie") == "14")
            #expect(formation.children(named: "certification").first?.text("code-RNCP") == "35478")
            #expect(formation.children(named: "domaine-formation").first?.children(named: "code-ROME").map(\.value) == ["H2903", "H3201"])
            let action = try #require(formation.children(named: "action").first)
            let actionSequence = ["rythme-formation", "code-public-vise", "info-public-vise", "niveau-entree-obligatoire", "modalites-alternance",
                                  "modalites-enseignement", "conditions-specifiques", "prise-en-charge-frais-possible", "lieu-de-formation",
                                  "modalites-entrees-sorties", "url-action", "session", "adresse-information", "date-information", "restauration",
                                  "hebergement", "transport", "acces-handicapes", "langue-formation", "modalites-recrutement", "modalites-pedagogiques",
                                  "code-modalite-pedagogique", "frais-restants", "code-perimetre-recrutement", "infos-perimetre-recrutement",
                                  "prix-horaire-TTC", "prix-total-TTC", "duree-indicative", "nombre-heures-centre", "nombre-heures-entreprise",
                                  "nombre-heures-total", "detail-conditions-prise-en-charge", "conventionnement", "duree-conventionnee",
                                  "organisme-formateur", "organisme-financeur", "extras"]
            #expect(XMLTree.follows(action.children.map(\.name), actionSequence))
            #expect(action.text("modalites-enseignement") == "1")
            let sessions = action.children(named: "session")
            #expect(sessions.compactMap { $0.children(named: "periode").first?.text("debut") } == ["20260901", "20270115"])
            #expect(action.children(named: "organisme-formateur").first?.children(named: "SIRET-formateur").first?.text("SIRET") == "19020079400013")
            let responsable = try #require(formation.children(named: "organisme-formation-responsable").first)
            #expect(XMLTree.follows(responsable.children.map(\.name), ["numero-activite", "SIRET-organisme-formation", "nom-organisme", "raison-sociale",
                                                                        "coordonnees-organisme", "contact-organisme", "renseignements-specifiques", "potentiel", "extras"]))
            #expect(responsable.children(named: "SIRET-organisme-formation").first?.text("SIRET") == "73282932000074")
            #expect(responsable.text("raison-sociale") == "Plastiques de Picardie")
        }
    }

    @Test("LHEO and CSV round trips keep every shared field", arguments: TestDatabase.all)
    func roundTrips(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Self.corpus(app)
            let before = try await Self.everything(app)
            #expect(before.count == 3)
            for format in ["lheo.xml", "csv"] {
                let exported = Data(buffer: try await app.send(.GET, "/api/v1/formations.\(format)").body)
                // LHEO leaves out the formation whose organisation has no SIRET (LHEO requires it): it stays in place.
                let written = format == "csv" ? try await Formation.query(on: app.db).all(\.$id)
                    : LHEO.records(try LHEO.decode(exported)).compactMap(\.identifiant)
                #expect(written.count == (format == "csv" ? 3 : 2))
                try await FormationROME.query(on: app.db).filter(\.$formation.$id ~~ written).delete()
                try await FormationStatut.query(on: app.db).filter(\.$formation.$id ~~ written).delete()
                try await Formation.query(on: app.db).filter(\.$id ~~ written).delete()
                #expect(try await Self.formationCount(app) == 3 - written.count)
                let records: [FormationRecord]
                if format == "csv" {
                    let (read, errors) = try FormationCSV.read(String(decoding: exported, as: UTF8.self))
                    #expect(errors.isEmpty)
                    records = read
                } else {
                    records = LHEO.records(try LHEO.decode(exported))
                }
                let report = try await FormationImporter(db: app.db, caller: .command("test")).run(records)
                #expect(report.applied && report.created == written.count, "\(format): \(report.rejected)")
                #expect(try await Self.everything(app) == before, "\(format)")
            }
        }
    }

    @Test("a broken or foreign LHEO file is refused with a clear reason; an unknown SIRET names the formation", arguments: TestDatabase.all)
    func lheoErrors(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(throws: LHEO.FileError.self) { try LHEO.decode(Data("<lheo><offres><formation>".utf8)) }
            do {
                _ = try LHEO.decode(Data("<lheo><offres><formation><intitule-formation>X</intitule-formation></formation></offres></lheo>".utf8))
                Issue.record("an incomplete formation was accepted")
            } catch let error as LHEO.FileError {
                #expect(error.description.contains("manque") || error.description.contains("mal formé"))
            }
            try await Self.corpus(app)
            let exported = Data(buffer: try await app.send(.GET, "/api/v1/formations.lheo.xml?niveau=5").body)
            let text = String(decoding: exported, as: UTF8.self).replacingOccurrences(of: "0020079A", with: "0010001W")
            let records = LHEO.records(try LHEO.decode(Data(text.utf8)))
            try await Formation.query(on: app.db).filter(\.$niveauSortie == 5).delete()
            let report = try await FormationImporter(db: app.db, caller: .command("test")).run(records)
            #expect(!report.applied)
            #expect(report.rejected.map(\.description) == ["formation 1 : organisation : aucune organisation n'a l'UAI 0010001W."])
            #expect(try await Self.formationCount(app) == 2)
        }
    }

    // MARK: - Exports over HTTP

    @Test("CSV and JSON exports hold exactly what the search finds, with the search's filters", arguments: TestDatabase.all)
    func exports(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Self.corpus(app)
            let csv = try await app.send(.GET, "/api/v1/formations.csv?q=plasturgie", as: .anonymous)
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.headers.first(name: .contentDisposition)?.contains("formations.csv") == true)
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.count == 3)
            #expect(lines[1].contains("Plasturgie") || lines[1].contains("plasturgie"))
            let v = try OpenAPIValidator()
            let json = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/formations.json?niveau=8", template: "/api/v1/formations.json")
            #expect(try json.decoded([FormationDTO].self).map(\.intitule) == ["Doctorat matériaux"])
            // The formation's page names its ROME codes from the reference table.
            let plasturgie = try #require(try await Formation.query(on: app.db).filter(\.$intitule == "Plasturgie").first())
            let page = try await app.send(.GET, "/formations/\(plasturgie.id!.lower)", as: .anonymous).body.string
            #expect(page.contains("<code>H3201</code> Plasturgiste"))
            let wrong = try await app.send(.GET, "/api/v1/formations.csv?niveau=12")
            #expect(wrong.status == .unprocessableEntity && wrong.isProblemJSON && wrong.faultyFields == ["niveau"])
        }
    }
}

/// A small reading of an XML document as a tree, to check the structure of exports.
struct XMLTree {
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var value = ""

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        func children(named name: String) -> [Node] { children.filter { $0.name == name } }
        func text(_ child: String) -> String? { children(named: child).first?.value.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    let root: Node

    init(_ data: Data) throws {
        final class Builder: NSObject, XMLParserDelegate {
            var stack: [Node] = []
            var root: Node?
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                let node = Node(name: name, attributes: attributes)
                stack.last?.children.append(node)
                if root == nil { root = node }
                stack.append(node)
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.value += string }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }
        }
        let parser = XMLParser(data: data)
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        self.root = root
    }

    /// Whether the element names appear in the order of the standard's sequence (repeats allowed, nothing unknown).
    static func follows(_ names: [String], _ sequence: [String]) -> Bool {
        var position = 0
        for name in names {
            guard let index = sequence[position...].firstIndex(of: name) else { return false }
            position = index
        }
        return true
    }
}
