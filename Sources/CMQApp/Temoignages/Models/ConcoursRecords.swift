import CMQDomain
import Fluent
import Foundation

/// An edition of the contest "Ma réussite pro": its calendar and its scoring grid (JSON).
final class ConcoursEditionRecord: Model, @unchecked Sendable {
    static let schema = "concours_editions"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "nom") var nom: String
    @Field(key: "depots_ouverture") var depotsOuverture: Date
    @Field(key: "depots_cloture") var depotsCloture: Date
    @Field(key: "jury_academique_cloture") var juryAcademiqueCloture: Date
    @Field(key: "jury_national_cloture") var juryNationalCloture: Date
    @Field(key: "vote_ouverture") var voteOuverture: Date
    @Field(key: "vote_cloture") var voteCloture: Date
    @Field(key: "resultats") var resultats: Date
    @Field(key: "grille") var grilleJSON: String
    @Field(key: "places_nationales") var placesNationales: Int

    init() {}

    init(id: UUID? = nil, nom: String, calendar: ContestCalendar, grid: ScoringGrid, placesNationales: Int) throws {
        self.id = id
        self.nom = nom
        depotsOuverture = calendar.submissionsOpen
        depotsCloture = calendar.submissionsClose
        juryAcademiqueCloture = calendar.academieJuryClose
        juryNationalCloture = calendar.nationalJuryClose
        voteOuverture = calendar.voteOpen
        voteCloture = calendar.voteClose
        resultats = calendar.results
        grilleJSON = String(decoding: try JSONEncoder().encode(grid.criteria), as: UTF8.self)
        self.placesNationales = placesNationales
    }

    var calendar: ContestCalendar {
        get throws {
            try ContestCalendar(submissionsOpen: depotsOuverture, submissionsClose: depotsCloture, academieJuryClose: juryAcademiqueCloture,
                                nationalJuryClose: juryNationalCloture, voteOpen: voteOuverture, voteClose: voteCloture, results: resultats)
        }
    }

    var grid: ScoringGrid {
        get throws { try ScoringGrid(try JSONDecoder().decode([ScoringCriterion].self, from: Data(grilleJSON.utf8))) }
    }
}

/// A category of an edition (e.g. production, services).
final class ConcoursCategorieRecord: Model, @unchecked Sendable {
    static let schema = "concours_categories"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "code") var code: String
    @Field(key: "nom") var nom: String

    // relationships
    @Parent(key: "edition_id") var edition: ConcoursEditionRecord

    init() {}

    init(id: UUID? = nil, editionID: UUID, code: String, nom: String) {
        self.id = id
        self.$edition.id = editionID
        self.code = code
        self.nom = nom
    }
}

/// A testimony entered in a category, with the académie of its campus (its académie jury).
final class ConcoursCandidatureRecord: Model, @unchecked Sendable {
    static let schema = "concours_candidatures"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "academie_code") var academieCode: String

    // relationships
    @Parent(key: "categorie_id") var categorie: ConcoursCategorieRecord
    @Parent(key: "temoignage_id") var temoignage: TemoignageRecord

    init() {}

    init(id: UUID? = nil, categorieID: UUID, temoignageID: UUID, academieCode: String) {
        self.id = id
        self.$categorie.id = categorieID
        self.$temoignage.id = temoignageID
        self.academieCode = academieCode
    }
}

/// An account with a jury role for one edition: académie level (the entries of its académie) or national.
final class ConcoursJureRecord: Model, @unchecked Sendable {
    static let schema = "concours_jures"

    enum Niveau: String, Codable, Sendable {
        case academique
        case national
    }

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "niveau") var niveau: Niveau
    @OptionalField(key: "academie_code") var academieCode: String?

    // relationships
    @Parent(key: "edition_id") var edition: ConcoursEditionRecord
    @Parent(key: "utilisateur_id") var utilisateur: User

    init() {}

    init(id: UUID? = nil, editionID: UUID, userID: UUID, niveau: Niveau, academieCode: String?) {
        self.id = id
        self.$edition.id = editionID
        self.$utilisateur.id = userID
        self.niveau = niveau
        self.academieCode = academieCode
    }
}

/// One juror's marks for one entry at one level, and their total on 20.
final class ConcoursNoteRecord: Model, @unchecked Sendable {
    static let schema = "concours_notes"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "niveau") var niveau: ConcoursJureRecord.Niveau
    @Field(key: "notes") var notesJSON: String
    @Field(key: "total") var total: Double

    // relationships
    @Parent(key: "candidature_id") var candidature: ConcoursCandidatureRecord
    @Parent(key: "jure_id") var jure: ConcoursJureRecord

    init() {}
}

/// A vote of the public prize: one per account and category (unique index).
final class ConcoursVoteRecord: Model, @unchecked Sendable {
    static let schema = "concours_votes"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "cree_le") var createdAt: Date

    // relationships
    @Parent(key: "categorie_id") var categorie: ConcoursCategorieRecord
    @Parent(key: "candidature_id") var candidature: ConcoursCandidatureRecord
    @Parent(key: "utilisateur_id") var utilisateur: User

    init() {}
}

extension ConcoursEditionRecord: Audited {
    static var auditEntity: String { "concours-edition" }
    var auditLabel: String { nom }
    var auditSnapshot: [String: String] {
        let day = { (date: Date) in CalendarDay(date: date).iso }
        return ["nom": nom, "depotsOuverture": day(depotsOuverture), "depotsCloture": day(depotsCloture),
                "juryAcademiqueCloture": day(juryAcademiqueCloture), "juryNationalCloture": day(juryNationalCloture),
                "voteOuverture": day(voteOuverture), "voteCloture": day(voteCloture), "resultats": day(resultats),
                "grille": grilleJSON, "placesNationales": String(placesNationales)]
    }
}

extension ConcoursCategorieRecord: Audited {
    static var auditEntity: String { "concours-categorie" }
    var auditLabel: String { nom }
    var auditSnapshot: [String: String] { ["code": code, "nom": nom, "edition": $edition.id.uuidString.lowercased()] }
}

extension ConcoursJureRecord: Audited {
    static var auditEntity: String { "concours-jure" }
    var auditLabel: String { $utilisateur.value?.email ?? $utilisateur.id.uuidString.lowercased() }
    var auditSnapshot: [String: String] {
        var snapshot = ["niveau": niveau.rawValue, "edition": $edition.id.uuidString.lowercased(), "utilisateur": $utilisateur.id.uuidString.lowercased()]
        snapshot["academie"] = academieCode
        return snapshot
    }
}

extension ConcoursCandidatureRecord: Audited {
    static var auditEntity: String { "concours-candidature" }
    var auditLabel: String { $temoignage.value?.titre ?? $temoignage.id.uuidString.lowercased() }
    var auditSnapshot: [String: String] {
        ["categorie": $categorie.id.uuidString.lowercased(), "temoignage": $temoignage.id.uuidString.lowercased(), "academie": academieCode]
    }
}
