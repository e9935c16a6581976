@testable import CMQApp
import Foundation
import Testing

/// A real SMTP server (Python's aiosmtpd, `smtp_server.py` beside this file) for the duration of a test: it writes
/// every message it receives, decoded, as a JSON file that the test reads.
final class SMTPTestServer: @unchecked Sendable {
    struct Received: Decodable {
        var mailFrom: String
        var rcptTos: [String]
        var subject: String
        var to: String
        var from: String
        var listUnsubscribe: String
        var text: String
        var html: String
        var tls: Bool
        var authenticated: Bool
        var raw: String
    }

    let port: Int
    let directory: URL
    private let process: Process
    private let input: Pipe

    /// `auth`: "user:password" the server requires; `certificate`: (cert, key) PEM files to offer and require
    /// STARTTLS; `refuseFirst`: answer 451 to that many messages first.
    init(auth: String? = nil, certificate: (String, String)? = nil, implicitTLS: (String, String)? = nil, refuseFirst: Int = 0) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cmq-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py").path
        var arguments = [script, "--dir", directory.path, "--refuse-first", String(refuseFirst)]
        if let auth { arguments += ["--auth", auth] }
        if let certificate { arguments += ["--starttls", certificate.0, certificate.1] }
        if let implicitTLS { arguments += ["--implicit-tls", implicitTLS.0, implicitTLS.1] }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line: "PORT <n>".
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw SMTPError(description: "the test SMTP server did not start (is aiosmtpd installed? pip install aiosmtpd): \(text)")
        }
        self.port = port
    }

    func settings(security: SMTPSettings.Security = .opportunistic, username: String? = nil, password: String? = nil,
                  trust: String? = nil) -> SMTPSettings {
        var settings = SMTPSettings(host: "127.0.0.1", port: port, security: security, username: username, password: password,
                                    from: "ne-pas-repondre@cmq.test")
        settings.trustedCertificatesFile = trust
        settings.timeout = .seconds(10)
        return settings
    }

    /// The messages received so far.
    func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
        return try files.map { try JSONDecoder().decode(Received.self, from: Data(contentsOf: $0)) }
    }

    /// Waits (at most 10 s) until `count` messages have arrived.
    func waitFor(_ count: Int) async throws -> [Received] {
        for _ in 0..<200 {
            let messages = try received()
            if messages.count >= count { return messages }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try received()
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A self-signed certificate for 127.0.0.1 and localhost, made with openssl: (certificate, key) paths.
    static func selfSignedCertificate() throws -> (String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cmq-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        return (cert, key)
    }
}

/// Runs `body` with a test SMTP server, stopped afterwards.
func withSMTPServer(auth: String? = nil, certificate: (String, String)? = nil, implicitTLS: (String, String)? = nil, refuseFirst: Int = 0,
                    _ body: (SMTPTestServer) async throws -> Void) async throws {
    let server = try SMTPTestServer(auth: auth, certificate: certificate, implicitTLS: implicitTLS, refuseFirst: refuseFirst)
    do {
        try await body(server)
    } catch {
        server.stop()
        throw error
    }
    server.stop()
}
