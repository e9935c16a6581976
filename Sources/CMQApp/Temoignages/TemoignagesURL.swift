import Foundation

/// The testimonies' addresses ("Ma réussite pro"): the media served to the player, the API. `nil`: the route's keys.
enum TemoignagesURL: RouteURL, Equatable {
    /// The public gallery (filters: filière, région, campus, niveau, diplôme) and a testimony's page.
    case gallery
    case page(UUID?)
    /// The video, captions and poster of a testimony (range requests).
    case video(UUID?)
    case captions(UUID?)
    case poster(UUID?)
    /// The private withdrawal link given to the family (its token).
    case withdrawal(String?)
    /// The back-office: the testimonies one manages (and the submission form), one testimony (consents, moderation).
    case manageList
    case manage(UUID?)
    case manageConsents(UUID?)
    case manageConsentWithdrawal(UUID?, UUID?)
    case manageModeration(UUID?)
    // API
    case apiList
    case apiItem(UUID?)
    case apiVideo(UUID?)
    case apiCaptions(UUID?)
    case apiPoster(UUID?)
    case apiConsents(UUID?)
    case apiConsentWithdrawal(UUID?, UUID?)
    case apiModeration(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .gallery: ["temoignages"]
        case .page(let id): ["temoignages", .id("temoignageID", id)]
        case .video(let id): ["temoignages", .id("temoignageID", id), "video"]
        case .captions(let id): ["temoignages", .id("temoignageID", id), .constant("sous-titres.vtt")]
        case .poster(let id): ["temoignages", .id("temoignageID", id), "affiche"]
        case .withdrawal(let token): ["temoignages", "retrait", .parameter("jeton", token)]
        case .manageList: ["gestion", "temoignages"]
        case .manage(let id): ["gestion", "temoignages", .id("temoignageID", id)]
        case .manageConsents(let id): ["gestion", "temoignages", .id("temoignageID", id), "consentements"]
        case .manageConsentWithdrawal(let id, let consent):
            ["gestion", "temoignages", .id("temoignageID", id), "consentements", .id("consentementID", consent), "retrait"]
        case .manageModeration(let id): ["gestion", "temoignages", .id("temoignageID", id), "moderation"]
        case .apiList: ["api", "v1", "temoignages"]
        case .apiItem(let id): ["api", "v1", "temoignages", .id("temoignageID", id)]
        case .apiVideo(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "video"]
        case .apiCaptions(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "sous-titres"]
        case .apiPoster(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "affiche"]
        case .apiConsents(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "consentements"]
        case .apiConsentWithdrawal(let id, let consent):
            ["api", "v1", "temoignages", .id("temoignageID", id), "consentements", .id("consentementID", consent), "retrait"]
        case .apiModeration(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "moderation"]
        }
    }
}
