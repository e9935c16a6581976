import Vapor

/// Shared technical platforms: the public page and the booking form, the back-office of platforms and
/// bookings, the API (platforms, equipment, availability, statistics, calendars, bookings).
struct PlateauxRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        let pages = PlateauPagesController()
        doors.web(routes).get("plateaux", ":plateauID", use: pages.page)
        doors.signedIn(routes).post("plateaux", ":plateauID", "reserver", use: pages.book)

        let gestion = doors.gestion(routes)
        let forms = PlateauFormPagesController()
        gestion.get("plateaux", "nouveau", use: forms.newForm)
        gestion.post("plateaux", "nouveau", use: forms.create)
        gestion.get("plateaux", ":plateauID", "modifier", use: forms.editForm)
        gestion.post("plateaux", ":plateauID", "modifier", use: forms.update)
        gestion.get("plateaux", ":plateauID", "supprimer", use: forms.confirmDelete)
        gestion.post("plateaux", ":plateauID", "supprimer", use: forms.delete)
        let bookings = PlateauBookingPagesController()
        gestion.get("reservations", use: bookings.page)
        gestion.post("reservations", ":reservationID", "accepter", use: bookings.accept)
        gestion.post("reservations", ":reservationID", "refuser", use: bookings.refuse)
        gestion.post("reservations", ":reservationID", "annuler", use: bookings.cancel)

        let api = doors.api(routes)
        let plateaux = PlateauxAPIController()
        api.get("plateaux", use: plateaux.list)
        api.post("plateaux", use: plateaux.create)
        api.get("plateaux", ":plateauID", use: plateaux.get)
        api.patch("plateaux", ":plateauID", use: plateaux.update)
        api.delete("plateaux", ":plateauID", use: plateaux.delete)
        api.get("plateaux", ":plateauID", "equipements", use: plateaux.equipements)
        api.post("plateaux", ":plateauID", "equipements", use: plateaux.addEquipement)
        api.delete("plateaux", ":plateauID", "equipements", ":equipementID", use: plateaux.removeEquipement)
        api.get("plateaux", ":plateauID", "disponibilites", use: plateaux.availability)
        api.get("plateaux", ":plateauID", "statistiques", use: plateaux.statistics)
        api.get("campus", ":campusID", "plateaux", "statistiques", use: plateaux.campusStatistics)
        let calendars = api.grouped(CalendarTokenAuthenticator())
        calendars.get("plateaux", ":plateauID", "calendrier.ics", use: plateaux.plateauCalendar)
        calendars.get("organisations", ":organisationID", "calendrier.ics", use: plateaux.organisationCalendar)
        api.get("reservations", use: plateaux.listBookings)
        api.post("reservations", use: plateaux.book)
        api.post("reservations", "serie", use: plateaux.bookSeries)
        api.get("reservations", ":reservationID", use: plateaux.getBooking)
        api.post("reservations", ":reservationID", "acceptation", use: plateaux.accept)
        api.post("reservations", ":reservationID", "refus", use: plateaux.refuse)
        api.post("reservations", ":reservationID", "annulation", use: plateaux.cancel)
    }
}
