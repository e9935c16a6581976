import Vapor

/// Serves the OpenAPI 3.1 description of the API, shipped as a resource and read once.
struct OpenAPIController {
    static let document: Data = {
        guard let data = FileManager.default.contents(atPath: Resources.dataDirectory + "openapi.json") else {
            preconditionFailure("The shipped Data/openapi.json cannot be read.")
        }
        return data
    }()

    static let etag = "\"\(StableHash.fnv1a(document))\""

    @Sendable func document(req: Request) async throws -> Response {
        if req.headers.first(name: .ifNoneMatch) == Self.etag {
            return Response(status: .notModified)
        }
        let response = Response(status: .ok, body: .init(data: Self.document))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "json", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .eTag, value: Self.etag)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }
}

/// A hash that is the same in every process (unlike `hashValue`), for ETags shared by several instances.
enum StableHash {
    static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
