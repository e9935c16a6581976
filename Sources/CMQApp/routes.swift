import Vapor

/// The one route map of cmq.
func routes(_ app: Application) throws {
    // MARK: - Public site (HTML, French)
    let site = SiteController()
    app.get(use: site.home)
    app.get("campus", use: site.campusList)
    app.get("campus", ":campusID", use: site.campusPage)
    app.get("organisations", ":organisationID", use: site.organisationPage)
    app.get("regions", ":region", use: site.regionPage)

    // MARK: - Back-office (HTML forms; the accounts issue will guard them)
    try backOfficeRoutes(app)

    // MARK: - API v1 (JSON)
    let api = app.grouped("api", "v1")
    let openAPI = OpenAPIController()
    api.get("openapi.json", use: openAPI.document)

    // Reference lists
    let referentiels = ReferentielsAPIController()
    api.get("referentiels", "filieres", use: referentiels.filieres)
    api.get("referentiels", "regions", use: referentiels.regions)
    api.get("referentiels", "academies", use: referentiels.academies)

    // Campuses and their networks (writes will be guarded by the accounts issue)
    let campus = CampusAPIController()
    api.get("campus", use: campus.list)
    api.post("campus", use: campus.create)
    api.get("campus", ":campusID", use: campus.get)
    api.patch("campus", ":campusID", use: campus.update)
    api.delete("campus", ":campusID", use: campus.delete)
    api.get("campus", ":campusID", "membres", use: campus.members)
    api.post("campus", ":campusID", "membres", use: campus.addMember)
    api.delete("campus", ":campusID", "membres", ":membreID", use: campus.removeMember)
    api.get("campus", ":campusID", "conformite", use: campus.compliance)

    // Organisations
    let organisations = OrganisationsAPIController()
    api.get("organisations", use: organisations.list)
    api.post("organisations", use: organisations.create)
    api.get("organisations", ":organisationID", use: organisations.get)
    api.patch("organisations", ":organisationID", use: organisations.update)
    api.delete("organisations", ":organisationID", use: organisations.delete)
}
