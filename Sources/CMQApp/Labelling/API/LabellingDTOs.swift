import CMQDomain
import Foundation
import Vapor

struct DossierSectionDTO: Content, Equatable {
    var section: String
    var titre: String
    var texte: String
}

struct PieceDTO: Content, Equatable {
    var id: UUID
    var nom: String
    var format: String
    var taille: Int
    var sha256: String
    var url: String
}

struct EtapeDTO: Content, Equatable {
    var code: String
    var libelle: String
    var instance: String?
    var etat: String
    var etatLibelle: String
    var date: String?
    var verdict: String?
}

struct AvisDTO: Content, Equatable {
    var instance: String
    var instanceLibelle: String
    var auteur: String
    var date: String
    var verdict: String
    var verdictLibelle: String
    var texte: String
    var collectif: Bool
}

struct CritereSyntheseDTO: Content, Equatable {
    var critere: String
    var libelle: String
    var famille: String
    var notes: [Int]
    var moyenne: Double?
    var ecart: Int?
    var ecartType: Double?
}

struct FamilleSyntheseDTO: Content, Equatable {
    var famille: String
    var libelle: String
    var moyenne: Double?
}

struct SyntheseDTO: Content, Equatable {
    var experts: Int
    var criteres: [CritereSyntheseDTO]
    var familles: [FamilleSyntheseDTO]
    var moyenneGenerale: Double?
    var criteresNonNotes: [String]
}

struct DecisionDTO: Content, Equatable {
    var resultat: String
    var resultatLibelle: String
    var excellence: Bool
    var date: String
    var dureeAnnees: Int?
    var nor: String?
    var bulletinOfficiel: String?
    var texte: String
}

struct LabelDTO: Content, Equatable {
    var id: UUID
    var campus: UUID
    var campusNom: String
    var filiere: String
    var filiereLibelle: String
    var region: String
    var regionNom: String
    var excellence: Bool
    var debut: String
    var fin: String
    var dureeAnnees: Int
    var referentiel: String
    var nor: String?
    var bulletinOfficiel: String?
    var retraitLe: String?
    var retraitMotif: String?
    var dossier: UUID
}

struct DossierDTO: Content {
    var id: UUID
    var campus: UUID
    var campusNom: String
    var region: String
    var referentiel: String
    var nature: String
    var labelRenouvele: UUID?
    var labelDemande: String
    var dureeDemandee: Int
    var statut: String
    var statutLibelle: String
    var etapesEnCours: [String]
    var sections: [DossierSectionDTO]
    var pieces: [PieceDTO]
    var procedure: [EtapeDTO]
    var avis: [AvisDTO]
    var synthese: SyntheseDTO?
    var decision: DecisionDTO?
    var label: LabelDTO?
    var creeLe: Date?
    var modifieLe: Date?
}

struct DossierSummaryDTO: Content, Equatable {
    var id: UUID
    var campus: UUID
    var campusNom: String
    var region: String
    var referentiel: String
    var nature: String
    var statut: String
    var statutLibelle: String
    var etapesEnCours: [String]
    var modifieLe: Date?
    var creeLe: Date?
    /// The day of the deposit (AAAA-MM-JJ), once deposited.
    var depot: String?
}

struct TransitionDTO: Content, Equatable {
    var le: Date
    var evenement: String
    var etape: String?
    var de: String
    var vers: String
    var auteur: String
    var commentaire: String?
}

