@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import VaporTesting

/// The databases every application test runs on: SQLite always, PostgreSQL when `CMQ_TEST_POSTGRES_URL` is set.
enum TestDatabase: String, CustomStringConvertible, Sendable, CaseIterable {
    case sqlite
    case postgres

    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["CMQ_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }

    /// The databases available for this run.
    static var all: [TestDatabase] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var description: String { rawValue }
}

/// How many test applications run at once. Swift Testing starts every test together: hundreds of applications at
/// once exhaust PostgreSQL's connections (up to 8 each) and starve SQLite's writers on a small machine, which makes
/// the concurrency tests fail for reasons of the machine, not of the code.
actor TestAppLimiter {
    static let shared = TestAppLimiter(limit: 8)

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    func acquire() async {
        guard running >= limit else {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the place to the next waiting test, or frees it.
    func release() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// Runs `body` with an application on a fresh, migrated database of the given kind, empty but for the national
/// administrator whose token `send` uses: a copy of the process's template (see `TestTemplates`).
func withTestApp(_ database: TestDatabase, _ body: (Application) async throws -> Void) async throws {
    await TestAppLimiter.shared.acquire()
    do {
        try await runTestApp(database, body)
    } catch {
        await TestAppLimiter.shared.release()
        throw error
    }
    await TestAppLimiter.shared.release()
}

private func runTestApp(_ database: TestDatabase, _ body: (Application) async throws -> Void) async throws {
    let copy = try await TestTemplates.shared.copy(database)
    let app: Application
    do {
        app = try await Application.make(.testing)
    } catch {
        await copy.remove()
        throw error
    }
    do {
        // `app.cmqConfig.database` names the copy: a test may open a second application on it.
        try await configure(app, config: AppConfig(database: copy.database, demoOnFirstStart: false))
        app.testAdminToken = copy.adminToken
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        await copy.remove()
        throw error
    }
    try? await app.asyncShutdown()
    await copy.remove()
}

/// Who a test request is sent as.
enum TestIdentity: Sendable {
    /// The national administrator every test app has (allowed everything).
    case admin
    /// Nobody signed in.
    case anonymous
    /// An API token of another account.
    case token(String)
}

/// Accounts for tests, with their API tokens.
enum TestAccounts {
    /// A CAEN account is the académie d'Amiens's (20) and a CREFOP account the Hauts-de-France's (32) unless told
    /// otherwise: the territory of `Factory.campus`.
    static func user(_ app: Application, role: Role, email: String, region: String? = nil, campus: UUID? = nil,
                     organisation: UUID? = nil, instance: Instance? = nil, academie: String? = nil,
                     password: String = "mot de passe de test") async throws -> User {
        let academie = academie ?? (instance == .caen ? "20" : nil)
        let region = region ?? (instance == .crefop || instance == .caen ? "32" : nil)
        let user = User(email: email, nom: email, passwordHash: try await app.password.async.hash(password), role: role,
                        regionCode: region, campusID: campus, organisationID: organisation, instance: instance, academieCode: academie)
        try await user.create(on: app.db)
        return user
    }

    static func token(for user: User, _ app: Application) async throws -> String {
        let token = APITokens.generate()
        try await APIToken(userID: user.requireID(), nom: "tests", hash: APITokens.hash(token), prefix: String(token.prefix(8))).create(on: app.db)
        return token
    }

    /// A token for a new account of the given role and scope.
    static func identity(_ app: Application, _ role: Role, region: String? = nil, campus: UUID? = nil, organisation: UUID? = nil,
                         instance: Instance? = nil, academie: String? = nil) async throws -> TestIdentity {
        let email = "\(role.rawValue).\(UUID().uuidString.prefix(8).lowercased())@cmq.test"
        let user = try await user(app, role: role, email: email, region: region, campus: campus, organisation: organisation,
                                  instance: instance, academie: academie)
        return .token(try await token(for: user, app))
    }
}

extension Application {
    private struct AdminTokenKey: StorageKey { typealias Value = String }

    var testAdminToken: String {
        get { storage[AdminTokenKey.self] ?? "" }
        set { storage[AdminTokenKey.self] = newValue }
    }

    /// Sends a request with a raw JSON body (so that tests can send wrong types and broken JSON), as the
    /// national administrator unless told otherwise.
    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, contentType: String = "application/json",
              headers extra: HTTPHeaders = [:], as identity: TestIdentity = .admin) async throws -> TestingHTTPResponse {
        var headers = extra
        switch identity {
        case .admin: headers.bearerAuthorization = BearerAuthorization(token: testAdminToken)
        case .anonymous: break
        case .token(let token): headers.bearerAuthorization = BearerAuthorization(token: token)
        }
        var body: ByteBuffer?
        if let json {
            headers.replaceOrAdd(name: .contentType, value: contentType)
            body = ByteBuffer(string: json)
        }
        return try await testing().sendRequest(method, path, headers: headers, body: body)
    }
}

extension TestingHTTPResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(buffer: body))
    }

    var problem: Problem? { try? decoded(Problem.self) }

    /// The names of the fields listed in a 422 problem.
    var faultyFields: [String] { problem?.errors?.map(\.field) ?? [] }

    var isProblemJSON: Bool { headers.contentType?.description.hasPrefix("application/problem+json") == true }
}

/// Builders for the records tests need, with sensible defaults.
enum Factory {
    @discardableResult
    static func organisation(_ db: any Database, nom: String = "Lycée professionnel Condorcet", kind: String = "lycee-professionnel",
                             isPublic: Bool = true, uai: String? = nil, siret: String? = nil, departement: String? = nil) async throws -> Organisation {
        let organisation = Organisation(nom: nom, kind: try #require(OrganisationKind(rawValue: kind)), isPublic: isPublic)
        organisation.uai = uai
        organisation.siret = siret
        organisation.departementCode = departement
        organisation.refreshDerivedFields()
        try await organisation.create(on: db)
        return organisation
    }

    @discardableResult
    static func campus(_ db: any Database, nom: String = "Métallurgie et plasturgie", filiere: String = "materiaux-innovants",
                       academie: String = "20", region: String = "32") async throws -> Campus {
        let campus = Campus(nom: nom, filiere: try #require(Filiere(slug: filiere)), academieCode: academie, regionCode: region)
        campus.nomCle = TextFolding.searchKey(nom)
        try await campus.create(on: db)
        return campus
    }

    @discardableResult
    static func membership(_ db: any Database, campus: Campus, organisation: Organisation, role: MembershipRole = .membre) async throws -> Membership {
        let membership = Membership(campusID: try campus.requireID(), organisationID: try organisation.requireID(), role: role)
        try await membership.create(on: db)
        return membership
    }
}

extension UUID {
    var lower: String { uuidString.lowercased() }
}
