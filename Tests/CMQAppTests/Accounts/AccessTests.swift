@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// For each role and each area, an allowed and a refused action through HTTP; a refusal writes nothing.
@Suite("Rights of each role")
struct AccessTests {
    /// A campus in Hauts-de-France with a lycée in its network, and one in Pays de la Loire.
    struct World {
        let hdf: Campus
        let pdl: Campus
        let lycee: Organisation
        let other: Organisation
    }

    static func world(_ app: Application) async throws -> World {
        let hdf = try await Factory.campus(app.db, nom: "Métallurgie et plasturgie", academie: "20", region: "32")
        let pdl = try await Factory.campus(app.db, nom: "Aéronautique", filiere: "mobilite-aeronautique-transports", academie: "17", region: "52")
        let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A")
        let other = try await Factory.organisation(app.db, nom: "Lycée Aristide Briand", uai: "0440069L")
        try await Factory.membership(app.db, campus: hdf, organisation: lycee, role: .etablissementSupport)
        try await Factory.membership(app.db, campus: pdl, organisation: other, role: .etablissementSupport)
        return World(hdf: hdf, pdl: pdl, lycee: lycee, other: other)
    }

    /// Row counts of every registry table, to check that a refusal wrote nothing.
    static func counts(_ app: Application) async throws -> [Int] {
        [try await Campus.query(on: app.db).count(), try await Organisation.query(on: app.db).count(),
         try await Membership.query(on: app.db).count(), try await TeamMember.query(on: app.db).count(),
         try await AuditEntry.query(on: app.db).count()]
    }

    static let newCampus = #"{"nom": "Nouveau campus", "filiere": "numerique-telecommunications", "academie": "%@"}"#

