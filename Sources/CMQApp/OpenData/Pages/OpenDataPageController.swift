import CMQDomain
import Fluent
import Foundation
import Vapor

/// The public page /donnees (every dataset with its description, formats, schema, licence, update date and
/// size), and what search engines read: `sitemap.xml`, `robots.txt`.
struct OpenDataPageController {
    struct FileRow: Encodable {
        var format: String
        var size: String
        var url: String
        var name: String
    }

    struct DatasetBlock: Encodable {
        var slug: String
        var title: String
        var description: String
        var rows: Int?
        var modified: String?
        var modifiedISO: String?
        var schemaURL: String?
        var files: [FileRow]
    }

    struct Context: Encodable {
        var page: PageMeta
        var datasets: [DatasetBlock]
        var licenceName: String
        var licenceURL: String
        var catalogueURL: String
    }

    @Sendable func page(req: Request) async throws -> View {
        let base = OpenDataAPIController.base(req)
        let summaries = try await OpenDataCatalogue(db: req.db, base: base, today: req.today).summaries(sizes: .shared)
        var blocks = summaries.map { summary in
            DatasetBlock(
                slug: summary.dataset.slug, title: summary.dataset.title, description: summary.dataset.description, rows: summary.rows,
                modified: summary.modified.map { CalendarDay(date: $0).frenchLong }, modifiedISO: summary.modified.map { CalendarDay(date: $0).iso },
                schemaURL: OpenDataWriter.schemaPath(summary.dataset),
                files: summary.distributions.map { file in
                    FileRow(format: file.format.label, size: file.bytes.map(Self.size) ?? "non mesurée", url: OpenDataWriter.path(summary.dataset, file.format),
                            name: "\(summary.dataset.slug).\(file.format.rawValue)")
                })
        }
        // The training offer: exported on demand (any search of /formations), so its size depends on the search.
        let formations = try await Formation.visible(on: req.db).count()
        let offerModified = try await Formation.visible(on: req.db).max(\.$updatedAt)
        blocks.append(DatasetBlock(
            slug: "formations", title: "Offre de formation",
            description: "Les formations du catalogue (niveaux, codes CFD, RNCP et ROME, statuts, organisme formateur), en entier ou pour toute recherche de la page Formations : CSV de cmq, JSON de l'API, LHEO 2.3.",
            rows: formations, modified: offerModified.map { CalendarDay(date: $0).frenchLong }, modifiedISO: offerModified.map { CalendarDay(date: $0).iso },
            schemaURL: nil,
            files: FormationExport.Format.allCases.map { format in
                FileRow(format: format == .lheo ? "LHEO 2.3 (XML)" : format.rawValue.uppercased(), size: "selon la recherche",
                        url: "/api/v1/formations.\(format.fileExtension)", name: "formations.\(format.fileExtension)")
            }))
        let context = Context(
            page: PageMeta(title: "Données ouvertes", description: "Les listes publiques des campus des métiers et des qualifications en CSV, JSON et GeoJSON, sous Licence Ouverte 2.0.",
                           section: "donnees",
                           jsonLD: StructuredData.dataCatalog(summaries, base: base)),
            datasets: blocks, licenceName: OpenDataLicence.name, licenceURL: OpenDataLicence.url,
            catalogueURL: OpenDataURL.catalogue.path)
        return try await req.view.render("donnees", context)
    }

    /// "12,4 ko", "3,1 Mo" (French units and decimal comma).
    static func size(_ bytes: Int) -> String {
        switch bytes {
        case ..<1_000: "\(bytes) octets"
        case ..<1_000_000: String(format: "%.1f ko", Double(bytes) / 1_000).replacingOccurrences(of: ".", with: ",")
        default: String(format: "%.1f Mo", Double(bytes) / 1_000_000).replacingOccurrences(of: ".", with: ",")
        }
    }

    /// `robots.txt`: everything public may be indexed, except the back-office, the account pages and the API's
    /// writes; the sitemap is named.
    @Sendable func robots(req: Request) async throws -> Response {
        let text = """
        User-agent: *
        Disallow: /gestion
        Disallow: /compte
        Disallow: /connexion
        Allow: /

        Sitemap: \(OpenDataAPIController.base(req))/sitemap.xml

        """
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    /// `sitemap.xml`: the public pages (home, lists, /donnees, every campus, organisation of a network, formation
    /// and platform). At most 50,000 addresses, as the protocol allows.
    @Sendable func sitemap(req: Request) async throws -> Response {
        let base = OpenDataAPIController.base(req)
        var urls = [RegistryURL.home.path, RegistryURL.campusList.path, CatalogueURL.search.path, OpenDataURL.page.path]
        urls += TerritoryCatalog.shared.regions.map { "/regions/\($0.slug)" }
        urls += try await Campus.query(on: req.db).sort(\.$nomCle).all(\.$id).map { "/campus/\($0.uuidString.lowercased())" }
        // Organisations that take part in a network (the others are the national directory's).
        let members = try await Membership.query(on: req.db).all(\.$organisation.$id)
        urls += Set(members).sorted { $0.uuidString < $1.uuidString }.map { "/organisations/\($0.uuidString.lowercased())" }
        urls += try await PlateauRecord.query(on: req.db).sort(\.$id).all(\.$id).map { "/plateaux/\($0.uuidString.lowercased())" }
        let room = max(0, 50_000 - urls.count)
        urls += try await Formation.visible(on: req.db).sort(\.$id).limit(room).all(\.$id).map { "/formations/\($0.uuidString.lowercased())" }
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for url in urls.prefix(50_000) {
            text += "<url><loc>\(Self.xmlEscaped(base + url))</loc></url>\n"
        }
        text += "</urlset>\n"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
    }
}
