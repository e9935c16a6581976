@testable import CMQApp
import Fluent
import Foundation
import Testing
import VaporTesting

/// A file-upload form over a real socket: its body arrives in pieces, so its CSRF token travels in the form's
/// address, and the middleware never needs the body. (Signing in happens in memory; the upload goes over the socket.)
@Suite("Upload forms over a real connection")
struct UploadFormTests {
    @Test("a 2 MB PDF sent through the dossier's form is joined; the same upload with a wrong token is refused and joins nothing", arguments: TestDatabase.all)
    func largeUpload(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var (region, path) = try await DossierPagesTests.openDossier(app)
            let page = try await region.get(path).body.string
            // The page's form carries the token in its address.
            let action = try #require(page.firstMatch(of: #/action="([^"]+/pieces\?_csrf=[^"]+)"/#)).1
            let token = try #require(region.csrf)
            #expect(action.hasSuffix(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))

            let pdf = "%PDF-1.4\n" + String(repeating: "% remplissage du document de test\n", count: 2_000_000 / 34) + "%%EOF\n"
            func upload(query: String) async throws -> TestingHTTPResponse {
                let boundary = "cmq-test-boundary"
                let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"projet.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\(pdf)\r\n--\(boundary)--\r\n"
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .cookie, value: region.cookie ?? "")
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                return try await app.testing(method: .running(hostname: "127.0.0.1", port: 0))
                    .sendRequest(.POST, "\(path)/pieces?\(query)", headers: headers, body: ByteBuffer(string: body))
            }
            let forged = try await upload(query: "_csrf=autre-jeton")
            #expect(forged.status == .forbidden)
            #expect(try await PieceRecord.query(on: app.db).count() == 0)
            let sent = try await upload(query: "_csrf=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            // (The testing client follows the redirection to the dossier's page.)
            #expect(sent.status == .ok)
            #expect(try await PieceRecord.query(on: app.db).count() == 1)
            #expect(try await region.get(path).body.string.contains("projet.pdf"))
        }
    }
}
