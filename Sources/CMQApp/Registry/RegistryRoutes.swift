import Vapor

/// The registry: public pages (home and map, régions, campuses, organisations), the back-office of campuses,
/// networks and organisations, and the API of campuses and organisations.
struct RegistryRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        let web = doors.web(routes)
        let site = SiteController()
        web.get(use: site.home)
        web.get("campus", use: site.campusList)
        web.get("campus", ":campusID", use: site.campusPage)
        web.get("organisations", ":organisationID", use: site.organisationPage)
        web.get("regions", ":region", use: site.regionPage)

        // Back-office
        let gestion = doors.gestion(routes)
        gestion.get(use: BackOfficeController().home)
        let campusForms = BackOfficeCampusController()
        gestion.get("campus", "nouveau", use: campusForms.newForm)
        gestion.post("campus", "nouveau", use: campusForms.create)
        gestion.get("campus", ":campusID", "modifier", use: campusForms.editForm)
        gestion.post("campus", ":campusID", "modifier", use: campusForms.update)
        gestion.get("campus", ":campusID", "supprimer", use: campusForms.confirmDelete)
        gestion.post("campus", ":campusID", "supprimer", use: campusForms.delete)
        let network = BackOfficeNetworkController()
        gestion.get("campus", ":campusID", "membres", use: network.page)
        gestion.post("campus", ":campusID", "membres", use: network.add)
        gestion.get("campus", ":campusID", "membres", ":membreID", "retirer", use: network.confirmRemoval)
        gestion.post("campus", ":campusID", "membres", ":membreID", "retirer", use: network.remove)
        let organisationForms = BackOfficeOrganisationController()
        gestion.get("organisations", "nouvelle", use: organisationForms.newForm)
        gestion.post("organisations", "nouvelle", use: organisationForms.create)
        gestion.get("organisations", ":organisationID", "modifier", use: organisationForms.editForm)
        gestion.post("organisations", ":organisationID", "modifier", use: organisationForms.update)
        gestion.get("organisations", ":organisationID", "supprimer", use: organisationForms.confirmDelete)
        gestion.post("organisations", ":organisationID", "supprimer", use: organisationForms.delete)

        // API: campuses and their networks, organisations
        let api = doors.api(routes)
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
        let organisations = OrganisationsAPIController()
        api.get("organisations", use: organisations.list)
        api.post("organisations", use: organisations.create)
        api.get("organisations", ":organisationID", use: organisations.get)
        api.patch("organisations", ":organisationID", use: organisations.update)
        api.delete("organisations", ":organisationID", use: organisations.delete)
    }
}
