@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The contest's API: the rights of each route, bad input refused in French with nothing written, the vote's
/// uniqueness under real concurrent requests, the results; every answer against the OpenAPI document.
@Suite("Ma réussite pro: the contest's API")
struct ConcoursAPITests {
    typealias F = TemoignageFixtures
    static let at = ConcoursTests.at

    static let editionBody = """
    {"nom": "Ma réussite pro 2028", "depotsOuverture": "2028-01-03", "depotsCloture": "2028-03-15", "juryAcademiqueCloture": "2028-04-15",
     "juryNationalCloture": "2028-05-15", "voteOuverture": "2028-04-01", "voteCloture": "2028-05-01", "resultats": "2028-05-20",
     "placesNationales": 2, "grille": [{"code": "message", "libelle": "Force du message", "poids": 3, "maximum": 20},
                                       {"code": "realisation", "libelle": "Réalisation", "poids": 1, "maximum": 10}]}
    """

    static func token(_ app: Application, _ email: String, role: Role = .membre, campus: UUID? = nil, organisation: UUID? = nil) async throws -> (User, TestIdentity) {
        var organisation = organisation
        if role == .membre, organisation == nil { organisation = try await Factory.organisation(app.db, nom: "Lycée de \(email)").requireID() }
        let user = try await TestAccounts.user(app, role: role, email: email, campus: campus, organisation: organisation)
        return (user, .token(try await TestAccounts.token(for: user, app)))
    }

