import CMQDomain
import Foundation
import SQLKit

/// The columns of a formation that an input writes, whether they are held by the model (`Formation`, for the
/// service) or by plain values (`FormationColumns`, for imports): both are written by the same `applyInput`, and
/// give the same audit snapshot.
protocol FormationFields {
    var intitule: String { get set }
    var intituleCle: String { get set }
    var organisationID: UUID { get set }
    var responsableID: UUID? { get set }
    var filiere: String? { get set }
    var typeDiplome: String? { get set }
    var niveauEntree: Int? { get set }
    var niveauSortie: Int { get set }
    var cfd: String? { get set }
    var rncp: String? { get set }
    var duree: String? { get set }
    var capacite: Int? { get set }
    var modalite: String { get set }
    var datesDebut: String? { get set }
    var description: String? { get set }
    var lien: String? { get set }
    var texteCle: String? { get set }
    var statutsMasque: Int { get set }
}

extension FormationFields {
    /// Writes the checked fields of an input, with what follows from them (the folded texts of the search, the
    /// statuses mask): how a formation row is built from an input.
    /// `stems`: the stems met by the formations written before (an import's).
    mutating func applyInput(_ input: FormationInput, stems: StemMemo = StemMemo()) {
        if case .set(let value?) = input.intitule { intitule = value }
        if case .set(let value?) = input.organisationID { organisationID = value }
        if case .set(let value) = input.responsableID { responsableID = value }
        if case .set(let value) = input.filiere { filiere = value?.rawValue }
        if case .set(let value) = input.typeDiplome { typeDiplome = value?.rawValue }
        if case .set(let value) = input.niveauEntree { niveauEntree = value?.number }
        if case .set(let value?) = input.niveauSortie { niveauSortie = value.number }
        if case .set(let value) = input.cfd { cfd = value?.value }
        if case .set(let value) = input.rncp { rncp = value?.value }
        if case .set(let value) = input.duree { duree = value }
        if case .set(let value) = input.capacite { capacite = value }
        if case .set(let value) = input.modalite { modalite = (value ?? .presentiel).rawValue }
        if case .set(let days) = input.datesDebut { datesDebut = days.isEmpty ? nil : days.map(\.iso).joined(separator: ",") }
        if case .set(let value) = input.description { description = value }
        if case .set(let value) = input.lien { lien = value }
        if case .set(let statuses) = input.statuts { statutsMasque = FormationStatusMask.mask(statuses) }
        foldSearchText(stems: stems)
    }

    /// Recomputes the folded texts the search indexes.
    mutating func foldSearchText(stems memo: StemMemo = StemMemo()) {
        intituleCle = TextFolding.searchKey(intitule)
        texteCle = Formation.searchText(intitule: intitule, description: description, typeDiplome: typeDiplome, cfd: cfd, rncp: rncp,
                                        duree: duree, memo: memo)
    }

    /// What the audit trail records of the formation; `statuts` and `romes` when known (an update's lists).
    func auditValues(statuts: [String]?, romes: [String]?) -> [String: String] {
        var values: [String: String?] = [
            "intitule": intitule, "organisation": organisationID.text(lowercase: true), "filiere": filiere,
            "typeDiplome": typeDiplome, "niveauEntree": niveauEntree.map(String.init), "niveauSortie": String(niveauSortie),
            "cfd": cfd, "rncp": rncp, "duree": duree, "capacite": capacite.map(String.init), "modalite": modalite,
            "datesDebut": datesDebut, "description": description, "lien": lien,
        ]
        if let statuts { values["statuts"] = statuts.sorted().joined(separator: ",") }
        if let romes { values["romes"] = romes.sorted().joined(separator: ",") }
        return values.compactMapValues { value in
            guard let value, !value.isEmpty else { return nil }
            return value
        }
    }
}

extension FormationInput {
    /// The statuses the input gives, as stored; nil when it leaves them unchanged.
    var statusValues: [String]? {
        guard case .set(let statuses) = statuts else { return nil }
        return statuses.map(\.rawValue)
    }

    /// The ROME codes the input gives, each once, sorted; nil when it leaves them unchanged.
    var romeValues: [String]? {
        guard case .set(let codes) = romes else { return nil }
        return Set(codes.map(\.value)).sorted()
    }
}

/// A formation's row as plain values, for imports: Fluent's property wrappers look their types up in the Swift
/// runtime on every access, which was most of the time an import spent building thousands of rows. The row's
/// values are those `BulkRows` reads from a model (`BulkRowsTests` compares them).
struct FormationColumns: FormationFields, BulkValues, Equatable {
    var id: UUID
    var createdAt: Date?
    var updatedAt: Date?
    var intitule: String
    var intituleCle: String
    var filiere: String?
    var typeDiplome: String?
    var niveauEntree: Int?
    var niveauSortie: Int
    var cfd: String?
    var rncp: String?
    var duree: String?
    var capacite: Int?
    var modalite: String
    var datesDebut: String?
    var description: String?
    var lien: String?
    var texteCle: String?
    var statutsMasque: Int
    /// The import that wrote the formation first, when it stages (`ImportBatch`).
    var importBatch: UUID?
    var organisationID: UUID
    var responsableID: UUID?

