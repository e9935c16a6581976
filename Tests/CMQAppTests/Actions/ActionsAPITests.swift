@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// `/api/v1/actions…` and `/api/v1/inscriptions/…`, through HTTP; every answer is checked against the OpenAPI document.
@Suite("Actions: the JSON API")
struct ActionsAPITests {
    static let list = "/api/v1/actions"
    static let one = "/api/v1/actions/{actionId}"

    static func body(campus: UUID?, place: UUID, capacity: Int? = 30, extra: String = "") -> String {
        let registration = capacity.map { #""inscription": "cmq", "capacite": \#($0)"# } ?? #""inscription": "aucune""#
        return """
        {\(campus.map { #""campusId": "\#($0.lower)", "# } ?? "")"titre": "Journée portes ouvertes", "resume": "Découvrez les formations du campus.",
         "description": "## Programme\\nAteliers **plasturgie**.", "type": "portes-ouvertes", "audiences": ["collegiens", "parents"], "niveaux": [3, 4],
         "horaires": [{"debut": "2027-02-13T09:00", "fin": "2027-02-13T17:00"}], "lieuType": "organisation", "organisationLieu": "\(place.lower)",
         "organisateurs": ["\(place.lower)"], "accessibilite": ["moteur"], \(registration)\(extra)}
        """
    }

    @Test("the campus team creates, edits, publishes and withdraws an action; the public finds it by département or postcode only while published", arguments: TestDatabase.all)
    func lifecycle(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let v = try OpenAPIValidator()
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.campus.id)
            // given a draft created by the team
            let created = try await OpenAPITests.conforms(app, v, .POST, Self.list, template: Self.list, json: Self.body(campus: f.campus.id, place: f.lycee.id!), as: team)
            #expect(created.status == .created)
            let action = try created.decoded(JSONValue.self)
            guard case .object(let fields) = action, case .string(let idText)? = fields["id"], let id = UUID(uuidString: idText) else {
                Issue.record("no id in \(created.body.string)"); return
            }
            #expect(created.headers.first(name: .location) == "/api/v1/actions/\(id.lower)")
            #expect(fields["moderation"] == .string("brouillon") && fields["departement"] == .string("80") && fields["filiere"] == .string("materiaux-innovants"))
            #expect(fields["anneeScolaire"] == .string("2026-2027") && fields["placesPrises"] == .number(0))
            let path = "/api/v1/actions/\(id.lower)"
            // then the public does not see it
            _ = try await OpenAPITests.conforms(app, v, .GET, path, template: Self.one, as: .anonymous)
            #expect(try await app.send(.GET, path, as: .anonymous).status == .notFound)
            #expect(try await app.send(.GET, "\(Self.list)?departement=80", as: .anonymous).decoded(JSONValue.self)["total"] == .number(0))
            // when the team changes the title only (the rest stays), then publishes
            let patched = try await OpenAPITests.conforms(app, v, .PATCH, path, template: Self.one, json: #"{"titre": "Portes ouvertes du campus", "niveaux": null}"#, as: team)
            #expect(patched.status == .ok)
            let after = try patched.decoded(JSONValue.self)
            #expect(after["titre"] == .string("Portes ouvertes du campus") && after["niveaux"] == .array([]) && after["capacite"] == .number(30))
            #expect(after["horaires"] == .array([.object(["debut": .string("2027-02-13T09:00"), "fin": .string("2027-02-13T17:00")])]))
            let published = try await OpenAPITests.conforms(app, v, .POST, "\(path)/publication", template: "\(Self.one)/publication", as: team)
            let publishedJSON = try published.decoded(JSONValue.self)
            #expect(published.status == .ok && publishedJSON["moderation"] == .string("publie"))
            let twice = try await OpenAPITests.conforms(app, v, .POST, "\(path)/publication", template: "\(Self.one)/publication", as: team)
            #expect(twice.status == .conflict && twice.problem?.detail == "Cette action est déjà à l'état « publié ».")
            // then the public reads it and finds it by département and by postcode, not elsewhere
            let read = try await OpenAPITests.conforms(app, v, .GET, path, template: Self.one, as: .anonymous)
            let readJSON = try read.decoded(JSONValue.self)
            #expect(read.status == .ok && readJSON["titre"] == .string("Portes ouvertes du campus"))
            for query in ["departement=80", "cp=80000", "region=32&public=parents&type=portes-ouvertes&du=2027-02-13&au=2027-02-13", "enLigne=false"] {
                let page = try await OpenAPITests.conforms(app, v, .GET, "\(Self.list)?\(query)", template: Self.list, as: .anonymous)
                #expect(try page.decoded(JSONValue.self)["total"] == .number(1), "\(query)")
            }
            for query in ["departement=02", "public=entreprises", "enLigne=true", "archives=true", "du=2027-02-14"] {
                #expect(try await app.send(.GET, "\(Self.list)?\(query)", as: .anonymous).decoded(JSONValue.self)["total"] == .number(0), "\(query)")
            }
            // a past published action is in the archive
            app.clock = .fixed(ISO8601DateFormatter().date(from: "2027-03-01T10:00:00Z")!)
            #expect(try await app.send(.GET, "\(Self.list)?archives=true", as: .anonymous).decoded(JSONValue.self)["total"] == .number(1))
            app.clock = .fixed(ActionFixture.now)
            // withdrawn: gone for the public again
            let withdrawn = try await OpenAPITests.conforms(app, v, .POST, "\(path)/retrait", template: "\(Self.one)/retrait", as: team)
            #expect(withdrawn.status == .ok)
            #expect(try await app.send(.GET, path, as: .anonymous).status == .notFound)
            // the copy for next year: a new draft, a year later, same weekday
            let copy = try await OpenAPITests.conforms(app, v, .POST, "\(path)/duplicata", template: "\(Self.one)/duplicata", as: team)
            #expect(copy.status == .created)
            let copied = try copy.decoded(JSONValue.self)
            #expect(copied["moderation"] == .string("brouillon") && copied["horaires"] == .array([.object(["debut": .string("2028-02-12T09:00"), "fin": .string("2028-02-12T17:00")])]))
            let shifted = try await OpenAPITests.conforms(app, v, .POST, "\(path)/duplicata", template: "\(Self.one)/duplicata", json: #"{"jours": 7}"#, as: team)
            #expect(try shifted.decoded(JSONValue.self)["anneeScolaire"] == .string("2026-2027"))
            #expect(try await ActionRecord.query(on: app.db).count() == 3)
        }
    }

    @Test("bad input gets a French problem+json naming each field, and nothing is written; rights are the back-office's", arguments: TestDatabase.all)
    func refusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let v = try OpenAPIValidator()
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.campus.id)
            // missing, mistyped, unknown and out-of-rule fields
            let bad = try await OpenAPITests.conforms(app, v, .POST, Self.list, template: Self.list, json: """
                {"campusId": "\(f.campus.id!.lower)", "titre": "", "resume": 3, "type": "fete", "audiences": ["martiens"], "niveaux": [2],
                 "horaires": [{"debut": "2027-02-13T09:00", "fin": "2027-02-14T10:00"}, {"debut": "demain"}], "lieuType": "organisation",
                 "inscription": "cmq", "couleur": "bleu"}
                """, as: team)
            #expect(bad.status == .unprocessableEntity && bad.isProblemJSON)
            #expect(Set(bad.faultyFields) == ["resume", "type", "audiences", "niveaux", "horaires[1].fin", "organisationLieu", "capacite", "couleur"])
            #expect(bad.problem?.errors?.first { $0.field == "couleur" }?.detail == "Le champ « couleur » n'existe pas pour cette ressource.")
            // the domain's rules, once the shape is right: timing over 24 h, an organiser outside the network
            let rules = try await OpenAPITests.conforms(app, v, .POST, Self.list, template: Self.list, json: Self.body(campus: f.campus.id, place: f.outsider.id!)
                .replacingOccurrences(of: "2027-02-13T17:00", with: "2027-02-14T10:00"), as: team)
            #expect(Set(rules.faultyFields) == ["horaires", "organisateurs", "organisationLieu"])
            _ = try await OpenAPITests.conforms(app, v, .POST, Self.list, template: Self.list, json: "[1]", as: team)
            // rights: nobody signed in, another campus's team, a région
            #expect(try await OpenAPITests.conforms(app, v, .POST, Self.list, template: Self.list, json: Self.body(campus: f.campus.id, place: f.lycee.id!), as: .anonymous).status == .unauthorized)
            let otherTeam = try await TestAccounts.identity(app, .equipeCampus, campus: f.otherCampus.id)
            #expect(try await OpenAPITests.conforms(app, v, .POST, Self.list, template: Self.list, json: Self.body(campus: f.campus.id, place: f.lycee.id!), as: otherTeam).status == .forbidden)
            #expect(try await ActionRecord.query(on: app.db).count() == 0)
            // an action of the team: a PATCH with a field cmq writes, or by another campus's team, changes nothing
            let created = try await app.send(.POST, Self.list, json: Self.body(campus: f.campus.id, place: f.lycee.id!), as: team)
            let id = try #require(UUID(uuidString: try created.decoded(ActionIDOnly.self).id))
            let path = "/api/v1/actions/\(id.lower)"
            let readOnly = try await OpenAPITests.conforms(app, v, .PATCH, path, template: Self.one, json: #"{"moderation": "publie", "capacite": 0}"#, as: team)
            #expect(Set(readOnly.faultyFields) == ["moderation", "capacite"])
            #expect(try await OpenAPITests.conforms(app, v, .PATCH, path, template: Self.one, json: #"{"titre": "Pirate"}"#, as: otherTeam).status == .notFound)
            let region = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            #expect(try await OpenAPITests.conforms(app, v, .GET, path, template: Self.one, as: region).status == .ok)
            #expect(try await OpenAPITests.conforms(app, v, .POST, "\(path)/publication", template: "\(Self.one)/publication", as: region).status == .forbidden)
            #expect(try await ActionRecord.find(id, on: app.db)?.titre == "Journée portes ouvertes")
            #expect(try await ActionRecord.find(id, on: app.db)?.moderation == .brouillon)
            // the list's filters and pages are bounded
            let badList = try await OpenAPITests.conforms(app, v, .GET, "\(Self.list)?cp=8000&du=2027-02-10&au=2027-02-01&per=101&archives=peut-etre", template: Self.list, as: .anonymous)
            #expect(Set(badList.faultyFields) == ["cp", "au", "per", "archives"])
            #expect(try await app.send(.GET, "/api/v1/actions/pas-un-uuid", as: .anonymous).status == .notFound)
        }
    }

    struct ActionIDOnly: Decodable { var id: String }

    @Test("the formations the API attaches stay when the team edits the action by the back-office form; a PATCH clears them", arguments: TestDatabase.all)
    func formationsKeptByTheForm(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.campus.id)
            let formation = try await app.send(.POST, "/api/v1/formations", json: FormationsAPITests.body(f.lycee)).decoded(ActionIDOnly.self).id
            let created = try await app.send(.POST, Self.list, json: Self.body(campus: f.campus.id, place: f.lycee.id!, extra: #", "formations": ["\#(formation)"]"#), as: team)
            #expect(created.status == .created)
            let id = try #require(UUID(uuidString: try created.decoded(ActionIDOnly.self).id))
            #expect(try await ActionFormationRecord.query(on: app.db).filter(\.$action.$id == id).count() == 1)
            // when the team changes the title by the form
            let edited = try await app.submit(ActionsURL.edit(id).path, ActionManagementTests().form(f), as: team)
            #expect(edited.status == .seeOther)
            // then the title changed and the formation is still attached
            #expect(try await ActionRecord.find(id, on: app.db)?.titre == "Mercredi découverte des métiers")
            #expect(try await ActionFormationRecord.query(on: app.db).filter(\.$action.$id == id).count() == 1)
            let cleared = try await app.send(.PATCH, "/api/v1/actions/\(id.lower)", json: #"{"formations": []}"#, as: team)
            let clearedJSON = try cleared.decoded(JSONValue.self)
            #expect(cleared.status == .ok && clearedJSON["formations"] == .array([]))
            #expect(try await ActionFormationRecord.query(on: app.db).filter(\.$action.$id == id).count() == 0)
        }
    }

    @Test("registration without an account: places then waiting list, a confirmation e-mail with the cancellation link, cancellation by the link's secret moves the next one up and tells them", arguments: TestDatabase.all)
    func registration(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let v = try OpenAPIValidator()
            let action = try await f.published(app, capacity: 4)
            let id = action.record.id!
            let path = "/api/v1/actions/\(id.lower)/inscriptions"
            let template = "\(Self.one)/inscriptions"
            func register(_ name: String, _ email: String, people: Int) async throws -> TestingHTTPResponse {
                try await OpenAPITests.conforms(app, v, .POST, path, template: template,
                                                json: #"{"nom": "\#(name)", "courriel": "\#(email)", "categorie": "parent", "personnes": \#(people)}"#, as: .anonymous)
            }
            // given two families: the first takes 3 of the 4 places, the second (2 people) waits
            let martin = try await register("Famille Martin", "Martin@Example.fr", people: 3)
            #expect(martin.status == .created)
            let first = try martin.decoded(OwnRegistrationDTO.self)
            #expect(first.etat == .inscrit && first.jeton?.hasPrefix("ins_") == true && first.lienAnnulation == "/actions/inscriptions/\(first.jeton ?? "")")
            #expect(martin.headers.first(name: .location) == "/api/v1/inscriptions/\(first.jeton ?? "")")
            app.clock = .fixed(ActionFixture.now.addingTimeInterval(60))
            let durand = try await register("Famille Durand", "durand@example.fr", people: 2)
            #expect(try durand.decoded(OwnRegistrationDTO.self).etat == .enAttente)
            // then each got a confirmation in the outbox, with its own cancellation link
            let mails = try await OutboxMessage.query(on: app.db).filter(\.$kind == RegistrationMail.kind).sort(\.$createdAt).all()
            #expect(mails.map(\.recipient) == ["martin@example.fr", "durand@example.fr"])
            #expect(mails.map(\.subject) == ["Inscription confirmée : Journée portes ouvertes", "Liste d'attente : Journée portes ouvertes"])
            #expect(mails[0].text.contains("Bonjour Famille Martin") && mails[0].text.contains("/actions/inscriptions/\(first.jeton ?? "")"))
            #expect(mails[0].text.contains("samedi 13 février 2027 de 09:00 à 17:00") && mails[0].html.contains("Annuler mon inscription"))
            // the registration seen by its secret: state, never the name
            let mine = try await OpenAPITests.conforms(app, v, .GET, "/api/v1/inscriptions/\(first.jeton ?? "")", template: "/api/v1/inscriptions/{jeton}", as: .anonymous)
            #expect(mine.status == .ok && !mine.body.string.contains("Martin") && !mine.body.string.contains("jeton"))
            // the organiser sees the list; the public does not
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.campus.id)
            let listed = try await OpenAPITests.conforms(app, v, .GET, "\(path)?per=1&page=2", template: template, as: team)
            #expect(try listed.decoded(JSONValue.self)["total"] == .number(2))
            #expect(listed.body.string.contains("durand@example.fr") && !listed.body.string.contains("martin@example.fr"))
            #expect(try await OpenAPITests.conforms(app, v, .GET, path, template: template, as: .anonymous).status == .unauthorized)
            // when Martin cancels by the secret, Durand moves up and is told, with a new link that works
            let cancelled = try await OpenAPITests.conforms(app, v, .DELETE, "/api/v1/inscriptions/\(first.jeton ?? "")", template: "/api/v1/inscriptions/{jeton}", as: .anonymous)
            #expect(cancelled.status == .noContent)
            let again = try await OpenAPITests.conforms(app, v, .DELETE, "/api/v1/inscriptions/\(first.jeton ?? "")", template: "/api/v1/inscriptions/{jeton}", as: .anonymous)
            #expect(again.status == .conflict)
            let promoted = try #require(try await OutboxMessage.query(on: app.db).filter(\.$kind == RegistrationMail.kind).filter(\.$recipient == "durand@example.fr")
                .filter(\.$subject == "Une place s'est libérée : Journée portes ouvertes").first())
            #expect(promoted.text.contains("Ce lien remplace celui du courriel précédent."))
            let link = try #require(promoted.text.split(separator: "\n").first { $0.contains("/actions/inscriptions/ins_") })
            let newToken = String(link.split(separator: "/").last ?? "")
            let durandNow = try await app.send(.GET, "/api/v1/inscriptions/\(newToken)", as: .anonymous)
            #expect(try durandNow.decoded(OwnRegistrationDTO.self).etat == .inscrit)
            #expect(try await ActionRecord.find(id, on: app.db)?.placesPrises == 2)
            // refusals: bad fields, an unknown secret, an action not open for registration
            let bad = try await OpenAPITests.conforms(app, v, .POST, path, template: template, json: #"{"nom": "", "courriel": "x@example.fr", "categorie": "martien", "personnes": 50}"#, as: .anonymous)
            #expect(Set(bad.faultyFields) == ["nom", "categorie", "personnes"])
            #expect(try await OpenAPITests.conforms(app, v, .GET, "/api/v1/inscriptions/ins_inconnu", template: "/api/v1/inscriptions/{jeton}", as: .anonymous).status == .notFound)
            let noRegistration = try await f.published(app, capacity: nil)
            let closed = try await OpenAPITests.conforms(app, v, .POST, "/api/v1/actions/\(noRegistration.record.id!.lower)/inscriptions", template: template,
                                                         json: #"{"nom": "Léa", "courriel": "lea@example.fr", "categorie": "eleve", "personnes": 1}"#, as: .anonymous)
            #expect(closed.status == .conflict && closed.problem?.detail == "Cette action ne prend pas d'inscription sur cmq.")
            #expect(try await InscriptionRecord.query(on: app.db).count() == 2)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$kind == RegistrationMail.kind).count() == 3)
        }
    }

    @Test("the participation is recorded through the API once the action has started, and only its organisers see it", arguments: TestDatabase.all)
    func participation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.clock = .fixed(ActionFixture.now)
            let f = try await ActionFixture.make(app)
            let v = try OpenAPIValidator()
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: f.campus.id)
            let action = try await f.published(app)
            let path = "/api/v1/actions/\(action.record.id!.lower)/participation"
            let template = "\(Self.one)/participation"
            let json = #"{"participants": {"collegiens": 120, "parents": 45}, "etablissements": ["Collège Jules Verne"], "entreprises": [], "bilan": "Belle affluence."}"#
            let early = try await OpenAPITests.conforms(app, v, .PUT, path, template: template, json: json, as: team)
            #expect(early.status == .unprocessableEntity && early.faultyFields == ["participation"])
            app.clock = .fixed(ISO8601DateFormatter().date(from: "2027-02-14T10:00:00Z")!)
            let wrong = try await OpenAPITests.conforms(app, v, .PUT, path, template: template, json: #"{"participants": {"martiens": 3, "parents": -1}}"#, as: team)
            #expect(Set(wrong.faultyFields) == ["participants.martiens"])
            let negative = try await OpenAPITests.conforms(app, v, .PUT, path, template: template, json: #"{"participants": {"parents": -1}}"#, as: team)
            #expect(negative.faultyFields == ["participants.parents"])
            #expect(try await OpenAPITests.conforms(app, v, .PUT, path, template: template, json: json, as: .anonymous).status == .unauthorized)
            let recorded = try await OpenAPITests.conforms(app, v, .PUT, path, template: template, json: json, as: team)
            #expect(recorded.status == .ok)
            let participation = try recorded.decoded(JSONValue.self)["participation"]
            #expect(participation?["total"] == .number(165) && participation?["participants"]?["collegiens"] == .number(120))
            #expect(try await ActionRecord.find(action.record.id, on: app.db)?.participantsTotal == 165)
            let seen = try await app.send(.GET, "/api/v1/actions/\(action.record.id!.lower)", as: .anonymous).decoded(JSONValue.self)
            #expect(seen["participation"] == .null)
        }
    }
}

private extension JSONValue {
    /// A member of an object (nil for anything else).
    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }
}
