@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// A platform's page tells whoever cannot book it yet who may, how to get an account and whom to ask.
@Suite("How to get access to a platform")
struct PlateauAccessTests {
    @Test("a visitor and a company see who may book, the access request and the contacts; a member who books does not", arguments: TestDatabase.all)
    func access(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let opened = try await app.send(.PATCH, "/api/v1/plateaux/\(f.plateauID.lower)", json: #"{"regles": {"validation": true, "preavisHeures": 24, "dureeMaximaleMinutes": 480, "ouvertA": ["membres-campus", "entreprises"]}}"#, as: f.owner)
            #expect(opened.status == .ok, "\(opened.body.string)")
            try await TeamMember(campusID: f.campus.requireID(), nom: "Anne Martin", role: .animateur, email: "anne.martin@ac-amiens.fr", position: 0)
                .create(on: app.db)
            let page = "/plateaux/\(f.plateauID.lower)"
            let visitor = try await app.send(.GET, page, as: .anonymous).body.string
            #expect(visitor.contains("Pour réserver ce plateau"))
            #expect(visitor.contains("Les entreprises peuvent réserver ce plateau"))
            #expect(visitor.contains(#"<a href="/connexion/demande-acces">formulaire de demande d"#))
            #expect(visitor.contains("Lycée Jean Moulin") && visitor.contains(#"href="mailto:anne.martin@ac-amiens.fr""#))
            let booker = try await app.send(.GET, page, as: f.booker).body.string
            #expect(!booker.contains("Pour réserver ce plateau"))
        }
    }

    @Test("a platform closed to companies says so", arguments: TestDatabase.all)
    func closed(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let visitor = try await app.send(.GET, "/plateaux/\(f.plateauID.lower)", as: .anonymous).body.string
            #expect(visitor.contains("Ce plateau est réservé aux organisations du réseau du campus."))
        }
    }
}
