@testable import CMQApp
import Foundation
import NIOPosix
import Testing

@Suite("The SMTP client against a real SMTP server (aiosmtpd)")
struct SMTPClientTests {
    static let message = MailMessage(
        to: "marie.curie@cmq.test", subject: "Réservation acceptée : Halle de production « Condorcet »",
        text: "Bonjour,\n\nVotre réservation est acceptée.\n.Une ligne qui commence par un point.\nVoir : https://cmq.example.fr/gestion/reservations",
        html: "<p>Votre réservation est <strong>acceptée</strong>.</p><p><a href=\"https://cmq.example.fr/gestion/reservations\">Voir</a></p>",
        unsubscribeURL: "https://cmq.example.fr/desabonnement/x")

    @Test("a message in plain text: French subject (RFC 2047), both alternatives, the link, the unsubscription header")
    func plain() async throws {
        try await withSMTPServer { server in
            try await SMTPClient(settings: server.settings(), group: MultiThreadedEventLoopGroup.singleton).send(Self.message)
            let received = try #require(try await server.waitFor(1).first)
            #expect(received.subject == Self.message.subject)
            #expect(received.rcptTos == ["marie.curie@cmq.test"])
            #expect(received.mailFrom == "ne-pas-repondre@cmq.test")
            #expect(received.text.contains("Votre réservation est acceptée."))
            #expect(received.text.contains("\n.Une ligne qui commence par un point."))
            #expect(received.html.contains("<strong>acceptée</strong>"))
            #expect(received.text.contains("https://cmq.example.fr/gestion/reservations"))
            #expect(received.listUnsubscribe == "<https://cmq.example.fr/desabonnement/x>")
            #expect(received.from.contains("Campus des métiers et des qualifications"))
            #expect(!received.tls && !received.authenticated)
            #expect(received.raw.contains("Subject: =?UTF-8?B?"))
        }
    }