    @Test("an edition or a category is deleted by the national administrator while no testimony is entered in it; then refused with a 409", arguments: TestDatabase.all)
    func deletion(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let contest = try await ConcoursTests.contest(app)
            let campus = try #require(try await Campus.query(on: app.db).first())
            let (_, team) = try await Self.token(app, "equipe@cmq.test", role: .equipeCampus, campus: try campus.requireID())
            let editionID = try contest.edition.requireID(), entered = try contest.categorie.requireID()
            let template = "/api/v1/concours/{editionId}", categoryTemplate = "/api/v1/concours/{editionId}/categories/{categorieId}"
            // An empty category of the edition with entries: deleted; the entered one and the edition: 409, nothing deleted.
            let empty = ConcoursCategorieRecord(editionID: editionID, code: "production", nom: "Production")
            try await empty.create(on: app.db)
            let emptyPath = "/api/v1/concours/\(editionID.lower)/categories/\(try empty.requireID().lower)"
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, emptyPath, template: categoryTemplate, as: team).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, emptyPath, template: categoryTemplate, as: .anonymous).status == .unauthorized)
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, emptyPath, template: categoryTemplate).status == .noContent)
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, emptyPath, template: categoryTemplate).status == .notFound)
            let kept = try await OpenAPITests.conforms(app, v, .DELETE, "/api/v1/concours/\(editionID.lower)/categories/\(entered.lower)", template: categoryTemplate)
            #expect(kept.status == .conflict && kept.body.string.contains("La catégorie « Services » a déjà des candidatures"))
            let edition = try await OpenAPITests.conforms(app, v, .DELETE, "/api/v1/concours/\(editionID.lower)", template: template)
            #expect(edition.status == .conflict && edition.body.string.contains("a déjà des candidatures"))
            #expect(try await ConcoursCategorieRecord.query(on: app.db).count() == 1)
            #expect(try await ConcoursCandidatureRecord.query(on: app.db).count() == 2)

            // A new edition with a category and a juror, nothing entered: deleted with them, and the trail says so.
            let created = try await app.send(.POST, "/api/v1/concours", json: Self.editionBody)
            let fresh = try created.decoded(ConcoursEditionDTO.self).id.lower
            #expect(try await app.send(.POST, "/api/v1/concours/\(fresh)/categories", json: #"{"code": "services", "nom": "Services"}"#).status == .created)
            _ = try await Self.token(app, "jure@cmq.test")
            #expect(try await app.send(.POST, "/api/v1/concours/\(fresh)/jures", json: #"{"courriel": "jure@cmq.test", "niveau": "national"}"#).status == .created)
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, "/api/v1/concours/\(fresh)", template: template, as: team).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, "/api/v1/concours/\(fresh)", template: template).status == .noContent)
            #expect(try await ConcoursEditionRecord.query(on: app.db).count() == 1)
            #expect(try await ConcoursCategorieRecord.query(on: app.db).count() == 1)
            #expect(try await ConcoursJureRecord.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "suppression").count() == 2)
        }
    }

    @Test("editions, categories and juries: the national administrator only; bad input in French and nothing written", arguments: TestDatabase.all)
    func editions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let (campus, lycee) = try await F.campus(app)
            let (_, member) = try await Self.token(app, "membre@cmq.test", organisation: try lycee.requireID())
            let (_, team) = try await Self.token(app, "equipe@cmq.test", role: .equipeCampus, campus: try campus.requireID())
            let list = "/api/v1/concours"
            // refused: anonymous 401, a member and a campus team 403; nothing created
            #expect(try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: Self.editionBody, as: .anonymous).status == .unauthorized)
            #expect(try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: Self.editionBody, as: member).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: Self.editionBody, as: team).status == .forbidden)
            // bad input: a calendar out of order, a grid without criteria, an unbounded number
            let disordered = Self.editionBody.replacingOccurrences(of: "\"depotsCloture\": \"2028-03-15\"", with: "\"depotsCloture\": \"2027-12-01\"")
            let refused = try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: disordered)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Les dépôts doivent s'ouvrir avant de se fermer."))
            let noGrid = try await OpenAPITests.conforms(app, v, .POST, list, template: list,
                                                         json: Self.editionBody.replacingOccurrences(of: #""grille": ["#, with: #""grille": [], "x": ["#))
            #expect(noGrid.status == .unprocessableEntity)
            let places = try await app.send(.POST, list, json: Self.editionBody.replacingOccurrences(of: "\"placesNationales\": 2", with: "\"placesNationales\": 1e300"))
            #expect(places.status == .unprocessableEntity && places.body.string.contains("placesNationales"))
            let weight = try await app.send(.POST, list, json: Self.editionBody.replacingOccurrences(of: "\"poids\": 3", with: "\"poids\": 11"))
            #expect(weight.status == .unprocessableEntity && weight.body.string.contains("grille[0].poids"))
            #expect(try await ConcoursEditionRecord.query(on: app.db).count() == 0)

            // created by the administrator; the same name again is a conflict
            let created = try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: Self.editionBody)
            #expect(created.status == .created)
            let edition = try created.decoded(ConcoursEditionDTO.self)
            #expect(edition.grille.count == 2 && edition.depotsCloture == "2028-03-15" && edition.phase == "avant-depots")
            #expect(try await OpenAPITests.conforms(app, v, .POST, list, template: list, json: Self.editionBody).status == .conflict)
            #expect(try await OpenAPITests.conforms(app, v, .GET, list, template: list, as: .anonymous).status == .ok)
            let item = "/api/v1/concours/{editionId}", path = "/api/v1/concours/\(edition.id.lower)"
            #expect(try await OpenAPITests.conforms(app, v, .GET, path, template: item, as: .anonymous).status == .ok)
            #expect(try await OpenAPITests.conforms(app, v, .GET, "/api/v1/concours/\(UUID().lower)", template: item).status == .notFound)
            #expect(try await OpenAPITests.conforms(app, v, .PUT, path, template: item, json: Self.editionBody, as: member).status == .forbidden)
            let renamed = try await OpenAPITests.conforms(app, v, .PUT, path, template: item,
                                                          json: Self.editionBody.replacingOccurrences(of: "Ma réussite pro 2028", with: "Ma réussite pro 2028 bis"))
            #expect(renamed.status == .ok)
            #expect(try renamed.decoded(ConcoursEditionDTO.self).nom == "Ma réussite pro 2028 bis")

            // categories
            let categories = item + "/categories"
            #expect(try await OpenAPITests.conforms(app, v, .POST, path + "/categories", template: categories, json: #"{"code": "services", "nom": "Services"}"#, as: member).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path + "/categories", template: categories, json: #"{"code": "Services !", "nom": "Services"}"#).status == .unprocessableEntity)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path + "/categories", template: categories, json: #"{"code": "services", "nom": "Services"}"#).status == .created)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path + "/categories", template: categories, json: #"{"code": "services", "nom": "Autre"}"#).status == .conflict)
            #expect(try await ConcoursCategorieRecord.query(on: app.db).count() == 1)

            // jurors: by e-mail; an académie juror needs an académie; once per edition; listed to the administrator only
            let jurors = item + "/jures"
            _ = try await TestAccounts.user(app, role: .membre, email: "jure@cmq.test", organisation: try lycee.requireID())
            #expect(try await OpenAPITests.conforms(app, v, .POST, path + "/jures", template: jurors, json: #"{"courriel": "jure@cmq.test", "niveau": "national"}"#, as: member).status == .forbidden)
            let unknown = try await OpenAPITests.conforms(app, v, .POST, path + "/jures", template: jurors, json: #"{"courriel": "personne@cmq.test", "niveau": "national"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("Aucun compte n'a l'adresse"))
            let noAcademie = try await OpenAPITests.conforms(app, v, .POST, path + "/jures", template: jurors, json: #"{"courriel": "jure@cmq.test", "niveau": "academique"}"#)
            #expect(noAcademie.status == .unprocessableEntity && noAcademie.body.string.contains("indiquez-la"))
            let seated = try await OpenAPITests.conforms(app, v, .POST, path + "/jures", template: jurors, json: #"{"courriel": "jure@cmq.test", "niveau": "academique", "academie": "20"}"#)
            #expect(seated.status == .created)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path + "/jures", template: jurors, json: #"{"courriel": "jure@cmq.test", "niveau": "national"}"#).status == .conflict)
            #expect(try await OpenAPITests.conforms(app, v, .GET, path + "/jures", template: jurors, as: member).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .GET, path + "/jures", template: jurors).decoded([ConcoursJureDTO].self).map(\.academie) == ["20"])
            let seat = try seated.decoded(ConcoursJureDTO.self)
            let one = jurors + "/{jureId}"
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, path + "/jures/\(seat.id.lower)", template: one, as: member).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .DELETE, path + "/jures/\(seat.id.lower)", template: one).status == .noContent)
            #expect(try await ConcoursJureRecord.query(on: app.db).count() == 0)

            // every change is in the audit trail, the refused ones are not
            let trail = try await AuditEntry.query(on: app.db).filter(\.$entity ~~ ["concours-edition", "concours-categorie", "concours-jure"]).all()
            #expect(trail.map { "\($0.entity) \($0.action)" }.sorted() == ["concours-categorie creation", "concours-edition creation", "concours-edition modification",
                                                                          "concours-jure creation", "concours-jure suppression"])
        }
    }

    @Test("entries by the campus team while submissions are open; marks by the juror only; the grid frozen once marked", arguments: TestDatabase.all)
    func entriesAndMarks(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let contest = try await ConcoursTests.contest(app)
            let editionID = try contest.edition.requireID(), categorieID = try contest.categorie.requireID()
            let campusID = try await ConcoursCandidatureRecord.find(contest.entry, on: app.db)!.$temoignage.get(on: app.db).$campus.id
            let campus = try #require(try await Campus.find(campusID, on: app.db))
            // a second published testimony of the campus, not yet entered
            let fresh = try await F.withMedia(app, campus: campus)
            #expect(try await F.consent(app, fresh.id, role: "personne").status == .created)
            #expect(try await F.moderate(app, fresh.id, #"{"decision": "publier"}"#).status == .ok)
            let (_, team) = try await Self.token(app, "equipe@cmq.test", role: .equipeCampus, campus: campusID)
            let other = try await Factory.campus(app.db, nom: "Autre campus")
            let (_, otherTeam) = try await Self.token(app, "autre@cmq.test", role: .equipeCampus, campus: try other.requireID())
            let entries = "/api/v1/concours/{editionId}/candidatures", path = "/api/v1/concours/\(editionID.lower)/candidatures"
            let body = #"{"temoignageId": "\#(fresh.id.lower)", "categorieId": "\#(categorieID.lower)"}"#

            // before the submissions open: a conflict; then another campus's team: forbidden; the team: created, once
            app.clock = .fixed(Self.at("2026-12-01T10:00:00Z"))
            let early = try await OpenAPITests.conforms(app, v, .POST, path, template: entries, json: body, as: team)
            #expect(early.status == .conflict && early.body.string.contains("ne sont pas ouverts"))
            app.clock = .fixed(Self.at("2027-02-01T10:00:00Z"))
            #expect(try await OpenAPITests.conforms(app, v, .POST, path, template: entries, json: body, as: otherTeam).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path, template: entries, json: #"{"temoignageId": "x"}"#, as: team).status == .unprocessableEntity)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path, template: entries, json: body, as: team).status == .created)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path, template: entries, json: body, as: team).status == .conflict)
            #expect(try await ConcoursCandidatureRecord.query(on: app.db).count() == 3)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "concours-candidature").count() == 1)
            // the public sees the entries in the contest only (not the waiting testimony's)
            let publicList = try await OpenAPITests.conforms(app, v, .GET, path, template: entries, as: .anonymous).decoded([ConcoursCandidatureDTO].self)
            #expect(Set(publicList.map(\.id)).contains(contest.entry) && !publicList.map(\.id).contains(contest.waitingEntry) && publicList.count == 2)

            // marks: an académie juror of the campus's académie, during the académie juries
            let jurorLycee = try await Factory.organisation(app.db, nom: "Lycée du juré")
            let jurorUser = try await TestAccounts.user(app, role: .membre, email: "jure@cmq.test", organisation: try jurorLycee.requireID())
            try await ConcoursJureRecord(editionID: editionID, userID: try jurorUser.requireID(), niveau: .academique, academieCode: contest.academie).create(on: app.db)
            let juror = TestIdentity.token(try await TestAccounts.token(for: jurorUser, app))
            let marks = "/api/v1/concours/candidatures/{candidatureId}/notes", markPath = "/api/v1/concours/candidatures/\(contest.entry.lower)/notes"
            app.clock = .fixed(Self.at("2027-03-20T10:00:00Z"))
            #expect(try await OpenAPITests.conforms(app, v, .PUT, markPath, template: marks, json: #"{"notes": {"message": 16, "realisation": 5}}"#, as: team).status == .forbidden)
            #expect(try await OpenAPITests.conforms(app, v, .PUT, markPath, template: marks, json: #"{"notes": {"message": 16, "realisation": 5}}"#, as: .anonymous).status == .unauthorized)
            let outOfRange = try await OpenAPITests.conforms(app, v, .PUT, markPath, template: marks, json: #"{"notes": {"message": 21, "realisation": 5}}"#, as: juror)
            #expect(outOfRange.status == .unprocessableEntity && outOfRange.body.string.contains("La note du critère « Force du message » va de 0 à 20."))
            let huge = try await OpenAPITests.conforms(app, v, .PUT, markPath, template: marks, json: #"{"notes": {"message": 1e300, "realisation": 5}}"#, as: juror)
            #expect(huge.status == .unprocessableEntity)
            #expect(try await ConcoursNoteRecord.query(on: app.db).count() == 0)
            let given = try await OpenAPITests.conforms(app, v, .PUT, markPath, template: marks, json: #"{"notes": {"message": 16, "realisation": 5}}"#, as: juror)
            #expect(given.status == .ok)
            #expect(try given.decoded(ConcoursNotesDTO.self).total == 14.5)

            // the grid no longer changes once marked; the rest of the edition does
            let item = "/api/v1/concours/{editionId}", itemPath = "/api/v1/concours/\(editionID.lower)"
            let current = try await app.send(.GET, itemPath).decoded(ConcoursEditionDTO.self)
            let changedGrid = """
            {"nom": "\(current.nom)", "depotsOuverture": "2027-01-04", "depotsCloture": "2027-03-15", "juryAcademiqueCloture": "2027-04-15",
             "juryNationalCloture": "2027-05-15", "voteOuverture": "2027-04-01", "voteCloture": "2027-05-01", "resultats": "2027-05-20",
             "placesNationales": 1, "grille": [{"code": "message", "libelle": "Message", "poids": 1, "maximum": 20}]}
            """
            let frozen = try await OpenAPITests.conforms(app, v, .PUT, itemPath, template: item, json: changedGrid)
            #expect(frozen.status == .conflict && frozen.body.string.contains("sa grille ne change plus"))
            #expect(try await ConcoursEditionRecord.find(editionID, on: app.db)!.grid.criteria.count == 2)
        }
    }

    @Test("the vote: 201 the first time, 409 in French the second; twelve requests at once keep one; results after their date", arguments: TestDatabase.all)
    func voteAndResults(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let contest = try await ConcoursTests.contest(app)
            let editionID = try contest.edition.requireID()
            let vote = "/api/v1/concours/candidatures/{candidatureId}/vote", path = "/api/v1/concours/candidatures/\(contest.entry.lower)/vote"
            let (_, voter) = try await Self.token(app, "votant@cmq.test")
            app.clock = .fixed(Self.at("2027-03-20T10:00:00Z"))
            let closed = try await OpenAPITests.conforms(app, v, .POST, path, template: vote, as: voter)
            #expect(closed.status == .conflict && closed.body.string.contains("Le vote du public n'est pas ouvert."))
            app.clock = .fixed(Self.at("2027-04-10T10:00:00Z"))
            #expect(try await OpenAPITests.conforms(app, v, .POST, path, template: vote, as: .anonymous).status == .unauthorized)
            #expect(try await OpenAPITests.conforms(app, v, .POST, path, template: vote, as: voter).status == .created)
            let again = try await OpenAPITests.conforms(app, v, .POST, path, template: vote, as: voter)
            #expect(again.status == .conflict && again.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(again.body.string.contains(PublicVoteRules.Refusal.alreadyVoted.message))
            #expect(try await OpenAPITests.conforms(app, v, .POST, "/api/v1/concours/candidatures/\(contest.waitingEntry.lower)/vote", template: vote, as: voter).status == .conflict)
            #expect(try await OpenAPITests.conforms(app, v, .POST, "/api/v1/concours/candidatures/\(UUID().lower)/vote", template: vote, as: voter).status == .notFound)

            // twelve requests of one account at once: one vote kept, the others refused
            let (_, twin) = try await Self.token(app, "double@cmq.test")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for _ in 0..<12 { group.addTask { try await app.send(.POST, path, as: twin).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 11)
            #expect(try await ConcoursVoteRecord.query(on: app.db).count() == 2)

            // results: 409 before their date (but to the administrator), then public
            let results = "/api/v1/concours/{editionId}/resultats", resultsPath = "/api/v1/concours/\(editionID.lower)/resultats"
            #expect(try await OpenAPITests.conforms(app, v, .GET, resultsPath, template: results, as: .anonymous).status == .conflict)
            #expect(try await OpenAPITests.conforms(app, v, .GET, resultsPath, template: results).status == .ok)
            app.clock = .fixed(Self.at("2027-05-20T10:00:00Z"))
            let published = try await OpenAPITests.conforms(app, v, .GET, resultsPath, template: results, as: .anonymous)
            let dto = try published.decoded(ConcoursResultatsDTO.self)
            #expect(dto.categories.first?.prixDuPublic == [contest.entry] && dto.categories.first?.votes[contest.entry.lower] == 2)
        }
    }
}
