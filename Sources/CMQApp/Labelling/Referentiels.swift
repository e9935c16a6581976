import CMQDomain
import Crypto
import Fluent
import Foundation
import SQLKit

/// The référentiels in force: those shipped with cmq and those loaded as data.
enum Referentiels {
    static func catalog(on db: any Database) async throws -> ReferentielCatalog {
        var catalog = ReferentielCatalog.shipped
        for record in try await ReferentielRecord.query(on: db).all() {
            if let referentiel = try? ReferentielCatalog.decode(Data(record.contenu.utf8)), catalog.referentiel(code: referentiel.code) == nil {
                catalog = (try? catalog.adding(referentiel)) ?? catalog
            }
        }
        return catalog
    }

    static func find(_ code: String, on db: any Database) async throws -> Referentiel? {
        try await catalog(on: db).referentiel(code: code)
    }

    /// Checks and stores a new référentiel; its code must be new.
    static func load(_ data: Data, on db: any Database) async throws -> Referentiel {
        let referentiel: Referentiel
        do { referentiel = try ReferentielCatalog.decode(data) } catch { throw AppError.validation([FieldError("referentiel", error.message)]) }
        do { _ = try await catalog(on: db).adding(referentiel) } catch let error as ReferentielError { throw AppError.conflict(error.message) }
        try await ReferentielRecord(code: referentiel.code, contenu: String(decoding: data, as: UTF8.self)).create(on: db)
        return referentiel
    }
}
