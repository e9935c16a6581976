import Fluent
import Foundation

/// The pathways' addresses: a campus's flows, the example file, the back-office upload, the API. `nil`: the route's keys.
enum ParcoursURL: RouteURL, Equatable {
    case flows(UUID?)
    case example
    case upload
    case apiFlows(UUID?)
    case apiUpload(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .flows(let id): ["campus", .id("campusID", id), "parcours"]
        case .example: ["parcours", .constant("exemple-parcours.csv")]
        case .upload: ["gestion", "parcours"]
        case .apiFlows(let id): ["api", "v1", "campus", .id("campusID", id), "parcours"]
        case .apiUpload(let id): ["api", "v1", "organisations", .id("organisationID", id), "parcours"]
        }
    }
}

extension ParcoursURL {
    /// The campus page's link to the pathways: for the readers of the internal flows and the network's members
    /// always, for everybody once pathways are stored (the public view, masked under the public threshold).
    static func link(campus: Campus, caller: Caller, on db: any Database) async throws -> String? {
        let id = try campus.requireID()
        if caller.may(.read, .parcours(campusID: id, regionCode: campus.regionCode)) { return flows(id).path }
        let members = try await Membership.query(on: db).filter(\.$campus.$id == id).all().map(\.$organisation.id)
        if let organisation = caller.actor?.organisationID, members.contains(organisation) { return flows(id).path }
        guard !members.isEmpty, try await ParcoursEnvoi.query(on: db).filter(\.$organisation.$id ~~ members).first() != nil else { return nil }
        return flows(id).path
    }
}
