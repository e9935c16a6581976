import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how cmq sends its e-mail: read from `CMQ_SMTP_URL` (`smtp://user:pass@host:port`,
/// `smtps://…` for TLS from the first byte, `smtp+starttls://…` to require STARTTLS) and `CMQ_MAIL_FROM`.
/// `smtp://` upgrades with STARTTLS when the server offers it. `CMQ_SMTP_CA` names a PEM file of
/// certificates to trust besides the system's (a server with its own certificate authority).
struct SMTPSettings: Sendable, Equatable {
    enum Security: String, Sendable, Equatable {
        /// STARTTLS when the server offers it, plain text otherwise.
        case opportunistic
        /// STARTTLS or nothing: a server that does not offer it is refused.
        case startTLS
        /// TLS from the first byte (port 465).
        case implicitTLS
    }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    var from: String
    var trustedCertificatesFile: String?
    /// The longest wait for a connection or a reply; a message is never stuck longer than a few of these.
    var timeout: TimeAmount = .seconds(30)

    struct Invalid: Error, CustomStringConvertible { let description: String }

    /// Reads the settings, or nil when `CMQ_SMTP_URL` is unset (messages then wait in the outbox).
    static func fromEnvironment(_ environment: [String: String]) throws -> SMTPSettings? {
        guard let raw = environment["CMQ_SMTP_URL"], !raw.isEmpty else { return nil }
        guard let from = environment["CMQ_MAIL_FROM"], MailAddress.isValid(from) else {
            throw Invalid(description: "CMQ_MAIL_FROM must be the sender's e-mail address when CMQ_SMTP_URL is set (got \(environment["CMQ_MAIL_FROM"] ?? "nothing")).")
        }
        var settings = try parse(raw, from: from)
        if let ca = environment["CMQ_SMTP_CA"], !ca.isEmpty {
            guard FileManager.default.isReadableFile(atPath: ca) else { throw Invalid(description: "CMQ_SMTP_CA=\(ca) is not a readable file.") }
            settings.trustedCertificatesFile = ca
        }
        return settings
    }

    static func parse(_ raw: String, from: String) throws -> SMTPSettings {
        guard let url = URLComponents(string: raw), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw Invalid(description: "CMQ_SMTP_URL=\(raw) must read smtp://user:password@host:port (or smtps://, smtp+starttls://).")
        }
        let security: Security
        let defaultPort: Int
        switch scheme {
        case "smtp": (security, defaultPort) = (.opportunistic, 587)
        case "smtp+starttls": (security, defaultPort) = (.startTLS, 587)
        case "smtps": (security, defaultPort) = (.implicitTLS, 465)
        default: throw Invalid(description: "CMQ_SMTP_URL: the scheme \(scheme) is not smtp, smtp+starttls or smtps.")
        }
        let port = url.port ?? defaultPort
        guard (1...65535).contains(port) else { throw Invalid(description: "CMQ_SMTP_URL: \(port) is not a TCP port.") }
        return SMTPSettings(host: host, port: port, security: security,
                            username: url.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 },
                            password: url.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
                            from: from)
    }
}

/// An e-mail address as cmq accepts one: one `@`, no space, no angle bracket, no line break.
enum MailAddress {
    static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && address.count <= 254
            && !address.unicodeScalars.contains(where: { $0.value <= 0x20 || "<>()[],;:\\\"".unicodeScalars.contains($0) || $0.value == 0x7F })
    }
}

/// One e-mail: plain text and HTML alternatives, in UTF-8.
struct MailMessage: Sendable {
    var to: String
    var subject: String
    var text: String
    var html: String
    /// The address of the one-click unsubscription (header `List-Unsubscribe`), when the message has one.
    var unsubscribeURL: String?
    var messageID: String = UUID().uuidString.lowercased()