extension LabellingService.Loaded {
    func toDTO(label: LabelRecord?) -> DossierDTO {
        let referentiel = dossier.referentiel
        let synthesis = dossier.synthesis
        let round: (Double?) -> Double? = { $0.map { ($0 * 100).rounded() / 100 } }
        let syntheseDTO: SyntheseDTO? = referentiel.expertise == nil ? nil : SyntheseDTO(
            experts: Set(evaluations.map(\.expertID)).count,
            criteres: synthesis.families.flatMap { family in
                family.criteria.map { line in
                    CritereSyntheseDTO(critere: line.critere.code, libelle: line.critere.libelle, famille: family.famille.code, notes: line.notes,
                                       moyenne: round(line.mean), ecart: line.range, ecartType: round(line.standardDeviation))
                }
            },
            familles: synthesis.families.map { FamilleSyntheseDTO(famille: $0.famille.code, libelle: $0.famille.libelle, moyenne: round($0.mean)) },
            moyenneGenerale: round(synthesis.overallMean), criteresNonNotes: synthesis.unscoredCriteria.map(\.code))
        return DossierDTO(
            id: record.id!, campus: campus.id!, campusNom: campus.nom, region: campus.regionCode,
            referentiel: referentiel.code, nature: record.nature, labelRenouvele: record.$labelRenouvele.id,
            labelDemande: dossier.requestedLabel.rawValue, dureeDemandee: dossier.requestedDurationYears,
            statut: dossier.status.slug, statutLibelle: referentiel.describe(dossier.status), etapesEnCours: dossier.currentSteps.map(\.code),
            sections: DossierSection.allCases.map { DossierSectionDTO(section: $0.rawValue, titre: $0.titre, texte: dossier.sections[$0] ?? "") },
            pieces: pieces.map { PieceDTO(id: $0.id!, nom: $0.nom, format: $0.format, taille: $0.taille, sha256: $0.sha256,
                                          url: LabellingURL.apiPiece(dossier: record.id, piece: $0.id).path) },
            procedure: dossier.timeline.map { step in
                var instance: String?
                switch step.etape.kind {
                case .avis(let body), .expertise(let body): instance = body.rawValue
                default: instance = nil
                }
                return EtapeDTO(code: step.etape.code, libelle: step.etape.libelle, instance: instance, etat: step.state.rawValue,
                                etatLibelle: step.state.label, date: step.date?.iso, verdict: step.verdict?.rawValue)
            },
            avis: opinions.map {
                AvisDTO(instance: $0.instance.rawValue, instanceLibelle: $0.instance.label, auteur: $0.auteur, date: $0.date,
                        verdict: $0.verdict.rawValue, verdictLibelle: $0.verdict.label, texte: $0.texte, collectif: $0.collectif)
            },
            synthese: syntheseDTO,
            decision: dossier.decision.map {
                DecisionDTO(resultat: $0.outcome.rawValue, resultatLibelle: $0.outcome.label, excellence: $0.excellence, date: $0.date.iso,
                            dureeAnnees: $0.durationYears, nor: $0.arrete?.nor?.value, bulletinOfficiel: $0.arrete?.bulletinOfficiel, texte: $0.texte)
            },
            label: label.map { $0.toDTO(campus: campus) },
            creeLe: record.createdAt, modifieLe: record.updatedAt)
    }
}

extension LabelRecord {
    func toDTO(campus: Campus) -> LabelDTO {
        let territory = TerritoryCatalog.shared
        return LabelDTO(
            id: id!, campus: campus.id!, campusNom: campus.nom, filiere: campus.filiere.slug, filiereLibelle: campus.filiere.label,
            region: campus.regionCode, regionNom: territory.region(code: campus.regionCode)?.nom ?? campus.regionCode,
            excellence: excellence, debut: debut, fin: fin, dureeAnnees: duree, referentiel: referentiel, nor: nor, bulletinOfficiel: bo,
            retraitLe: retraitLe, retraitMotif: retraitMotif, dossier: $dossier.id)
    }
}

extension DossierRecord {
    func summary(campus: Campus) -> DossierSummaryDTO {
        DossierSummaryDTO(id: id!, campus: campus.id!, campusNom: campus.nom, region: campus.regionCode, referentiel: referentiel,
                          nature: nature, statut: statut, statutLibelle: Self.statusLabel(statut),
                          etapesEnCours: etapesEnCours.split(separator: ",").map(String.init), modifieLe: updatedAt,
                          creeLe: createdAt, depot: depot)
    }

    /// The French label of a stored status slug (the domain's).
    static func statusLabel(_ slug: String) -> String {
        DossierStatus.Kind(rawValue: slug)?.label ?? slug
    }

    /// The slugs of the dossiers still open (in preparation or in instruction).
    static let openStatuses = [DossierStatus.Kind.brouillon, .enInstruction].map(\.rawValue)

    /// The status of an open dossier as the campus's label status needs it; nil once decided or abandoned.
    var openStatus: DossierStatus? {
        switch DossierStatus.Kind(rawValue: statut) {
        case .brouillon: .brouillon
        case .enInstruction: .enInstruction(etapes: etapesEnCours.split(separator: ",").map(String.init))
        default: nil
        }
    }
}
