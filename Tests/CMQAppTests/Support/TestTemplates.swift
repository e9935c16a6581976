@testable import CMQApp
import Dispatch
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// The migrated databases the application tests copy. Every migration (the ~7,400 reference rows read from CSV
/// included) and the national administrator's account run once per test process and database kind, into a
/// template; each test then gets a copy of its own:
/// - SQLite: the template is a file compacted with `VACUUM INTO` (no write-ahead log beside it), copied per test;
/// - PostgreSQL: the template is a database `cmq_template_<pid>`, and each test gets
///   `CREATE DATABASE cmq_t_<pid>_<random> TEMPLATE cmq_template_<pid>` (a copy of the files, extensions, functions,
///   triggers and constraints included), dropped at the end of the test.
actor TestTemplates {
    static let shared = TestTemplates()

    /// A migrated database and the API token of its national administrator (`admin@cmq.test`).
    struct Template: Sendable {
        /// The SQLite file, or the PostgreSQL database's name.
        let location: String
        let adminToken: String
    }

    /// A test's own copy of a template.
    struct Copy: Sendable {
        let database: AppConfig.DatabaseChoice
        let adminToken: String
        fileprivate let dispose: @Sendable () async -> Void

        /// Deletes the copy (the test's applications must be shut down).
        func remove() async { await dispose() }
    }

    private var sqlite: Task<Template, any Error>?
    private var postgres: Task<Template, any Error>?

    /// The template of this kind, migrated by the first test that asks (the others wait for it).
    func template(_ kind: TestDatabase) async throws -> Template {
        switch kind {
        case .sqlite:
            let task = sqlite ?? Task { try await Self.makeSQLiteTemplate() }
            sqlite = task
            return try await task.value
        case .postgres:
            let task = postgres ?? Task { try await Self.makePostgresTemplate() }
            postgres = task
            return try await task.value
        }
    }

    /// A fresh copy of the template of this kind (copies are made in parallel, off the actor).
    nonisolated func copy(_ kind: TestDatabase) async throws -> Copy {
        let template = try await template(kind)
        let name = "cmq_t_\(getpid())_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        switch kind {
        case .sqlite:
            let path = TestScratch.directory + "/\(name).sqlite"
            try FileManager.default.copyItem(atPath: template.location, toPath: path)
            return Copy(database: .sqliteFile(path: path), adminToken: template.adminToken) {
                TestScratch.removeSQLite(path)
            }
        case .postgres:
            let admin = try await PostgresAdmin.shared()
            try await admin.clone(template.location, into: name)
            return Copy(database: .postgres(url: try admin.url(of: name)), adminToken: template.adminToken) {
                await admin.drop(name)
            }
        }
    }

    /// Runs the migrations on a new application on `database`, creates the national administrator, and shuts the
    /// application down; `finish` runs last on the migrated database.
    private static func migrate(_ database: AppConfig.DatabaseChoice,
                                finish: (any SQLDatabase) async throws -> Void = { _ in }) async throws -> String {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: AppConfig(database: database, demoOnFirstStart: false))
            try await app.autoMigrate()
            let admin = try await TestAccounts.user(app, role: .administrateurNational, email: "admin@cmq.test")
            let token = try await TestAccounts.token(for: admin, app)
            try await finish(app.db as! any SQLDatabase)
            try await app.asyncShutdown()
            return token
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    private static func makeSQLiteTemplate() async throws -> Template {
        let working = TestScratch.directory + "/migrating.sqlite"
        let template = TestScratch.directory + "/template.sqlite"
        TestScratch.removeSQLite(working)
        TestScratch.removeSQLite(template)
        // The working file is in WAL mode (configure sets it); VACUUM INTO writes one self-contained file with
        // everything committed, the FTS5 tables and the triggers included.
        let token = try await migrate(.sqliteFile(path: working)) { sql in
            try await sql.raw("VACUUM INTO \(bind: template)").run()
        }
        TestScratch.removeSQLite(working)
        return Template(location: template, adminToken: token)
    }

    private static func makePostgresTemplate() async throws -> Template {
        let admin = try await PostgresAdmin.shared()
        let name = "cmq_template_\(getpid())"
        _ = TestScratch.directory  // registers the clean-up at exit
        await admin.removeLeftovers()
        try await admin.create(name)
        TestScratch.postgresTemplate.withLock { $0 = name }
        // No connection to the template may stay open: CREATE DATABASE … TEMPLATE refuses a template in use. The
        // migrating application is shut down (its connections closed) before the first clone.
        let token = try await migrate(.postgres(url: try admin.url(of: name)))
        return Template(location: name, adminToken: token)
    }
}

