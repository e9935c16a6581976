import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// `cmq sauvegarde FICHIER`: a consistent copy of the SQLite database, taken while the server runs (`VACUUM INTO`
/// reads one snapshot of the database in a single read transaction: writers go on, the copy has none of their
/// half-done work). Written beside the target under a temporary name, checked, then renamed: a backup is whole or
/// absent. On PostgreSQL it prints the `pg_dump` command to use instead.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "fichier", help: "The backup file to write (it must not exist).")
        var fichier: String
    }

    var help: String { "Back up the SQLite database to a file, while serving (on PostgreSQL: prints the pg_dump command)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let path = try DatabaseFileCopy.sqlitePath(of: app, console: context.console,
            onPostgres: "cmq sauvegarde ne sauvegarde que les bases SQLite : pour PostgreSQL, utilisez pg_dump comme indiqué ci-dessus.",
            inMemory: "La base est en mémoire : il n'y a rien à sauvegarder.")
        let summary = try await DatabaseFileCopy.backup(of: app, databasePath: path, to: signature.fichier) { context.console.print($0) }
        context.console.success(summary)
    }
}

/// `cmq restauration FICHIER`: replaces the SQLite database by a backup, **the server stopped** (a running server
/// keeps the old file open). The backup is checked first (`PRAGMA integrity_check`, a cmq schema no newer than this
/// version), copied beside the database, then renamed over it: the database is the old one or the backup, never a mix.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "fichier", help: "The backup file written by `cmq sauvegarde`.")
        var fichier: String
    }

    var help: String { "Replace the SQLite database by a backup; stop the server first (on PostgreSQL: prints the pg_restore command)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let path = try DatabaseFileCopy.sqlitePath(of: app, console: context.console,
            onPostgres: "cmq restauration ne restaure que les bases SQLite : pour PostgreSQL, utilisez pg_restore comme indiqué ci-dessus.",
            inMemory: "La base est en mémoire : elle ne peut pas être restaurée.")
        let summary = try await DatabaseFileCopy.restore(into: app, databasePath: path, from: signature.fichier) { context.console.print($0) }
        context.console.success(summary)
    }
}

/// The backup and restore of an SQLite database file.
enum DatabaseFileCopy {
    /// The SQLite file of the application; on PostgreSQL the pg_dump/pg_restore advice is printed and the command
    /// refused with `onPostgres`, an in-memory database with `inMemory`.
    static func sqlitePath(of app: Application, console: any Console, onPostgres: String, inMemory: String) throws -> String {
        switch app.cmqConfig.database {
        case .postgres:
            console.print(postgresAdvice)
            throw CommandFailure(onPostgres)
        case .sqliteMemory:
            throw CommandFailure(inMemory)
        case .sqliteFile(let file):
            return file
        }
    }

    static let postgresAdvice = """
        Base PostgreSQL : sauvegardez et restaurez avec les outils de PostgreSQL.
          Sauvegarde (cohérente pendant le service) :
            pg_dump --format=custom --no-owner --file=cmq.dump "$DATABASE_URL"
          Restauration (serveurs cmq arrêtés, dans une base vide créée par « createdb ») :
            pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" cmq.dump
        """

    /// What a backup holds, read from the file itself.
    struct Contents {
        let migrations: [String]
        let counts: [(table: String, rows: Int)]
    }

    /// The tables whose counts the summary gives.
    static let countedTables = ["organisations", "campus", "formations", "utilisateurs"]

