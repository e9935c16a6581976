import CMQDomain
import Fluent
import Foundation

/// A testimony ("Ma réussite pro") as stored; its rules live in `CMQDomain/Temoignages`.
final class TemoignageRecord: Model, @unchecked Sendable {
    static let schema = "temoignages"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?
    @Timestamp(key: "modifie_le", on: .update) var updatedAt: Date?

    // data fields
    @OptionalField(key: "categorie") var categorie: String?
    @Field(key: "titre") var titre: String
    /// The person's first name only: no family name in public.
    @Field(key: "prenom") var prenom: String
    @Field(key: "texte") var texte: String
    /// "majeur" or "mineur", as declared.
    @Field(key: "age") var age: String
    /// ISO date, when known.
    @OptionalField(key: "date_naissance") var dateNaissance: String?
    @Field(key: "titulaires_autorite") var titulairesAutorite: Int
    @Field(key: "etat") var etat: TemoignageEtat
    @OptionalField(key: "motif_refus") var motifRefus: String?
    @OptionalField(key: "note_interne") var noteInterne: String?
    @OptionalField(key: "motif_retrait") var motifRetrait: String?
    @Field(key: "soumis_par_nom") var soumisParNom: String
    @OptionalField(key: "video_id") var videoID: UUID?
    @OptionalField(key: "video_type") var videoType: String?
    @OptionalField(key: "duree") var duree: Double?
    @OptionalField(key: "sous_titres_id") var sousTitresID: UUID?
    @OptionalField(key: "transcription") var transcription: String?
    @OptionalField(key: "affiche_id") var afficheID: UUID?
    @OptionalField(key: "jeton_retrait") var jetonRetrait: String?
    @OptionalField(key: "publie_le") var publieLe: Date?
    @OptionalField(key: "retire_le") var retireLe: Date?
    @OptionalField(key: "medias_effaces_le") var mediasEffacesLe: Date?

    // relationships
    @Parent(key: "campus_id") var campus: Campus
    @OptionalParent(key: "etablissement_id") var etablissement: Organisation?
    @OptionalParent(key: "formation_id") var formation: Formation?
    @OptionalParent(key: "soumis_par_id") var soumisPar: User?

    init() {}

    init(id: UUID? = nil, campusID: UUID, titre: String, prenom: String, texte: String, age: String, dateNaissance: String?,
         titulairesAutorite: Int, soumisParID: UUID?, soumisParNom: String) {
        self.id = id
        self.$campus.id = campusID
        self.titre = titre
        self.prenom = prenom
        self.texte = texte
        self.age = age
        self.dateNaissance = dateNaissance
        self.titulairesAutorite = titulairesAutorite
        self.$soumisPar.id = soumisParID
        self.soumisParNom = soumisParNom
        etat = .enAttente
    }

    /// The person as the consent rules see them.
    var consentSubject: ConsentSubject {
        let declared: AgeDeclaration = age == "mineur" ? .mineur : .majeur
        let birth = dateNaissance.flatMap(CalendarDay.init(iso:)).map(AgeDeclaration.birthDate)
        return ConsentSubject(age: birth ?? declared, parentalAuthorityHolders: titulairesAutorite)
    }
}

/// A file of a testimony (video, captions, poster, proof of a consent); its bytes are in `MediaChunks`.
final class TemoignageMediaRecord: Model, @unchecked Sendable {
    static let schema = "temoignages_medias"

    enum Nature: String, Codable, Sendable {
        case video
        case sousTitres = "sous-titres"
        case affiche
        case justificatif
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "nature") var nature: Nature
    @Field(key: "type_mime") var typeMime: String
    @Field(key: "taille") var taille: Int64
    @Field(key: "sha256") var sha256: String

    // relationships
    @Parent(key: "temoignage_id") var temoignage: TemoignageRecord

    init() {}

    init(id: UUID, temoignageID: UUID, nature: Nature, typeMime: String, taille: Int64, sha256: String) {
        self.id = id
        self.$temoignage.id = temoignageID
        self.nature = nature
        self.typeMime = typeMime
        self.taille = taille
        self.sha256 = sha256
    }

    /// A strong validator: the content's digest.
    var etag: String { "\"\(sha256.prefix(32))\"" }
}

/// A consent recorded for a testimony.
final class ConsentementRecord: Model, @unchecked Sendable {
    static let schema = "temoignages_consentements"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "cree_le", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "role") var role: ConsentRole
    @Field(key: "donne_le") var donneLe: String
    /// Comma-separated scopes (`publication,concours`).
    @Field(key: "portees") var portees: String
    @Field(key: "expire_le") var expireLe: String
    @OptionalField(key: "retire_le") var retireLe: String?
    @OptionalField(key: "motif_retrait") var motifRetrait: String?
    @OptionalField(key: "courriel_confirmation") var courrielConfirmation: String?
    @Field(key: "enregistre_par") var enregistrePar: String

    // relationships
    @Parent(key: "temoignage_id") var temoignage: TemoignageRecord
    @OptionalParent(key: "justificatif_id") var justificatif: TemoignageMediaRecord?

    init() {}

    init(temoignageID: UUID, consent: ConsentRecord, justificatifID: UUID?, courriel: String?, enregistrePar: String) {
        self.$temoignage.id = temoignageID
        role = consent.role
        donneLe = consent.givenOn.iso
        portees = ConsentScope.allCases.filter(consent.scopes.contains).map(\.rawValue).joined(separator: ",")
        expireLe = consent.expiresOn.iso
        self.$justificatif.id = justificatifID
        courrielConfirmation = courriel
        self.enregistrePar = enregistrePar
    }

    /// The consent as the rules see it (nil for a row that no longer reads, which never counts).
    var consent: ConsentRecord? {
        guard let given = CalendarDay(iso: donneLe), let expires = CalendarDay(iso: expireLe) else { return nil }
        let scopes = Set(portees.split(separator: ",").compactMap { ConsentScope(rawValue: String($0)) })
        return ConsentRecord(role: role, givenOn: given, scopes: scopes, expiresOn: expires, withdrawnOn: retireLe.flatMap(CalendarDay.init(iso:)))
    }
}

extension TemoignageRecord: Audited {
    static var auditEntity: String { "temoignage" }
    var auditLabel: String { "\(titre) (\(prenom))" }
    var auditSnapshot: [String: String] {
        var snapshot: [String: String] = ["titre": titre, "prenom": prenom, "etat": etat.rawValue, "campus": $campus.id.uuidString.lowercased()]
        snapshot["motif"] = motifRefus ?? motifRetrait
        snapshot["noteInterne"] = noteInterne
        snapshot["categorie"] = categorie
        snapshot["video"] = videoID.map { _ in "oui" }
        snapshot["sousTitres"] = sousTitresID.map { _ in "oui" }
        return snapshot
    }
}

extension ConsentementRecord: Audited {
    static var auditEntity: String { "consentement" }
    var auditLabel: String { "Consentement (\(role.label))" }
    var auditSnapshot: [String: String] {
        var snapshot = ["role": role.rawValue, "donneLe": donneLe, "portees": portees, "expireLe": expireLe]
        snapshot["retireLe"] = retireLe
        snapshot["motif"] = motifRetrait
        snapshot["temoignage"] = $temoignage.id.uuidString.lowercased()
        return snapshot
    }
}
