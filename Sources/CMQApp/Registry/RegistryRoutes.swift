import Vapor

/// The registry: public pages (home and map, régions, campuses, organisations), the back-office of campuses,
/// networks and organisations, and the API of campuses and organisations.
struct RegistryRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = RegistryURL
        let web = doors.web(routes)
        let site = SiteController()
        web.get(U.home, use: site.home)
        web.get(U.campusList, use: site.campusList)
        web.get(U.campus(nil), use: site.campusPage)
        web.get(U.organisation(nil), use: site.organisationPage)
        web.get(U.region(nil), use: site.regionPage)

        // Back-office
        let gestion = doors.signedIn(routes)
        gestion.get(U.gestion, use: BackOfficeController().home)
        let campusForms = BackOfficeCampusController()
        gestion.get(U.campusNew, use: campusForms.newForm)
        gestion.post(U.campusNew, use: campusForms.create)
        gestion.get(U.campusEdit(nil), use: campusForms.editForm)
        gestion.post(U.campusEdit(nil), use: campusForms.update)
        gestion.get(U.campusDelete(nil), use: campusForms.confirmDelete)
        gestion.post(U.campusDelete(nil), use: campusForms.delete)
        let network = BackOfficeNetworkController()
        gestion.get(U.network(nil), use: network.page)
        gestion.post(U.network(nil), use: network.add)
        gestion.get(U.membershipRemoval(campus: nil, membership: nil), use: network.confirmRemoval)
        gestion.post(U.membershipRemoval(campus: nil, membership: nil), use: network.remove)
        let organisationForms = BackOfficeOrganisationController()
        gestion.get(U.organisationNew, use: organisationForms.newForm)
        gestion.post(U.organisationNew, use: organisationForms.create)
        gestion.get(U.organisationEdit(nil), use: organisationForms.editForm)
        gestion.post(U.organisationEdit(nil), use: organisationForms.update)
        gestion.get(U.organisationDelete(nil), use: organisationForms.confirmDelete)
        gestion.post(U.organisationDelete(nil), use: organisationForms.delete)

        // API: campuses and their networks, organisations
        let api = doors.api(routes)
        let campus = CampusAPIController()
        api.get(U.apiCampusList, use: campus.list)
        api.post(U.apiCampusList, use: campus.create)
        api.get(U.apiCampus(nil), use: campus.get)
        api.patch(U.apiCampus(nil), use: campus.update)
        api.delete(U.apiCampus(nil), use: campus.delete)
        api.get(U.apiCampusMembers(nil), use: campus.members)
        api.post(U.apiCampusMembers(nil), use: campus.addMember)
        api.delete(U.apiCampusMember(campus: nil, membership: nil), use: campus.removeMember)
        api.get(U.apiCampusCompliance(nil), use: campus.compliance)
        let organisations = OrganisationsAPIController()
        api.get(U.apiOrganisations, use: organisations.list)
        api.post(U.apiOrganisations, use: organisations.create)
        api.get(U.apiOrganisation(nil), use: organisations.get)
        api.patch(U.apiOrganisation(nil), use: organisations.update)
        api.delete(U.apiOrganisation(nil), use: organisations.delete)
    }
}
