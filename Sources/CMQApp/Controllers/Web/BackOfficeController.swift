import Vapor

/// The back-office forms (campus, organisation, membership), registered under /gestion.
func backOfficeRoutes(_ app: Application) throws {}
