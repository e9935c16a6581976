@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The OpenAPI document must match what the routes really accept and return.
@Suite("OpenAPI document")
struct OpenAPITests {
    /// "GET /api/v1/campus/:campusID" → "GET /api/v1/campus/{campusId}".
    static func documentedForm(_ route: Route) -> String {
        let path = route.path.map { component -> String in
            switch component {
            case .parameter(let name): "{\(name.replacingOccurrences(of: "ID", with: "Id"))}"
            default: component.description
            }
        }.joined(separator: "/")
        return "\(route.method.rawValue) /\(path)"
    }

    @Test("every API route is documented, and every documented operation exists")
    func coverage() async throws {
        try await withTestApp(.sqlite) { app in
            let routes = Set(app.routes.all.filter { $0.path.prefix(2).map(\.description) == ["api", "v1"] }.map(Self.documentedForm))
            let documented = try OpenAPIValidator().operations
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented))")
            #expect(documented.subtracting(routes).isEmpty, "documented but missing: \(documented.subtracting(routes))")
        }
    }

    @Test("it is served as JSON, declares OpenAPI 3.1, and answers 304 to its ETag")
    func served() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.send(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "json")
            let document = try response.decoded(JSONValue.self)
            guard case .object(let root) = document else { Issue.record("not an object"); return }
            #expect(root["openapi"] == .string("3.1.0"))
            let etag = try #require(response.headers.first(name: .eTag))
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/openapi.json", headers: ["If-None-Match": etag]).status == .notModified)
        }
    }

    /// Sends a request and checks that its status is documented and that its body matches the documented schema.
    static func conforms(_ app: Application, _ validator: OpenAPIValidator, _ method: HTTPMethod, _ path: String, template: String,
                         json: String? = nil, as identity: TestIdentity = .admin,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        let response = try await app.send(method, path, json: json, as: identity)
        if let json, let schema = validator.requestSchema(method: method.rawValue, path: template), response.status.code < 400 {
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
            let faults = validator.violations(of: body, against: schema, recording: false)
            #expect(faults.isEmpty, "request \(method) \(path): \(faults)", sourceLocation: sourceLocation)
        }
        guard let (mediaType, schema) = validator.responseSchema(method: method.rawValue, path: template, status: Int(response.status.code)) else {
            Issue.record("\(method) \(template) answered \(response.status.code), which is not documented", sourceLocation: sourceLocation)
            return response
        }
        if !mediaType.isEmpty {
            #expect(response.headers.contentType?.description.hasPrefix(mediaType) == true, "\(method) \(path): \(String(describing: response.headers.contentType)) ≠ \(mediaType)", sourceLocation: sourceLocation)
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
            let faults = validator.violations(of: body, against: schema)
            #expect(faults.isEmpty, "\(method) \(path) \(response.status.code): \(faults)", sourceLocation: sourceLocation)
        }
        return response
    }

    @Test("real responses, successes and errors, match their documented schemas", arguments: TestDatabase.all)
    func responses(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            for path in ["/api/v1/referentiels/filieres", "/api/v1/referentiels/regions", "/api/v1/referentiels/academies"] {
                _ = try await Self.conforms(app, v, .GET, path, template: path)
            }
            // organisations
            let created = try await Self.conforms(app, v, .POST, "/api/v1/organisations", template: "/api/v1/organisations", json: """
                {"nom": "Lycée professionnel Condorcet", "type": "lycee-professionnel", "public": true, "uai": "0020079A",
                 "adresse": "2 rue Condorcet", "codePostal": "02100", "commune": "Saint-Quentin", "telephone": "03.23.62.12.34", "latitude": 49.8465, "longitude": 3.2876, "siteWeb": "https://condorcet.example.org"}
                """)
            let lycee = try created.decoded(OrganisationDTO.self)
            let company = try await Self.conforms(app, v, .POST, "/api/v1/organisations", template: "/api/v1/organisations",
                                                  json: #"{"nom": "Valeo", "type": "entreprise"}"#).decoded(OrganisationDTO.self)
            _ = try await Self.conforms(app, v, .POST, "/api/v1/organisations", template: "/api/v1/organisations", json: #"{"nom": "Doublon", "type": "cfa", "uai": "0020079A"}"#)
            _ = try await Self.conforms(app, v, .POST, "/api/v1/organisations", template: "/api/v1/organisations", json: #"{"type": 3}"#)
            _ = try await Self.conforms(app, v, .POST, "/api/v1/organisations", template: "/api/v1/organisations", json: "{")
            _ = try await Self.conforms(app, v, .GET, "/api/v1/organisations?uai=0020079A", template: "/api/v1/organisations")
            _ = try await Self.conforms(app, v, .GET, "/api/v1/organisations?per=0", template: "/api/v1/organisations")
            let orgPath = "/api/v1/organisations/{organisationId}"
            _ = try await Self.conforms(app, v, .GET, "/api/v1/organisations/\(lycee.id.lower)", template: orgPath)
            _ = try await Self.conforms(app, v, .PATCH, "/api/v1/organisations/\(company.id.lower)", template: orgPath, json: #"{"siret": "21350016800025"}"#)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/organisations/\(UUID().lower)", template: orgPath)

            // campus
            let campus = try await Self.conforms(app, v, .POST, "/api/v1/campus", template: "/api/v1/campus", json: CampusAPITests.validCampus).decoded(CampusDTO.self)
            _ = try await Self.conforms(app, v, .POST, "/api/v1/campus", template: "/api/v1/campus", json: #"{"nom": ""}"#)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/campus?filiere=materiaux-innovants", template: "/api/v1/campus")
            _ = try await Self.conforms(app, v, .GET, "/api/v1/campus?filiere=x", template: "/api/v1/campus")
            let campusPath = "/api/v1/campus/{campusId}"
            let base = "/api/v1/campus/\(campus.id.lower)"
            _ = try await Self.conforms(app, v, .GET, base, template: campusPath)
            _ = try await Self.conforms(app, v, .PATCH, base, template: campusPath, json: #"{"description": null, "equipe": []}"#)
            let membership = try await Self.conforms(app, v, .POST, "\(base)/membres", template: "\(campusPath)/membres",
                                                     json: #"{"organisationId": "\#(lycee.id.lower)", "role": "etablissement-support", "depuis": "2013-09-01", "jusquA": "2030-08-31"}"#)
                .decoded(MembershipDTO.self)
            _ = try await Self.conforms(app, v, .POST, "\(base)/membres", template: "\(campusPath)/membres", json: #"{"organisationId": "\#(lycee.id.lower)", "role": "membre"}"#)
            _ = try await Self.conforms(app, v, .GET, "\(base)/membres", template: "\(campusPath)/membres")
            _ = try await Self.conforms(app, v, .GET, "\(base)/conformite", template: "\(campusPath)/conformite")
            _ = try await Self.conforms(app, v, .DELETE, "/api/v1/organisations/\(lycee.id.lower)", template: orgPath)
            _ = try await Self.conforms(app, v, .DELETE, "\(base)/membres/\(membership.id.lower)", template: "\(campusPath)/membres/{membreId}")
            _ = try await Self.conforms(app, v, .DELETE, base, template: campusPath)
            _ = try await Self.conforms(app, v, .DELETE, "/api/v1/organisations/\(lycee.id.lower)", template: orgPath)

            // formations, offer and coverage
            let formationPath = "/api/v1/formations/{formationId}"
            let formation = try await Self.conforms(app, v, .POST, "/api/v1/formations", template: "/api/v1/formations",
                                                    json: FormationsAPITests.body(try #require(try await Organisation.find(company.id, on: app.db)))).decoded(FormationDTO.self)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/formations?niveau=4", template: "/api/v1/formations")
            // by place: the company placed in Saint-Quentin, its formation found near Harly with its distance
            _ = try await Self.conforms(app, v, .PATCH, "/api/v1/organisations/\(company.id.lower)", template: orgPath,
                                        json: #"{"commune": "Saint-Quentin", "departement": "02", "latitude": 49.8472, "longitude": 3.2777}"#)
            let near = try await Self.conforms(app, v, .GET, "/api/v1/formations?pres=Harly&rayon=10", template: "/api/v1/formations")
            #expect(try near.decoded(FormationSearchDTO.self).items.first?.distanceKm != nil)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/formations?pres=Nowhereville", template: "/api/v1/formations")
            for q in ["Saint-Quentin", "Valeo Aisne", "Hauts-de-France", "Laval", "zzzz", "", "plastikues Harly"] {
                _ = try await Self.conforms(app, v, .GET, "/api/v1/recherche?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", template: "/api/v1/recherche")
            }
            _ = try await Self.conforms(app, v, .GET, "/api/v1/recherche?q=Amiens&rayon=0", template: "/api/v1/recherche")
            // a typing mistake: the answer carries the corrected query
            let corrected = try await Self.conforms(app, v, .GET, "/api/v1/formations?q=plastikues", template: "/api/v1/formations")
            #expect(corrected.body.string.contains(#""suggestion":"plastiques""#))
            _ = try await Self.conforms(app, v, .GET, "/api/v1/formations/\(formation.id.lower)", template: formationPath)
            _ = try await Self.conforms(app, v, .PATCH, "/api/v1/formations/\(formation.id.lower)", template: formationPath,
                                        json: #"{"capacite": 12, "description": "Deux ans en lycée, un en entreprise.", "lien": "https://www.onisep.fr/http/redirection/formation/slug/FOR.1234", "organisationResponsableId": "\#(company.id.lower)"}"#)
            let campus2 = try await Self.conforms(app, v, .POST, "/api/v1/campus", template: "/api/v1/campus", json: CampusAPITests.validCampus).decoded(CampusDTO.self)
            let base2 = "/api/v1/campus/\(campus2.id.lower)"
            _ = try await Self.conforms(app, v, .POST, "\(base2)/formations", template: "\(campusPath)/formations", json: #"{"formationId": "\#(formation.id.lower)"}"#)
            _ = try await Self.conforms(app, v, .GET, "\(base2)/offre", template: "\(campusPath)/offre")
            _ = try await Self.conforms(app, v, .GET, "\(base2)/couverture", template: "\(campusPath)/couverture")
            _ = try await Self.conforms(app, v, .GET, "\(base2)/conformite", template: "\(campusPath)/conformite")
            _ = try await Self.conforms(app, v, .DELETE, "\(base2)/formations/\(formation.id.lower)", template: "\(campusPath)/formations/{formationId}")
            _ = try await Self.conforms(app, v, .DELETE, "/api/v1/formations/\(formation.id.lower)", template: formationPath)

            // refusals: no account, then an account without the right
            _ = try await Self.conforms(app, v, .POST, "/api/v1/organisations", template: "/api/v1/organisations", json: #"{"nom": "X", "type": "cfa"}"#, as: .anonymous)
            let member = try await TestAccounts.identity(app, .membre, organisation: company.id)
            _ = try await Self.conforms(app, v, .POST, "/api/v1/campus", template: "/api/v1/campus", json: CampusAPITests.validCampus, as: member)
            let mismatches = v.keyMismatches()
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }
    @Test("platform and booking responses, successes and errors, match their documented schemas", arguments: TestDatabase.all)
    func plateaux(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let f = try await PlateauFixture.make(app)
            let list = "/api/v1/plateaux", one = "/api/v1/plateaux/{plateauId}", base = "/api/v1/plateaux/\(f.plateauID.lower)"
            _ = try await Self.conforms(app, v, .GET, "\(list)?campus=\(f.campus.id!.lower)", template: list)
            _ = try await Self.conforms(app, v, .GET, "\(list)?campus=x", template: list)
            _ = try await Self.conforms(app, v, .POST, list, template: list, json: """
                {"campusId": "\(f.campus.id!.lower)", "organisationId": "\(f.lycee.id!.lower)", "nom": "Salle de métrologie", "horaires": {"mardi": [["08:00", "12:00"]]},
                 "fermetures": [{"debut": "2026-12-21", "fin": "2027-01-03", "raison": "vacances", "motif": "Vacances de Noël"}], "regles": {"validation": false, "ouvertA": ["entreprises"]},
                 "equipements": [{"nom": "Rugosimètre", "quantite": 2}]}
                """)
            _ = try await Self.conforms(app, v, .POST, list, template: list, json: #"{"nom": 3}"#)
            _ = try await Self.conforms(app, v, .GET, base, template: one)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/plateaux/\(UUID().lower)", template: one)
            _ = try await Self.conforms(app, v, .PATCH, base, template: one, json: #"{"regles": {"validation": true, "preavisHeures": 24, "dureeMaximaleMinutes": 240}}"#, as: f.owner)
            _ = try await Self.conforms(app, v, .PATCH, base, template: one, json: #"{"description": "x"}"#, as: f.booker)
            _ = try await Self.conforms(app, v, .GET, "\(base)/equipements", template: "\(one)/equipements")
            _ = try await Self.conforms(app, v, .POST, "\(base)/equipements", template: "\(one)/equipements", json: #"{"nom": "Étuve", "categorie": "Plasturgie"}"#)
            _ = try await Self.conforms(app, v, .GET, "\(base)/disponibilites", template: "\(one)/disponibilites", as: .anonymous)
            _ = try await Self.conforms(app, v, .GET, "\(base)/disponibilites?du=2026-02-30", template: "\(one)/disponibilites", as: .anonymous)
            _ = try await Self.conforms(app, v, .GET, "\(base)/disponibilites?equipement=\(f.presseID.lower)", template: "\(one)/disponibilites", as: .anonymous)
            _ = try await Self.conforms(app, v, .GET, "\(base)/statistiques", template: "\(one)/statistiques", as: .anonymous)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/campus/\(f.campus.id!.lower)/plateaux/statistiques?du=2026-09&au=2026-12",
                                        template: "/api/v1/campus/{campusId}/plateaux/statistiques", as: .anonymous)
            let bookings = "/api/v1/reservations"
            let made = try await Self.conforms(app, v, .POST, bookings, template: bookings, json: f.booking("08:00", "10:00", equipement: f.presseID, extra: #", "details": "TP""#), as: f.booker)
            let booking = try made.decoded(ReservationDTO.self)
            _ = try await Self.conforms(app, v, .POST, bookings, template: bookings, json: f.booking("12:00", "13:00"), as: f.booker)
            _ = try await Self.conforms(app, v, .POST, bookings, template: bookings, json: f.booking("08:00", "10:00"), as: .anonymous)
            _ = try await Self.conforms(app, v, .POST, "\(bookings)/serie", template: "\(bookings)/serie",
                                        json: f.booking("08:00", "10:00", day: 1, equipement: f.centreID, extra: #", "semaines": 3, "politique": "sans-les-conflits""#), as: f.booker)
            let path = "\(bookings)/{reservationId}", id = "\(bookings)/\(booking.id.lower)"
            _ = try await Self.conforms(app, v, .GET, id, template: path, as: f.booker)
            _ = try await Self.conforms(app, v, .GET, id, template: path, as: f.companyAccount)
            _ = try await Self.conforms(app, v, .POST, "\(id)/acceptation", template: "\(path)/acceptation", as: f.owner)
            _ = try await Self.conforms(app, v, .POST, "\(id)/acceptation", template: "\(path)/acceptation", as: f.owner)
            _ = try await Self.conforms(app, v, .POST, "\(id)/refus", template: "\(path)/refus", json: #"{"motif": "Non"}"#, as: f.owner)
            _ = try await Self.conforms(app, v, .POST, bookings, template: bookings, json: f.booking("09:00", "10:00", equipement: f.presseID), as: f.booker)
            _ = try await Self.conforms(app, v, .POST, "\(id)/annulation", template: "\(path)/annulation", json: #"{"motif": "Classe en stage"}"#, as: f.booker)
            _ = try await Self.conforms(app, v, .GET, "\(bookings)?statut=annulee", template: bookings, as: f.booker)
            _ = try await Self.conforms(app, v, .GET, "\(bookings)?statut=x", template: bookings, as: f.booker)
            _ = try await Self.conforms(app, v, .DELETE, "\(base)/equipements/\(f.presseID.lower)", template: "\(one)/equipements/{equipementId}", as: f.owner)
            _ = try await Self.conforms(app, v, .DELETE, base, template: one, as: f.owner)
            let feed = try await app.send(.GET, "\(base)/calendrier.ics", as: .anonymous)
            #expect(v.responseSchema(method: "GET", path: "\(one)/calendrier.ics", status: 200)?.mediaType == "text/calendar")
            #expect(feed.headers.contentType?.description.hasPrefix("text/calendar") == true)
            let mismatches = v.keyMismatches()
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }

}

extension OpenAPITests {
    @Test("labelling responses, successes and errors, match their documented schemas, and send every documented key", arguments: TestDatabase.all)
    func labelling(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let v = try OpenAPIValidator()
            let cast = try await LabellingAPITests.cast(app)
            let list = "/api/v1/dossiers", one = "/api/v1/dossiers/{dossierId}"
            _ = try await Self.conforms(app, v, .GET, "/api/v1/referentiels/labellisation", template: "/api/v1/referentiels/labellisation", as: .anonymous)
            let created = try await Self.conforms(app, v, .POST, list, template: list,
                                                  json: #"{"campusId": "\#(cast.campus.id!.lower)", "referentiel": "2014", "labelDemande": "cmq"}"#, as: cast.region)
            _ = try await Self.conforms(app, v, .POST, list, template: list, json: #"{"campusId": "\#(cast.campus.id!.lower)"}"#, as: cast.team)
            _ = try await Self.conforms(app, v, .POST, list, template: list, json: #"{"referentiel": 3}"#, as: cast.region)
            let id = try LabellingAPITests.dossier(created).id
            let base = "/api/v1/dossiers/\(id.lower)"
            _ = try await Self.conforms(app, v, .PATCH, base, template: one, json: "{\(LabellingAPITests.allSections)}", as: cast.region)
            _ = try await Self.conforms(app, v, .PATCH, base, template: one, json: #"{"partenariat": "x"}"#, as: cast.team)
            let pdf = try await app.send(.POST, "\(base)/pieces?nom=projet.pdf", json: "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", contentType: "application/pdf", as: cast.region)
            #expect(pdf.status == .created, "\(pdf.body.string)")
            _ = try await Self.conforms(app, v, .POST, "\(base)/depot", template: "\(one)/depot", json: #"{"date": "2013-03-01", "commentaire": "Déposé."}"#, as: cast.region)
            _ = try await Self.conforms(app, v, .POST, "\(base)/depot", template: "\(one)/depot", json: #"{"date": "2013-03-02"}"#, as: cast.region)
            _ = try await Self.conforms(app, v, .GET, list, template: list, as: cast.region)
            _ = try await Self.conforms(app, v, .GET, "\(list)?statut=x", template: list, as: cast.region)
            _ = try await Self.conforms(app, v, .POST, "\(base)/avis", template: "\(one)/avis", json: #"{"verdict": "favorable", "date": "2013-04-02"}"#, as: cast.crefop)
            _ = try await Self.conforms(app, v, .POST, "\(base)/avis", template: "\(one)/avis",
                                        json: #"{"verdict": "favorable-avec-reserves", "texte": "Ouvrir à l'apprentissage.", "date": "2013-04-10", "auteur": "Président du CAEN"}"#, as: cast.caen)
            _ = try await Self.conforms(app, v, .POST, "\(base)/avis", template: "\(one)/avis", json: #"{"verdict": "favorable"}"#, as: cast.caen)
            _ = try await Self.conforms(app, v, .GET, "\(base)/avis", template: "\(one)/avis", as: cast.region)
            let referentiel = try #require(ReferentielCatalog.shipped.referentiel(code: "2014"))
            let notes = referentiel.criteres.map { #"{"critere": "\#($0.code)", "note": 3, "commentaire": "Vu."}"# }.joined(separator: ", ")
            _ = try await Self.conforms(app, v, .POST, "\(base)/evaluations", template: "\(one)/evaluations", json: #"{"notes": [\#(notes)]}"#, as: cast.expert1)
            _ = try await Self.conforms(app, v, .GET, "\(base)/evaluations", template: "\(one)/evaluations", as: cast.region)
            _ = try await Self.conforms(app, v, .POST, "\(base)/avis", template: "\(one)/avis", json: #"{"instance": "groupe-experts", "verdict": "favorable", "date": "2013-05-15"}"#, as: cast.expert1)
            _ = try await Self.conforms(app, v, .POST, "\(base)/avis", template: "\(one)/avis", json: #"{"verdict": "favorable", "date": "2013-06-01"}"#, as: cast.cnee)
            _ = try await Self.conforms(app, v, .POST, "\(base)/decision", template: "\(one)/decision", json: #"{"resultat": "labellise", "dureeAnnees": 4}"#, as: cast.region)
            let decided = try await Self.conforms(app, v, .POST, "\(base)/decision", template: "\(one)/decision",
                                                  json: #"{"resultat": "labellise", "date": "2013-07-10", "dureeAnnees": 4, "nor": "MENE1317532A", "bulletinOfficiel": "BO n° 29 du 18 juillet 2013", "texte": "Arrêté."}"#)
            _ = try await Self.conforms(app, v, .GET, base, template: one, as: cast.team)
            _ = try await Self.conforms(app, v, .GET, "\(base)/historique", template: "\(one)/historique", as: cast.team)
            let label = try #require(try LabellingAPITests.dossier(decided).label)
            // A renewal opened from the label, then abandoned.
            let renewal = try await Self.conforms(app, v, .POST, list, template: list,
                                                  json: #"{"campusId": "\#(cast.campus.id!.lower)", "referentiel": "2019", "nature": "renouvellement"}"#, as: cast.region)
            let second = try LabellingAPITests.dossier(renewal).id
            _ = try await Self.conforms(app, v, .POST, "/api/v1/dossiers/\(second.lower)/abandon", template: "\(one)/abandon", json: #"{"motif": "Projet reporté."}"#, as: cast.region)
            _ = try await Self.conforms(app, v, .POST, "/api/v1/labels/\(label.id.lower)/retrait", template: "/api/v1/labels/{labelId}/retrait",
                                        json: #"{"date": "2015-01-10", "motif": "Réseau dissous."}"#)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/labels?campus=\(cast.campus.id!.lower)", template: "/api/v1/labels", as: .anonymous)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/labels?region=Atlantide", template: "/api/v1/labels", as: .anonymous)
            _ = try await Self.conforms(app, v, .GET, "/api/v1/dossiers/\(UUID().lower)", template: one, as: cast.region)

            // Each labelling answer's keys are its schema's properties: nothing undocumented, nothing documented that is never sent.
            let mismatches = v.keyMismatches(schemas: ["Dossier", "DossierResume", "Avis", "SyntheseExpertise", "Transition", "Label", "Piece", "Referentiel"])
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }
}