    /// The message as sent after DATA (RFC 5322, MIME multipart/alternative, bodies in base64, headers in
    /// RFC 2047 when they are not ASCII), lines ending in CRLF, not yet dot-stuffed.
    func rendered(from: String, date: Date) -> String {
        let boundary = "cmq-" + messageID
        let domain = from.split(separator: "@").last.map(String.init) ?? "cmq"
        var lines = [
            "From: \(Self.encodedWord("Campus des métiers et des qualifications")) <\(from)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)@\(domain)>",
            "MIME-Version: 1.0",
        ]
        if let unsubscribeURL {
            lines.append("List-Unsubscribe: <\(unsubscribeURL)>")
            lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        lines.append("")
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines.append("--\(boundary)")
            lines.append("Content-Type: \(type); charset=UTF-8")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(contentsOf: Self.base64Lines(body))
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047: ASCII text as it is, anything else as base64 encoded words of at most 75 characters.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return clean }
        // Cut between characters so that each word is valid UTF-8 on its own: 45 bytes give 60 base64 characters.
        var words: [String] = []
        var chunk = Data()
        for character in clean {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        var result: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            result.append(String(encoded[index..<end]))
            index = end
        }
        return result
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// SMTP's transparency (RFC 5321 4.5.2): a line that starts with a dot gets one more.
    static func dotStuffed(_ data: String) -> String {
        data.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }
}

/// Why a message could not be handed to the SMTP server. `permanent` failures (5xx) are not retried.
struct SMTPError: Error, CustomStringConvertible {
    var description: String
    var permanent: Bool = false
}

/// A reply of the SMTP server: its code and its lines of text.
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]
    var text: String { lines.joined(separator: " / ") }
}

