import Foundation

/// The addresses of the indicators. `nil`: the route's keys.
enum IndicatorsURL: RouteURL, Equatable {
    /// The catalogue of the API.
    case apiCatalogue
    /// A campus's indicators for a school year (`?annee=2025-2026`).
    case apiCampus(UUID?)
    /// The value of an entered indicator for a school year (PUT).
    case apiValue(campus: UUID?, code: String?, annee: String?)
    /// A campus's target on an indicator (PUT).
    case apiTarget(campus: UUID?, code: String?)
    /// The page of a campus's indicators.
    case page(UUID?)
    /// The form of an entered value (POST, back-office).
    case valueForm(UUID?)
    /// The form of a target (POST, back-office).
    case targetForm(UUID?)
    /// A campus's activity report for a school year (API: GET; page: GET).
    case apiReport(campus: UUID?, annee: String?)
    /// The report's figures as CSV (one line per figure, under its section).
    case apiReportCSV(campus: UUID?, annee: String?)
    case apiReportTexts(campus: UUID?, annee: String?)
    case apiReportTransmission(campus: UUID?, annee: String?)
    case apiReportAcknowledgment(campus: UUID?, annee: String?)
    case report(campus: UUID?, annee: String?)
    case reportTextsForm(campus: UUID?, annee: String?)
    case reportTransmissionForm(campus: UUID?, annee: String?)
    case reportAcknowledgmentForm(campus: UUID?, annee: String?)
    /// A campus's international mobilities of a school year (API: GET, PUT; page: GET).
    case apiMobilities(campus: UUID?, annee: String?)
    case mobilities(campus: UUID?, annee: String?)
    /// The forms of the mobilities' page: a line added or changed, a line removed.
    case mobilityForm(campus: UUID?, annee: String?)
    case mobilityRemovalForm(campus: UUID?, annee: String?)

    var segments: [PathSegment] {
        switch self {
        case .apiCatalogue: ["api", "v1", "indicateurs"]
        case .apiCampus(let id): ["api", "v1", "campus", .id("campusID", id), "indicateurs"]
        case .apiValue(let id, let code, let annee):
            ["api", "v1", "campus", .id("campusID", id), "indicateurs", .parameter("code", code), "valeurs", .parameter("annee", annee)]
        case .apiTarget(let id, let code): ["api", "v1", "campus", .id("campusID", id), "indicateurs", .parameter("code", code), "cible"]
        case .page(let id): ["campus", .id("campusID", id), "indicateurs"]
        case .valueForm(let id): ["gestion", "campus", .id("campusID", id), "indicateurs", "valeur"]
        case .targetForm(let id): ["gestion", "campus", .id("campusID", id), "indicateurs", "cible"]
        case .apiReport(let id, let annee): ["api", "v1", "campus", .id("campusID", id), "rapports", .parameter("annee", annee)]
        case .apiReportCSV(let id, let annee): ["api", "v1", "campus", .id("campusID", id), "rapports", .parameter("annee", annee), "chiffres.csv"]
        case .apiReportTexts(let id, let annee): ["api", "v1", "campus", .id("campusID", id), "rapports", .parameter("annee", annee), "textes"]
        case .apiReportTransmission(let id, let annee): ["api", "v1", "campus", .id("campusID", id), "rapports", .parameter("annee", annee), "transmission"]
        case .apiReportAcknowledgment(let id, let annee): ["api", "v1", "campus", .id("campusID", id), "rapports", .parameter("annee", annee), "prise-en-compte"]
        case .report(let id, let annee): ["campus", .id("campusID", id), "rapports", .parameter("annee", annee)]
        case .reportTextsForm(let id, let annee): ["gestion", "campus", .id("campusID", id), "rapports", .parameter("annee", annee), "textes"]
        case .reportTransmissionForm(let id, let annee): ["gestion", "campus", .id("campusID", id), "rapports", .parameter("annee", annee), "transmission"]
        case .reportAcknowledgmentForm(let id, let annee): ["gestion", "campus", .id("campusID", id), "rapports", .parameter("annee", annee), "prise-en-compte"]
        case .apiMobilities(let id, let annee): ["api", "v1", "campus", .id("campusID", id), "mobilites", .parameter("annee", annee)]
        case .mobilities(let id, let annee): ["campus", .id("campusID", id), "mobilites", .parameter("annee", annee)]
        case .mobilityForm(let id, let annee): ["gestion", "campus", .id("campusID", id), "mobilites", .parameter("annee", annee)]
        case .mobilityRemovalForm(let id, let annee): ["gestion", "campus", .id("campusID", id), "mobilites", .parameter("annee", annee), "retrait"]
        }
    }
}