    /// A new formation, before its input (as `Formation(id:organisationID:intitule:niveauSortie:)` starts one).
    init(id: UUID, organisationID: UUID, createdAt: Date) {
        self.id = id
        self.createdAt = createdAt
        intitule = ""
        intituleCle = ""
        niveauSortie = 3
        modalite = "presentiel"
        statutsMasque = 0
        self.organisationID = organisationID
    }

    /// A formation as read.
    init(_ formation: Formation) throws {
        id = try formation.requireID()
        createdAt = formation.createdAt
        updatedAt = formation.updatedAt
        intitule = formation.intitule
        intituleCle = formation.intituleCle
        filiere = formation.filiere
        typeDiplome = formation.typeDiplome
        niveauEntree = formation.niveauEntree
        niveauSortie = formation.niveauSortie
        cfd = formation.cfd
        rncp = formation.rncp
        duree = formation.duree
        capacite = formation.capacite
        modalite = formation.modalite
        datesDebut = formation.datesDebut
        description = formation.description
        lien = formation.lien
        texteCle = formation.texteCle
        statutsMasque = formation.statutsMasque
        importBatch = formation.importBatch
        organisationID = formation.organisationID
        responsableID = formation.responsableID
    }

    static let schema = Formation.schema
    /// In the order of `Formation.bulkProperties`.
    static let columns = ["id", "cree_le", "modifie_le", "intitule", "intitule_cle", "filiere", "type_diplome", "niveau_entree", "niveau_sortie",
                          "cfd", "rncp", "duree", "capacite", "modalite", "dates_debut", "description", "lien", "texte_cle", "statuts_masque",
                          "lot_import", "organisation_id", "responsable_id"]

    var bulkValues: [any SQLExpression] {
        [SQLBind(id), bound(createdAt), bound(updatedAt), SQLBind(intitule), SQLBind(intituleCle), bound(filiere), bound(typeDiplome),
         bound(niveauEntree), SQLBind(niveauSortie), bound(cfd), bound(rncp), bound(duree), bound(capacite), SQLBind(modalite),
         bound(datesDebut), bound(description), bound(lien), bound(texteCle), SQLBind(statutsMasque), bound(importBatch), SQLBind(organisationID),
         bound(responsableID)]
    }

    /// The columns whose values differ in `old`, a former row of the same formation, in the order of `columns`.
    func columnsChanged(from old: FormationColumns) -> [String] {
        Self.comparisons.compactMap { $0.differs(self, old) ? $0.column : nil }
    }

    /// Every column but `id`, in the order of `columns`, with how to tell its values apart.
    static let comparisons: [(column: String, differs: @Sendable (FormationColumns, FormationColumns) -> Bool)] = [
        ("cree_le", { $0.createdAt != $1.createdAt }), ("modifie_le", { $0.updatedAt != $1.updatedAt }),
        ("intitule", { $0.intitule != $1.intitule }), ("intitule_cle", { $0.intituleCle != $1.intituleCle }),
        ("filiere", { $0.filiere != $1.filiere }), ("type_diplome", { $0.typeDiplome != $1.typeDiplome }),
        ("niveau_entree", { $0.niveauEntree != $1.niveauEntree }), ("niveau_sortie", { $0.niveauSortie != $1.niveauSortie }),
        ("cfd", { $0.cfd != $1.cfd }), ("rncp", { $0.rncp != $1.rncp }), ("duree", { $0.duree != $1.duree }),
        ("capacite", { $0.capacite != $1.capacite }), ("modalite", { $0.modalite != $1.modalite }),
        ("dates_debut", { $0.datesDebut != $1.datesDebut }), ("description", { $0.description != $1.description }),
        ("lien", { $0.lien != $1.lien }), ("texte_cle", { $0.texteCle != $1.texteCle }),
        ("statuts_masque", { $0.statutsMasque != $1.statutsMasque }), ("lot_import", { $0.importBatch != $1.importBatch }),
        ("organisation_id", { $0.organisationID != $1.organisationID }), ("responsable_id", { $0.responsableID != $1.responsableID }),
    ]
}

/// A status or ROME code row of a formation (`formation_statuts`, `formation_romes`), as plain values.
struct FormationListValue: Sendable {
    var id = UUID()
    var value: String
    var formationID: UUID

    /// In the order of `FormationStatut.bulkProperties` and `FormationROME.bulkProperties`.
    static func columns(valueColumn: String) -> [String] { ["id", valueColumn, "formation_id"] }

    var bulkValues: [any SQLExpression] { [SQLBind(id), SQLBind(value), SQLBind(formationID)] }
}

