import Foundation

/// The référentiels cmq knows: the ones it ships (`Resources/Data/referentiels/*.json`) and any added as data.
public struct ReferentielCatalog: Sendable, Equatable {
    /// By code, in ascending order ("2014", "2019").
    public let referentiels: [Referentiel]

    /// Refuses two référentiels with the same code.
    public init(_ referentiels: [Referentiel]) throws(ReferentielError) {
        var seen: Set<String> = []
        let duplicates = referentiels.map(\.code).filter { !seen.insert($0).inserted }
        guard duplicates.isEmpty else {
            throw ReferentielError(duplicates.map { "Le référentiel « \($0) » existe déjà." })
        }
        self.referentiels = referentiels.sorted { $0.code.localizedStandardCompare($1.code) == .orderedAscending }
    }

    /// The référentiels shipped with cmq: 2014 and 2019.
    public static let shipped: ReferentielCatalog = {
        guard let folder = Bundle.module.url(forResource: "referentiels", withExtension: nil, subdirectory: "Data"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else {
            preconditionFailure("The shipped référentiels (Data/referentiels) cannot be found.")
        }
        let urls = names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
        do throws(ReferentielError) {
            var referentiels: [Referentiel] = []
            for url in urls {
                guard let data = try? Data(contentsOf: url) else { throw ReferentielError(["\(url.lastPathComponent) ne peut pas être lu."]) }
                referentiels.append(try ReferentielCatalog.decode(data))
            }
            return try ReferentielCatalog(referentiels)
        } catch {
            preconditionFailure("A shipped référentiel (Data/referentiels) is invalid: \(error.message)")
        }
    }()

    /// Reads and validates a référentiel file.
    public static func decode(_ data: Data) throws(ReferentielError) -> Referentiel {
        try ReferentielFile.decode(data).validated()
    }

    public func referentiel(code: String) -> Referentiel? {
        referentiels.first { $0.code == code }
    }

    /// The most recent référentiel: the one new dossiers follow.
    public var current: Referentiel? { referentiels.last }

    /// The catalogue with one more référentiel; its code must be new.
    public func adding(_ referentiel: Referentiel) throws(ReferentielError) -> ReferentielCatalog {
        try ReferentielCatalog(referentiels + [referentiel])
    }
}