    static func backup(of app: Application, databasePath: String, to target: String, progress: (String) -> Void) async throws -> String {
        let started = Date()
        let files = FileManager.default
        let target = absolute(target)
        guard !files.fileExists(atPath: target) else {
            throw CommandFailure("Le fichier \(target) existe déjà : choisissez un autre nom (une sauvegarde n'écrase jamais un fichier).")
        }
        let directory = (target as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue, files.isWritableFile(atPath: directory) else {
            throw CommandFailure("Le dossier \(directory) n'existe pas ou n'est pas accessible en écriture.")
        }
        guard absolute(databasePath) != target else { throw CommandFailure("La sauvegarde ne peut pas remplacer la base elle-même.") }
        guard let sql = app.db as? any SQLDatabase else { throw CommandFailure("La base ne parle pas SQL.") }
        let partial = target + ".partiel-\(getpid())"
        defer { try? files.removeItem(atPath: partial) }
        progress("Copie cohérente de \(databasePath) vers \(target)…")
        do {
            try await sql.raw("VACUUM INTO \(bind: partial)").run()
        } catch {
            throw CommandFailure("La copie de la base a échoué : \(String(describing: error)).")
        }
        progress("Vérification de la copie (intégrité, migrations)…")
        let contents = try await inspect(app, file: partial)
        try files.moveItem(atPath: partial, toPath: target)
        let size = (try? files.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        return "Sauvegarde écrite : \(target) (\(megabytes(size)), \(contents.migrations.count) migrations, "
            + describe(contents.counts) + ") en \(String(format: "%.1f", Date().timeIntervalSince(started))) s."
    }

    static func restore(into app: Application, databasePath: String, from source: String, progress: (String) -> Void) async throws -> String {
        let started = Date()
        let files = FileManager.default
        let source = absolute(source), database = absolute(databasePath)
        guard files.fileExists(atPath: source) else { throw CommandFailure("Le fichier \(source) n'existe pas.") }
        guard source != database else { throw CommandFailure("La sauvegarde est la base elle-même : rien à restaurer.") }
        progress("Vérification de la sauvegarde \(source) (intégrité, migrations)…")
        let contents = try await inspect(app, file: source)
        let known = Readiness.knownMigrations
        let unknown = Set(contents.migrations).subtracting(known).sorted()
        guard unknown.isEmpty else {
            throw CommandFailure("La sauvegarde vient d'une version plus récente de cmq (migrations inconnues : \(Readiness.shortNames(unknown))) : restaurez-la avec cette version-là.")
        }
        let pending = known.count - Set(contents.migrations).intersection(known).count

        // The copy goes beside the database (same file system: the rename is atomic), the database closed.
        let partial = database + ".restauration-\(getpid())"
        defer { try? files.removeItem(atPath: partial) }
        progress("Copie de la sauvegarde à côté de la base…")
        do {
            try files.copyItem(atPath: source, toPath: partial)
        } catch {
            throw CommandFailure("La sauvegarde n'a pas pu être copiée à côté de la base (\(error.localizedDescription)) : la base est inchangée.")
        }
        // Closing the connections checkpoints the write-ahead log into the old file and removes it.
        app.databases.reinitialize(.sqlite)
        for stale in [database + "-wal", database + "-shm"] where files.fileExists(atPath: stale) {
            try files.removeItem(atPath: stale)
        }
        guard rename(partial, database) == 0 else {
            throw CommandFailure("Le remplacement de la base a échoué (\(String(cString: strerror(errno)))) : la base est inchangée.")
        }
        progress("Base remplacée ; vérification…")
        let restored = try await inspect(app, file: database)
        var summary = "Restauration terminée : \(database) (\(restored.migrations.count) migrations, " + describe(restored.counts)
            + ") en \(String(format: "%.1f", Date().timeIntervalSince(started))) s."
        if pending > 0 { summary += " \(pending) migration(s) seront appliquées au prochain « cmq serve » ou « cmq migrate »." }
        return summary
    }

    /// Opens an SQLite file apart from the application's database, checks it is whole and a cmq database, and
    /// reads its migrations and a few counts.
    static func inspect(_ app: Application, file: String) async throws -> Contents {
        let id = DatabaseID(string: "inspection-\(UUID().uuidString)")
        app.databases.use(.sqlite(.file(file)), as: id)
        defer { app.databases.reinitialize(id) }
        guard let sql = app.db(id) as? any SQLDatabase else { throw CommandFailure("La base ne parle pas SQL.") }
        struct Check: Decodable { let integrity_check: String }
        let checks: [Check]
        do {
            checks = try await sql.raw("PRAGMA integrity_check").all(decoding: Check.self)
        } catch {
            throw CommandFailure("\(file) n'est pas une base SQLite lisible : \(String(describing: error)).")
        }
        guard checks.map(\.integrity_check) == ["ok"] else {
            throw CommandFailure("\(file) est endommagé (PRAGMA integrity_check : \(checks.prefix(3).map(\.integrity_check).joined(separator: " ; "))).")
        }
        struct Name: Decodable { let name: String }
        let migrations: [String]
        do {
            migrations = try await sql.select().column("name").from("_fluent_migrations").all(decoding: Name.self).map(\.name)
        } catch {
            throw CommandFailure("\(file) n'est pas une base cmq (pas de table des migrations).")
        }
        guard migrations.contains(where: { $0.hasSuffix(".CreateOrganisations") }) else {
            throw CommandFailure("\(file) n'est pas une base cmq (ses migrations ne sont pas celles de cmq).")
        }
        var counts: [(String, Int)] = []
        struct Count: Decodable { let n: Int }
        for table in countedTables {
            let n = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first(decoding: Count.self)?.n ?? 0
            counts.append((table, n))
        }
        return Contents(migrations: migrations, counts: counts)
    }

    static func describe(_ counts: [(table: String, rows: Int)]) -> String {
        counts.map { "\($0.rows) \($0.table)" }.joined(separator: ", ")
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f Mo", Double(bytes) / 1_048_576)
    }

    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }
}
