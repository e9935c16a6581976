import Foundation
import Vapor

/// An address of cmq, typed. Each feature lists its addresses once, in its `<Feature>URL` enum; the same case
/// registers the route (its parameters left `nil` become the route's `:name` keys) and builds the links (with
/// values), so a page never spells a path by hand.
protocol RouteURL: Sendable {
    var segments: [PathSegment] { get }
}

/// One segment of an address: a constant, or a parameter with its name and, in a link, its value.
enum PathSegment: Sendable, Equatable, ExpressibleByStringLiteral {
    case constant(String)
    case parameter(String, String?)

    init(stringLiteral value: String) { self = .constant(value) }

    /// An identifier parameter, written in lower case.
    static func id(_ name: String, _ value: UUID?) -> PathSegment { .parameter(name, value?.uuidString.lowercased()) }
}

extension RouteURL {
    /// The route's path, for registration: `/campus/:campusID`.
    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .constant(let text): .constant(text)
            case .parameter(let name, _): .parameter(name)
            }
        }
    }

    /// The link: `/campus/3f…`. Written for a case built with its values (a missing value shows as `:name`).
    var path: String {
        "/" + segments.map { segment in
            switch segment {
            case .constant(let text): text
            case .parameter(let name, let value): value.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0 } ?? ":\(name)"
            }
        }.joined(separator: "/")
    }

    /// The link with a query string, its items in alphabetical order; empty values are left out.
    func path(query: [String: String?]) -> String {
        path(query: query.compactMapValues { $0 })
    }

    func path(query: [String: String]) -> String {
        let items = query.filter { !$0.value.isEmpty }
        guard !items.isEmpty else { return path }
        var components = URLComponents()
        components.path = path
        components.queryItems = items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string ?? path
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(_ url: some RouteURL, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.GET, url.pathComponents, use: handler)
    }

    /// A read answered from the event loop (a future), without starting a task (`FormationsAPIController.get`).
    @discardableResult
    func get<Response: ResponseEncodable>(_ url: some RouteURL, use handler: @Sendable @escaping (Request) throws -> EventLoopFuture<Response>) -> Route {
        on(.GET, url.pathComponents, use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(_ url: some RouteURL, body: HTTPBodyStreamStrategy = .collect,
                                                use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.POST, url.pathComponents, body: body, use: handler)
    }

    @discardableResult
    func patch<Response: AsyncResponseEncodable>(_ url: some RouteURL, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.PATCH, url.pathComponents, use: handler)
    }

    @discardableResult
    func put<Response: AsyncResponseEncodable>(_ url: some RouteURL, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.PUT, url.pathComponents, use: handler)
    }

    @discardableResult
    func delete<Response: AsyncResponseEncodable>(_ url: some RouteURL, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.DELETE, url.pathComponents, use: handler)
    }
}
