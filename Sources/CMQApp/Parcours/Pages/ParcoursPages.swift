import CMQDomain
import Fluent
import Vapor

/// What the flows page shows: each transition as a diagram and its table twin, masked for the reader's audience.
struct ParcoursFlowsPage: Encodable {
    struct Count: Encodable {
        var texte: String
        var masque: Bool
    }

    struct Figure: Encodable {
        var label: String
        var count: Count
    }

    struct Row: Encodable {
        var label: String
        var cells: [Count]
        var total: Count
    }

    struct TableView: Encodable {
        var id: String
        var caption: String
        var svg: String
        var headers: [String]
        var rows: [Row]
        var columnTotals: [Count]
        var grandTotal: Count
        var figures: [Figure]
        var statusChanges: [Figure]
        var losses: [Figure]
    }

    var page: PageMeta
    var campus: LinkItem
    var audience: String
    var threshold: Int
    var isDemo: Bool
    var hasData: Bool
    var years: String
    var tables: [TableView]
    var uploadURL: String?
    var apiURL: String

    static func count(_ shown: ShownCount) -> Count { Count(texte: shown.texte, masque: shown.masque) }

    static func load(campusID: UUID, caller: Caller, on db: any Database) async throws -> ParcoursFlowsPage {
        guard let campus = try await Campus.find(campusID, on: db) else {
            throw AppError.notFound("Aucun campus n'a l'identifiant \(campusID.uuidString.lowercased()).")
        }
        let audience = try await ParcoursAudience.of(caller, campus: campus, on: db)
        let report = try await ParcoursReport.load(campus: campus, audience: audience, on: db)
        let isDemo = try await ParcoursDemo.isDemo(campusID: campusID, on: db)
        let tables = report.tables.map { table in
            let caption = "Devenir en \(table.to) des apprenants de \(table.from)"
            return TableView(
                id: "flux-\(table.from.start)",
                caption: caption,
                svg: FlowDiagram.svg(table, title: caption),
                headers: table.columns.map(\.label),
                rows: table.rows.map { Row(label: $0.place.label, cells: $0.cells.map(count), total: count($0.total)) },
                columnTotals: table.columnTotals.map(count),
                grandTotal: count(table.grandTotal),
                figures: [Figure(label: "Apprenants de \(table.from)", count: count(table.learners)),
                          Figure(label: "Poursuite dans le réseau en \(table.to)", count: count(table.continuingInNetwork))]
                    + table.exits.map { Figure(label: $0.label, count: count($0.count)) },
                statusChanges: table.statusChanges.map { Figure(label: $0.label, count: count($0.count)) },
                losses: table.lossesByEstablishment.map { Figure(label: $0.label, count: count($0.count)) })
        }
        let mayUpload = caller.actor.map { $0.role == .equipeCampus && $0.campusID == campusID || $0.role == .membre || $0.role == .administrateurNational } ?? false
        return ParcoursFlowsPage(
            page: PageMeta(title: "Parcours des apprenants — \(campus.nom)",
                           description: "Les flux des apprenants entre les établissements du réseau du campus \(campus.nom), pseudonymisés et masqués sous le seuil de diffusion."),
            campus: LinkItem(label: campus.nom, url: RegistryURL.campus(campusID).path),
            audience: audience.label, threshold: audience.threshold, isDemo: isDemo, hasData: report.stepsCount > 0,
            years: report.years.map(\.description).joined(separator: ", "), tables: tables,
            uploadURL: mayUpload ? ParcoursURL.upload.path : nil, apiURL: ParcoursURL.apiFlows(campusID).path)
    }
}

/// The back-office upload page: the establishments the account may send for, the files already sent, the layout.
struct ParcoursUploadPage: Encodable {
    struct Sent: Encodable {
        var organisation: String
        var uai: String
        var annee: String
        var etapes: Int
        var date: String
        var auteur: String
    }

    var page: PageMeta
    var organisations: [OptionItem]
    var sent: [Sent]
    var errors: [String]
    var notice: String?
    var keyMissing: Bool
    var exampleURL: String
    var columns: String
    var campusFlows: [LinkItem]