extension Formation: FormationFields {
    var organisationID: UUID {
        get { $organisation.id }
        set { $organisation.id = newValue }
    }

    var responsableID: UUID? {
        get { $responsable.id }
        set { $responsable.id = newValue }
    }
}

extension FormationColumns {
    /// The columns read packed in one text, in order, then the formation's statuses and ROME codes (each joined by `|`).
    private static let packedColumns = ["id", "intitule", "intitule_cle", "filiere", "type_diplome", "niveau_entree", "niveau_sortie", "cfd", "rncp",
                                        "duree", "capacite", "modalite", "dates_debut", "description", "lien", "texte_cle", "statuts_masque",
                                        "lot_import", "organisation_id", "responsable_id"]
    /// Between two packed values (U+001F), and standing for NULL (U+001E): control characters, which cmq refuses in every input.
    private static let separator: UInt8 = 0x1F, null: UInt8 = 0x1E

    /// The select list that reads formations `f` as `read` decodes them: their dates, then every other column, their
    /// statuses and ROME codes joined in one text (`packed`). Decoding a column costs more than reading it: 200,000
    /// formations read column by column took ten seconds, about four with this.
    static func packedSelect(postgres: Bool) -> String {
        let char = postgres ? "chr" : "char"
        let lists = ["(SELECT \(postgres ? "string_agg" : "group_concat")(fs.statut, '|') FROM formation_statuts fs WHERE fs.formation_id = f.id)",
                     FormationReader.romesColumn(postgres: postgres)]
        let packed = (packedColumns.map { "CAST(f.\($0) AS TEXT)" } + lists).map { "COALESCE(\($0), \(char)(\(null)))" }
            .joined(separator: " || \(char)(\(separator)) || ")
        return "f.cree_le, f.modifie_le, \(packed) AS packed"
    }

    /// A formation read by `packedSelect`, with its statuses and ROME codes. The text is cut on its bytes, and the
    /// identifiers read by `UUID(canonical:)` (`String.split` and Foundation's `UUID(uuidString:)` were most of the reading).
    static func read(_ row: some SQLRow) throws -> (columns: FormationColumns, statuts: [String], romes: [String]) {
        let packed = try row.decode(column: "packed", as: String.self).utf8
        var fields: [Substring.UTF8View] = []
        fields.reserveCapacity(packedColumns.count + 2)
        var start = packed.startIndex
        for index in packed.indices where packed[index] == separator {
            fields.append(packed[start..<index])
            start = packed.index(after: index)
        }
        fields.append(packed[start...])
        guard fields.count == packedColumns.count + 2 else { throw UnreadablePackedRow() }
        func text(_ index: Int) -> String? {
            let field = fields[index]
            return field.count == 1 && field.first == null ? nil : String(Substring(field))
        }
        func uuid(_ index: Int) throws -> UUID? {
            let field = fields[index]
            if field.count == 1 && field.first == null { return nil }
            guard let id = UUID(canonical: Substring(field)) else { throw UnreadablePackedRow() }
            return id
        }
        func int(_ index: Int) -> Int? { text(index).flatMap { Int($0) } }
        guard let id = try uuid(0), let organisationID = try uuid(18) else { throw UnreadablePackedRow() }
        var columns = FormationColumns(id: id, organisationID: organisationID, createdAt: .distantPast)
        columns.createdAt = try row.decode(column: "cree_le", as: Date?.self)
        columns.updatedAt = try row.decode(column: "modifie_le", as: Date?.self)
        columns.intitule = text(1) ?? ""
        columns.intituleCle = text(2) ?? ""
        columns.filiere = text(3)
        columns.typeDiplome = text(4)
        columns.niveauEntree = int(5)
        columns.niveauSortie = int(6) ?? 0
        columns.cfd = text(7)
        columns.rncp = text(8)
        columns.duree = text(9)
        columns.capacite = int(10)
        columns.modalite = text(11) ?? ""
        columns.datesDebut = text(12)
        columns.description = text(13)
        columns.lien = text(14)
        columns.texteCle = text(15)
        columns.statutsMasque = int(16) ?? 0
        columns.importBatch = try uuid(17)
        columns.responsableID = try uuid(19)
        func list(_ index: Int) -> [String] { text(index)?.split(separator: "|").map(String.init) ?? [] }
        return (columns, list(20), list(21))
    }

    /// A formation whose text holds a control character, or whose identifier is not one (cmq's inputs refuse both: a
    /// database written by something else).
    struct UnreadablePackedRow: Error, CustomStringConvertible, LocalizedError {
        var description: String {
            "Une formation de la base contient un caractère de contrôle (U+001E ou U+001F) ou un identifiant illisible : l'import ne peut pas la lire. Retirez ce caractère (ou corrigez l'identifiant) dans la base, puis relancez l'import."
        }
        var errorDescription: String? { description }
    }
}
