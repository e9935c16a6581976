import CMQDomain
import Vapor

/// The legal notice, personal data, accessibility statement, site map, contact page and API documentation.
/// Who publishes the instance, how to reach them and who hosts it are the operator's to say
/// (`CMQ_EDITEUR`, `CMQ_CONTACT`, `CMQ_HEBERGEUR`); the pages say plainly when they are not given.
struct AboutController {
    struct Context: Encodable {
        var page: PageMeta
        var publisher: String?
        var contact: String?
        var hosting: String?
        var sections: [SiteMapSection]
        /// How many school years of pathway steps are kept (`CMQ_PARCOURS_RETENTION`).
        var parcoursRetention: Int
    }

    struct SiteMapSection: Encodable {
        var title: String
        var links: [LinkItem]
    }

    private func render(_ req: Request, _ template: String, _ title: String, sections: [SiteMapSection] = []) async throws -> View {
        let about = req.application.cmqConfig.about
        return try await req.view.render("about/\(template)", Context(
            page: PageMeta(title: title, section: "apropos"), publisher: about.publisher, contact: about.contact, hosting: about.hosting,
            sections: sections, parcoursRetention: req.application.cmqConfig.parcoursRetentionYears))
    }

    @Sendable func mentionsLegales(req: Request) async throws -> View {
        try await render(req, "mentions-legales", "Mentions légales")
    }

    @Sendable func donneesPersonnelles(req: Request) async throws -> View {
        try await render(req, "donnees-personnelles", "Données personnelles")
    }

    @Sendable func accessibilite(req: Request) async throws -> View {
        try await render(req, "accessibilite", "Déclaration d'accessibilité")
    }

    @Sendable func contact(req: Request) async throws -> View {
        try await render(req, "contact", "Contact")
    }

    @Sendable func planDuSite(req: Request) async throws -> View {
        let sections = [
            SiteMapSection(title: "Le registre", links: [
                LinkItem(label: "Accueil et carte des campus", url: RegistryURL.home.path),
                LinkItem(label: "Tous les campus", url: RegistryURL.campusList.path),
                LinkItem(label: "Rechercher partout (formations, campus, établissements, lieux)", url: SearchURL.everything.path),
                LinkItem(label: "Formations", url: CatalogueURL.search.path),
                LinkItem(label: "Campus classés par devenir favorable (insertion et poursuite d'études)", url: InsertionURL.classement.path),
                LinkItem(label: "Insertion et poursuite d'études : définitions", url: InsertionURL.definitions.path),
                LinkItem(label: "Tableau de bord national (indicateurs, labels, couverture)", url: DashboardURL.national.path),
            ]),
            SiteMapSection(title: "Régions académiques", links: TerritoryCatalogLinks.regions),
            SiteMapSection(title: "Espace de gestion", links: [
                LinkItem(label: "Se connecter", url: AccountsURL.login.path),
                LinkItem(label: "Gestion du registre", url: RegistryURL.gestion.path),
                LinkItem(label: "Dossiers de labellisation", url: LabellingURL.dossiers.path),
                LinkItem(label: "Réservations des plateaux techniques", url: PlateauxURL.bookings.path),
            ]),
            SiteMapSection(title: "Réutiliser les données", links: [
                LinkItem(label: "Documentation de l'API", url: AboutURL.apiDocumentation.path),
                LinkItem(label: "Description OpenAPI 3.1 (JSON)", url: OpenAPIURL.document.path),
            ]),
            SiteMapSection(title: "À propos", links: [
                LinkItem(label: "Mentions légales", url: AboutURL.mentionsLegales.path),
                LinkItem(label: "Données personnelles", url: AboutURL.donneesPersonnelles.path),
                LinkItem(label: "Accessibilité : partiellement conforme", url: AboutURL.accessibilite.path),
                LinkItem(label: "Contact", url: AboutURL.contact.path),
            ]),
        ]
        return try await render(req, "plan-du-site", "Plan du site", sections: sections)
    }

    @Sendable func apiDocumentation(req: Request) async throws -> View {
        try await req.view.render("about/api", APIDocPage.shared.context(baseURL: OpenDataAPIController.base(req)))
    }
}

/// The régions académiques, as links to their pages.
enum TerritoryCatalogLinks {
    static var regions: [LinkItem] {
        TerritoryCatalog.shared.regions.map { LinkItem(label: $0.nom, url: RegistryURL.region($0.slug).path) }
    }
}
