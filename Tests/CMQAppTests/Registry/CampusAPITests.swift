@testable import CMQApp
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("API: /api/v1/campus")
struct CampusAPITests {
    static let validCampus = """
        {"nom": "Métallurgie et plasturgie", "filiere": "materiaux-innovants", "academie": "20",
         "description": "Le campus du lycée Condorcet de Saint-Quentin.", "formeJuridique": "etablissement-budget-propre",
         "dateCreation": "2013-09-01", "siteWeb": "https://example.org/cmq",
         "equipe": [{"nom": "Stéphane Andurand", "role": "animateur", "email": "stephane.andurand@ac-amiens.fr"}]}
        """

    @Test("create, read, update and delete a campus with its team", arguments: TestDatabase.all)
    func crud(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // when
            let created = try await app.send(.POST, "/api/v1/campus", json: Self.validCampus)
            // then
            #expect(created.status == .created)
            let campus = try created.decoded(CampusDTO.self)
            #expect(created.headers.first(name: .location) == "/api/v1/campus/\(campus.id.lower)")
            #expect(campus.filiereLibelle == "Matériaux, matériaux innovants")
            #expect(campus.academieNom == "Amiens")
            #expect(campus.region == "32" && campus.regionNom == "Hauts-de-France")
            #expect(campus.equipe?.map(\.nom) == ["Stéphane Andurand"])
            #expect(campus.equipe?.first?.roleLibelle == "Animateur ou animatrice")

            // when: the académie is given by name, the team replaced, the description cleared
            let patched = try await app.send(.PATCH, "/api/v1/campus/\(campus.id.lower)", json: """
                {"academie": "Lille", "description": null,
                 "equipe": [{"nom": "A. Martin", "role": "directeur-operationnel"}, {"nom": "B. Durand", "role": "animateur"}]}
                """)
            #expect(patched.status == .ok)
            let after = try patched.decoded(CampusDTO.self)
            #expect(after.academie == "09" && after.region == "32")
            #expect(after.description == nil)
            #expect(after.nom == "Métallurgie et plasturgie")
            #expect(after.equipe?.map(\.role) == ["directeur-operationnel", "animateur"])
            #expect(try await TeamMember.query(on: app.db).count() == 2)

            let fetched = try await app.send(.GET, "/api/v1/campus/\(campus.id.lower)").decoded(CampusDTO.self)
            #expect(fetched.equipe?.count == 2)

            // when: deleted, its team and memberships go with it, its organisations stay
            let lycee = try await Factory.organisation(app.db)
            try await Factory.membership(app.db, campus: try #require(try await Campus.find(campus.id, on: app.db)), organisation: lycee)
            #expect(try await app.send(.DELETE, "/api/v1/campus/\(campus.id.lower)").status == .noContent)
            #expect(try await Campus.query(on: app.db).count() == 0)
            #expect(try await TeamMember.query(on: app.db).count() == 0)
            #expect(try await Membership.query(on: app.db).count() == 0)
            #expect(try await Organisation.query(on: app.db).count() == 1)
        }
    }

