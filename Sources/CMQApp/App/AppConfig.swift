import CMQDomain
import NIOCore
import Vapor

/// cmq's configuration, read once from the environment and validated at boot.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        /// An SQLite file (the embedded default, `cmq.sqlite` in the working directory).
        case sqliteFile(path: String)
        /// A throwaway in-memory SQLite database (tests).
        case sqliteMemory
        /// A PostgreSQL server; `schema` isolates a test run in its own schema.
        case postgres(url: String)
    }

    public var database: DatabaseChoice
    public var host: String
    public var port: Int
    /// Load the demo data set when `serve` starts on an empty database.
    public var demoOnFirstStart: Bool
    /// Keep recent catalogue search results in memory while the catalogue is unchanged (`CMQ_SEARCH_CACHE`).
    public var searchCache: Bool
    /// The addresses of the reverse proxies whose `X-Forwarded-For` is believed (`CMQ_TRUSTED_PROXIES`,
    /// comma-separated); none by default: the client is the address that connected.
    public var trustedProxies: Set<String> = []
    /// Who publishes this instance, how to reach them, who hosts it (the legal notice and contact pages).
    public var about = About()

    public struct About: Sendable {
        /// `CMQ_EDITEUR`: the publisher's name and address.
        public var publisher: String?
        /// `CMQ_CONTACT`: an e-mail address to reach the publisher.
        public var contact: String?
        /// `CMQ_HEBERGEUR`: the host's name and address.
        public var hosting: String?

        public init(publisher: String? = nil, contact: String? = nil, hosting: String? = nil) {
            self.publisher = publisher
            self.contact = contact
            self.hosting = hosting
        }
    }
    /// The public address of the site (`CMQ_PUBLIC_URL`, e.g. `https://cmq.education.gouv.fr`), for the absolute
    /// links of the open data catalogue, the sitemap and the JSON-LD; when unset, the address the request came to.
    public var publicURL: String?
    /// Where e-mail goes (`CMQ_SMTP_URL`, `CMQ_MAIL_FROM`, `CMQ_SMTP_CA`); nil: messages wait in the outbox.
    var smtp: SMTPSettings?
    /// The bearer token of `GET /metriques` (`CMQ_METRICS_TOKEN`, 24–256 characters of `[A-Za-z0-9._~+/=-]`); the
    /// route answers 404 when unset.
    public var metricsToken: String?
    /// How long a stopping instance (SIGTERM) gives the requests in flight to finish (`CMQ_SHUTDOWN_TIMEOUT`,
    /// 1–300 seconds, 20 by default); the rest are cut when it is over.
    public var shutdownTimeout: Int = 20
    /// A file where commands write their metrics (import progress) in the Prometheus text format, for
    /// node_exporter's text file collector (`CMQ_METRICS_TEXTFILE`); none by default.
    public var metricsTextfile: String?
    /// The secret that pseudonymises the learners' INE at the import of pathways (`CMQ_PSEUDONYM_KEY`, at least 32
    /// characters); nil: pathways are not imported (their pages still show what is stored).
    public var pseudonymKey: String?
    /// How many school years of pathway steps `cmq rgpd purge-parcours` keeps (`CMQ_PARCOURS_RETENTION`, 1–20; 5 by default).
    public var parcoursRetentionYears: Int = 5
    /// How many months after an action the names and e-mail addresses of its registrants are deleted
    /// (`CMQ_ACTIONS_EFFACEMENT_MOIS`, 1 to 24; 3 by default).
    public var registrantRetentionMonths: Int = 3
    /// The largest testimony video accepted, in megabytes (`CMQ_TEMOIGNAGE_VIDEO_MAX`, 1 to 2000; 200 by default).
    public var temoignageVideoMaxMegabytes: Int = 200
    /// How many days after a testimony is withdrawn (or its consent withdrawn or expired) its media are deleted
    /// (`CMQ_TEMOIGNAGE_EFFACEMENT_JOURS`, 0 to 365; 30 by default).
    public var temoignageDeletionDays: Int = MediaRetention.defaultDelayDays
    /// How many seconds this instance keeps a computed indicator for the dashboards (`CMQ_INDICATEURS_CACHE`, 0 to
    /// 3600; 60 by default; 0: none): a write through this instance is seen at once, one made elsewhere within this time.
    public var indicatorCacheSeconds: Int = 60

    public init(database: DatabaseChoice, host: String = "127.0.0.1", port: Int = 8080, demoOnFirstStart: Bool = true, searchCache: Bool = true) {
        self.database = database
        self.host = host
        self.port = port
        self.demoOnFirstStart = demoOnFirstStart
        self.searchCache = searchCache
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `DATABASE_URL`, `HOST`, `PORT`, `CMQ_DEMO`, `CMQ_SEARCH_CACHE`, `CMQ_TRUSTED_PROXIES`, `CMQ_PUBLIC_URL`, `CMQ_SMTP_URL`, `CMQ_MAIL_FROM`, `CMQ_SMTP_CA`, `CMQ_EDITEUR`, `CMQ_CONTACT`, `CMQ_HEBERGEUR`, `CMQ_METRICS_TOKEN`, `CMQ_METRICS_TEXTFILE`, `CMQ_SHUTDOWN_TIMEOUT`, `CMQ_PSEUDONYM_KEY`, `CMQ_PARCOURS_RETENTION`, `CMQ_ACTIONS_EFFACEMENT_MOIS`, `CMQ_TEMOIGNAGE_VIDEO_MAX`, `CMQ_TEMOIGNAGE_EFFACEMENT_JOURS` and `CMQ_INDICATEURS_CACHE`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        let database = try databaseChoice(from: environment["DATABASE_URL"])
        let host = environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        var port = 8080
        if let raw = environment["PORT"], !raw.isEmpty {
            guard let value = Int(raw), (1...65535).contains(value) else {
                throw Invalid(description: "PORT=\(raw) is not a TCP port (1–65535).")
            }
            port = value
        }
        func flag(_ name: String) throws -> Bool {
            guard let raw = environment[name]?.lowercased(), !raw.isEmpty else { return true }
            switch raw {
            case "1", "true", "yes", "oui": return true
            case "0", "false", "no", "non": return false
            default: throw Invalid(description: "\(name)=\(raw) must be true or false.")
            }
        }
        var config = AppConfig(database: database, host: host, port: port, demoOnFirstStart: try flag("CMQ_DEMO"), searchCache: try flag("CMQ_SEARCH_CACHE"))
        let proxies = (environment["CMQ_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for proxy in proxies where (try? SocketAddress(ipAddress: proxy, port: 0)) == nil {
            throw Invalid(description: "CMQ_TRUSTED_PROXIES: \(proxy) is not an IP address.")
        }
        config.trustedProxies = Set(proxies)
        func text(_ name: String) -> String? { environment[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        if let contact = text("CMQ_CONTACT"), !contact.contains("@") || contact.contains(" ") {
            throw Invalid(description: "CMQ_CONTACT=\(contact) is not an e-mail address.")
        }
        config.about = About(publisher: text("CMQ_EDITEUR"), contact: text("CMQ_CONTACT"), hosting: text("CMQ_HEBERGEUR"))
        if let raw = environment["CMQ_PUBLIC_URL"], !raw.isEmpty {
            let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                  url.query == nil, url.fragment == nil else {
                throw Invalid(description: "CMQ_PUBLIC_URL=\(raw) must be an absolute http:// or https:// address, e.g. https://cmq.example.fr.")
            }
            config.publicURL = trimmed
        }
        do {
            config.smtp = try SMTPSettings.fromEnvironment(environment)
        } catch let error as SMTPSettings.Invalid {
            throw Invalid(description: error.description)
        }
        if let token = environment["CMQ_METRICS_TOKEN"], !token.isEmpty {
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~+/=-")
            guard (24...256).contains(token.count), token.allSatisfy(allowed.contains) else {
                throw Invalid(description: "CMQ_METRICS_TOKEN must be 24 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -.")
            }
            config.metricsToken = token
        }
        if let raw = environment["CMQ_SHUTDOWN_TIMEOUT"], !raw.isEmpty {
            guard let seconds = Int(raw), (1...300).contains(seconds) else {
                throw Invalid(description: "CMQ_SHUTDOWN_TIMEOUT=\(raw) must be a number of seconds from 1 to 300.")
            }
            config.shutdownTimeout = seconds
        }
        if let raw = environment["CMQ_ACTIONS_EFFACEMENT_MOIS"], !raw.isEmpty {
            guard let months = Int(raw), (1...24).contains(months) else {
                throw Invalid(description: "CMQ_ACTIONS_EFFACEMENT_MOIS=\(raw) must be a number of months from 1 to 24.")
            }
            config.registrantRetentionMonths = months
        }
        if let raw = environment["CMQ_TEMOIGNAGE_VIDEO_MAX"], !raw.isEmpty {
            guard let megabytes = Int(raw), (1...2000).contains(megabytes) else {
                throw Invalid(description: "CMQ_TEMOIGNAGE_VIDEO_MAX=\(raw) must be a number of megabytes from 1 to 2000.")
            }
            config.temoignageVideoMaxMegabytes = megabytes
        }
        if let raw = environment["CMQ_TEMOIGNAGE_EFFACEMENT_JOURS"], !raw.isEmpty {
            guard let days = Int(raw), MediaRetention.delayRange.contains(days) else {
                throw Invalid(description: "CMQ_TEMOIGNAGE_EFFACEMENT_JOURS=\(raw) must be a number of days from 0 to 365.")
            }
            config.temoignageDeletionDays = days
        }
        if let raw = environment["CMQ_INDICATEURS_CACHE"], !raw.isEmpty {
            guard let seconds = Int(raw), (0...3600).contains(seconds) else {
                throw Invalid(description: "CMQ_INDICATEURS_CACHE=\(raw) must be a number of seconds from 0 to 3600.")
            }
            config.indicatorCacheSeconds = seconds
        }
        if let path = environment["CMQ_METRICS_TEXTFILE"], !path.isEmpty {
            guard path.hasSuffix(".prom") else {
                throw Invalid(description: "CMQ_METRICS_TEXTFILE=\(path) must name a .prom file (node_exporter's text file collector reads only those).")
            }
            config.metricsTextfile = path
        }
        if let key = environment["CMQ_PSEUDONYM_KEY"], !key.isEmpty {
            do { _ = try Pseudonymiser(secret: key) } catch { throw Invalid(description: error.description) }
            config.pseudonymKey = key
        }
        if let raw = environment["CMQ_PARCOURS_RETENTION"], !raw.isEmpty {
            guard let years = Int(raw), (1...20).contains(years) else {
                throw Invalid(description: "CMQ_PARCOURS_RETENTION must be a number of school years from 1 to 20.")
            }
            config.parcoursRetentionYears = years
        }
        return config
    }

    /// `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite:PATH` (or nothing) an SQLite file.
    static func databaseChoice(from url: String?) throws -> DatabaseChoice {
        guard let url, !url.isEmpty else { return .sqliteFile(path: "cmq.sqlite") }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw Invalid(description: "DATABASE_URL=\(url) names no SQLite file.") }
            return path == ":memory:" ? .sqliteMemory : .sqliteFile(path: path)
        }
        throw Invalid(description: "DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got \(url)).")
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }

    public var cmqConfig: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { preconditionFailure("configure(_:config:) has not run") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }
}
