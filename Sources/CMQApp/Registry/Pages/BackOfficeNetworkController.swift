import CMQDomain
import Fluent
import Vapor

/// `/gestion/campus/:campusID/membres`: the network of a campus, to add organisations to it and to remove them.
/// The values are checked by `MembershipInput` and written by `NetworkService`, as for the API.
struct BackOfficeNetworkController {
    @Sendable func page(req: Request) async throws -> View {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try Self.campusID(req))
        try req.caller.authorize(.update, .network(campusID: try campus.requireID(), regionCode: campus.regionCode))
        let values = FormValues(fields: ["recherche": req.query[String.self, at: "recherche"] ?? "",
                                         "role": MembershipRole.membre.rawValue])
        return try await render(req, campus: campus, state: FormState(values: values))
    }

    @Sendable func add(req: Request) async throws -> Response {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try Self.campusID(req))
        let id = try campus.requireID()
        let values = try FormValues(req)
        return try await req.submitForm(values, show: { state in try await render(req, campus: campus, state: state) }) {
            var reader = InputReader(form: values.fields, mode: .create)
            let input = MembershipInput.read(&reader)
            try reader.finish()
            guard let input else { throw AppError.validation(reader.errors) }
            do {
                _ = try await NetworkService(db: req.db, caller: req.caller).add(input, to: id)
            } catch AppError.conflict(let detail) {
                throw FormRefusal.conflict(detail, at: "organisationId")
            }
            return RegistryURL.network(id).path + "?ajoute=1"
        }
    }

    @Sendable func confirmRemoval(req: Request) async throws -> View {
        let campus = try await CampusService(db: req.db, caller: req.caller).find(try Self.campusID(req))
        let campusID = try campus.requireID()
        try req.caller.authorize(.update, .network(campusID: campusID, regionCode: campus.regionCode))
        let membershipID = try req.uuidParameter("membreID", notFound: "Aucun membre")
        guard let membership = try await Membership.query(on: req.db)
            .filter(\.$id == membershipID).filter(\.$campus.$id == campusID).with(\.$organisation).first() else {
            throw AppError.notFound("Le campus n'a pas de membre d'identifiant \(membershipID.uuidString.lowercased()).")
        }
        let context = MembershipRemovalContext(
            page: PageMeta(title: "Retirer \(membership.organisation.nom) du réseau du campus \(campus.nom)", section: "gestion"),
            organisation: membership.organisation.nom, organisationURL: RegistryURL.organisation(membership.$organisation.id).path,
            role: membership.role.label,
            campus: campus.nom, campusURL: RegistryURL.campus(campusID).path, networkURL: RegistryURL.network(campusID).path,
            action: RegistryURL.membershipRemoval(campus: campusID, membership: membershipID).path)
        return try await req.view.render("gestion/membre-retirer", context)
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let campusID = try Self.campusID(req)
        try await NetworkService(db: req.db, caller: req.caller).remove(try req.uuidParameter("membreID", notFound: "Aucun membre"), from: campusID)
        return req.redirect(to: RegistryURL.network(campusID).path + "?retire=1", redirectType: .normal)
    }

    // MARK: the page

    private func render(_ req: Request, campus: Campus, state: FormState) async throws -> View {
        let context = try await NetworkPage.load(campus: campus, state: state, added: req.query[String.self, at: "ajoute"] == "1",
                                                 removed: req.query[String.self, at: "retire"] == "1", caller: req.caller, on: req.db)
        return try await req.view.render("gestion/membres", context)
    }

    private static func campusID(_ req: Request) throws -> UUID {
        try req.uuidParameter("campusID", notFound: "Aucun campus")
    }
}

/// The back-office search for organisations: the words of a name, or an exact UAI or SIRET.
enum OrganisationSearch {
    static let limit = 20

    static func run(_ text: String, on db: any Database) async throws -> Page<Organisation> {
        var filter = OrganisationFilter()
        if let uai = try? UAI(text) {
            filter.uai = uai
        } else if let siret = try? SIRET(text) {
            filter.siret = siret
        } else {
            filter.q = text
        }
        return try await filter.apply(to: Organisation.query(on: db)).sort(\.$nomCle).paginated(PageRequest(page: 1, per: limit))
    }
}

/// An organisation found by the search, to choose (network page) or to open (back-office home).
struct OrganisationChoice: Encodable {
    var id: String
    var radioID: String
    var nom: String
    var details: String
    var url: String
    var editURL: String
    var isMember: Bool
    var checked: Bool

    init(_ organisation: Organisation, radioID: String = "", isMember: Bool = false, checked: Bool = false) {
        let id = organisation.id!
        self.id = id.uuidString.lowercased()
        self.radioID = radioID
        self.nom = organisation.nom
        self.details = [organisation.kind.label, organisation.commune,
                        organisation.uai.map { "UAI \($0)" }, organisation.siret.map { "SIRET \($0)" }]
            .compactMap { $0 }.joined(separator: " · ")
        self.url = RegistryURL.organisation(id).path
        self.editURL = RegistryURL.organisationEdit(id).path
        self.isMember = isMember
        self.checked = checked
    }
}

struct NetworkMemberRow: Encodable {
    var row: MemberRow
    var removeURL: String
}

struct NetworkPageContext: Encodable {
    var page: PageMeta
    var campus: String
    var campusURL: String
    var added: Bool
    var removed: Bool
    var members: [NetworkMemberRow]
    var searchURL: String
    var recherche: String
    var searched: Bool
    var total: Int
    var choices: [OrganisationChoice]
    var organisationError: String?
    var action: String
    var fields: [FormField]
    var errors: [ErrorLink]
    var newOrganisationURL: String
}

struct MembershipRemovalContext: Encodable {
    var page: PageMeta
    var organisation: String
    var organisationURL: String
    var role: String
    var campus: String
    var campusURL: String
    var networkURL: String
    var action: String
}
