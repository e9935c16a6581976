import Vapor

/// Which page of a list is asked for: `page` from 1 to 1,000,000, `per` from 1 to 100 (20 by default). The
/// bounds keep every offset computed from them far from overflowing; a page beyond the last is empty.
public struct PageRequest: Sendable, Equatable {
    public var page: Int
    public var per: Int

    public static let maxPer = 100
    public static let maxPage = 1_000_000

    public init(page: Int = 1, per: Int = 20) {
        self.page = min(max(page, 1), Self.maxPage)
        self.per = min(max(per, 1), Self.maxPer)
    }

    var offset: Int { (page - 1) * per }

    /// Reads `page` and `per` from a query; a value that is not a positive number is a 422.
    static func read(from query: [String: String]) throws(AppError) -> PageRequest {
        var errors: [FieldError] = []
        var request = PageRequest()
        if let raw = query["page"], !raw.isEmpty {
            if let value = Int(raw), (1...maxPage).contains(value) { request.page = value } else {
                errors.append(FieldError("page", "Le paramètre « page » doit être un entier entre 1 et 1 000 000."))
            }
        }
        if let raw = query["per"], !raw.isEmpty {
            if let value = Int(raw), (1...maxPer).contains(value) { request.per = value } else {
                errors.append(FieldError("per", "Le paramètre « per » doit être un entier entre 1 et \(maxPer)."))
            }
        }
        if !errors.isEmpty { throw .validation(errors) }
        return request
    }
}

/// One page of results and the total count of the whole list.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var per: Int
    public var total: Int

    public var pageCount: Int { max(1, (total + per - 1) / per) }

    public func map<Other>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), page: page, per: per, total: total)
    }
}

extension QueryBuilder {
    func paginated(_ request: PageRequest) async throws -> Page<Model> {
        let total = try await copy().count()
        let items = try await range(request.offset..<(request.offset + request.per)).all()
        return Page(items: items, page: request.page, per: request.per, total: total)
    }
}

extension Request {
    /// The query string as plain key/value pairs (the last value wins when a key is repeated).
    var queryParameters: [String: String] {
        guard let query = url.query else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])) : ""
            result[key] = value
        }
        return result
    }
}

import Fluent

/// Reads a list's filters and its page together, so that a 422 lists the faults of both.
func readListQuery<Filter>(_ query: [String: String], filter read: ([String: String]) throws(AppError) -> Filter) throws(AppError) -> (Filter, PageRequest) {
    var errors: [FieldError] = []
    var filter: Filter?
    var page = PageRequest()
    do { filter = try read(query) } catch { errors += error.fieldErrors }
    do { page = try PageRequest.read(from: query) } catch { errors += error.fieldErrors }
    guard errors.isEmpty, let filter else { throw .validation(errors) }
    return (filter, page)
}