    @Test("the public: reads allowed; every write 401 with nothing written", arguments: TestDatabase.all)
    func anonymous(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await Self.world(app)
            #expect(try await app.send(.GET, "/api/v1/campus/\(w.hdf.id!.lower)", as: .anonymous).status == .ok)
            let before = try await Self.counts(app)
            for (method, path, body) in [
                (HTTPMethod.POST, "/api/v1/campus", String(format: Self.newCampus, "20")),
                (.PATCH, "/api/v1/campus/\(w.hdf.id!.lower)", #"{"nom": "X"}"#),
                (.DELETE, "/api/v1/campus/\(w.hdf.id!.lower)", nil),
                (.POST, "/api/v1/organisations", #"{"nom": "X", "type": "entreprise"}"#),
                (.DELETE, "/api/v1/campus/\(w.hdf.id!.lower)/membres/\(UUID().lower)", nil),
            ] as [(HTTPMethod, String, String?)] {
                let response = try await app.send(method, path, json: body, as: .anonymous)
                #expect(response.status == .unauthorized, "\(method) \(path)")
                #expect(response.isProblemJSON)
                #expect(response.problem?.detail == "Vous devez vous connecter pour faire cela.")
                #expect(response.headers.first(name: .wwwAuthenticate) == #"Bearer realm="cmq""#)
            }
            #expect(try await Self.counts(app) == before)
            // public pages offer no back-office links to the public
            let page = try await app.send(.GET, "/campus/\(w.hdf.id!.lower)", as: .anonymous).body.string
            #expect(!page.contains("/gestion/campus/\(w.hdf.id!.lower)/modifier"))
            #expect(try await app.send(.GET, "/campus/\(w.hdf.id!.lower)").body.string.contains("/gestion/campus/\(w.hdf.id!.lower)/modifier"))
            // the back-office sends the visitor to the sign-in page
            let form = try await app.send(.GET, "/gestion/campus/nouveau", as: .anonymous)
            #expect(form.status == .seeOther)
            #expect(form.headers.first(name: .location) == "/connexion?retour=/gestion/campus/nouveau")
            #expect(try await app.send(.GET, "/gestion/journal", as: .anonymous).status == .seeOther)
        }
    }

    @Test("a région académique: its campuses yes, another région's no", arguments: TestDatabase.all)
    func region(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await Self.world(app)
            let hdf = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            #expect(try await app.send(.POST, "/api/v1/campus", json: String(format: Self.newCampus, "09"), as: hdf).status == .created)
            #expect(try await app.send(.PATCH, "/api/v1/campus/\(w.hdf.id!.lower)", json: #"{"description": "Mis à jour"}"#, as: hdf).status == .ok)
            let before = try await Self.counts(app)
            let refused = [
                try await app.send(.POST, "/api/v1/campus", json: String(format: Self.newCampus, "17"), as: hdf),
                try await app.send(.PATCH, "/api/v1/campus/\(w.pdl.id!.lower)", json: #"{"nom": "Pris"}"#, as: hdf),
                try await app.send(.PATCH, "/api/v1/campus/\(w.hdf.id!.lower)", json: #"{"academie": "17"}"#, as: hdf),
                try await app.send(.DELETE, "/api/v1/campus/\(w.pdl.id!.lower)", as: hdf),
                try await app.send(.PATCH, "/api/v1/organisations/\(w.other.id!.lower)", json: #"{"nom": "Pris"}"#, as: hdf),
                try await app.send(.GET, "/gestion/journal", as: hdf),
            ]
            for response in refused { #expect(response.status == .forbidden) }
            #expect(refused[1].problem?.detail == "Ce campus n'appartient pas à votre région académique.")
            #expect(try await Self.counts(app) == before)
            #expect(try await Campus.find(w.pdl.id, on: app.db)?.nom == "Aéronautique")
        }
    }

    @Test("a campus team: its campus and network yes; another campus, deletion and creation no", arguments: TestDatabase.all)
    func team(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await Self.world(app)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: w.hdf.id)
            let company = try await Factory.organisation(app.db, nom: "Valeo", kind: "entreprise", isPublic: false)
            #expect(try await app.send(.PATCH, "/api/v1/campus/\(w.hdf.id!.lower)", json: #"{"description": "Notre campus"}"#, as: team).status == .ok)
            #expect(try await app.send(.POST, "/api/v1/campus/\(w.hdf.id!.lower)/membres", json: #"{"organisationId": "\#(company.id!.lower)", "role": "partenaire"}"#, as: team).status == .created)
            #expect(try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "Arkema", "type": "entreprise"}"#, as: team).status == .created)
            let before = try await Self.counts(app)
            for response in [
                try await app.send(.PATCH, "/api/v1/campus/\(w.pdl.id!.lower)", json: #"{"description": "Pris"}"#, as: team),
                try await app.send(.DELETE, "/api/v1/campus/\(w.hdf.id!.lower)", as: team),
                try await app.send(.POST, "/api/v1/campus", json: String(format: Self.newCampus, "20"), as: team),
                try await app.send(.POST, "/api/v1/campus/\(w.pdl.id!.lower)/membres", json: #"{"organisationId": "\#(company.id!.lower)", "role": "partenaire"}"#, as: team),
                try await app.send(.PATCH, "/api/v1/organisations/\(w.lycee.id!.lower)", json: #"{"nom": "Pris"}"#, as: team),
                try await app.send(.GET, "/gestion/campus/\(w.pdl.id!.lower)/modifier", as: team),
            ] {
                #expect(response.status == .forbidden)
            }
            #expect(try await Self.counts(app) == before)
        }
    }

    @Test("a member: its organisation yes; another organisation or a campus no", arguments: TestDatabase.all)
    func member(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await Self.world(app)
            let member = try await TestAccounts.identity(app, .membre, organisation: w.lycee.id)
            #expect(try await app.send(.PATCH, "/api/v1/organisations/\(w.lycee.id!.lower)", json: #"{"siteWeb": "https://condorcet.example.org"}"#, as: member).status == .ok)
            let before = try await Self.counts(app)
            for response in [
                try await app.send(.PATCH, "/api/v1/organisations/\(w.other.id!.lower)", json: #"{"nom": "Pris"}"#, as: member),
                try await app.send(.DELETE, "/api/v1/organisations/\(w.lycee.id!.lower)", as: member),
                try await app.send(.PATCH, "/api/v1/campus/\(w.hdf.id!.lower)", json: #"{"nom": "Pris"}"#, as: member),
                try await app.send(.POST, "/api/v1/organisations", json: #"{"nom": "X", "type": "entreprise"}"#, as: member),
            ] {
                #expect(response.status == .forbidden)
            }
            #expect(try await Self.counts(app) == before)
        }
    }

    @Test("an instance: reads yes, registry writes no", arguments: TestDatabase.all)
    func instance(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await Self.world(app)
            let caen = try await TestAccounts.identity(app, .instance, instance: .caen)
            #expect(try await app.send(.GET, "/api/v1/campus/\(w.hdf.id!.lower)/conformite", as: caen).status == .ok)
            let before = try await Self.counts(app)
            let refused = try await app.send(.PATCH, "/api/v1/campus/\(w.hdf.id!.lower)", json: #"{"nom": "Pris"}"#, as: caen)
            #expect(refused.status == .forbidden)
            #expect(refused.problem?.detail.contains("ne modifient pas le registre") == true)
            #expect(try await Self.counts(app) == before)
        }
    }

    @Test("the national administrator: everything, including the audit trail", arguments: TestDatabase.all)
    func national(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await Self.world(app)
            #expect(try await app.send(.PATCH, "/api/v1/campus/\(w.pdl.id!.lower)", json: #"{"description": "Vu par l'administration"}"#).status == .ok)
            let journal = try await app.send(.GET, "/gestion/journal")
            #expect(journal.status == .ok)
            #expect(journal.body.string.contains("Vu par l&#39;administration"))
        }
    }

    @Test("the back-office applies the same rules as the API", arguments: TestDatabase.all)
    func backOffice(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await Self.world(app)
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: w.hdf.id)
            #expect(try await app.send(.GET, "/gestion/campus/\(w.hdf.id!.lower)/modifier", as: team).status == .ok)
            #expect(try await app.send(.GET, "/gestion/campus/nouveau", as: team).status == .forbidden)
            let before = try await Self.counts(app)
            let post = try await app.submit("/gestion/campus/\(w.pdl.id!.lower)/supprimer", [], as: team)
            #expect(post.status == .forbidden)
            #expect(try await Self.counts(app) == before)
        }
    }
}