    @Test("a campus with every field wrong: one 422 listing them all, nothing written", arguments: TestDatabase.all)
    func validation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.POST, "/api/v1/campus", json: """
                {"nom": 42, "filiere": "metallurgie", "academie": "Atlantide", "dateCreation": "01/09/2013",
                 "formeJuridique": "sarl", "siteWeb": "pas une adresse",
                 "equipe": [{"nom": "Sans rôle"}, {"nom": "X", "role": "animateur", "email": "pas-un-email"}, 3]}
                """)
            #expect(response.status == .unprocessableEntity)
            #expect(Set(response.faultyFields) == ["nom", "filiere", "academie", "dateCreation", "formeJuridique", "siteWeb",
                                                   "equipe[0].role", "equipe[1].email", "equipe[2]"])
            #expect(response.problem?.errors?.first { $0.field == "nom" }?.detail == "Le champ « nom » doit être une chaîne de caractères, pas un nombre.")
            #expect(try await Campus.query(on: app.db).count() == 0)
            #expect(try await TeamMember.query(on: app.db).count() == 0)
        }
    }

    @Test("required fields are required on creation; a PATCH cannot empty them", arguments: TestDatabase.all)
    func required(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let missing = try await app.send(.POST, "/api/v1/campus", json: "{}")
            #expect(Set(missing.faultyFields) == ["nom", "filiere", "academie"])
            let campus = try await Factory.campus(app.db)
            let emptied = try await app.send(.PATCH, "/api/v1/campus/\(campus.id!.lower)", json: #"{"nom": null, "filiere": ""}"#)
            #expect(emptied.status == .unprocessableEntity)
            #expect(Set(emptied.faultyFields) == ["nom", "filiere"])
            #expect(try await Campus.find(campus.id, on: app.db)?.nom == "Métallurgie et plasturgie")
        }
    }

    @Test("a refused PATCH changes nothing, not even the valid fields", arguments: TestDatabase.all)
    func atomicPatch(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let response = try await app.send(.PATCH, "/api/v1/campus/\(campus.id!.lower)", json: #"{"nom": "Nouveau nom", "filiere": "inconnue"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(try await Campus.find(campus.id, on: app.db)?.nom == "Métallurgie et plasturgie")
        }
    }

    @Test("list filters: filière, région académique, académie (code or name), accent-insensitive name", arguments: TestDatabase.all)
    func filters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await Factory.campus(app.db, nom: "Métallurgie et plasturgie", filiere: "materiaux-innovants", academie: "20", region: "32")
            try await Factory.campus(app.db, nom: "Travaux publics", filiere: "batiment-eco-construction", academie: "09", region: "32")
            try await Factory.campus(app.db, nom: "Aéronautique", filiere: "mobilite-aeronautique-transports", academie: "17", region: "52")

            func names(_ query: String) async throws -> [String] {
                let response = try await app.send(.GET, "/api/v1/campus?\(query)")
                #expect(response.status == .ok)
                return try response.decoded(PageDTO<CampusDTO>.self).items.map(\.nom)
            }
            #expect(try await names("") == ["Aéronautique", "Métallurgie et plasturgie", "Travaux publics"])
            #expect(try await names("filiere=batiment-eco-construction") == ["Travaux publics"])
            #expect(try await names("region=32") == ["Métallurgie et plasturgie", "Travaux publics"])
            #expect(try await names("region=hauts-de-france") == ["Métallurgie et plasturgie", "Travaux publics"])
            #expect(try await names("academie=17") == ["Aéronautique"])
            #expect(try await names("academie=amiens") == ["Métallurgie et plasturgie"])
            #expect(try await names("q=AERONAUTIQUE") == ["Aéronautique"])
            #expect(try await names("q=metallurgie") == ["Métallurgie et plasturgie"])
            #expect(try await names("q=m%C3%A9tallurgie") == ["Métallurgie et plasturgie"])

            let page = try await app.send(.GET, "/api/v1/campus?per=1&page=3").decoded(PageDTO<CampusDTO>.self)
            #expect(page.total == 3 && page.items.map(\.nom) == ["Travaux publics"])

            let bad = try await app.send(.GET, "/api/v1/campus?filiere=metallurgie&region=99&academie=xx")
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.faultyFields) == ["filiere", "region", "academie"])
        }
    }

    @Test("unknown campus ids are 404 on every campus route", arguments: TestDatabase.all)
    func notFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let id = UUID().lower
            for (method, path, body) in [
                (HTTPMethod.GET, "/api/v1/campus/\(id)", nil), (.PATCH, "/api/v1/campus/\(id)", #"{"nom": "X"}"#),
                (.DELETE, "/api/v1/campus/\(id)", nil), (.GET, "/api/v1/campus/\(id)/membres", nil),
                (.POST, "/api/v1/campus/\(id)/membres", #"{"organisationId": "\#(UUID().lower)", "role": "membre"}"#),
                (.DELETE, "/api/v1/campus/\(id)/membres/\(UUID().lower)", nil), (.GET, "/api/v1/campus/\(id)/conformite", nil),
                (.GET, "/api/v1/campus/nimporte-quoi", nil),
            ] as [(HTTPMethod, String, String?)] {
                let response = try await app.send(method, path, json: body)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(response.isProblemJSON)
            }
            #expect(try await Membership.query(on: app.db).count() == 0)
        }
    }
}

