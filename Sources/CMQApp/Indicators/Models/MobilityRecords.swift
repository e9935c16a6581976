import CMQDomain
import Fluent
import Foundation

/// A line of a campus's international mobilities for a school year (migration 029).
final class MobilityRecord: Model, @unchecked Sendable {
    static let schema = "mobilites"

    @ID(key: .id) var id: UUID?
    @Parent(key: "campus_id") var campus: Campus
    /// The calendar year of the school year's September.
    @Field(key: "annee") var annee: Int
    @Field(key: "sens") var sens: MobilityDirection
    @Field(key: "public") var audience: MobilityAudience
    @Field(key: "pays") var pays: String
    @Field(key: "nombre") var nombre: Int

    init() {}

    init(campusID: UUID, year: SchoolYear, line: MobilityLine) {
        $campus.id = campusID
        annee = year.startYear
        sens = line.direction
        audience = line.audience
        pays = line.country
        nombre = line.count
    }

    var line: MobilityLine { MobilityLine(direction: sens, audience: audience, country: pays, count: nombre) }
}

extension MobilityRecord: Audited {
    static var auditEntity: String { "mobilite" }
    var auditLabel: String { "Mobilité \(sens.rawValue) \(SchoolYear(startYear: annee)) — \(MobilityCountries.name(pays) ?? pays), \(audience.label)" }
    var auditSnapshot: [String: String] {
        ["annee": SchoolYear(startYear: annee).description, "sens": sens.rawValue, "public": audience.rawValue, "pays": pays, "nombre": String(nombre)]
    }
}
