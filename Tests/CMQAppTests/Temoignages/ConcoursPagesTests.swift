@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The contest's pages: the public editions, the vote button (CSRF, once per category), the results page, the
/// back-office's forms (an edition, its categories and jurors, a campus team's entry, the juror's marking form).
@Suite("Ma réussite pro: the contest's pages and forms")
struct ConcoursPagesTests {
    static let at = ConcoursTests.at

    /// A text as the templates write it (HTML-escaped like Leaf).
    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    @Test("a visitor sees the edition and signs in to vote; a signed-in account votes once; results after their date", arguments: TestDatabase.all)
    func publicPages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let contest = try await ConcoursTests.contest(app)
            let editionID = try contest.edition.requireID()
            let lycee = try await Factory.organisation(app.db, nom: "Lycée de la votante")
            _ = try await TestAccounts.user(app, role: .membre, email: "votante@cmq.test", organisation: try lycee.requireID(), password: "mot de passe votante")
            app.clock = .fixed(Self.at("2027-04-10T10:00:00Z"))
            var visitor = BrowserSession(app)
            let list = try await visitor.get("/concours")
            #expect(list.status == .ok && list.body.string.contains("Ma réussite pro 2027"))
            #expect(try await visitor.get("/temoignages").body.string.contains("href=\"/concours\""))
            let page = try await visitor.get("/concours/\(editionID.lower)")
            #expect(page.status == .ok && page.body.string.contains("connectez-vous pour voter") && !page.body.string.contains("Voter pour"))
            #expect(page.body.string.contains("Du CAP au BTS"))
            // an anonymous POST is refused and writes nothing
            #expect([.unauthorized, .forbidden].contains(try await visitor.post("/concours/candidatures/\(contest.entry.lower)/vote", []).status))

            var voter = BrowserSession(app)
            _ = try await voter.signIn("votante@cmq.test", "mot de passe votante")
            let signed = try await voter.get("/concours/\(editionID.lower)")
            #expect(signed.body.string.contains("Voter pour « Du CAP au BTS »") && signed.body.string.contains("/concours/candidatures/\(contest.entry.lower)/vote"))
            // without the CSRF token: refused
            #expect(try await voter.post("/concours/candidatures/\(contest.entry.lower)/vote", [], withToken: false).status == .forbidden)
            #expect(try await ConcoursVoteRecord.query(on: app.db).count() == 0)
            let voted = try await voter.post("/concours/candidatures/\(contest.entry.lower)/vote", [])
            #expect(voted.status == .seeOther)
            let after = try await voter.get("/concours/\(editionID.lower)?fait=vote")
            #expect(after.body.string.contains("Vous avez voté pour ce témoignage.") && !after.body.string.contains("Voter pour"))
            let again = try await voter.post("/concours/candidatures/\(contest.entry.lower)/vote", [])
            #expect(again.status == .conflict && again.body.string.contains(Self.html(PublicVoteRules.Refusal.alreadyVoted.message)))
            #expect(try await ConcoursVoteRecord.query(on: app.db).count() == 1)

