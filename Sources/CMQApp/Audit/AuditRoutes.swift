import Vapor

/// The audit trail's search (the national administrator).
struct AuditRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        doors.signedIn(routes).get(AuditURL.journal, use: AuditController().search)
        doors.signedIn(routes).get(AuditURL.journalCSV, use: AuditController().csv)
    }
}
