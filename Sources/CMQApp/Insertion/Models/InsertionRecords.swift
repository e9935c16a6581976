import CMQDomain
import Fluent
import Foundation

/// One line of InserJeunes by région and formation, for one millésime.
final class RegionFormationRecord: Model, @unchecked Sendable {
    static let schema = "insertion_formations_region"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "millesime") var millesime: String
    @Field(key: "region_code") var regionCode: String
    @Field(key: "voie") var voie: Voie
    @Field(key: "code") var code: String
    @OptionalField(key: "cfd") var cfd: String?
    @OptionalField(key: "mefstat11") var mefstat11: String?
    @Field(key: "nb_annee_term") var anneeTerminale: Int
    @OptionalField(key: "nb_poursuite_etudes") var poursuite: Int?
    @OptionalField(key: "nb_sortant") var sortants: Int?
    @OptionalField(key: "nb_en_emploi_6_mois") var emploi6: Int?
    @OptionalField(key: "nb_en_emploi_12_mois") var emploi12: Int?
    @OptionalField(key: "nb_en_emploi_18_mois") var emploi18: Int?
    @OptionalField(key: "nb_en_emploi_24_mois") var emploi24: Int?

    init() {}

    init(_ row: RegionFormationRow) {
        millesime = row.millesime.description
        regionCode = row.regionCode
        voie = row.voie
        code = row.code
        cfd = row.cfd
        mefstat11 = row.mefstat11
        anneeTerminale = row.counts.anneeTerminale
        poursuite = row.counts.poursuite
        sortants = row.counts.sortantsPublies
        emploi6 = row.counts.emploi[6]
        emploi12 = row.counts.emploi[12]
        emploi18 = row.counts.emploi[18]
        emploi24 = row.counts.emploi[24]
    }

    var counts: InsertionCounts {
        var emploi: [Int: Int] = [:]
        for (mois, value) in [(6, emploi6), (12, emploi12), (18, emploi18), (24, emploi24)] { if let value { emploi[mois] = value } }
        return InsertionCounts(anneeTerminale: anneeTerminale, poursuite: poursuite, emploi: emploi, sortants: sortants)
    }
}

/// One line of the DEPP files by establishment: a lycée's ensemble, apprentices or pupils, or a CFA.
final class EstablishmentFigureRecord: Model, @unchecked Sendable {
    static let schema = "insertion_etablissements"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "millesime") var millesime: String
    /// `lycees` or `cfa`: the file the line comes from.
    @Field(key: "fichier") var fichier: String
    @Field(key: "uai") var uai: String
    @Field(key: "libelle") var libelle: String
    @Field(key: "region") var region: String
    @Field(key: "population") var population: EstablishmentRow.Population
    @OptionalField(key: "taux_poursuite") var tauxPoursuite: Int?
    @OptionalField(key: "taux_emploi_6_mois") var tauxEmploi6: Int?
    @OptionalField(key: "taux_emploi_6_mois_attendu") var tauxEmploi6Attendu: Int?
    @OptionalField(key: "valeur_ajoutee") var valeurAjoutee: Int?
    @OptionalField(key: "part_poursuite") var partPoursuite: Int?
    @OptionalField(key: "part_emploi_6_mois") var partEmploi6: Int?
    @OptionalField(key: "part_autres") var partAutres: Int?

    init() {}

    init(_ row: EstablishmentRow, millesime: Millesime, file: InserJeunesFiles.EstablishmentFile) {
        self.millesime = millesime.description
        fichier = file.rawValue
        uai = row.uai
        libelle = row.libelle
        region = row.region
        population = row.population
        tauxPoursuite = row.tauxPoursuite
        tauxEmploi6 = row.tauxEmploi6
        tauxEmploi6Attendu = row.tauxEmploi6Attendu
        valeurAjoutee = row.valeurAjoutee
        partPoursuite = row.partPoursuite
        partEmploi6 = row.partEmploi6
        partAutres = row.partAutres
    }
}

/// BCN N_MEF: a MEFSTAT11 and its diploma.
final class MefStatRecord: Model, @unchecked Sendable {
    static let schema = "bcn_mefstat"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "mefstat11") var mefstat11: String
    @Field(key: "cfd") var cfd: String

    init() {}

    init(mefstat11: String, cfd: String) {
        self.mefstat11 = mefstat11
        self.cfd = cfd
    }
}

/// BCN N_FORMATION_DIPLOME: a diploma, its kind and title.
final class DiplomaRecord: Model, @unchecked Sendable {
    static let schema = "bcn_diplomes"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "cfd") var cfd: String
    @Field(key: "niveau") var niveau: String
    @Field(key: "libelle") var libelle: String

    init() {}

    init(cfd: String, niveau: String, libelle: String) {
        self.cfd = cfd
        self.niveau = niveau
        self.libelle = libelle
    }
}

/// BCN: a former diploma renewed as a new one.
final class DiplomaLinkRecord: Model, @unchecked Sendable {
    static let schema = "bcn_diplome_liens"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "ancien_cfd") var ancien: String
    @Field(key: "nouveau_cfd") var nouveau: String

    init() {}

    init(ancien: String, nouveau: String) {
        self.ancien = ancien
        self.nouveau = nouveau
    }
}
