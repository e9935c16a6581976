import CMQDomain
import Fluent
import SQLKit
import Vapor

/// Whether this instance may receive traffic: the database answers, its schema is exactly the one this version of
/// cmq knows (no migration missing, none unknown: an older instance must not serve a newer schema), and the
/// catalogue index is loaded (or loads within its time).
struct Readiness: Sendable {
    /// How long the database has to answer a probe.
    static let databaseTimeout = 3.0
    /// How long the catalogue index has to load (on a large catalogue the first load reads every formation).
    static let catalogueTimeout = 15.0

    struct Check: Content, Equatable {
        /// `ok` or `echec`.
        let statut: String
        /// Why the check failed, in French.
        let detail: String?

        static let ok = Check(statut: "ok", detail: nil)
        static func failed(_ detail: String) -> Check { Check(statut: "echec", detail: detail) }
        var passed: Bool { statut == "ok" }
    }

    struct Report: Content {
        /// `pret` or `indisponible`.
        let statut: String
        let verifications: [String: Check]
    }

    let app: Application
    let db: any Database
    let logger: Logger

    func report(today: CalendarDay) async -> Report {
        var checks: [String: Check] = [:]
        checks["base"] = await databaseCheck()
        if checks["base"]!.passed {
            checks["migrations"] = await migrationsCheck()
            checks["catalogue"] = await catalogueCheck(today: today)
        } else {
            let unreachable = Check.failed("Non vérifié : la base de données ne répond pas.")
            checks["migrations"] = unreachable
            checks["catalogue"] = unreachable
        }
        let ready = checks.values.allSatisfy(\.passed)
        return Report(statut: ready ? "pret" : "indisponible", verifications: checks)
    }

    private var sql: (any SQLDatabase)? { db as? any SQLDatabase }

    func databaseCheck() async -> Check {
        guard let sql else { return .failed("La base de données n'accepte pas le SQL.") }
        do {
            try await Deadline.run(seconds: Self.databaseTimeout) { try await sql.raw("SELECT 1").run() }
            return .ok
        } catch is Deadline.Expired {
            logger.error("Préparation : la base de données n'a pas répondu en \(Int(Self.databaseTimeout)) s.")
            return .failed("La base de données n'a pas répondu en \(Int(Self.databaseTimeout)) secondes.")
        } catch {
            logger.error("Préparation : la base de données ne répond pas : \(String(reflecting: error))")
            return .failed("La base de données ne répond pas.")
        }
    }

    func migrationsCheck() async -> Check {
        let known = Self.knownMigrations
        struct Row: Decodable { let name: String }
        let applied: [String]
        do {
            guard let sql else { return .failed("La base de données n'accepte pas le SQL.") }
            applied = try await Deadline.run(seconds: Self.databaseTimeout) {
                try await sql.select().column("name").from("_fluent_migrations").all(decoding: Row.self).map(\.name)
            }
        } catch {
            logger.error("Préparation refusée : la table des migrations est illisible (base jamais migrée ?) : \(String(reflecting: error))")
            return .failed("Aucune migration n'est appliquée à cette base : lancez « cmq migrate ».")
        }
        let appliedSet = Set(applied)
        let missing = known.filter { !appliedSet.contains($0) }
        let unknown = Set(applied).subtracting(known).sorted()
        if !unknown.isEmpty {
            logger.error("Préparation refusée : le schéma de la base est plus récent que cette version de cmq (migrations inconnues : \(unknown.joined(separator: ", "))).")
            return .failed("Le schéma de la base est plus récent que cette version de cmq : \(unknown.count) migration(s) inconnue(s) (\(Self.shortNames(unknown))). Mettez cette instance à jour.")
        }
        if !missing.isEmpty {
            logger.error("Préparation refusée : le schéma de la base est plus ancien que cette version de cmq (migrations non appliquées : \(missing.joined(separator: ", "))).")
            return .failed("\(missing.count) migration(s) non appliquée(s) (\(Self.shortNames(missing))) : lancez « cmq migrate ».")
        }
        return .ok
    }

    func catalogueCheck(today: CalendarDay) async -> Check {
        guard let index = app.catalogueIndex else { return .ok }
        guard let sql else { return .failed("La base de données n'accepte pas le SQL.") }
        do {
            _ = try await Deadline.run(seconds: Self.catalogueTimeout) { try await index.current(on: sql, today: today) }
            return .ok
        } catch is Deadline.Expired {
            logger.warning("Préparation : l'index du catalogue est encore en chargement après \(Int(Self.catalogueTimeout)) s.")
            return .failed("L'index du catalogue est en cours de chargement.")
        } catch {
            logger.error("Préparation : l'index du catalogue ne se charge pas : \(String(reflecting: error))")
            return .failed("L'index du catalogue ne se charge pas.")
        }
    }

    /// The names of the migrations this version ships (`configure`'s list), as Fluent records them.
    static var knownMigrations: [String] { cmqMigrations().map(\.name) }

    /// `CMQApp.CreateCampus` → `CreateCampus`, at most five then an ellipsis.
    static func shortNames(_ names: [String]) -> String {
        let short = names.prefix(5).map { $0.split(separator: ".").last.map(String.init) ?? $0 }
        return short.joined(separator: ", ") + (names.count > 5 ? "…" : "")
    }
}
