@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The labelling procedure through the back-office pages, signed in, with the forms of each step.
@Suite("Labelling pages")
struct DossierPagesTests {
    /// A région's staff member signed in through the forms opens a dossier for a new campus: their session and the
    /// dossier page's address.
    static func openDossier(_ app: Application) async throws -> (BrowserSession, String) {
        let campus = try await Factory.campus(app.db)
        _ = try await TestAccounts.user(app, role: .regionAcademique, email: "region@cmq.test", region: "32", password: "mot de passe région")
        var region = BrowserSession(app)
        _ = try await region.signIn("region@cmq.test", "mot de passe région")
        _ = try await region.get("/gestion/dossiers")
        let opened = try await region.post("/gestion/dossiers", [("campusId", campus.id!.lower), ("referentiel", "2019")])
        return (region, String(try #require(opened.headers.first(name: .location)).split(separator: "?")[0]))
    }

    @Test("the région opens, writes and deposits a dossier; the CAEN gives its opinion; each sees only its forms", arguments: TestDatabase.all)
    func procedureInPages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            _ = try await TestAccounts.user(app, role: .regionAcademique, email: "region@cmq.test", region: "32", password: "mot de passe région")
            _ = try await TestAccounts.user(app, role: .instance, email: "caen@cmq.test", instance: .caen, password: "mot de passe caen")
            var region = BrowserSession(app)
            _ = try await region.signIn("region@cmq.test", "mot de passe région")
            let list = try await region.get("/gestion/dossiers")
            #expect(list.status == .ok && list.body.string.contains("Ouvrir un dossier") && list.body.string.contains(campus.nom))
            let opened = try await region.post("/gestion/dossiers", [("campusId", campus.id!.lower), ("referentiel", "2014"), ("nature", "creation"), ("labelDemande", "cmq")])
            #expect(opened.status == .seeOther)
            let location = try #require(opened.headers.first(name: .location))
            let dossierPath = String(location.split(separator: "?")[0])
            let page = try await region.get(location).body.string
            #expect(page.contains("Le dossier est ouvert.") && page.contains("Déposer le dossier") && page.contains("<ol class=\"timeline\">"))
            // Depositing with empty sections: the page says why, and the dossier stays a draft.
            let refused = try await region.post("\(dossierPath)/depot", [("date", "2013-03-01")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("sont vides"))
            let sections = DossierSection.allCases.map { ($0.rawValue, "Texte : \($0.titre)") }
            #expect(try await region.post("\(dossierPath)/sections", sections).status == .seeOther)
            #expect(try await region.post("\(dossierPath)/depot", [("date", "2013-03-01")]).status == .seeOther)
            let deposited = try await region.get(dossierPath).body.string
            #expect(deposited.contains("En instruction") && !deposited.contains("Enregistrer les sections"))
            #expect(!deposited.contains("Rendre l'avis"))
            // The CAEN sees the dossier and its own form only.
            var caen = BrowserSession(app)
            _ = try await caen.signIn("caen@cmq.test", "mot de passe caen")
            let caenPage = try await caen.get(dossierPath).body.string
            #expect(caenPage.contains("Rendre l'avis : CAEN") && !caenPage.contains("Enregistrer la décision"))
            let bare = try await caen.post("\(dossierPath)/avis", [("instance", "caen"), ("verdict", "defavorable"), ("texte", ""), ("date", "2013-04-01")])
            #expect(bare.status == .unprocessableEntity)
            #expect(try await AvisRecord.query(on: app.db).count() == 0)
            #expect(try await caen.post("\(dossierPath)/avis", [("instance", "caen"), ("verdict", "favorable"), ("texte", "Très bon projet."), ("date", "2013-04-01")]).status == .seeOther)
            let after = try await caen.get(dossierPath).body.string
            #expect(after.contains("Très bon projet.") && !after.contains("Rendre l'avis"))
            // The CAEN cannot act for the CREFOP through the form either.
            let usurped = try await caen.post("\(dossierPath)/avis", [("instance", "crefop"), ("verdict", "favorable"), ("date", "2013-04-02")])
            #expect(usurped.status == .forbidden)
            // The dossier prints without its forms (print stylesheet) and its history names every step.
            #expect(after.contains("Ouverture du dossier") && after.contains("Dépôt"))
        }
    }

    @Test("the région joins a PDF through the page's form (multipart); a file that is not a PDF is refused beside the form", arguments: TestDatabase.all)
    func uploadThroughPage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var (region, path) = try await Self.openDossier(app)
            _ = try await region.get(path)
            func upload(_ name: String, _ contents: String) async throws -> TestingHTTPResponse {
                let boundary = "cmq-test-boundary"
                let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(region.csrf ?? "")\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n\(contents)\r\n"
                    + "--\(boundary)--\r\n"
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .cookie, value: region.cookie ?? "")
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                return try await app.testing().sendRequest(.POST, "\(path)/pieces", headers: headers, body: ByteBuffer(string: body))
            }
            let refused = try await upload("projet.pdf", "ceci n'est pas un PDF")
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("son contenu n&#39;est pas un document PDF"))
            #expect(try await PieceRecord.query(on: app.db).count() == 0)
            let sent = try await upload("projet.pdf", "%PDF-1.4\n%%EOF\n")
            #expect(sent.status == .seeOther)
            let page = try await region.get(path).body.string
            #expect(page.contains("projet.pdf") && page.contains("SHA-256"))
            #expect(try await PieceRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("the national administrator withdraws a label from the campus page, with its reason; a région cannot", arguments: TestDatabase.all)
    func withdrawal(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await LabellingAPITests.cast(app)
            let label = try await LabellingAPITests.labelled2019(app, cast, decision: "2024-03-01", years: 5)
            _ = try await TestAccounts.user(app, role: .regionAcademique, email: "region.retrait@cmq.test", region: "32", password: "mot de passe région")
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "admin.retrait@cmq.test", password: "mot de passe admin")
            var region = BrowserSession(app)
            _ = try await region.signIn("region.retrait@cmq.test", "mot de passe région")
            let regionPage = try await region.get("/campus/\(cast.campus.id!.lower)").body.string
            #expect(!regionPage.contains("Retirer le label"))
            #expect(try await region.post("/gestion/labels/\(label.id.lower)/retrait", [("motif", "Réseau dissous")]).status == .forbidden)
            var admin = BrowserSession(app)
            _ = try await admin.signIn("admin.retrait@cmq.test", "mot de passe admin")
            let adminPage = try await admin.get("/campus/\(cast.campus.id!.lower)").body.string
            #expect(adminPage.contains("Retirer le label"))
            let done = try await admin.post("/gestion/labels/\(label.id.lower)/retrait", [("motif", "Réseau dissous"), ("date", "2024-06-01")])
            #expect(done.status == .seeOther)
            let after = try await admin.get("/campus/\(cast.campus.id!.lower)?retrait=1").body.string
            #expect(after.contains("Label retiré") && after.contains("Réseau dissous") && after.contains("Le label est retiré."))
        }
    }
}