    static func load(caller: Caller, key: String?, selected: String?, errors: [String], notice: String?, on db: any Database) async throws -> ParcoursUploadPage {
        let organisations = try await uploadable(caller, on: db)
        let ids = organisations.compactMap(\.id)
        let sent = ids.isEmpty ? [] : try await ParcoursEnvoi.query(on: db).filter(\.$organisation.$id ~~ ids).with(\.$organisation)
            .sort(\.$annee, .descending).sort(\.$uai).range(..<200).all()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        var campuses: [LinkItem] = []
        if ids.count <= 50 {
            let memberships = try await Membership.query(on: db).filter(\.$organisation.$id ~~ ids).with(\.$campus).all()
            var seen: Set<UUID> = []
            for membership in memberships where seen.insert(membership.campus.id!).inserted {
                campuses.append(LinkItem(label: membership.campus.nom, url: ParcoursURL.flows(membership.campus.id!).path))
            }
        }
        return ParcoursUploadPage(
            page: PageMeta(title: "Envoyer les parcours des apprenants", section: "gestion"),
            organisations: organisations.map { OptionItem(value: $0.id!.uuidString.lowercased(), label: "\($0.nom) (\($0.uai ?? ""))",
                                                          selected: $0.id!.uuidString.lowercased() == selected) },
            sent: sent.map { Sent(organisation: $0.organisation.nom, uai: $0.uai, annee: $0.schoolYear.description, etapes: $0.etapes,
                                  date: $0.createdAt.map { formatter.string(from: $0) } ?? "", auteur: $0.auteur) },
            errors: errors, notice: notice, keyMissing: key == nil, exampleURL: ParcoursURL.example.path,
            columns: ParcoursCSV.columns.joined(separator: ";"), campusFlows: campuses.sorted { $0.label < $1.label })
    }

    /// The establishments (with a UAI, in a network) whose pathways the account may send.
    static func uploadable(_ caller: Caller, on db: any Database) async throws -> [Organisation] {
        guard let actor = caller.actor else { return [] }
        let query = Organisation.query(on: db).filter(\.$uai != nil).sort(\.$nom)
        switch actor.role {
        case .membre:
            guard let id = actor.organisationID else { return [] }
            query.filter(\.$id == id)
        case .equipeCampus:
            guard let campusID = actor.campusID else { return [] }
            let ids = try await Membership.query(on: db).filter(\.$campus.$id == campusID).all().map(\.$organisation.id)
            query.filter(\.$id ~~ ids)
        case .administrateurNational:
            let ids = Set(try await Membership.query(on: db).all().map(\.$organisation.id))
            query.filter(\.$id ~~ Array(ids))
        case .regionAcademique, .instance:
            return []
        }
        return try await query.all()
    }
}

/// `/campus/:campusID/parcours`, `/parcours/exemple-parcours.csv`, `/gestion/parcours`.
struct ParcoursPagesController {
    @Sendable func flows(req: Request) async throws -> View {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        return try await req.view.render("parcours/flux", try await ParcoursFlowsPage.load(campusID: id, caller: req.caller, on: req.db))
    }

    @Sendable func example(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: ParcoursCSV.example()))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "exemple-parcours.csv")
        return response
    }

    @Sendable func uploadForm(req: Request) async throws -> Response {
        let notice = req.query[String.self, at: "fait"] == "import" ? req.query[String.self, at: "resume"] : nil
        return try await render(req, selected: nil, errors: [], notice: notice.map { String($0.prefix(300)) }, status: .ok)
    }

    struct UploadForm: Content {
        var organisation: String?
        var fichier: File?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        let selected = form.organisation?.trimmingCharacters(in: .whitespaces)
        do {
            guard let raw = selected, let organisationID = UUID(uuidString: raw) else {
                throw AppError.validation([FieldError("organisation", "Choisissez l'établissement dont vous envoyez les parcours.")])
            }
            guard let file = form.fichier, file.data.readableBytes > 0 else {
                throw AppError.validation([FieldError("fichier", "Choisissez le fichier CSV des parcours.")])
            }
            let text: String
            do { text = try TextEncoding.decode(Data(buffer: file.data)).text } catch {
                throw AppError.validation([FieldError("fichier", error.description)])
            }
            let report = try await ParcoursService(db: req.db, caller: req.caller, key: req.application.cmqConfig.pseudonymKey)
                .importFile(text, organisationID: organisationID)
            return req.redirect(to: ParcoursURL.upload.path(query: ["fait": "import", "resume": report.summary]), redirectType: .normal)
        } catch AppError.validation(let errors) {
            return try await render(req, selected: selected, errors: errors.map(\.detail), notice: nil, status: .unprocessableEntity)
        } catch AppError.conflict(let detail) {
            return try await render(req, selected: selected, errors: [detail], notice: nil, status: .conflict)
        }
    }

    func render(_ req: Request, selected: String?, errors: [String], notice: String?, status: HTTPResponseStatus) async throws -> Response {
        let context = try await ParcoursUploadPage.load(caller: req.caller, key: req.application.cmqConfig.pseudonymKey, selected: selected,
                                                        errors: errors, notice: notice, on: req.db)
        return try await req.view.render("parcours/envoi", context).encodeResponse(status: status, for: req)
    }
}
