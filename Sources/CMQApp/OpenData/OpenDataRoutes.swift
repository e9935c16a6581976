import Vapor

/// Open data: the page /donnees, the datasets as files with their Table Schemas, the DCAT-AP catalogue, and
/// what search engines read (`robots.txt`, `sitemap.xml`).
struct OpenDataRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = OpenDataURL
        let pages = OpenDataPageController()
        let web = doors.web(routes)
        web.get(U.page, use: pages.page)
        routes.get(U.robots, use: pages.robots)
        routes.get(U.sitemap, use: pages.sitemap)

        let api = doors.api(routes)
        let files = OpenDataAPIController()
        api.get(U.catalogue, use: files.catalogue)
        for dataset in OpenDataset.all {
            for format in dataset.formats {
                api.get(U.file(dataset: dataset.slug, format: format.rawValue), use: files.file(dataset, format))
            }
            api.get(U.schema(dataset: dataset.slug), use: files.schema(dataset))
        }
    }
}
