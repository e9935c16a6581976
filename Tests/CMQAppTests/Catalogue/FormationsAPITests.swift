@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("API: formations, a campus's offer and coverage")
struct FormationsAPITests {
    static func body(_ organisation: Organisation, _ extra: String = "") -> String {
        """
        {"intitule": "Plastiques et composites", "organisationId": "\(organisation.id!.lower)", "filiere": "materiaux-innovants",
         "typeDiplome": "bac-pro", "niveauEntree": 3, "cfd": "40025214", "rncp": "35191", "romes": ["H3202"],
         "duree": "3 ans", "statuts": ["scolaire", "apprenti"], "datesDebut": ["2026-09-01"]\(extra)}
        """
    }

    @Test("create, read, update and delete a formation; the exit level follows the diploma type", arguments: TestDatabase.all)
    func crud(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A")
            let created = try await app.send(.POST, "/api/v1/formations", json: Self.body(lycee))
            #expect(created.status == .created)
            let formation = try created.decoded(FormationDTO.self)
            #expect(formation.niveauSortie == 4 && formation.niveauEntree == 3)
            #expect(formation.rncp == "RNCP35191" && formation.romes == ["H3202"])
            #expect(formation.statuts == ["apprenti", "scolaire"])
            #expect(formation.organisation.uai == "0020079A")
            let patched = try await app.send(.PATCH, "/api/v1/formations/\(formation.id.lower)", json: #"{"statuts": ["scolaire"], "capacite": 24}"#)
            #expect(patched.status == .ok)
            #expect(try patched.decoded(FormationDTO.self).statuts == ["scolaire"])
            #expect(try await FormationStatut.query(on: app.db).count() == 1)
            let list = try await app.send(.GET, "/api/v1/formations?statut=scolaire&niveau=4").decoded(PageDTO<FormationDTO>.self)
            #expect(list.total == 1)
            #expect(try await app.send(.GET, "/api/v1/formations?statut=apprenti").decoded(PageDTO<FormationDTO>.self).total == 0)
            // an organisation that gives formations cannot be deleted
            #expect(try await app.send(.DELETE, "/api/v1/organisations/\(lycee.id!.lower)").status == .conflict)
            #expect(try await app.send(.DELETE, "/api/v1/formations/\(formation.id.lower)").status == .noContent)
            #expect(try await Formation.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "formation").count() == 3)
        }
    }

    @Test("bad fields are all listed, nothing is written", arguments: TestDatabase.all)
    func validation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await Factory.organisation(app.db)
            let response = try await app.send(.POST, "/api/v1/formations", json: """
                {"intitule": "", "organisationId": "\(lycee.id!.lower)", "niveauEntree": 6, "niveauSortie": 4, "cfd": "123",
                 "rncp": "RNCPX", "romes": ["H32"], "statuts": ["touriste"], "modalite": "par correspondance", "datesDebut": ["septembre"]}
                """)
            #expect(response.status == .unprocessableEntity)
            #expect(Set(response.faultyFields) == ["intitule", "niveauEntree", "cfd", "rncp", "romes[0]", "statuts[0]", "modalite", "datesDebut[0]"])
            let noLevel = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "X", "organisationId": "\#(lycee.id!.lower)", "statuts": ["scolaire"]}"#)
            #expect(noLevel.faultyFields == ["niveauSortie"])
            let unknown = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "X", "organisationId": "\#(UUID().lower)", "niveauSortie": 3, "statuts": ["scolaire"]}"#)
            #expect(unknown.faultyFields == ["organisationId"])
            #expect(try await Formation.query(on: app.db).count() == 0)
        }
    }

    @Test("a campus's offer: its members' formations of its filière, plus attached ones; the coverage names the gaps", arguments: TestDatabase.all)
    func offerAndCoverage(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db, filiere: "materiaux-innovants")
            let base = "/api/v1/campus/\(campus.id!.lower)"
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A")
            let outsider = try await Factory.organisation(app.db, nom: "Lycée hôtelier", uai: "0010001W")
            try await Factory.membership(app.db, campus: campus, organisation: lycee, role: .etablissementSupport)
            func create(_ json: String) async throws -> FormationDTO {
                try await app.send(.POST, "/api/v1/formations", json: json).decoded(FormationDTO.self)
            }
            _ = try await create(#"{"intitule": "Plasturgie", "organisationId": "\#(lycee.id!.lower)", "filiere": "materiaux-innovants", "typeDiplome": "cap", "statuts": ["scolaire"]}"#)
            _ = try await create(#"{"intitule": "Cuisine", "organisationId": "\#(lycee.id!.lower)", "filiere": "tourisme-gastronomie", "typeDiplome": "cap", "statuts": ["scolaire"]}"#)
            let bts = try await create(#"{"intitule": "Europlastics et composites", "organisationId": "\#(outsider.id!.lower)", "typeDiplome": "bts", "statuts": ["apprenti"]}"#)

            var offer = try await app.send(.GET, "\(base)/offre").decoded([FormationDTO].self)
            #expect(offer.map(\.intitule) == ["Plasturgie"])
            #expect(try await app.send(.POST, "\(base)/formations", json: #"{"formationId": "\#(bts.id.lower)"}"#).status == .created)
            #expect(try await app.send(.POST, "\(base)/formations", json: #"{"formationId": "\#(bts.id.lower)"}"#).status == .conflict)
            offer = try await app.send(.GET, "\(base)/offre").decoded([FormationDTO].self)
            #expect(offer.map(\.intitule) == ["Plasturgie", "Europlastics et composites"])

            let coverage = try await app.send(.GET, "\(base)/couverture").decoded(CoverageDTO.self)
            #expect(coverage.nombreFormations == 2 && !coverage.offreNiveau3A6)
            #expect(coverage.niveaux.first { $0.niveau == 5 }?.statuts.first { $0.statut == "apprenti" }?.nombre == 1)
            #expect(coverage.lacunes.contains("aucune formation de niveau 3 en apprentissage"))
            #expect(coverage.lacunes.contains("aucune formation de niveau 4"))
            let compliance = try await app.send(.GET, "\(base)/conformite").decoded(ComplianceDTO.self)
            #expect(compliance.controles.last?.explication == "L'offre ne compte aucune formation des niveaux 4 et 6 : elle doit aller du niveau 3 (CAP) au niveau 6 au moins.")

            #expect(try await app.send(.DELETE, "\(base)/formations/\(bts.id.lower)").status == .noContent)
            #expect(try await app.send(.DELETE, "\(base)/formations/\(bts.id.lower)").status == .notFound)
            let html = try await app.send(.GET, "/campus/\(campus.id!.lower)").body.string
            #expect(html.contains("L'offre de formation") && html.contains("Plasturgie"))
        }
    }

    @Test("rights: a member manages its own formations, not another's; the public writes nothing", arguments: TestDatabase.all)
    func rights(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A")
            let other = try await Factory.organisation(app.db, nom: "Autre lycée", uai: "0010001W")
            let member = try await TestAccounts.identity(app, .membre, organisation: lycee.id)
            #expect(try await app.send(.POST, "/api/v1/formations", json: Self.body(lycee), as: member).status == .created)
            #expect(try await app.send(.POST, "/api/v1/formations", json: Self.body(other), as: member).status == .forbidden)
            #expect(try await app.send(.POST, "/api/v1/formations", json: Self.body(other), as: .anonymous).status == .unauthorized)
            #expect(try await Formation.query(on: app.db).count() == 1)
        }
    }
}