            // results: not found before their date, then the medals and the public prize
            #expect(try await visitor.get("/concours/\(editionID.lower)/resultats").status == .notFound)
            let jure = try await TestAccounts.user(app, role: .membre, email: "jure@cmq.test", organisation: try lycee.requireID())
            let seat = ConcoursJureRecord(editionID: editionID, userID: try jure.requireID(), niveau: .national, academieCode: nil)
            try await seat.create(on: app.db)
            let note = ConcoursNoteRecord()
            note.$candidature.id = contest.entry
            note.$jure.id = try seat.requireID()
            note.niveau = .national
            note.notesJSON = #"{"message": 18, "realisation": 8}"#
            note.total = 17.5
            try await note.create(on: app.db)
            app.clock = .fixed(Self.at("2027-05-21T10:00:00Z"))
            let results = try await visitor.get("/concours/\(editionID.lower)/resultats")
            #expect(results.status == .ok)
            #expect(results.body.string.contains("<strong>Or</strong>") && results.body.string.contains("<strong>Prix du public</strong>"))
            #expect(results.body.string.contains("17,50"))
            // the testimony's page shows its medal
            let temoignage = try #require(try await ConcoursCandidatureRecord.find(contest.entry, on: app.db)).$temoignage.id
            let testimony = try await visitor.get("/temoignages/\(temoignage.lower)")
            #expect(testimony.body.string.contains(Self.html("Médaille d'or — « Ma réussite pro 2027 », catégorie Services")))
            #expect(testimony.body.string.contains("Prix du public — « Ma réussite pro 2027 »"))
        }
    }

    @Test("the juror's marking form: bounded fields, errors beside them and nothing written, marking again replaces; others refused",
          arguments: TestDatabase.all)
    func marking(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let contest = try await ConcoursTests.contest(app)
            let editionID = try contest.edition.requireID()
            let lycee = try await Factory.organisation(app.db, nom: "Lycée du juré")
            let jure = try await TestAccounts.user(app, role: .membre, email: "jure@cmq.test", organisation: try lycee.requireID(), password: "mot de passe juré")
            _ = try await TestAccounts.user(app, role: .membre, email: "autre@cmq.test", organisation: try lycee.requireID(), password: "mot de passe autre")
            try await ConcoursJureRecord(editionID: editionID, userID: try jure.requireID(), niveau: .academique, academieCode: contest.academie).create(on: app.db)
            app.clock = .fixed(Self.at("2027-03-20T10:00:00Z"))
            var juror = BrowserSession(app)
            _ = try await juror.signIn("jure@cmq.test", "mot de passe juré")
            let home = try await juror.get("/gestion")
            #expect(home.body.string.contains("Concours « Ma réussite pro »") && home.body.string.contains("candidatures à noter"))
            let edition = try await juror.get("/gestion/concours/\(editionID.lower)")
            let form = "/gestion/concours/candidatures/\(contest.entry.lower)/notes"
            #expect(edition.status == .ok && edition.body.string.contains(form))
            let page = try await juror.get(form)
            #expect(page.status == .ok && page.body.string.contains(#"id="note-message" name="note-message" min="0" max="20""#))

            let bad = try await juror.post(form, [("note-message", "25"), ("note-realisation", "")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#"id="err-note-message""#) && bad.body.string.contains("va de 0 à 20"))
            #expect(bad.body.string.contains("Notez le critère « Réalisation ».") && bad.body.string.contains(#"aria-invalid="true""#))
            #expect(try await ConcoursNoteRecord.query(on: app.db).count() == 0)
            #expect(try await juror.post(form, [("note-message", "16"), ("note-realisation", "5")]).status == .seeOther)
            #expect(try await juror.post(form, [("note-message", "20"), ("note-realisation", "10")]).status == .seeOther)
            let notes = try await ConcoursNoteRecord.query(on: app.db).all()
            #expect(notes.count == 1 && notes.first?.total == 20)
            #expect(try await juror.get(form).body.string.contains("Votre total actuel : 20,00 sur 20"))
            // the waiting testimony's entry is not in the contest: a conflict beside the form
            let waiting = try await juror.post("/gestion/concours/candidatures/\(contest.waitingEntry.lower)/notes", [("note-message", "16"), ("note-realisation", "5")])
            #expect(waiting.status == .conflict)

            // another account: refused; out of the jury's dates: a conflict and nothing changed
            var other = BrowserSession(app)
            _ = try await other.signIn("autre@cmq.test", "mot de passe autre")
            #expect(try await other.get(form).status == .forbidden)
            app.clock = .fixed(Self.at("2027-04-20T10:00:00Z"))
            let late = try await juror.post(form, [("note-message", "1"), ("note-realisation", "1")])
            #expect(late.status == .conflict && late.body.string.contains("Le jury académique ne siège pas en ce moment."))
            #expect(try await ConcoursNoteRecord.query(on: app.db).first()?.total == 20)
        }
    }

    @Test("the administrator creates an edition, its categories and jurors from the back-office; a campus team enters its testimony",
          arguments: TestDatabase.all)
    func backOffice(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let contest = try await ConcoursTests.contest(app)
            let (campus, lycee) = (try await Campus.query(on: app.db).first()!, try await Factory.organisation(app.db, nom: "Lycée du juré"))
            _ = try await TestAccounts.user(app, role: .administrateurNational, email: "admin2@cmq.test", password: "mot de passe admin")
            _ = try await TestAccounts.user(app, role: .equipeCampus, email: "equipe@cmq.test", campus: try campus.requireID(), password: "mot de passe équipe")
            _ = try await TestAccounts.user(app, role: .membre, email: "jure@cmq.test", organisation: try lycee.requireID())
            var admin = BrowserSession(app)
            _ = try await admin.signIn("admin2@cmq.test", "mot de passe admin")
            let list = try await admin.get("/gestion/concours")
            #expect(list.status == .ok && list.body.string.contains("Créer une édition"))
            var fields: [(String, String)] = [("nom", "Ma réussite pro 2028"), ("depotsOuverture", "2028-01-03"), ("depotsCloture", "2027-12-01"),
                                              ("juryAcademiqueCloture", "2028-04-15"), ("juryNationalCloture", "2028-05-15"), ("voteOuverture", "2028-04-01"),
                                              ("voteCloture", "2028-05-01"), ("resultats", "2028-05-20"), ("placesNationales", "1"),
                                              ("critere0Code", "message"), ("critere0Libelle", "Message"), ("critere0Poids", "2"), ("critere0Maximum", "20")]
            let bad = try await admin.post("/gestion/concours", fields)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains(#"id="err-calendrier""#))
            #expect(bad.body.string.contains(Self.html("Les dépôts doivent s'ouvrir avant de se fermer.")) && bad.body.string.contains(#"value="Ma réussite pro 2028""#))
            #expect(try await ConcoursEditionRecord.query(on: app.db).count() == 1)
            fields[2] = ("depotsCloture", "2028-03-15")
            let created = try await admin.post("/gestion/concours", fields)
            #expect(created.status == .seeOther)
            let edition = try #require(try await ConcoursEditionRecord.query(on: app.db).filter(\.$nom == "Ma réussite pro 2028").first())
            let base = "/gestion/concours/\(try edition.requireID().lower)"
            #expect(try await admin.get(base).status == .ok)
            // A grid of eight criteria: the edition's form shows all eight (and two empty rows), and saving it keeps them.
            let eight = fields + (1..<8).flatMap { i in [("critere\(i)Code", "c\(i)"), ("critere\(i)Libelle", "Critère \(i)"), ("critere\(i)Poids", "1"), ("critere\(i)Maximum", "10")] }
            #expect(try await admin.post(base, eight).status == .seeOther)
            let shown = try await admin.get(base).body.string
            #expect(shown.contains(#"value="c7""#) && shown.contains(#"name="critere9Code""#) && !shown.contains(#"name="critere10Code""#))
            var again = fields.filter { !$0.0.hasPrefix("critere") }
            for match in shown.matches(of: #/name="(critere\d+(?:Code|Libelle|Poids|Maximum))"[^>]*value="([^"]*)"/#) { again.append((String(match.1), String(match.2))) }
            #expect(again.count == fields.count - 4 + 40)
            #expect(try await admin.post(base, again).status == .seeOther)
            #expect(try await ConcoursEditionRecord.find(edition.id, on: app.db)?.grid.criteria.map(\.code) == ["message"] + (1..<8).map { "c\($0)" })
            #expect(try await admin.post(base + "/categories", [("code", "Pas bon"), ("nom", "Production")]).status == .unprocessableEntity)
            #expect(try await admin.post(base + "/categories", [("code", "production"), ("nom", "Production")]).status == .seeOther)
            let unknown = try await admin.post(base + "/jures", [("courriel", "personne@cmq.test"), ("academie", "")])
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains(#"id="err-courriel""#))
            #expect(try await admin.post(base + "/jures", [("courriel", "jure@cmq.test"), ("academie", "20")]).status == .seeOther)
            #expect(try await admin.get(base).body.string.contains("académie Amiens"))
            #expect(try await ConcoursJureRecord.query(on: app.db).count() == 1)

            // the campus team may not create an edition; it enters a published testimony while submissions are open
            var team = BrowserSession(app)
            _ = try await team.signIn("equipe@cmq.test", "mot de passe équipe")
            #expect(try await team.get("/gestion/concours").body.string.contains("Créer une édition") == false)
            #expect(try await team.post("/gestion/concours", fields).status == .forbidden)
            let contestBase = "/gestion/concours/\(try contest.edition.requireID().lower)"
            let fresh = try await TemoignageFixtures.withMedia(app, campus: campus)
            #expect(try await TemoignageFixtures.consent(app, fresh.id, role: "personne").status == .created)
            #expect(try await TemoignageFixtures.moderate(app, fresh.id, #"{"decision": "publier"}"#).status == .ok)
            app.clock = .fixed(Self.at("2027-02-01T10:00:00Z"))
            let page = try await team.get(contestBase)
            #expect(page.body.string.contains("Inscrire un témoignage"))
            let entered = try await team.post(contestBase + "/candidatures", [("temoignageId", fresh.id.lower), ("categorieId", try contest.categorie.requireID().lower)])
            #expect(entered.status == .seeOther)
            #expect(try await ConcoursCandidatureRecord.query(on: app.db).filter(\.$temoignage.$id == fresh.id).count() == 1)

            // Deletion, by the administrator only, while nothing is entered: the 2028 edition's category, then the
            // edition; the contest with entries shows no button, and a forged form is refused with its reason.
            let page2028 = try await admin.get(base).body.string
            let production = try #require(try await ConcoursCategorieRecord.query(on: app.db).filter(\.$code == "production").first())
            #expect(page2028.contains("Supprimer la catégorie Production") && page2028.contains("Supprimer « Ma réussite pro 2028 »"))
            #expect(try await team.post(base + "/suppression", []).status == .forbidden)
            #expect(try await admin.post(base + "/categories/\(try production.requireID().lower)/suppression", []).status == .seeOther)
            #expect(try await admin.get(base + "?fait=suppression-categorie").body.string.contains("La catégorie est supprimée."))
            let deleted = try await admin.post(base + "/suppression", [])
            #expect(deleted.status == .seeOther && deleted.headers.first(name: .location) == "/gestion/concours?fait=suppression")
            #expect(try await admin.get("/gestion/concours?fait=suppression").body.string.contains(Self.html("L'édition est supprimée.")))
            #expect(try await ConcoursEditionRecord.query(on: app.db).filter(\.$nom == "Ma réussite pro 2028").count() == 0)
            let contestPage = try await admin.get(contestBase).body.string
            #expect(contestPage.contains("elle ne peut plus être supprimée") && !contestPage.contains("Supprimer « Ma réussite pro 2027 »"))
            let forged = try await admin.post(contestBase + "/suppression", [])
            #expect(forged.status == .conflict && forged.body.string.contains(Self.html("« Ma réussite pro 2027 » a déjà des candidatures")))
            #expect(try await ConcoursEditionRecord.query(on: app.db).count() == 1)
        }
    }
}