/// Creates, clones and drops the tests' PostgreSQL databases, over a connection to the database of
/// `CMQ_TEST_POSTGRES_URL` (its role must be allowed to create databases).
actor PostgresAdmin {
    private static let instance = LockedValue<Task<PostgresAdmin, any Error>?>(nil)

    /// The one administrator of the process, connected at the first call.
    static func shared() async throws -> PostgresAdmin {
        let task = instance.withLock { current in
            if let current { return current }
            let task = Task {
                guard let url = TestDatabase.postgresURL else { throw AppConfig.Invalid(description: "CMQ_TEST_POSTGRES_URL is not set") }
                return try await PostgresAdmin(url: url)
            }
            current = task
            return task
        }
        return try await task.value
    }

    /// The admin connections: they never open the template or the copies.
    let app: Application
    private let baseURL: String
    /// CREATE DATABASE … TEMPLATE one at a time: PostgreSQL refuses to copy a template another copy is reading.
    private let cloning = TestAppLimiter(limit: 1)

    private init(url: String) async throws {
        baseURL = url
        app = try await Application.make(.testing)
        try configureDatabase(app, .postgres(url: url))
    }

    private var sql: any SQLDatabase { app.db as! any SQLDatabase }

    /// The URL of `CMQ_TEST_POSTGRES_URL` with another database.
    nonisolated func url(of database: String) throws -> String {
        guard var components = URLComponents(string: baseURL) else {
            throw AppConfig.Invalid(description: "CMQ_TEST_POSTGRES_URL is not a URL")
        }
        components.path = "/" + database
        guard let url = components.string else { throw AppConfig.Invalid(description: "CMQ_TEST_POSTGRES_URL is not a URL") }
        return url
    }

    func create(_ name: String) async throws {
        try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
        try await sql.raw("CREATE DATABASE \(ident: name)").run()
    }

    func clone(_ template: String, into name: String) async throws {
        await cloning.acquire()
        do {
            try await sql.raw("CREATE DATABASE \(ident: name) TEMPLATE \(ident: template)").run()
        } catch {
            await cloning.release()
            throw error
        }
        await cloning.release()
    }

    /// Drops a database even if a test left a connection to it open.
    func drop(_ name: String) async {
        do {
            try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
        } catch {
            app.logger.warning("could not drop the test database \(name): \(error)")
        }
    }

    /// Drops the templates and copies of earlier test processes of this machine that are no longer running (a
    /// crashed or interrupted run).
    func removeLeftovers() async {
        struct Row: Decodable { let datname: String }
        guard let rows = try? await sql.raw("SELECT datname FROM pg_database WHERE datname LIKE 'cmq\\_t%'").all(decoding: Row.self)
        else { return }
        for row in rows {
            let parts = row.datname.split(separator: "_")
            guard parts.count >= 3, parts[1] == "t" || parts[1] == "template", let pid = Int32(parts[2]),
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            await drop(row.datname)
        }
    }
}

/// The process's scratch folder for SQLite files, and what must go when the process ends.
enum TestScratch {
    static let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cmq-tests-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { TestScratch.cleanUp() }
        return path
    }()

    /// The PostgreSQL template of this process, dropped at exit.
    static let postgresTemplate = LockedValue<String?>(nil)

    /// Deletes an SQLite database and the files SQLite keeps beside it.
    static func removeSQLite(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// At exit: the scratch folder, and the PostgreSQL template (waiting up to 10 seconds for the server).
    private static func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
        guard let template = postgresTemplate.withLock({ $0 }) else { return }
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            if let admin = try? await PostgresAdmin.shared() { await admin.drop(template) }
            done.signal()
        }
        _ = done.wait(timeout: .now() + 10)
    }
}

/// A value behind a lock (Synchronization's Mutex needs macOS 15; the package supports macOS 13).
final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
