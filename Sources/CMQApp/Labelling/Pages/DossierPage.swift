import CMQDomain
import Fluent
import Vapor

/// What a dossier page shows: the procedure as a timeline, the dossier, its opinions and scores, its history, and
/// the forms of the steps the account may take now (asked of the domain: `LabelDossier.steps(for:dossier:)`).
enum DossierPage {
    struct StepRow: Encodable {
        var libelle: String
        var state: String
        var stateLabel: String
        var date: String?
        var verdict: String?
    }

    struct SectionRow: Encodable {
        var slug: String
        var titre: String
        var texte: String
        var id: String
    }

    struct OpinionRow: Encodable {
        var instance: String
        var auteur: String
        var date: String
        var verdict: String
        var texte: String
    }

    struct CriterionRow: Encodable {
        var code: String
        var libelle: String
        var famille: String
        var notes: String
        var moyenne: String
        var ecart: String
        var ecartType: String
        var options: [OptionItem]
        var fieldName: String
        var commentName: String
    }

    struct FamilyRow: Encodable {
        var libelle: String
        var moyenne: String
    }

    struct HistoryRow: Encodable {
        var le: String
        var evenement: String
        var de: String
        var vers: String
        var auteur: String
        var commentaire: String?
    }

    struct PieceRow: Encodable {
        var nom: String
        var url: String
        var taille: String
        var sha256: String
        var removeURL: String
    }

    struct Context: Encodable {
        var page: PageMeta
        var id: String
        var campus: String
        var campusURL: String
        var referentiel: String
        var nature: String
        var labelDemande: String
        var duree: Int
        var statut: String
        var steps: [StepRow]
        var sections: [SectionRow]
        var pieces: [PieceRow]
        var opinions: [OpinionRow]
        var criteria: [CriterionRow]
        var families: [FamilyRow]
        var overall: String
        var experts: Int
        var decision: String?
        var label: String?
        var history: [HistoryRow]
        var errors: [String]
        var notice: String?
        var canEdit: Bool
        var canDeposit: Bool
        var canAbandon: Bool
        var opinionBody: String?
        var opinionBodyLabel: String?
        var canScore: Bool
        var canClose: Bool
        var canDecide: Bool
        var excellenceAllowed: Bool
        var durations: [OptionItem]
        var verdicts: [OptionItem]
        var today: String
        var base: String
        var apiURL: String
    }

    static func load(id: UUID, caller: Caller, errors: [String], notice: String?, on db: any Database) async throws -> Context {
        let service = LabellingService(db: db, caller: caller)
        let loaded = try await service.load(id)
        try service.authorize(.read, loaded)
        let dto = try await LabellingAPIController.dto(loaded, on: db)
        let dossier = loaded.dossier
        let referentiel = dossier.referentiel
        let actor = caller.actor
        let steps = service.steps(loaded)
        // An instance account sees the form of its own body's opinion (the national administrator records opinions through the API).
        let opinionBody = steps.lazy.compactMap { step -> Instance? in
            if case .avis(let body) = step, body == actor?.instance { body } else { nil }
        }.first
        let myScores = Dictionary(loaded.evaluations.filter { $0.expertID == actor?.userID }.map { ($0.critere, $0.note) }, uniquingKeysWith: { a, _ in a })
        let synthesis = dossier.synthesis
        let history = try await TransitionRecord.query(on: db).filter(\.$dossier.$id == id).sort(\.$at).sort(\.$id).all()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "fr_FR")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "d MMMM yyyy 'à' HH'h'mm"

