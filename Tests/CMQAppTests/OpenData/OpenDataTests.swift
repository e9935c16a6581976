@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Open data: every public list as CSV, JSON and GeoJSON with its Table Schema, validators and CORS, the page
/// /donnees with its DCAT-AP catalogue, schema.org on the public pages, sitemap and robots.
/// (CI also checks the files with frictionless and a GeoJSON validator: `Tests/opendata/run.sh`.)
@Suite("Open data: datasets, schemas, catalogue, structured data")
struct OpenDataTests {
    /// A campus with its network (a support lycée with coordinates, a company without), a label and a platform.
    static func corpus(_ app: Application) async throws -> (campus: Campus, lycee: Organisation, entreprise: Organisation) {
        let fixture = try await PlateauFixture.make(app)
        let lycee = fixture.lycee
        lycee.uai = "0020079A"
        lycee.latitude = 49.8465
        lycee.longitude = 3.2876
        lycee.commune = "Saint-Quentin"
        try await lycee.save(on: app.db)
        try await Membership.query(on: app.db).filter(\.$organisation.$id == lycee.id!).set(\.$role, to: MembershipRole.etablissementSupport).update()
        try await Factory.membership(app.db, campus: fixture.campus, organisation: fixture.entreprise, role: .partenaire)
        return (fixture.campus, lycee, fixture.entreprise)
    }

