@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Demander un accès: the request, the queue, the account made in one step")
struct AccessRequestTests {
    @Test("request → the campus team's queue → account created → e-mail read from the SMTP server → own password → signed in", arguments: TestDatabase.all)
    func endToEnd(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Jean Moulin")
            try await Factory.membership(app.db, campus: campus, organisation: lycee)
            _ = try await TestAccounts.user(app, role: .equipeCampus, email: "equipe@cmq.test", campus: campus.id, password: "mot de passe équipe")
            // when: a person asks for an account on the campus
            var visitor = BrowserSession(app)
            #expect(try await visitor.get("/connexion").body.string.contains("/connexion/demande-acces"))
            _ = try await visitor.get("/connexion/demande-acces")
            let invalid = try await visitor.post("/connexion/demande-acces", [("nom", ""), ("email", "pas-une-adresse"), ("organisation", "Lycée"), ("role", "administrateur-national"), ("campus", ""), ("message", "")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains("Indiquez votre nom.") && invalid.body.string.contains("pas valide") && invalid.body.string.contains("Choisissez le rôle demandé"))
            #expect(try await AccessRequest.query(on: app.db).count() == 0)
            let sent = try await visitor.post("/connexion/demande-acces", [("nom", "Léa Dupont"), ("email", "Lea.Dupont@lycee-moulin.fr"), ("organisation", "Lycée Jean Moulin"),
                                                                          ("role", "membre"), ("campus", campus.id!.uuidString.lowercased()), ("message", "Je gère l'atelier de plasturgie.")])
            #expect(sent.status == .seeOther)
            #expect(try await visitor.get(sent.headers.first(name: .location)!).body.string.contains("Votre demande est envoyée"))
            let request = try #require(try await AccessRequest.query(on: app.db).first())
            // then: the campus team sees it and creates the account in one step
            var team = BrowserSession(app)
            #expect(try await team.signIn("equipe@cmq.test", "mot de passe équipe").status == .seeOther)
            let queue = try await team.get("/gestion/demandes-acces")
            #expect(queue.status == .ok)
            #expect(queue.body.string.contains("Léa Dupont") && queue.body.string.contains("atelier de plasturgie."))
            // A team may not make an account outside its network.
            let outside = try await Factory.organisation(app.db, nom: "Ailleurs")
            let refused = try await team.post("/gestion/demandes-acces/\(request.id!.uuidString.lowercased())/acceptation",
                                              [("role", "membre"), ("organisation", outside.id!.uuidString.lowercased())])
            #expect(refused.status == .forbidden)
            #expect(try await User.query(on: app.db).filter(\.$email == "lea.dupont@lycee-moulin.fr").count() == 0)
            let created = try await team.post("/gestion/demandes-acces/\(request.id!.uuidString.lowercased())/acceptation",
                                              [("role", "membre"), ("organisation", lycee.id!.uuidString.lowercased())])
            #expect(created.status == .seeOther, "\(created.body.string)")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "lea.dupont@lycee-moulin.fr").first())
            #expect(user.role == .membre && user.organisationID == lycee.id && user.nom == "Léa Dupont")
            #expect(try await AccessRequest.find(request.id, on: app.db)?.status == .accepted)
            #expect(try await team.get("/gestion/demandes-acces").body.string.contains("Aucune demande d'accès n'attend de réponse."))
            // Twice: 409, nothing more.
            #expect(try await team.post("/gestion/demandes-acces/\(request.id!.uuidString.lowercased())/acceptation",
                                        [("role", "membre"), ("organisation", lycee.id!.uuidString.lowercased())]).status == .conflict)
            // The new account gets a link, never a password.
            try await withSMTPServer { server in
                #expect(try await app.outboxWorker(server.settings()).runOnce() == 1)
                let mail = try #require(try await server.waitFor(1).first)
                #expect(mail.rcptTos == ["lea.dupont@lycee-moulin.fr"])
                #expect(mail.subject == "Votre compte sur le site des Campus des métiers et des qualifications")
                #expect(!mail.text.lowercased().contains("mot de passe :"))
                let link = try PasswordResetTests.link(in: mail.text)
                let path = String(link[link.range(of: "/connexion/nouveau-mot-de-passe/")!.lowerBound...])
                var lea = BrowserSession(app)
                _ = try await lea.get(path)
                #expect(try await lea.post(path, [("nouveauMotDePasse", "le mot de passe de Léa"), ("confirmation", "le mot de passe de Léa")]).status == .seeOther)
                var fresh = BrowserSession(app)
                #expect(try await fresh.signIn("lea.dupont@lycee-moulin.fr", "le mot de passe de Léa").status == .seeOther)
            }
        }
    }

    @Test("who sees the queue: the national administrator all, a campus team its campus's, the others nothing", arguments: TestDatabase.all)
    func queueRights(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let other = try await Factory.campus(app.db, nom: "Autre campus")
            let service = AccessRequests(db: app.db, caller: .command("test"))
            _ = try await service.submit(.init(nom: "A", email: "a@x.fr", organisation: "O", role: "membre", campus: campus.id!.uuidString, message: ""), clientAddress: "10.0.0.1")
            _ = try await service.submit(.init(nom: "B", email: "b@x.fr", organisation: "O", role: "membre", campus: other.id!.uuidString, message: ""), clientAddress: "10.0.0.1")
            _ = try await service.submit(.init(nom: "C", email: "c@x.fr", organisation: "O", role: "region-academique", campus: nil, message: ""), clientAddress: "10.0.0.1")
            func queue(_ user: User) async throws -> [String] {
                try await AccessRequests(db: app.db, caller: .viewer(user.actor)).queue().map(\.nom)
            }
            let admin = try await TestAccounts.user(app, role: .administrateurNational, email: "admin2@cmq.test")
            let team = try await TestAccounts.user(app, role: .equipeCampus, email: "team@cmq.test", campus: campus.id)
            let member = try await TestAccounts.user(app, role: .membre, email: "membre@cmq.test", organisation: try await Factory.organisation(app.db).id)
            #expect(try await queue(admin) == ["A", "B", "C"])
            #expect(try await queue(team) == ["A"])
            await #expect(throws: AppError.self) { try await queue(member) }
            var browser = BrowserSession(app)
            _ = try await TestAccounts.user(app, role: .membre, email: "m2@cmq.test", organisation: try await Factory.organisation(app.db, nom: "Deuxième lycée").id, password: "mot de passe membre")
            #expect(try await browser.signIn("m2@cmq.test", "mot de passe membre").status == .seeOther)
            #expect(try await browser.get("/gestion/demandes-acces").status == .forbidden)
            var anonymous = BrowserSession(app)
            #expect(try await anonymous.get("/gestion/demandes-acces").status == .seeOther)
            // A team may not refuse another campus's request.
            let b = try #require(try await AccessRequest.query(on: app.db).filter(\.$nom == "B").first())
            await #expect(throws: AppError.self) { try await AccessRequests(db: app.db, caller: .viewer(team.actor)).refuse(b.requireID()) }
            #expect(try await AccessRequest.find(b.id, on: app.db)?.status == .pending)
            // Five requests an hour from one address; requests older than twelve months are erased.
            _ = try await service.submit(.init(nom: "D", email: "d@x.fr", organisation: "O", role: "membre", campus: nil, message: ""), clientAddress: "10.0.0.1")
            _ = try await service.submit(.init(nom: "E", email: "e@x.fr", organisation: "O", role: "membre", campus: nil, message: ""), clientAddress: "10.0.0.1")
            await #expect(throws: AppError.self) {
                try await service.submit(.init(nom: "F", email: "f@x.fr", organisation: "O", role: "membre", campus: nil, message: ""), clientAddress: "10.0.0.1")
            }
            #expect(try await AccessRequests.purge(on: app.db, now: Date().addingTimeInterval(366 * 86_400)) == 5)
            #expect(try await AccessRequest.query(on: app.db).count() == 0)
        }
    }
}