@Suite("API: campus networks and compliance")
struct NetworkAPITests {
    @Test("add, list and remove members; the compliance follows", arguments: TestDatabase.all)
    func network(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let base = "/api/v1/campus/\(campus.id!.lower)"
            let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A")
            let company = try await Factory.organisation(app.db, nom: "Valeo", kind: "entreprise", isPublic: false)
            let university = try await Factory.organisation(app.db, nom: "Université de Picardie Jules Verne", kind: "universite")
            let lab = try await Factory.organisation(app.db, nom: "Laboratoire des technologies innovantes", kind: "laboratoire-recherche")

            // given: an empty network fails every check
            let empty = try await app.send(.GET, "\(base)/conformite").decoded(ComplianceDTO.self)
            #expect(!empty.conforme)
            #expect(empty.controles.map(\.respecte) == [false, false, false, false, false, false])
            #expect(empty.controles.last?.regle == "offre-niveaux-3-a-6")

            // when
            var added: [MembershipDTO] = []
            for (organisation, role) in [(lycee, "etablissement-support"), (company, "partenaire"), (university, "membre"), (lab, "partenaire")] {
                let response = try await app.send(.POST, "\(base)/membres", json: #"{"organisationId": "\#(organisation.id!.lower)", "role": "\#(role)", "depuis": "2013-09-01"}"#)
                #expect(response.status == .created)
                added.append(try response.decoded(MembershipDTO.self))
            }
            // then: the network passes; the offer still lacks formations
            let compliance = try await app.send(.GET, "\(base)/conformite").decoded(ComplianceDTO.self)
            #expect(compliance.controles.dropLast().allSatisfy { $0.respecte })
            #expect(compliance.controles.last?.explication == "L'offre ne compte aucune formation des niveaux 3, 4, 5 et 6 : elle doit aller du niveau 3 (CAP) au niveau 6 au moins.")
            #expect(compliance.controles.first?.explication == "L'établissement support est « Lycée professionnel Condorcet » (lycée professionnel).")
            let members = try await app.send(.GET, "\(base)/membres").decoded([MembershipDTO].self)
            #expect(members.count == 4)
            #expect(members.first?.role == "etablissement-support")
            #expect(members.first?.organisation.uai == "0020079A")

            // when: the lab leaves, the check fails and says why
            let labMembership = try #require(added.last)
            #expect(try await app.send(.DELETE, "\(base)/membres/\(labMembership.id.lower)").status == .noContent)
            let after = try await app.send(.GET, "\(base)/conformite").decoded(ComplianceDTO.self)
            #expect(!after.conforme)
            #expect(after.controles.first { $0.regle == "laboratoire-recherche" }?.explication == "Le réseau ne compte aucun laboratoire de recherche : il en faut au moins un.")
            #expect(try await app.send(.DELETE, "\(base)/membres/\(labMembership.id.lower)").status == .notFound)
        }
    }

    @Test("membership errors: unknown organisation 422, twice 409, bad dates 422; nothing written", arguments: TestDatabase.all)
    func errors(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let base = "/api/v1/campus/\(campus.id!.lower)/membres"
            let lycee = try await Factory.organisation(app.db)

            let unknown = try await app.send(.POST, base, json: #"{"organisationId": "\#(UUID().lower)", "role": "membre"}"#)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.faultyFields == ["organisationId"])

            let invalid = try await app.send(.POST, base, json: #"{"organisationId": "x", "role": "chef", "depuis": "2020-01-01", "jusquA": "2019-01-01", "extra": 1}"#)
            #expect(invalid.status == .unprocessableEntity)
            #expect(Set(invalid.faultyFields) == ["organisationId", "role", "jusquA", "extra"])

            #expect(try await app.send(.POST, base, json: #"{"organisationId": "\#(lycee.id!.lower)", "role": "membre"}"#).status == .created)
            let twice = try await app.send(.POST, base, json: #"{"organisationId": "\#(lycee.id!.lower)", "role": "partenaire"}"#)
            #expect(twice.status == .conflict)
            #expect(twice.problem?.detail.contains("fait déjà partie du réseau") == true)
            #expect(try await Membership.query(on: app.db).count() == 1)

            // a membership of another campus cannot be removed through this one
            let other = try await Factory.campus(app.db, nom: "Travaux publics")
            let foreign = try await Factory.membership(app.db, campus: other, organisation: lycee)
            #expect(try await app.send(.DELETE, "\(base)/\(foreign.id!.lower)").status == .notFound)
            #expect(try await Membership.query(on: app.db).count() == 2)
        }
    }
}

@Suite("API: reference lists")
struct ReferentielsAPITests {
    @Test("filières, régions académiques and académies", arguments: TestDatabase.all)
    func lists(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let filieres = try await app.send(.GET, "/api/v1/referentiels/filieres").decoded([FiliereDTO].self)
            #expect(filieres.count == 12)
            #expect(filieres.first == FiliereDTO(slug: "mobilite-aeronautique-transports", libelle: "Mobilité, aéronautique, transports terrestres et maritimes"))
            let regions = try await app.send(.GET, "/api/v1/referentiels/regions").decoded([RegionDTO].self)
            #expect(regions.count == 18)
            #expect(regions.first { $0.code == "44" }?.academies.sorted() == ["12", "15", "19"])
            let academies = try await app.send(.GET, "/api/v1/referentiels/academies").decoded([AcademieDTO].self)
            #expect(academies.count == 30)
            #expect(academies.first { $0.code == "20" }?.departements.map(\.code) == ["02", "60", "80"])
        }
    }
}