    static func lines(_ response: TestingHTTPResponse) -> [String] {
        response.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test("each dataset downloads as CSV (`;`, UTF-8, one header line that matches its schema), JSON and, with a place, GeoJSON",
          arguments: TestDatabase.all)
    func files(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, lycee, _) = try await Self.corpus(app)
            for dataset in OpenDataset.all {
                // CSV
                let csv = try await app.send(.GET, "/api/v1/donnees/\(dataset.slug).csv", as: .anonymous)
                #expect(csv.status == .ok, "\(dataset.slug)")
                #expect(csv.headers.contentType?.description == "text/csv; charset=utf-8")
                #expect(csv.headers.first(name: .accessControlAllowOrigin) == "*")
                #expect(csv.headers.first(name: .eTag) != nil)
                #expect(csv.headers[.link].contains { $0.contains("etalab.gouv.fr/licence-ouverte") && $0.contains("license") })
                let lines = Self.lines(csv)
                #expect(lines.first == dataset.fields.map(\.name).joined(separator: ";"))
                #expect(!csv.body.string.hasPrefix("\u{FEFF}"))
                // Schema: the same columns, the licence
                let schema = try await app.send(.GET, "/api/v1/donnees/\(dataset.slug).schema.json", as: .anonymous)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: schema.body)) as? [String: Any])
                let fields = try #require(object["fields"] as? [[String: Any]])
                #expect(fields.compactMap { $0["name"] as? String } == dataset.fields.map(\.name))
                #expect((object["licenses"] as? [[String: Any]])?.first?["name"] as? String == "etalab-2.0")
                // JSON: the licence in the file, one object per CSV line
                let json = try await app.send(.GET, "/api/v1/donnees/\(dataset.slug).json", as: .anonymous)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [String: Any])
                #expect((document["licence"] as? [String: Any])?["identifiant"] as? String == "etalab-2.0")
                #expect((document["donnees"] as? [[String: Any]])?.count == lines.count - 1)
                // GeoJSON: only for what has a place
                let geojson = try await app.send(.GET, "/api/v1/donnees/\(dataset.slug).geojson", as: .anonymous)
                #expect(geojson.status == (dataset.hasPlace ? .ok : .notFound), "\(dataset.slug)")
            }
            // The campus: its support's UAI and coordinates, its label status
            let campusCSV = try await app.send(.GET, "/api/v1/donnees/campus.csv", as: .anonymous)
            #expect(campusCSV.body.string.contains("\(campus.id!.lower);Métallurgie et plasturgie;materiaux-innovants;Matériaux, matériaux innovants;20;Amiens;32;Hauts-de-France;en-projet;;;;0020079A;Lycée Jean Moulin;49.8465;3.2876;"))
            // The network: one line per link, with its role
            let network = Self.lines(try await app.send(.GET, "/api/v1/donnees/reseaux.csv", as: .anonymous))
            #expect(network.count == 4)
            #expect(network.contains { $0.contains(";\(lycee.id!.lower);Lycée Jean Moulin;0020079A;;etablissement-support;") })
            // Platforms and their equipment
            #expect(Self.lines(try await app.send(.GET, "/api/v1/donnees/plateaux.csv", as: .anonymous)).count == 2)
            #expect(Self.lines(try await app.send(.GET, "/api/v1/donnees/equipements.csv", as: .anonymous)).count == 3)
        }
    }

    @Test("GeoJSON is RFC 7946: a FeatureCollection of Points, longitude first; things without a place are left out", arguments: TestDatabase.all)
    func geojson(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, lycee, _) = try await Self.corpus(app)
            let response = try await app.send(.GET, "/api/v1/donnees/organisations.geojson", as: .anonymous)
            #expect(response.headers.contentType?.description == "application/geo+json; charset=utf-8")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(document["type"] as? String == "FeatureCollection")
            let features = try #require(document["features"] as? [[String: Any]])
            #expect(features.count == 1)
            let feature = try #require(features.first)
            #expect(feature["type"] as? String == "Feature" && feature["id"] as? String == lycee.id!.lower)
            let geometry = try #require(feature["geometry"] as? [String: Any])
            #expect(geometry["type"] as? String == "Point")
            #expect(geometry["coordinates"] as? [Double] == [3.2876, 49.8465])
            #expect((feature["properties"] as? [String: Any])?["uai"] as? String == "0020079A")
        }
    }

    @Test("an unchanged file answers 304 to its ETag and to If-Modified-Since; a change gives a new ETag", arguments: TestDatabase.all)
    func validators(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, lycee, _) = try await Self.corpus(app)
            let first = try await app.send(.GET, "/api/v1/donnees/organisations.csv", as: .anonymous)
            let etag = try #require(first.headers.first(name: .eTag))
            let modified = try #require(first.headers.first(name: .lastModified))
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .ifNoneMatch, value: etag)
            let cached = try await app.testing().sendRequest(.GET, "/api/v1/donnees/organisations.csv", headers: headers)
            #expect(cached.status == .notModified)
            #expect(cached.body.readableBytes == 0)
            var since = HTTPHeaders()
            since.replaceOrAdd(name: .ifModifiedSince, value: modified)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/donnees/organisations.csv", headers: since).status == .notModified)
            // A date to come is not a date the client received: ignored (RFC 9110).
            var future = HTTPHeaders()
            future.replaceOrAdd(name: .ifModifiedSince, value: "Sat, 17 Apr 5537 05:37:50 GMT")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/donnees/organisations.csv", headers: future).status == .ok)
            // when: an organisation changes
            try await Task.sleep(for: .milliseconds(1_100))
            lycee.commune = "Saint-Quentin (Aisne)"
            try await lycee.save(on: app.db)
            // then
            let changed = try await app.testing().sendRequest(.GET, "/api/v1/donnees/organisations.csv", headers: headers)
            #expect(changed.status == .ok)
            #expect(changed.headers.first(name: .eTag) != etag)
            #expect(changed.body.string.contains("Saint-Quentin (Aisne)"))
        }
    }

    @Test("/donnees lists every dataset with its description, formats, schema, licence, update date and size; the DCAT-AP catalogue names them",
          arguments: TestDatabase.all)
    func page(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.corpus(app)
            let page = try await app.send(.GET, "/donnees", as: .anonymous)
            #expect(page.status == .ok)
            let html = page.body.string
            for dataset in OpenDataset.all {
                #expect(html.contains("<h2 id=\"jeu-\(dataset.slug)\">"))
                #expect(html.contains("/api/v1/donnees/\(dataset.slug).csv"))
                #expect(html.contains("/api/v1/donnees/\(dataset.slug).schema.json"))
            }
            #expect(html.contains("Licence Ouverte / Open Licence version 2.0"))
            #expect(html.contains(" ko</td>") || html.contains(" octets</td>"))
            #expect(html.contains("application/ld+json") && html.contains("\"@type\":\"DataCatalog\""))
            // DCAT-AP
            let catalogue = try await app.send(.GET, "/api/v1/donnees/catalogue.jsonld", as: .anonymous)
            #expect(catalogue.headers.contentType?.description == "application/ld+json; charset=utf-8")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: catalogue.body)) as? [String: Any])
            #expect(document["@type"] as? String == "dcat:Catalog")
            let datasets = try #require(document["dcat:dataset"] as? [[String: Any]])
            #expect(datasets.compactMap { $0["dct:identifier"] as? String } == OpenDataset.all.map(\.slug))
            for dataset in datasets {
                #expect((dataset["dct:license"] as? [String: Any])?["@id"] as? String == OpenDataLicence.url)
                let files = try #require(dataset["dcat:distribution"] as? [[String: Any]])
                #expect(files.contains { ($0["dct:conformsTo"] as? [String: Any])?["@id"] as? String != nil })
            }
        }
    }

    @Test("public pages carry schema.org JSON-LD: a campus, an establishment, a formation", arguments: TestDatabase.all)
    func structuredData(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, lycee, entreprise) = try await Self.corpus(app)
            let created = try await app.send(.POST, "/api/v1/formations", json: #"{"intitule": "CAP Plasturgie </script><b>", "organisationId": "\#(lycee.id!.lower)", "niveauSortie": 3, "statuts": ["scolaire"], "rncp": "RNCP38432", "romes": ["H3203"]}"#)
            let formation = try created.decoded(FormationDTO.self)
            func jsonLD(_ path: String) async throws -> [String: Any] {
                let html = try await app.send(.GET, path, as: .anonymous).body.string
                let start = try #require(html.range(of: "<script type=\"application/ld+json\">"))
                let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
                let text = String(html[start.upperBound..<end.lowerBound])
                return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            }
            let campusLD = try await jsonLD("/campus/\(campus.id!.lower)")
            #expect(campusLD["@type"] as? String == "EducationalOrganization")
            #expect((campusLD["member"] as? [[String: Any]])?.count == 3)
            #expect(try await jsonLD("/organisations/\(lycee.id!.lower)")["@type"] as? String == "EducationalOrganization")
            #expect(try await jsonLD("/organisations/\(entreprise.id!.lower)")["@type"] as? String == "Organization")
            let program = try await jsonLD("/formations/\(formation.id.lower)")
            #expect(program["@type"] as? String == "EducationalOccupationalProgram")
            // The title's "</script>" cannot close the block: it is written \u003c/script>.
            #expect(program["name"] as? String == "CAP Plasturgie </script><b>")
            #expect((program["provider"] as? [String: Any])?["name"] as? String == "Lycée Jean Moulin")
        }
    }

    @Test("robots.txt names the sitemap; sitemap.xml lists the public pages", arguments: TestDatabase.all)
    func sitemap(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (campus, lycee, _) = try await Self.corpus(app)
            let robots = try await app.send(.GET, "/robots.txt", as: .anonymous)
            #expect(robots.body.string.contains("Sitemap: http://") && robots.body.string.contains("/sitemap.xml"))
            #expect(robots.body.string.contains("Disallow: /gestion"))
            let sitemap = try await app.send(.GET, "/sitemap.xml", as: .anonymous).body.string
            #expect(sitemap.hasPrefix("<?xml") && sitemap.contains("http://www.sitemaps.org/schemas/sitemap/0.9"))
            #expect(sitemap.contains("/campus/\(campus.id!.lower)</loc>") && sitemap.contains("/organisations/\(lycee.id!.lower)</loc>"))
            #expect(sitemap.contains("/donnees</loc>"))
        }
    }
}
