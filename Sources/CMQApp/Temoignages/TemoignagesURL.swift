import Foundation

/// The testimonies' addresses ("Ma réussite pro"): the media served to the player, the API. `nil`: the route's keys.
enum TemoignagesURL: RouteURL, Equatable {
    /// The video, captions and poster of a testimony (range requests).
    case video(UUID?)
    case captions(UUID?)
    case poster(UUID?)
    // API
    case apiList
    case apiItem(UUID?)
    case apiVideo(UUID?)
    case apiCaptions(UUID?)
    case apiPoster(UUID?)

    var segments: [PathSegment] {
        switch self {
        case .video(let id): ["temoignages", .id("temoignageID", id), "video"]
        case .captions(let id): ["temoignages", .id("temoignageID", id), .constant("sous-titres.vtt")]
        case .poster(let id): ["temoignages", .id("temoignageID", id), "affiche"]
        case .apiList: ["api", "v1", "temoignages"]
        case .apiItem(let id): ["api", "v1", "temoignages", .id("temoignageID", id)]
        case .apiVideo(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "video"]
        case .apiCaptions(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "sous-titres"]
        case .apiPoster(let id): ["api", "v1", "temoignages", .id("temoignageID", id), "affiche"]
        }
    }
}