        let context = Context(
            page: PageMeta(title: "Dossier de labellisation · \(loaded.campus.nom)", section: "gestion"),
            id: id.uuidString.lowercased(), campus: loaded.campus.nom, campusURL: RegistryURL.campus(loaded.campus.id!).path,
            referentiel: "\(referentiel.code) · \(referentiel.titre)", nature: dossier.kind.label, labelDemande: dossier.requestedLabel.label,
            duree: dossier.requestedDurationYears, statut: dto.statutLibelle,
            steps: dossier.timeline.map { step in
                StepRow(libelle: step.etape.libelle, state: step.state.rawValue, stateLabel: step.state.label, date: step.date?.frenchLong,
                        verdict: step.verdict?.label)
            },
            sections: DossierSection.allCases.map { SectionRow(slug: $0.rawValue, titre: $0.titre, texte: dossier.sections[$0] ?? "", id: "section-\($0.rawValue)") },
            pieces: dto.pieces.map { PieceRow(nom: $0.nom, url: $0.url, taille: ByteCountFormatter.string(fromByteCount: Int64($0.taille), countStyle: .file),
                                              sha256: $0.sha256, removeURL: "\(LabellingURL.dossier(id).path)/pieces/\($0.id.uuidString.lowercased())/retirer") },
            opinions: dto.avis.map { OpinionRow(instance: (Instance(rawValue: $0.instance)?.sigle ?? $0.instance).capitalizingFirstLetter, auteur: $0.auteur,
                                                date: CalendarDay(iso: $0.date)?.frenchLong ?? $0.date, verdict: $0.verdictLibelle, texte: $0.texte) },
            criteria: synthesis.families.flatMap { family in
                family.criteria.map { line in
                    CriterionRow(code: line.critere.code, libelle: line.critere.libelle, famille: family.famille.libelle,
                                 notes: line.notes.map(String.init).joined(separator: ", "), moyenne: ExpertSynthesis.display(line.mean),
                                 ecart: line.range.map(String.init) ?? "—", ecartType: ExpertSynthesis.display(line.standardDeviation),
                                 options: [OptionItem(value: "", label: "—", selected: myScores[line.critere.code] == nil)]
                                    + (0...4).map { OptionItem(value: String($0), label: String($0), selected: myScores[line.critere.code] == $0) },
                                 fieldName: "note-\(line.critere.code)", commentName: "commentaire-\(line.critere.code)")
                }
            },
            families: synthesis.families.map { FamilyRow(libelle: $0.famille.libelle, moyenne: ExpertSynthesis.display($0.mean)) },
            overall: ExpertSynthesis.display(synthesis.overallMean), experts: Set(loaded.evaluations.map(\.expertID)).count,
            decision: dossier.decision.map { decision in
                var text = "\(decision.outcome.label) le \(decision.date.frenchLong)"
                if let years = decision.durationYears { text += " pour \(years) an\(years > 1 ? "s" : "")" }
                if decision.excellence { text += ", mention Excellence" }
                if let nor = decision.arrete?.nor { text += " · NOR \(nor.value)" }
                if let bo = decision.arrete?.bulletinOfficiel { text += " · \(bo)" }
                return text + "."
            },
            label: dto.label.map { label in
                "Label \(label.excellence ? "CMQ Excellence" : "CMQ") du \(CalendarDay(iso: label.debut)?.frenchLong ?? label.debut) au \(CalendarDay(iso: label.fin)?.frenchLong ?? label.fin)\(label.retraitLe.map { ", retiré le \($0)" } ?? "")."
            },
            history: history.map { HistoryRow(le: formatter.string(from: $0.at), evenement: Self.eventLabel($0.evenement, etape: $0.etape, referentiel: referentiel),
                                              de: DossierRecord.statusLabel($0.de), vers: DossierRecord.statusLabel($0.vers), auteur: $0.auteur, commentaire: $0.commentaire) },
            errors: errors, notice: notice,
            canEdit: steps.contains(.edition),
            canDeposit: steps.contains(.depot),
            canAbandon: steps.contains(.abandon),
            opinionBody: opinionBody?.rawValue, opinionBodyLabel: opinionBody?.label,
            canScore: steps.contains(.notation),
            canClose: steps.contains(.clotureExpertise) && steps.contains(.notation),
            canDecide: steps.contains(.decision),
            excellenceAllowed: referentiel.excellence && dossier.requestedLabel == .cmqExcellence,
            durations: referentiel.durees.map { OptionItem(value: String($0), label: "\($0) an\($0 > 1 ? "s" : "")", selected: false) },
            verdicts: Verdict.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: false) },
            today: caller.today.iso, base: LabellingURL.dossier(id).path, apiURL: LabellingURL.apiDossier(id).path)
        return context
    }

    static func eventLabel(_ event: String, etape: String?, referentiel: Referentiel) -> String {
        let step = etape.flatMap { referentiel.etape(code: $0)?.libelle }
        switch event {
        case "creation": return "Ouverture du dossier"
        case "depot": return "Dépôt"
        case "avis": return step ?? "Avis"
        case "cloture-expertise": return "Avis collectif du groupe d'experts"
        case "notation": return "Notes des experts"
        case "decision": return "Décision"
        case "abandon": return "Abandon"
        case "piece": return "Pièce jointe"
        case "piece-retiree": return "Pièce retirée"
        default: return event
        }
    }
}
