import Vapor

/// Actions and events of the campuses: the public list, archive and page, registration and its cancellation by
/// its own link, the calendar file and the feeds.
struct ActionsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = ActionsURL
        let pages = ActionPagesController()
        let web = doors.web(routes)
        web.get(U.list, use: pages.list)
        web.get(U.archive, use: pages.archive)
        web.get(U.feed, use: pages.feed)
        web.get(U.openAgenda, use: pages.openAgenda)
        web.get(U.page(nil), use: pages.page)
        web.get(U.calendarFile(nil), use: pages.calendarFile)
        web.post(U.register(nil), use: pages.register)
        web.get(U.registration(nil), use: pages.registration)
        web.post(U.registration(nil), use: pages.cancel)

        let gestion = doors.signedIn(routes)
        let manage = ActionManagementController()
        gestion.get(U.manage, use: manage.list)
        gestion.get(U.new, use: manage.newForm)
        gestion.post(U.new, use: manage.create)
        gestion.get(U.edit(nil), use: manage.editForm)
        gestion.post(U.edit(nil), use: manage.update)
        gestion.post(U.publish(nil), use: manage.publish)
        gestion.post(U.withdraw(nil), use: manage.withdraw)
        gestion.post(U.duplicate(nil), use: manage.duplicate)
        gestion.get(U.participation(nil), use: manage.participationForm)
        gestion.post(U.participation(nil), use: manage.recordParticipation)
        gestion.get(U.registrationsCSV(nil), use: manage.registrationsCSV)
        gestion.get(U.counts, use: manage.counts)
        gestion.get(U.countsCSV, use: manage.countsCSV)

        let api = doors.api(routes)
        let json = ActionsAPIController()
        api.get(U.api, use: json.list)
        api.post(U.api, use: json.create)
        api.get(U.apiAction(nil), use: json.get)
        api.patch(U.apiAction(nil), use: json.update)
        api.post(U.apiPublication(nil), use: json.publish)
        api.post(U.apiWithdrawal(nil), use: json.withdraw)
        api.post(U.apiDuplicate(nil), use: json.duplicate)
        api.put(U.apiParticipation(nil), use: json.recordParticipation)
        api.get(U.apiRegistrations(nil), use: json.registrations)
        api.get(U.apiRegistration(nil), use: json.registration)
        // A visitor registers and cancels without an account: these writes authorise nothing a cookie could carry.
        routes.post(U.apiRegistrations(nil), use: json.register)
        routes.delete(U.apiRegistration(nil), use: json.cancel)
    }
}
