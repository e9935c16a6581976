import Vapor

/// A campus's indicators: the catalogue, the figures of a school year, the values its team enters, its targets.
struct IndicatorsRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = IndicatorsURL
        let api = doors.api(routes)
        let controller = IndicatorsAPIController()
        api.get(U.apiCatalogue, use: controller.catalogue)
        api.get(U.apiCampus(nil), use: controller.board)
        api.put(U.apiValue(campus: nil, code: nil, annee: nil), use: controller.setValue)
        api.put(U.apiTarget(campus: nil, code: nil), use: controller.setTarget)

        let reports = ActivityReportAPIController()
        api.get(U.apiReport(campus: nil, annee: nil), use: reports.get)
        api.get(U.apiReportCSV(campus: nil, annee: nil), use: reports.csv)
        api.put(U.apiReportTexts(campus: nil, annee: nil), use: reports.saveTexts)
        api.post(U.apiReportTransmission(campus: nil, annee: nil), use: reports.transmit)
        api.post(U.apiReportAcknowledgment(campus: nil, annee: nil), use: reports.acknowledge)

        let mobilities = MobilitiesAPIController()
        api.get(U.apiMobilities(campus: nil, annee: nil), use: mobilities.get)
        api.put(U.apiMobilities(campus: nil, annee: nil), use: mobilities.replace)

        let pages = IndicatorsPageController()
        doors.web(routes).get(U.page(nil), use: pages.page)
        let signedIn = doors.signedIn(routes)
        signedIn.post(U.valueForm(nil), use: pages.saveValue)
        signedIn.post(U.targetForm(nil), use: pages.saveTarget)
        let reportPages = ActivityReportPageController()
        signedIn.get(U.report(campus: nil, annee: nil), use: reportPages.page)
        signedIn.post(U.reportTextsForm(campus: nil, annee: nil), use: reportPages.saveTexts)
        signedIn.post(U.reportTransmissionForm(campus: nil, annee: nil), use: reportPages.transmit)
        signedIn.post(U.reportAcknowledgmentForm(campus: nil, annee: nil), use: reportPages.acknowledge)
        let mobilityPages = MobilitiesPageController()
        signedIn.get(U.mobilities(campus: nil, annee: nil), use: mobilityPages.page)
        signedIn.post(U.mobilityForm(campus: nil, annee: nil), use: mobilityPages.set)
        signedIn.post(U.mobilityRemovalForm(campus: nil, annee: nil), use: mobilityPages.remove)
    }
}
