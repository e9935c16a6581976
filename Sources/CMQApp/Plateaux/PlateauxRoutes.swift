import Vapor

/// Shared technical platforms: the public page and the booking form, the back-office of platforms and
/// bookings, the API (platforms, equipment, availability, statistics, calendars, bookings).
struct PlateauxRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = PlateauxURL
        let pages = PlateauPagesController()
        doors.web(routes).get(U.page(nil), use: pages.page)
        doors.signedIn(routes).post(U.book(nil), use: pages.book)

        let gestion = doors.signedIn(routes)
        let forms = PlateauFormPagesController()
        gestion.get(U.new, use: forms.newForm)
        gestion.post(U.new, use: forms.create)
        gestion.get(U.edit(nil), use: forms.editForm)
        gestion.post(U.edit(nil), use: forms.update)
        gestion.get(U.delete(nil), use: forms.confirmDelete)
        gestion.post(U.delete(nil), use: forms.delete)
        let bookings = PlateauBookingPagesController()
        gestion.get(U.bookings, use: bookings.page)
        gestion.get(U.bookingsCSV, use: bookings.csv)
        gestion.post(U.decision(nil, .accepter), use: bookings.accept)
        gestion.post(U.decision(nil, .refuser), use: bookings.refuse)
        gestion.post(U.decision(nil, .annuler), use: bookings.cancel)

        let api = doors.api(routes)
        let plateaux = PlateauxAPIController()
        api.get(U.apiPlateaux, use: plateaux.list)
        api.post(U.apiPlateaux, use: plateaux.create)
        api.get(U.apiPlateau(nil), use: plateaux.get)
        api.patch(U.apiPlateau(nil), use: plateaux.update)
        api.delete(U.apiPlateau(nil), use: plateaux.delete)
        api.get(U.apiEquipements(nil), use: plateaux.equipements)
        api.post(U.apiEquipements(nil), use: plateaux.addEquipement)
        api.delete(U.apiEquipement(plateau: nil, equipement: nil), use: plateaux.removeEquipement)
        api.get(U.apiAvailability(nil), use: plateaux.availability)
        api.get(U.apiStatistics(nil), use: plateaux.statistics)
        api.get(U.apiCampusStatistics(nil), use: plateaux.campusStatistics)
        let calendars = api.grouped(CalendarTokenAuthenticator())
        calendars.get(U.apiCalendar(nil), use: plateaux.plateauCalendar)
        calendars.get(U.apiOrganisationCalendar(nil), use: plateaux.organisationCalendar)
        api.get(U.apiBookings, use: plateaux.listBookings)
        api.post(U.apiBookings, use: plateaux.book)
        api.post(U.apiBookingSeries, use: plateaux.bookSeries)
        api.get(U.apiBooking(nil), use: plateaux.getBooking)
        api.post(U.apiAcceptance(nil), use: plateaux.accept)
        api.post(U.apiRefusal(nil), use: plateaux.refuse)
        api.post(U.apiCancellation(nil), use: plateaux.cancel)
    }
}
