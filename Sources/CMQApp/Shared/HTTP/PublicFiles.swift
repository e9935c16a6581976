import Vapor

/// The shipped static files (`Resources/Public`): Vapor's `FileMiddleware`, asked only for the addresses under
/// one of the folder's own entries (`/css/…`, `/js/…`, `/favicon.svg`). Every other request went through its
/// percent-decoding and a `stat` of the disk before reaching its route. (Of futures, as every middleware on the way to
/// a route: see `CMQErrorMiddleware`.)
struct PublicFilesMiddleware: Middleware {
    private let files: FileMiddleware
    /// The names at the top of the folder, read once.
    let entries: Set<String>

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil, directoryAction: .none, advancedETagComparison: true)
        entries = Set((try? FileManager.default.contentsOfDirectory(atPath: publicDirectory)) ?? [])
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = request.url.path.utf8.dropFirst()
        let first = path.split(separator: UInt8(ascii: "/"), maxSplits: 1, omittingEmptySubsequences: false).first ?? path
        guard entries.contains(String(decoding: first, as: UTF8.self)) else { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }
}
