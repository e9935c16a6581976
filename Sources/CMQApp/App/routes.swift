import Vapor

/// cmq's routes: each feature lists its own in its `<Feature>Routes` collection; this file only mounts them.
func routes(_ app: Application) throws {
    let doors = RouteDoors(app)
    // Public site, accounts and back-office (HTML, French)
    try app.register(collection: RegistryRoutes(doors: doors))
    try app.register(collection: CatalogueRoutes(doors: doors))
    try app.register(collection: AccountsRoutes(doors: doors))
    try app.register(collection: NotificationsRoutes(doors: doors))
    try app.register(collection: AuditRoutes(doors: doors))
    try app.register(collection: AboutRoutes(doors: doors))
    try app.register(collection: SearchRoutes(doors: doors))
    // Labelling and shared platforms (pages, back-office and API)
    try app.register(collection: LabellingRoutes(doors: doors))
    try app.register(collection: PlateauxRoutes(doors: doors))
    // A campus's indicators: computed, entered, targets
    try app.register(collection: IndicatorsRoutes(doors: doors))
    // Dashboards: national, région académique, campus (charts, table twins, CSV with Table Schema)
    try app.register(collection: DashboardRoutes(doors: doors))
    // Pseudonymised pathways: a campus's flows, the yearly upload of its members (pages and API)
    try app.register(collection: ParcoursRoutes(doors: doors))
    // Actions and events of the campuses (public list and pages, registration, feeds)
    try app.register(collection: ActionsRoutes(doors: doors))
    // "Ma réussite pro": testimonies, their media (range requests) and their API
    try app.register(collection: TemoignagesRoutes(doors: doors))
    // Insertion: InserJeunes figures (definitions, ranking, API)
    try app.register(collection: InsertionRoutes(doors: doors))
    // Open data: /donnees, the datasets and their schemas, the DCAT-AP catalogue, robots.txt and sitemap.xml
    try app.register(collection: OpenDataRoutes(doors: doors))
    // API v1: reference lists and the OpenAPI document
    try app.register(collection: ReferentielsRoutes(doors: doors))
    try app.register(collection: OpenAPIRoutes(doors: doors))
    // Operations: the liveness and readiness probes (/sante, /sante/pret), the Prometheus scrape (/metriques)
    try app.register(collection: HealthRoutes())
    try app.register(collection: MetricsRoutes())
}

/// The three ways into cmq's routes, with their middleware. Every route knows who is signed in (session cookie
/// or API token).
struct RouteDoors: Sendable {
    /// HTML pages and forms: a session, and a CSRF token on every form.
    let web: [any Middleware]
    /// HTML pages that need an account (the back-office, one's account).
    let signedIn: [any Middleware]
    /// JSON under /api/v1: reads public unless a service says otherwise; writes with an API token only.
    let api: [any Middleware]

    init(_ app: Application) {
        let session = SessionSetup.middleware(app)
        web = session + [UnreadNotificationsMiddleware(), CSRFMiddleware()]
        signedIn = web + [RequireAccountMiddleware(writesOnly: false)]
        api = session + [RequireAccountMiddleware(writesOnly: true)]
    }

    // The paths are whole (`/gestion/…`, `/api/v1/…`): each feature's `<Feature>URL` enum spells them.
    func web(_ routes: any RoutesBuilder) -> any RoutesBuilder { routes.grouped(web) }
    func signedIn(_ routes: any RoutesBuilder) -> any RoutesBuilder { routes.grouped(signedIn) }
    func api(_ routes: any RoutesBuilder) -> any RoutesBuilder { routes.grouped(api) }
}
