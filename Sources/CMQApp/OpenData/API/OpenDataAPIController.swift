import CMQDomain
import Crypto
import Fluent
import Foundation
import Vapor

/// `/api/v1/donnees/…`: the open datasets as files (CSV, JSON, GeoJSON), their Table Schemas and the DCAT-AP
/// catalogue. Public data: any site may read them (`Access-Control-Allow-Origin: *`); every file has an ETag and
/// a Last-Modified date and answers 304 to a client that has it already.
struct OpenDataAPIController {
    /// The public address of the site, for absolute links.
    static func base(_ req: Request) -> String {
        if let configured = req.application.cmqConfig.publicURL { return configured }
        let host = req.headers.first(name: .host).flatMap { $0.isEmpty ? nil : $0 } ?? "\(req.application.cmqConfig.host):\(req.application.cmqConfig.port)"
        // Only a plain host name or address with a port: anything else in Host is not repeated in the files.
        let safe = host.allSatisfy { $0.isLetter || $0.isNumber || ".-:[]".contains($0) } ? host : "localhost"
        return "http://" + safe
    }

    func file(_ dataset: OpenDataset, _ format: OpenDataFormat) -> @Sendable (Request) async throws -> Response {
        { req in
            let stamp = try await dataset.stamp(req.db)
            let validators = Self.validators(dataset.slug + "." + format.rawValue, stamp)
            if let notModified = Self.notModified(req, validators) { return notModified }
            var headers = Self.headers(validators, contentType: format.contentType)
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(dataset.slug).\(format.rawValue)\"")
            headers.add(name: .link, value: "<\(OpenDataLicence.url)>; rel=\"license\"")
            if format == .csv { headers.add(name: .link, value: "<\(OpenDataWriter.schemaPath(dataset))>; rel=\"describedby\"; type=\"application/json\"") }
            let writer = OpenDataWriter(dataset: dataset, base: Self.base(req), today: req.today)
            let db = req.db
            let body = Response.Body(managedAsyncStream: { stream in
                try await writer.write(format, on: db, modified: stamp.modified) { data in
                    try await stream.writeBuffer(ByteBuffer(data: data))
                }
            })
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    func schema(_ dataset: OpenDataset) -> @Sendable (Request) async throws -> Response {
        { req in
            let data = OpenDataWriter(dataset: dataset, base: Self.base(req), today: req.today).schema()
            let etag = "\"\(StableHash.fnv1a(data))\""
            if req.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified, headers: Self.publicHeaders(etag: etag)) }
            var headers = Self.publicHeaders(etag: etag)
            headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
            headers.add(name: .link, value: "<\(OpenDataLicence.url)>; rel=\"license\"")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
    }

    /// The DCAT-AP catalogue (JSON-LD) that data.gouv.fr harvests.
    @Sendable func catalogue(req: Request) async throws -> Response {
        let summaries = try await OpenDataCatalogue(db: req.db, base: Self.base(req), today: req.today).summaries()
        let data = OpenDataCatalogue.dcat(summaries, base: Self.base(req))
        let etag = "\"\(StableHash.fnv1a(data))\""
        if req.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified, headers: Self.publicHeaders(etag: etag)) }
        var headers = Self.publicHeaders(etag: etag)
        headers.replaceOrAdd(name: .contentType, value: "application/ld+json; charset=utf-8")
        if let modified = summaries.compactMap(\.modified).max() { headers.replaceOrAdd(name: .lastModified, value: Self.httpDate(modified)) }
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    // MARK: - Validators

    struct Validators {
        var etag: String
        var lastModified: Date?
    }

    static func validators(_ name: String, _ stamp: DatasetStamp) -> Validators {
        let modified = stamp.modified.map { String(Int($0.timeIntervalSince1970 * 1000)) } ?? "-"
        let text = "\(name)|\(stamp.count)|\(modified)|\(stamp.day ?? "")|\(OpenDataWriter.formatVersion)"
        let digest = SHA256.hash(data: Data(text.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        return Validators(etag: "\"\(digest)\"", lastModified: stamp.modified)
    }

    /// A 304 when the client's copy is current: its ETag matches, or (without If-None-Match) it is not older than
    /// the data.
    static func notModified(_ req: Request, _ validators: Validators) -> Response? {
        if let tags = req.headers.first(name: .ifNoneMatch) {
            // The ETags the client holds (weak or strong); "*" is not honoured: it would answer 304 to a client that
            // holds no copy of the file.
            let matches = tags.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == validators.etag }
            return matches ? Response(status: .notModified, headers: headers(validators, contentType: nil)) : nil
        }
        // A date to come is not a date the client received (RFC 9110): it is ignored.
        if let since = req.headers.first(name: .ifModifiedSince).flatMap(parseHTTPDate), since <= Date(), let modified = validators.lastModified,
           modified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970 {
            return Response(status: .notModified, headers: headers(validators, contentType: nil))
        }
        return nil
    }

    static func headers(_ validators: Validators, contentType: String?) -> HTTPHeaders {
        var headers = publicHeaders(etag: validators.etag)
        if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
        if let modified = validators.lastModified { headers.replaceOrAdd(name: .lastModified, value: httpDate(modified)) }
        return headers
    }

    static func publicHeaders(etag: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: .accessControlAllowOrigin, value: "*")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return headers
    }

    private static func httpDateFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }

    static func httpDate(_ date: Date) -> String { httpDateFormatter().string(from: date) }

    static func parseHTTPDate(_ text: String) -> Date? { httpDateFormatter().date(from: text) }
}
