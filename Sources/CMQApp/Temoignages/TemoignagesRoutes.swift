import Vapor

/// "Ma réussite pro": the media of the testimonies (with range requests), the API's submission and uploads.
struct TemoignagesRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = TemoignagesURL
        let media = TemoignageMediaController()
        let web = doors.web(routes)
        web.get(U.video(nil), use: media.video)
        web.get(U.captions(nil), use: media.captions)
        web.get(U.poster(nil), use: media.poster)
        let pages = TemoignagePagesController()
        web.get(U.gallery, use: pages.gallery)
        web.get(U.page(nil), use: pages.page)
        web.get(U.withdrawal(nil), use: pages.withdrawalForm)
        web.post(U.withdrawal(nil), use: pages.withdraw)

        // The back-office: the forms with files are read as they arrive (CSRF token in the form's address).
        let gestion = doors.signedIn(routes)
        let backOffice = TemoignageBackOfficeController()
        gestion.get(U.manageList, use: backOffice.list)
        gestion.post(U.manageList, body: .stream, use: backOffice.submit)
        gestion.get(U.manage(nil), use: backOffice.item)
        gestion.post(U.manageConsents(nil), body: .stream, use: backOffice.recordConsent)
        gestion.post(U.manageConsentWithdrawal(nil, nil), use: backOffice.withdrawConsent)
        gestion.post(U.manageModeration(nil), use: backOffice.moderate)

        // The contest « Ma réussite pro »: public pages, the vote form (signed in, CSRF), the back-office.
        typealias C = ConcoursURL
        let concours = ConcoursPagesController()
        web.get(C.list, use: concours.list)
        web.get(C.edition(nil), use: concours.edition)
        web.get(C.results(nil), use: concours.results)
        gestion.post(C.vote(nil), use: concours.vote)
        let concoursOffice = ConcoursBackOfficeController()
        gestion.get(C.manageList, use: concoursOffice.list)
        gestion.post(C.manageList, use: concoursOffice.create)
        gestion.get(C.manage(nil), use: concoursOffice.item)
        gestion.post(C.manage(nil), use: concoursOffice.update)
        gestion.post(C.manageDeletion(nil), use: concoursOffice.deleteEdition)
        gestion.post(C.manageCategories(nil), use: concoursOffice.addCategorie)
        gestion.post(C.manageCategoryDeletion(nil, nil), use: concoursOffice.deleteCategorie)
        gestion.post(C.manageJurors(nil), use: concoursOffice.addJuror)
        gestion.post(C.manageJurorRemoval(nil, nil), use: concoursOffice.removeJuror)
        gestion.post(C.manageEntries(nil), use: concoursOffice.enter)
        gestion.get(C.marking(nil), use: concoursOffice.markingForm)
        gestion.post(C.marking(nil), use: concoursOffice.mark)

        let api = doors.api(routes)
        let controller = TemoignagesAPIController()
        api.post(U.apiList, use: controller.submit)
        api.get(U.apiItem(nil), use: controller.show)
        // The files are streamed to a temporary file (never held in memory), checked, then copied into the database.
        api.on(.PUT, U.apiVideo(nil).pathComponents, body: .stream, use: controller.uploadVideo)
        api.on(.PUT, U.apiCaptions(nil).pathComponents, body: .stream, use: controller.uploadCaptions)
        api.on(.PUT, U.apiPoster(nil).pathComponents, body: .stream, use: controller.uploadPoster)
        // A consent's metadata in the query, its proof (signed form) as the body, streamed.
        api.on(.POST, U.apiConsents(nil).pathComponents, body: .stream, use: controller.recordConsent)
        api.post(U.apiConsentWithdrawal(nil, nil), use: controller.withdrawConsent)
        api.post(U.apiModeration(nil), use: controller.moderate)

        let contest = ConcoursAPIController()
        api.get(C.apiList, use: contest.list)
        api.post(C.apiList, use: contest.create)
        api.get(C.apiItem(nil), use: contest.show)
        api.put(C.apiItem(nil), use: contest.update)
        api.delete(C.apiItem(nil), use: contest.delete)
        api.post(C.apiCategories(nil), use: contest.addCategorie)
        api.delete(C.apiCategory(nil, nil), use: contest.deleteCategorie)
        api.get(C.apiJurors(nil), use: contest.jurors)
        api.post(C.apiJurors(nil), use: contest.addJuror)
        api.delete(C.apiJuror(nil, nil), use: contest.removeJuror)
        api.get(C.apiEntries(nil), use: contest.entries)
        api.post(C.apiEntries(nil), use: contest.enter)
        api.get(C.apiResults(nil), use: contest.results)
        api.put(C.apiMarks(nil), use: contest.mark)
        api.post(C.apiVote(nil), use: contest.vote)
    }
}

/// Serves a testimony's video, captions and poster from the database, with range requests (seeking in the player).
struct TemoignageMediaController {
    func video(_ request: Request) async throws -> Response { try await serve(request, .video) }
    func captions(_ request: Request) async throws -> Response { try await serve(request, .sousTitres, contentType: "text/vtt; charset=utf-8") }
    func poster(_ request: Request) async throws -> Response { try await serve(request, .affiche) }

    private func serve(_ request: Request, _ nature: TemoignageMediaRecord.Nature, contentType: String? = nil) async throws -> Response {
        let id = try request.uuidParameter("temoignageID", notFound: "Aucun témoignage")
        let (media, isPublic) = try await TemoignageService(db: request.db, caller: request.caller).media(id, nature)
        return MediaStore(db: request.db).response(for: media, request: request, isPublic: isPublic, contentType: contentType)
    }
}
