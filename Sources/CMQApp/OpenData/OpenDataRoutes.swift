import Vapor

/// Open data: the page /donnees, the datasets as files with their Table Schemas, the DCAT-AP catalogue, and
/// what search engines read (`robots.txt`, `sitemap.xml`).
struct OpenDataRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        let pages = OpenDataPageController()
        let web = doors.web(routes)
        web.get("donnees", use: pages.page)
        routes.get("robots.txt", use: pages.robots)
        routes.get("sitemap.xml", use: pages.sitemap)

        let api = doors.api(routes)
        let files = OpenDataAPIController()
        api.get("donnees", "catalogue.jsonld", use: files.catalogue)
        for dataset in OpenDataset.all {
            for format in dataset.formats {
                api.get("donnees", "\(dataset.slug).\(format.rawValue)", use: files.file(dataset, format))
            }
            api.get("donnees", "\(dataset.slug).schema.json", use: files.schema(dataset))
        }
    }
}
