import Foundation

/// The addresses of the contest « Ma réussite pro »: public pages, the back-office, the API. `nil`: the route's keys.
enum ConcoursURL: RouteURL, Equatable {
    /// The editions; an edition (calendar, categories, entries, the vote); its results once their date has come.
    case list
    case edition(UUID?)
    case results(UUID?)
    /// The vote form of an entry (a signed-in visitor, CSRF).
    case vote(UUID?)
    /// The back-office: the editions (and the creation form), one edition (its form, categories, jurors, entries),
    /// the juror's marking form of an entry.
    case manageList
    case manage(UUID?)
    case manageDeletion(UUID?)
    case manageCategories(UUID?)
    case manageCategoryDeletion(UUID?, UUID?)
    case manageJurors(UUID?)
    case manageJurorRemoval(UUID?, UUID?)
    case manageEntries(UUID?)
    case marking(UUID?)
    // API
    case apiList
    case apiItem(UUID?)
    case apiCategories(UUID?)
    case apiCategory(UUID?, UUID?)
    case apiJurors(UUID?)
    case apiJuror(UUID?, UUID?)
    case apiEntries(UUID?)
    case apiResults(UUID?)
    case apiMarks(UUID?)
    case apiVote(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .list: ["concours"]
        case .edition(let id): ["concours", .id("editionID", id)]
        case .results(let id): ["concours", .id("editionID", id), "resultats"]
        case .vote(let id): ["concours", "candidatures", .id("candidatureID", id), "vote"]
        case .manageList: ["gestion", "concours"]
        case .manage(let id): ["gestion", "concours", .id("editionID", id)]
        case .manageDeletion(let id): ["gestion", "concours", .id("editionID", id), "suppression"]
        case .manageCategories(let id): ["gestion", "concours", .id("editionID", id), "categories"]
        case .manageCategoryDeletion(let id, let categorie): ["gestion", "concours", .id("editionID", id), "categories", .id("categorieID", categorie), "suppression"]
        case .manageJurors(let id): ["gestion", "concours", .id("editionID", id), "jures"]
        case .manageJurorRemoval(let id, let jure): ["gestion", "concours", .id("editionID", id), "jures", .id("jureID", jure), "retrait"]
        case .manageEntries(let id): ["gestion", "concours", .id("editionID", id), "candidatures"]
        case .marking(let id): ["gestion", "concours", "candidatures", .id("candidatureID", id), "notes"]
        case .apiList: ["api", "v1", "concours"]
        case .apiItem(let id): ["api", "v1", "concours", .id("editionID", id)]
        case .apiCategories(let id): ["api", "v1", "concours", .id("editionID", id), "categories"]
        case .apiCategory(let id, let categorie): ["api", "v1", "concours", .id("editionID", id), "categories", .id("categorieID", categorie)]
        case .apiJurors(let id): ["api", "v1", "concours", .id("editionID", id), "jures"]
        case .apiJuror(let id, let jure): ["api", "v1", "concours", .id("editionID", id), "jures", .id("jureID", jure)]
        case .apiEntries(let id): ["api", "v1", "concours", .id("editionID", id), "candidatures"]
        case .apiResults(let id): ["api", "v1", "concours", .id("editionID", id), "resultats"]
        case .apiMarks(let id): ["api", "v1", "concours", "candidatures", .id("candidatureID", id), "notes"]
        case .apiVote(let id): ["api", "v1", "concours", "candidatures", .id("candidatureID", id), "vote"]
        }
    }
}
