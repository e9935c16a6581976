import Vapor

/// The one route map of cmq.
func routes(_ app: Application) throws {
    // Every route knows who is signed in (session cookie or API token); HTML forms carry a CSRF token.
    let web = app.grouped(SessionSetup.middleware(app)).grouped(CSRFMiddleware())

    // MARK: - Public site (HTML, French)
    let site = SiteController()
    web.get(use: site.home)
    web.get("campus", use: site.campusList)
    web.get("campus", ":campusID", use: site.campusPage)
    web.get("organisations", ":organisationID", use: site.organisationPage)
    web.get("regions", ":region", use: site.regionPage)
    let catalogue = CatalogueController()
    web.get("formations", use: catalogue.search)
    web.get("formations", ":formationID", use: catalogue.formation)

    // MARK: - Accounts
    let account = AccountController()
    web.get("connexion", use: account.loginForm)
    web.post("connexion", use: account.login)
    web.post("deconnexion", use: account.logout)
    let signedIn = web.grouped(RequireAccountMiddleware(writesOnly: false))
    signedIn.get("compte", use: account.account)
    signedIn.post("compte", "mot-de-passe", use: account.changePassword)
    signedIn.post("compte", "jetons", use: account.createToken)
    signedIn.post("compte", "jetons", ":tokenID", "revoquer", use: account.revokeToken)

    // MARK: - Back-office (HTML forms, signed in; the services check each role's scope)
    try backOfficeRoutes(signedIn)
    let audit = AuditController()
    signedIn.get("gestion", "journal", use: audit.search)

    // MARK: - API v1 (JSON; writes need an account, by API token or session)
    let api = app.grouped(SessionSetup.middleware(app)).grouped(RequireAccountMiddleware(writesOnly: true)).grouped("api", "v1")
    let openAPI = OpenAPIController()
    api.get("openapi.json", use: openAPI.document)

    // Reference lists
    let referentiels = ReferentielsAPIController()
    api.get("referentiels", "filieres", use: referentiels.filieres)
    api.get("referentiels", "regions", use: referentiels.regions)
    api.get("referentiels", "academies", use: referentiels.academies)
    api.get("referentiels", "diplomes", use: referentiels.diplomes)
    api.get("referentiels", "diplomes", ":cfd", use: referentiels.diplome)
    api.get("referentiels", "niveaux-diplome", use: referentiels.niveauxDiplome)
    api.get("referentiels", "rome", use: referentiels.romes)
    api.get("referentiels", "formations-onisep", use: referentiels.formationsOnisep)

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

    // Training offer: formations, a campus's offer and its coverage
    let formations = FormationsAPIController()
    api.get("formations", use: formations.list)
    api.get("formations.csv", use: formations.exportHandler(.csv))
    api.get("formations.json", use: formations.exportHandler(.json))
    api.get("formations.lheo.xml", use: formations.exportHandler(.lheo))
    api.post("formations", use: formations.create)
    api.get("formations", ":formationID", use: formations.get)
    api.patch("formations", ":formationID", use: formations.update)
    api.delete("formations", ":formationID", use: formations.delete)
    api.get("campus", ":campusID", "offre", use: formations.offer)
    api.post("campus", ":campusID", "formations", use: formations.attach)
    api.delete("campus", ":campusID", "formations", ":formationID", use: formations.detach)
    api.get("campus", ":campusID", "couverture", use: formations.coverage)

    // Organisations
    let organisations = OrganisationsAPIController()
    api.get("organisations", use: organisations.list)
    api.post("organisations", use: organisations.create)
    api.get("organisations", ":organisationID", use: organisations.get)
    api.patch("organisations", ":organisationID", use: organisations.update)
    api.delete("organisations", ":organisationID", use: organisations.delete)
}