/// Reads the server's replies (multi-line `250-…` continued up to `250 …`) and hands them to whoever waits.
/// Its state is only touched on its channel's event loop.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    static let maximumLineLength = 4096
    static let maximumReplyLines = 100

    private var pendingBytes: [UInt8] = []
    private var currentLines: [String] = []
    private var ready: [SMTPReply] = []
    private var waiters: [EventLoopPromise<SMTPReply>] = []
    private var failure: SMTPError?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pendingBytes.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        while let newline = pendingBytes.firstIndex(of: UInt8(ascii: "\n")) {
            var lineBytes = Array(pendingBytes[..<newline])
            pendingBytes.removeSubrange(...newline)
            if lineBytes.last == UInt8(ascii: "\r") { lineBytes.removeLast() }
            receive(line: String(decoding: lineBytes, as: UTF8.self), context: context)
        }
        if pendingBytes.count > Self.maximumLineLength {
            fail(SMTPError(description: "le serveur SMTP a envoyé une ligne trop longue"), context: context)
        }
    }

    private func receive(line: String, context: ChannelHandlerContext) {
        let scalars = Array(line.utf8)
        guard scalars.count >= 3, let code = Int(String(decoding: scalars[0..<3], as: UTF8.self)), (200...599).contains(code) || (100...199).contains(code) else {
            fail(SMTPError(description: "réponse SMTP illisible : \(line.prefix(100))"), context: context)
            return
        }
        currentLines.append(scalars.count > 4 ? String(decoding: scalars[4...], as: UTF8.self) : "")
        if currentLines.count > Self.maximumReplyLines {
            fail(SMTPError(description: "réponse SMTP trop longue"), context: context)
            return
        }
        if scalars.count > 3 && scalars[3] == UInt8(ascii: "-") { return }
        let reply = SMTPReply(code: code, lines: currentLines)
        currentLines = []
        if waiters.isEmpty { ready.append(reply) } else { waiters.removeFirst().succeed(reply) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPError(description: "le serveur SMTP a fermé la connexion"), context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SMTPError(description: "erreur de connexion SMTP : \(error)"), context: context)
    }

    private func fail(_ error: SMTPError, context: ChannelHandlerContext?) {
        if failure == nil { failure = error }
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.fail(error) }
        context?.close(promise: nil)
    }

    /// The next reply, or a failure after `timeout`. Call on any thread.
    func nextReply(on loop: any EventLoop, timeout: TimeAmount) -> EventLoopFuture<SMTPReply> {
        loop.flatSubmit {
            if !self.ready.isEmpty { return loop.makeSucceededFuture(self.ready.removeFirst()) }
            if let failure = self.failure { return loop.makeFailedFuture(failure) }
            let promise = loop.makePromise(of: SMTPReply.self)
            self.waiters.append(promise)
            let timer = loop.scheduleTask(in: timeout) {
                if let index = self.waiters.firstIndex(where: { $0.futureResult === promise.futureResult }) {
                    self.waiters.remove(at: index)
                    promise.fail(SMTPError(description: "le serveur SMTP n'a pas répondu à temps"))
                }
            }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            return promise.futureResult
        }
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS, AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO, DATA
/// with dot-stuffing, QUIT. One connection per message; every wait bounded by `settings.timeout`.
struct SMTPClient: Sendable {
    let settings: SMTPSettings
    let group: any EventLoopGroup

    func send(_ message: MailMessage, date: Date = Date()) async throws {
        guard MailAddress.isValid(message.to) else {
            throw SMTPError(description: "adresse du destinataire invalide : \(message.to)", permanent: true)
        }
        let handler = SMTPReplyHandler()
        let tls = try makeTLSContext()
        let settings = settings
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(settings.timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.security == .implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(settings.host)))
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: settings.host, port: settings.port).get()
        } catch {
            throw SMTPError(description: "connexion impossible à \(settings.host):\(settings.port) : \(error)")
        }
        do {
            try await converse(channel: channel, handler: handler, tls: tls, message: message, date: date)
            try? await channel.close()
        } catch let error as SMTPError {
            try? await channel.close()
            throw error
        } catch {
            // A TLS failure (an untrusted certificate) or a closed connection.
            try? await channel.close()
            throw SMTPError(description: "échange SMTP interrompu avec \(settings.host):\(settings.port) : \(error)")
        }
    }

    private static func sniName(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.trustedCertificatesFile {
            configuration.additionalTrustRoots = [.file(file)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private func converse(channel: any Channel, handler: SMTPReplyHandler, tls: NIOSSLContext, message: MailMessage, date: Date) async throws {
        let timeout = settings.timeout
        func read() async throws -> SMTPReply {
            try await handler.nextReply(on: channel.eventLoop, timeout: timeout).get()
        }
        func expect(_ reply: SMTPReply, _ codes: ClosedRange<Int>, after step: String) throws {
            guard codes.contains(reply.code) else {
                throw SMTPError(description: "\(step) : le serveur SMTP a répondu \(reply.code) \(reply.text)", permanent: reply.code >= 500)
            }
        }
        func command(_ line: String, _ codes: ClosedRange<Int>, step: String? = nil) async throws -> SMTPReply {
            try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n"))
            let reply = try await read()
            try expect(reply, codes, after: step ?? String(line.prefix(while: { $0 != " " && $0 != ":" })))
            return reply
        }
        let greeting = try await read()
        try expect(greeting, 220...220, after: "accueil")
        let heloName = "cmq.localhost"
        var capabilities = try await command("EHLO \(heloName)", 250...250).lines.dropFirst().map { $0.uppercased() }
        let offersStartTLS = capabilities.contains("STARTTLS")
        switch settings.security {
        case .implicitTLS: break
        case .startTLS where !offersStartTLS:
            throw SMTPError(description: "le serveur SMTP ne propose pas STARTTLS, que CMQ_SMTP_URL exige")
        case .startTLS, .opportunistic:
            if offersStartTLS {
                _ = try await command("STARTTLS", 220...220)
                let host = Self.sniName(settings.host)
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host), position: .first)
                }.get()
                capabilities = try await command("EHLO \(heloName)", 250...250).lines.dropFirst().map { $0.uppercased() }
            }
        }
        if let username = settings.username {
            let mechanisms = capabilities.first(where: { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") })?
                .dropFirst(5).split(separator: " ").map(String.init) ?? []
            let password = settings.password ?? ""
            if mechanisms.contains("PLAIN") {
                let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                _ = try await command("AUTH PLAIN \(token)", 235...235, step: "authentification")
            } else if mechanisms.contains("LOGIN") {
                _ = try await command("AUTH LOGIN", 334...334, step: "authentification")
                _ = try await command(Data(username.utf8).base64EncodedString(), 334...334, step: "authentification")
                _ = try await command(Data(password.utf8).base64EncodedString(), 235...235, step: "authentification")
            } else {
                throw SMTPError(description: "le serveur SMTP ne propose ni AUTH PLAIN ni AUTH LOGIN")
            }
        }
        _ = try await command("MAIL FROM:<\(settings.from)>", 250...250)
        _ = try await command("RCPT TO:<\(message.to)>", 250...251)
        _ = try await command("DATA", 354...354)
        let body = MailMessage.dotStuffed(message.rendered(from: settings.from, date: date))
        _ = try await command(body + ".", 250...250, step: "envoi du message")
        try? await channel.writeAndFlush(ByteBuffer(string: "QUIT\r\n"))
        _ = try? await read()
    }
}
