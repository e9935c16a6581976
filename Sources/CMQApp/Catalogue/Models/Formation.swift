import CMQDomain
import Fluent
import FluentSQL
import Foundation

/// A formation given by an organisation (its établissement formateur), from CAP to doctorate.
final class Formation: Model, @unchecked Sendable {
    static let schema = "formations"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "intitule") var intitule: String
    @Field(key: "intitule_cle") var intituleCle: String
    @OptionalField(key: "filiere") var filiere: String?
    @OptionalField(key: "type_diplome") var typeDiplome: String?
    @OptionalField(key: "niveau_entree") var niveauEntree: Int?
    @Field(key: "niveau_sortie") var niveauSortie: Int
    @OptionalField(key: "cfd") var cfd: String?
    @OptionalField(key: "rncp") var rncp: String?
    @OptionalField(key: "duree") var duree: String?
    @OptionalField(key: "capacite") var capacite: Int?
    @Field(key: "modalite") var modalite: String
    /// Start dates, ISO days separated by commas.
    @OptionalField(key: "dates_debut") var datesDebut: String?
    @OptionalField(key: "description") var description: String?
    @OptionalField(key: "lien") var lien: String?
    /// Folded description, diploma type and codes: the body text of the full-text search.
    @OptionalField(key: "texte_cle") var texteCle: String?
    /// The statuses as bits (`FormationStatusMask`), kept with `statuts` for fast filters and counts.
    @Field(key: "statuts_masque") var statutsMasque: Int
    /// The import that wrote this formation first (`AddImportBatches`): shown once that import has shown its formations.
    @OptionalField(key: "lot_import") var importBatch: UUID?

    // relationships
    @Parent(key: "organisation_id") var organisation: Organisation
    @OptionalParent(key: "responsable_id") var responsable: Organisation?
    @Children(for: \.$formation) var statuts: [FormationStatut]
    @Children(for: \.$formation) var romes: [FormationROME]

    init() {}

    init(id: UUID? = nil, organisationID: UUID, intitule: String, niveauSortie: Int, modalite: String = "presentiel") {
        self.id = id
        self.$organisation.id = organisationID
        self.intitule = intitule
        self.intituleCle = ""
        self.niveauSortie = niveauSortie
        self.modalite = modalite
        self.statutsMasque = 0
    }
}

extension Formation {
    /// The formations shown: every read of the catalogue starts here, never from `query(on:)`, which would also find
    /// those an import has staged and not shown yet.
    static func visible(on db: any Database) -> QueryBuilder<Formation> {
        query(on: db).filter(.sql(unsafeRaw: visibleCondition()))
    }

    /// The formation `id` if it is shown.
    static func visible(_ id: UUID?, on db: any Database) async throws -> Formation? {
        guard let id else { return nil }
        return try await visible(on: db).filter(\.$id == id).first()
    }

    /// The condition `visible` puts on the formations' table (or its alias), for SQL written by hand.
    static func visibleCondition(_ table: String = schema) -> String { ImportBatch.shown("\(table).lot_import") }
}

/// A learner status a formation is offered under (one row per status, for filters and counts).
final class FormationStatut: Model, @unchecked Sendable {
    static let schema = "formation_statuts"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "statut") var statut: String

    // relationships
    @Parent(key: "formation_id") var formation: Formation

    init() {}

    init(formationID: UUID, statut: String) {
        self.$formation.id = formationID
        self.statut = statut
    }
}

/// A ROME code (job) a formation leads to.
final class FormationROME: Model, @unchecked Sendable {
    static let schema = "formation_romes"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "code") var code: String

    // relationships
    @Parent(key: "formation_id") var formation: Formation

    init() {}

    init(formationID: UUID, code: String) {
        self.$formation.id = formationID
        self.code = code
    }
}

// The columns imports write in bulk (`BulkRow`): every property above that has one.

extension Formation: BulkRow {
    var bulkProperties: [any AnyDatabaseProperty] {
        [$id, $createdAt, $updatedAt, $intitule, $intituleCle, $filiere, $typeDiplome, $niveauEntree, $niveauSortie, $cfd, $rncp,
         $duree, $capacite, $modalite, $datesDebut, $description, $lien, $texteCle, $statutsMasque, $importBatch, $organisation, $responsable]
    }
}

extension FormationStatut: BulkRow {
    var bulkProperties: [any AnyDatabaseProperty] { [$id, $statut, $formation] }
}

extension FormationROME: BulkRow {
    var bulkProperties: [any AnyDatabaseProperty] { [$id, $code, $formation] }
}

/// A formation attached explicitly to a campus's offer (besides those of its members in its filière).
final class CampusFormation: Model, @unchecked Sendable {
    static let schema = "campus_formations"

    // managed fields
    @ID(key: .id) var id: UUID?

    // relationships
    @Parent(key: "campus_id") var campus: Campus
    @Parent(key: "formation_id") var formation: Formation

    init() {}

    init(campusID: UUID, formationID: UUID) {
        self.$campus.id = campusID
        self.$formation.id = formationID
    }
}

extension Formation {
    /// Recomputes the folded texts the search indexes.
    func refreshSearchText(stems memo: StemMemo = StemMemo()) {
        var formation = self
        formation.foldSearchText(stems: memo)
    }

    /// The body text of the search: the folded description, diploma type, codes and duration, then the French stems
    /// of the title's and text's words that these words do not begin with (`SearchTerm.stemsToStore`); nil when empty.
    static func searchText(intitule: String, description: String?, typeDiplome: String?, cfd: String?, rncp: String?, duree: String?,
                           stems: Bool = true, memo: StemMemo = StemMemo()) -> String? {
        let parts = [description, typeDiplome.flatMap(DiplomaType.init(rawValue:))?.label, cfd, rncp, duree].compactMap { $0 }
        var words = parts.isEmpty ? [] : [TextFolding.searchKey(parts.joined(separator: " "))]
        if stems { words += SearchTerm.stemsToStore(([intitule] + parts).joined(separator: " "), memo: memo) }
        let text = words.filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? nil : text
    }
}