    @Test("AUTH with the right password sends; a wrong password is a permanent failure")
    func authentication() async throws {
        try await withSMTPServer(auth: "cmq:secret de test") { server in
            let group = MultiThreadedEventLoopGroup.singleton
            try await SMTPClient(settings: server.settings(username: "cmq", password: "secret de test"), group: group).send(Self.message)
            let received = try #require(try await server.waitFor(1).first)
            #expect(received.authenticated)
            await #expect(throws: SMTPError.self) {
                try await SMTPClient(settings: server.settings(username: "cmq", password: "faux"), group: group).send(Self.message)
            }
            do {
                try await SMTPClient(settings: server.settings(username: "cmq", password: "faux"), group: group).send(Self.message)
            } catch let error as SMTPError {
                #expect(error.permanent, "\(error)")
            }
            // Without credentials the server refuses MAIL FROM.
            await #expect(throws: SMTPError.self) {
                try await SMTPClient(settings: server.settings(), group: group).send(Self.message)
            }
            #expect(try server.received().count == 1)
        }
    }

    @Test("STARTTLS with a certificate the settings trust, then AUTH; an untrusted certificate is refused")
    func startTLS() async throws {
        let certificate = try SMTPTestServer.selfSignedCertificate()
        try await withSMTPServer(auth: "cmq:secret de test", certificate: certificate) { server in
            let group = MultiThreadedEventLoopGroup.singleton
            try await SMTPClient(settings: server.settings(security: .startTLS, username: "cmq", password: "secret de test", trust: certificate.0),
                                 group: group).send(Self.message)
            let received = try #require(try await server.waitFor(1).first)
            #expect(received.tls && received.authenticated)
            #expect(received.subject == Self.message.subject)
            // The same server with the system's trust only: the self-signed certificate is refused, nothing is sent.
            await #expect(throws: SMTPError.self) {
                try await SMTPClient(settings: server.settings(security: .startTLS, username: "cmq", password: "secret de test"), group: group).send(Self.message)
            }
            #expect(try server.received().count == 1)
        }
    }

    @Test("smtps: TLS from the first byte, then AUTH")
    func implicitTLS() async throws {
        let certificate = try SMTPTestServer.selfSignedCertificate()
        try await withSMTPServer(auth: "cmq:secret de test", implicitTLS: certificate) { server in
            try await SMTPClient(settings: server.settings(security: .implicitTLS, username: "cmq", password: "secret de test", trust: certificate.0),
                                 group: MultiThreadedEventLoopGroup.singleton).send(Self.message)
            let received = try #require(try await server.waitFor(1).first)
            // (aiosmtpd marks only STARTTLS sessions as TLS: that a plain client fails below shows the channel is TLS.)
            #expect(received.authenticated)
            #expect(received.text.contains("Votre réservation est acceptée."))
            var plain = server.settings(username: "cmq", password: "secret de test")
            plain.timeout = .seconds(2)
            await #expect(throws: SMTPError.self) {
                try await SMTPClient(settings: plain, group: MultiThreadedEventLoopGroup.singleton).send(Self.message)
            }
            let all = try server.received()
            #expect(all.count == 1)
        }
    }

    @Test("smtp+starttls refuses a server that does not offer STARTTLS; an unreachable server fails within the timeout")
    func refusals() async throws {
        try await withSMTPServer { server in
            await #expect(throws: SMTPError.self) {
                try await SMTPClient(settings: server.settings(security: .startTLS), group: MultiThreadedEventLoopGroup.singleton).send(Self.message)
            }
            let received = try server.received()
            #expect(received.isEmpty)
        }
        var closed = SMTPSettings(host: "127.0.0.1", port: 9, security: .opportunistic, from: "ne-pas-repondre@cmq.test")
        closed.timeout = .seconds(2)
        await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: closed, group: MultiThreadedEventLoopGroup.singleton).send(Self.message)
        }
    }

    @Test("CMQ_SMTP_URL: schemes, port, user and password; bad values are refused with a clear message")
    func settingsParsing() throws {
        let from = ["CMQ_MAIL_FROM": "cmq@example.fr"]
        #expect(try SMTPSettings.fromEnvironment([:]) == nil)
        let plain = try #require(try SMTPSettings.fromEnvironment(from.merging(["CMQ_SMTP_URL": "smtp://jean%40x.fr:p%3Ass@mail.example.fr:2525"]) { $1 }))
        #expect(plain.host == "mail.example.fr" && plain.port == 2525 && plain.security == .opportunistic)
        #expect(plain.username == "jean@x.fr" && plain.password == "p:ss" && plain.from == "cmq@example.fr")
        #expect(try SMTPSettings.parse("smtps://mail.example.fr", from: "a@b.fr").port == 465)
        #expect(try SMTPSettings.parse("smtp+starttls://mail.example.fr", from: "a@b.fr").security == .startTLS)
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings.parse("http://mail.example.fr", from: "a@b.fr") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings.fromEnvironment(["CMQ_SMTP_URL": "smtp://mail.example.fr"]) }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["CMQ_SMTP_URL": "smtp://mail.example.fr", "CMQ_MAIL_FROM": "pas une adresse"]) }
    }

    @Test("dot-stuffing, RFC 2047 words of at most 75 characters, base64 lines of 76")
    func encoding() {
        #expect(MailMessage.dotStuffed("a\r\n.b\r\n..c") == "a\r\n..b\r\n...c")
        let long = MailMessage.encodedWord(String(repeating: "Réservation acceptée ", count: 6))
        for word in long.components(separatedBy: "\r\n ") {
            #expect(word.count <= 75 && word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
        }
        #expect(MailMessage.encodedWord("Plain subject") == "Plain subject")
        #expect(MailMessage.encodedWord("a\r\nBcc: x@y.fr") == "a  Bcc: x@y.fr")
        #expect(MailMessage.base64Lines(String(repeating: "é", count: 200)).allSatisfy { $0.count <= 76 })
    }
}
