import CMQDomain
import Fluent
import Foundation

/// A value entered by a campus team for an indicator and a school year.
final class IndicatorValueRecord: Model, @unchecked Sendable {
    static let schema = "indicateurs_valeurs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campus_id") var campus: Campus
    @Field(key: "code") var code: String
    /// The calendar year of the school year's September.
    @Field(key: "annee") var annee: Int
    @Field(key: "valeur") var valeur: Double
    @Field(key: "modifie_le") var modifieLe: Date
    @OptionalField(key: "modifie_par") var modifiePar: UUID?

    init() {}
}

/// A campus's target on an indicator: initial value, target value, deadline.
final class IndicatorTargetRecord: Model, @unchecked Sendable {
    static let schema = "indicateurs_cibles"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campus_id") var campus: Campus
    @Field(key: "code") var code: String
    @Field(key: "initiale") var initiale: Double
    @Field(key: "cible") var cible: Double
    /// `AAAA-MM-JJ`.
    @Field(key: "echeance") var echeance: String
    @Field(key: "modifie_le") var modifieLe: Date

    init() {}

    var domain: IndicatorTarget? {
        CalendarDay(iso: echeance).map { IndicatorTarget(initial: initiale, target: cible, deadline: $0) }
    }
}

/// A catalogue file loaded with `cmq indicateurs charger`, kept as written.
final class IndicatorCatalogueRecord: Model, @unchecked Sendable {
    static let schema = "indicateurs_catalogues"

    @ID(key: .id) var id: UUID?
    @Field(key: "contenu") var contenu: String
    /// The codes it adds, comma-separated.
    @Field(key: "codes") var codes: String
    @Field(key: "charge_le") var chargeLe: Date

    init() {}

    init(contenu: String, codes: [String], chargeLe: Date) {
        self.contenu = contenu
        self.codes = codes.joined(separator: ",")
        self.chargeLe = chargeLe
    }
}
